"""The shell-init aliases in real tcsh: workon, hooks (the .csh variants), the commands."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import HomeRunner
from .shells import assert_commands_worked, hook, need_shell, run_script, write_init, write_logging_hooks

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


def _interactive_tcsh(home: HomeRunner, init: Path, typed: list[bytes], until: bytes) -> str:
    """Run an interactive tcsh on a terminal, type each of *typed* (Tab included), and return
    what the terminal showed once *until* appeared (completion runs only interactively)."""
    import os
    import pty
    import select
    import time

    program = need_shell("tcsh")
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child becomes tcsh
        os.chdir(home.root)
        os.execve(program, [program, "-f", "-i"], {**home.env, "SHELL": program})
    shown = b""

    def read_for(seconds: float) -> None:
        nonlocal shown
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and until not in shown:
            if select.select([fd], [], [], 0.05)[0]:
                try:
                    shown += os.read(fd, 4096)
                except OSError:
                    return

    try:
        for keys in [f"source '{init}'\n".encode(), *typed]:
            os.write(fd, keys)
            read_for(0.5)
        read_for(20)
    finally:
        os.write(fd, b"\nexit\n")
        read_for(0.5)
        os.close(fd)
        os.waitpid(pid, 0)
    return shown.decode(errors="replace")


def test_tab_completes_environment_names_in_interactive_tcsh(home: HomeRunner) -> None:
    """`workon we<Tab>` completes to `workon web` (a '/' inside complete's backquotes ended
    the pattern: "Unmatched '`'", and nothing was ever completed)."""
    home.new("web")
    home.new("api")
    init = write_init(home, "tcsh")
    shown = _interactive_tcsh(home, init, [b"workon we\t", b"\n", b'echo "VE=$VIRTUAL_ENV"\n'], until=b"VE=/")
    assert "Unmatched" not in shown
    assert f"VE={home.workon_home / 'web'}" in shown, shown


def test_mktmpenv_changes_into_the_new_environment_in_tcsh(home: HomeRunner) -> None:
    done = run_script(home, "tcsh", 'mktmpenv --no-seed\necho "at $cwd"\necho "env $VIRTUAL_ENV"\ndeactivate')
    lines = done.stdout.splitlines()
    env = next(line for line in lines if line.startswith("env "))[4:]
    assert f"at {env}" in lines, done.stdout + done.stderr


def test_tcsh_error_messages_append_to_a_stderr_file(home: HomeRunner) -> None:
    """`> /dev/stderr` reopens the file stderr was sent to and truncates it: what was written
    there before the message must stay."""
    errors = home.root / "errors"
    done = run_script(
        home, "tcsh", f"( sh -c 'echo written-before >&2'; workon '../x'; cdproject ) >& '{errors}'\ncat '{errors}'"
    )
    shown = errors.read_text()
    assert shown.startswith("written-before\n"), done.stdout + done.stderr
    assert "is not a plain name" in shown and "no virtualenv active" in shown
