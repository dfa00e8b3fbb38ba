"""The shell-init aliases in real tcsh: workon, hooks (the .csh variants), the commands."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import HomeRunner
from .shells import assert_commands_worked, hook, run_script, write_logging_hooks

pytestmark = pytest.mark.slow


def test_workon_runs_csh_hooks_in_order_and_restores(home: HomeRunner, tmp_path: Path) -> None:
    log = home.root / "log"
    env, project, once, leave = write_logging_hooks(
        home,
        ".csh",
        lambda text: f'echo "{text}" >> "{log}"',
        lambda name: "$cwd" if name == "PWD" else f"${name}",
    )
    done = run_script(
        home,
        "tcsh",
        'set before = "$PATH"\nworkon web\necho "pwd $cwd"\nworkon web\ndeactivate\n'
        'if ( "$PATH" == "$before" ) echo path-restored\nif ( ! $?VIRTUAL_ENV ) echo unset',
    )
    assert done.returncode == 0, done.stderr
    assert "must not source" not in done.stdout
    assert f"pwd {project}" in done.stdout and "path-restored" in done.stdout and "unset" in done.stdout
    assert log.read_text().splitlines() == once + leave + once + leave


def test_commands_in_tcsh(home: HomeRunner, tmp_path: Path) -> None:
    home.workon_home.mkdir()
    hook(home.workon_home / "postmkvirtualenv.csh", 'echo "postmkvirtualenv $VIRTUAL_ENV"')
    extra = tmp_path / "extra"
    extra.mkdir()
    done = run_script(
        home,
        "tcsh",
        "mkvirtualenv --no-seed web\n"
        f"add2virtualenv '{extra}'\nlssitepackages\ncdsitepackages\necho in $cwd\n"
        "cdvirtualenv\necho env $cwd\ntoggleglobalsitepackages\nsetvirtualenvproject\ncdproject\n"
        'showvirtualenv web\nwipeenv\nsource "$_roost_home_lib/names.csh"\n'
        "cpvirtualenv web copy\necho copy $VIRTUAL_ENV\n"
        "mktmpenv --no-seed\nset tmp = $VIRTUAL_ENV\ndeactivate\nif ( ! -d $tmp ) echo tmp-gone\n"
        "rmvirtualenv web copy\nlsvirtualenv -b\necho end\nworkon '../x'",
    )
    assert f"postmkvirtualenv {home.workon_home / 'web'}" in done.stdout, done.stderr
    assert_commands_worked(done.stdout, home, extra)
    assert f"copy {home.workon_home / 'copy'}" in done.stdout
    assert "tmp-gone" in done.stdout
    assert done.stdout.split("Removing copy...")[1].split("end")[0].strip() == ""
    assert "is not a plain name" in done.stderr
