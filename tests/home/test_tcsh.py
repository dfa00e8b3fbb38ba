"""The shell-init aliases in real tcsh: workon, hooks (the .csh variants), the commands."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import HomeRunner
from .shells import hook, run_script

pytestmark = pytest.mark.slow


def test_workon_runs_csh_hooks_in_order_and_restores(home: HomeRunner, tmp_path: Path) -> None:
    env = home.new("web")
    project = tmp_path / "code"
    project.mkdir()
    home("project", "set", "web", str(project))
    log = tmp_path / "log"
    hooks = home.workon_home
    hook(hooks / "preactivate", f'echo "global preactivate $1 $PWD" >> "{log}"', run=True)
    hook(env / "bin" / "preactivate", f'echo "local preactivate $1" >> "{log}"', run=True)
    hook(hooks / "postactivate", "echo 'sh code that csh must not source'; exit 3")
    hook(project / ".virtualenvwrapper" / "postactivate.csh", f'echo "project postactivate $cwd" >> "{log}"')
    hook(hooks / "postactivate.csh", f'echo "global postactivate $VIRTUAL_ENV" >> "{log}"')
    hook(env / "bin" / "postactivate.csh", f'echo "local postactivate" >> "{log}"')
    hook(env / "bin" / "predeactivate.csh", f'echo "local predeactivate" >> "{log}"')
    hook(hooks / "predeactivate.csh", f'echo "global predeactivate" >> "{log}"')
    hook(hooks / "postdeactivate.csh", f'echo "global postdeactivate $VIRTUALENVWRAPPER_LAST_VIRTUAL_ENV" >> "{log}"')
    done = run_script(
        home,
        "tcsh",
        'set before = "$PATH"\nworkon web\necho "pwd $cwd"\nworkon web\ndeactivate\n'
        'if ( "$PATH" == "$before" ) echo path-restored\nif ( ! $?VIRTUAL_ENV ) echo unset',
    )
    assert done.returncode == 0, done.stderr
    assert "must not source" not in done.stdout
    assert f"pwd {project}" in done.stdout and "path-restored" in done.stdout and "unset" in done.stdout
    once = [
        f"global preactivate web {home.workon_home}",
        "local preactivate web",
        f"project postactivate {project}",
        f"global postactivate {env}",
        "local postactivate",
    ]
    leave = ["local predeactivate", "global predeactivate", f"global postdeactivate {env}"]
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
    assert "_virtualenv_path_extensions.pth:" in done.stdout and str(extra) in done.stdout
    assert "/site-packages" in done.stdout.split("\nin ", 1)[1].split()[0]
    assert f"env {home.workon_home / 'web'}" in done.stdout
    assert "Enabled global site-packages" in done.stdout and "Nothing to remove." in done.stdout
    assert f"copy {home.workon_home / 'copy'}" in done.stdout
    assert "tmp-gone" in done.stdout
    assert done.stdout.split("Removing copy...")[1].split("end")[0].strip() == ""
    assert "is not a plain name" in done.stderr
