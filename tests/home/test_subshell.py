"""``roost home shell NAME`` and ``roost home tmp``: a real interactive $SHELL, the environment
active after the user's rc files (which here reset PATH, as many do), and the temporary
environment gone when the shell exits."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import HomeRunner
from .shells import need_shell

pytestmark = pytest.mark.slow

# shell -> (rc file under HOME that resets PATH, commands typed into the shell)
CASES = {
    "bash": (".bashrc", "export PATH=/usr/bin:/bin\n", 'echo "venv=$VIRTUAL_ENV first=${PATH%%:*}"; exit\n'),
    "zsh": (".zshrc", "export PATH=/usr/bin:/bin\n", 'echo "venv=$VIRTUAL_ENV first=${PATH%%:*}"; exit\n'),
    "ksh": (".kshrc", "export PATH=/usr/bin:/bin\n", 'echo "venv=$VIRTUAL_ENV first=${PATH%%:*}"; exit\n'),
    "fish": (".config/fish/config.fish", "set -gx PATH /usr/bin /bin\n", 'echo "venv=$VIRTUAL_ENV first=$PATH[1]"; exit\n'),
    "xonsh": (".xonshrc", "$PATH = ['/usr/bin', '/bin']\n", 'print(f"venv={$VIRTUAL_ENV} first={$PATH[0]}"); exit\n'),
}


def _interact(home: HomeRunner, args: list[str], shell: str, typed: str) -> subprocess.CompletedProcess[str]:
    env = {**home.env, "SHELL": need_shell(shell)}
    env.pop("ENV", None)
    command = [sys.executable, "-m", "roost", "home", *args]
    return subprocess.run(command, env=env, input=typed, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("shell", sorted(CASES))
def test_shell_activates_after_the_rc_files(home: HomeRunner, shell: str) -> None:
    env = home.new("web")
    rc, content, typed = CASES[shell]
    (home.root / rc).parent.mkdir(parents=True, exist_ok=True)
    (home.root / rc).write_text(content)
    done = _interact(home, ["shell", "web"], shell, typed)
    assert f"venv={env} first={env / 'bin'}" in done.stdout, done.stdout + done.stderr


def test_nushell_subshell_command_activates_the_overlay(home: HomeRunner, tmp_path: Path) -> None:
    """nushell's REPL will not start without a controlling terminal, so the command `shell`
    builds is run with the typed line appended to its --execute text (-c) instead."""
    from roost.home.subshell import _command

    env = home.new("web")
    argv, environ = _command("nu", need_shell("nushell"), dict(home.env), str(env), str(tmp_path))
    assert argv[1] == "-e"
    done = subprocess.run(
        [argv[0], "--no-config-file", "-c", argv[2] + '; print $"venv=($env.VIRTUAL_ENV) first=($env.PATH | first)"'],
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert f"venv={env} first={env / 'bin'}" in done.stdout, done.stderr


def test_tmp_environment_lives_as_long_as_its_shell(home: HomeRunner) -> None:
    done = _interact(
        home, ["tmp", "--no-seed"], "bash", 'echo "venv=$VIRTUAL_ENV"; test -f "$VIRTUAL_ENV/pyvenv.cfg" && echo exists; exit 3\n'
    )
    assert "exists" in done.stdout, done.stderr
    venv = done.stdout.split("venv=")[1].split()[0]
    assert Path(venv).parent == home.workon_home and Path(venv).name.startswith("tmp-")
    assert not Path(venv).exists()
    assert done.returncode == 3  # the shell's exit code


def test_shell_of_an_unknown_shell_is_one_line(home: HomeRunner) -> None:
    home.new("web")
    done = subprocess.run(
        [sys.executable, "-m", "roost", "home", "shell", "web"],
        env={**home.env, "SHELL": "/nonexistent/shell"},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1 and "cannot start the shell" in done.stderr and "Traceback" not in done.stderr
    assert shutil.which("bash")
