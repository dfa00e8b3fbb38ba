"""What every shell's init must do alike: name the copy of an outside environment as ``roost
home cp`` does, remove mktmpenv's environment whatever WORKON_HOME's spelling, and derive
WORKON_HOME as virtualenvwrapper (and roost's Python side) do."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import HomeRunner
from .shells import run_script

pytestmark = pytest.mark.slow

ALL = ["bash", "zsh", "ksh", "fish", "tcsh", "nushell", "xonsh"]

# Each shell's line that prints "active $VIRTUAL_ENV".
SHOW_ACTIVE = {
    "bash": 'echo "active $VIRTUAL_ENV"',
    "zsh": 'echo "active $VIRTUAL_ENV"',
    "ksh": 'echo "active $VIRTUAL_ENV"',
    "fish": 'echo "active $VIRTUAL_ENV"',
    "tcsh": 'echo "active $VIRTUAL_ENV"',
    "nushell": 'print $"active ($env.VIRTUAL_ENV)"',
    "xonsh": "print('active', $VIRTUAL_ENV)",
}

# mktmpenv, deactivate, then "tmp-gone" or "tmp-kept".
TMP_ROUND_TRIP = {
    "bash": "mktmpenv --no-seed >/dev/null\ntmp=$VIRTUAL_ENV\ndeactivate >/dev/null\n"
    '[ -d "$tmp" ] && echo tmp-kept || echo tmp-gone',
    "fish": "mktmpenv --no-seed >/dev/null\nset tmp $VIRTUAL_ENV\ndeactivate >/dev/null\n"
    "test -d $tmp; and echo tmp-kept; or echo tmp-gone",
    "tcsh": 'mktmpenv --no-seed\nset tmp = "$VIRTUAL_ENV"\ndeactivate\n'
    'if ( -d "$tmp" ) then\necho tmp-kept\nelse\necho tmp-gone\nendif',
    "nushell": "mktmpenv --no-seed\nlet tmp = $env.VIRTUAL_ENV\ndeactivate\n"
    "print (if ($tmp | path exists) { 'tmp-kept' } else { 'tmp-gone' })",
    "xonsh": "mktmpenv --no-seed\ntmp = $VIRTUAL_ENV\ndeactivate\nimport os\n"
    "print('tmp-kept' if os.path.isdir(tmp) else 'tmp-gone')",
}
TMP_ROUND_TRIP["zsh"] = TMP_ROUND_TRIP["ksh"] = TMP_ROUND_TRIP["bash"]


def _quoted(shell: str, path: Path) -> str:
    return repr(str(path)) if shell == "xonsh" else f"'{path}'"


@pytest.mark.parametrize("shell", ALL)
def test_cpvirtualenv_of_an_outside_environment_activates_it_by_its_folder_name(
    home: HomeRunner, shell: str, tmp_path: Path
) -> None:
    """virtualenvwrapper's `cpvirtualenv /path/to/env` imports an environment under its
    folder's name: the shell side must workon that name, not the path it was given."""
    outside = tmp_path / "elsewhere" / "realenv"
    subprocess.run([sys.executable, "-m", "roost", str(outside), "--no-seed"], env=home.env, check=True, capture_output=True)
    done = run_script(home, shell, f"cpvirtualenv {_quoted(shell, outside)}\n{SHOW_ACTIVE[shell]}")
    assert f"active {home.workon_home / 'realenv'}" in done.stdout, done.stdout + done.stderr
    assert "not a plain name" not in done.stderr


@pytest.mark.parametrize("shell", ALL)
def test_mktmpenv_is_removed_when_workon_home_ends_with_a_slash(home: HomeRunner, shell: str) -> None:
    done = run_script(home, shell, TMP_ROUND_TRIP[shell], WORKON_HOME=str(home.workon_home) + "/")
    assert "tmp-gone" in done.stdout, done.stdout + done.stderr
    assert not home.workon_home.exists() or not [p for p in home.workon_home.iterdir() if p.name.startswith("tmp-")]


@pytest.mark.parametrize("spelling", ["~/homes/envs", "homes//envs/"])
@pytest.mark.parametrize("shell", ALL)
def test_relative_or_tilde_workon_home_is_taken_from_home_as_virtualenvwrapper_does(
    home: HomeRunner, shell: str, spelling: str, tmp_path: Path
) -> None:
    """virtualenvwrapper_derive_workon_home: '~' expanded, a relative value prefixed with $HOME.
    From another folder, the shell and `roost home` agree on that one home, and no '~' or
    relative folder appears where the shell started."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    done = run_script(home, shell, f"mkvirtualenv --no-seed web\n{SHOW_ACTIVE[shell]}", cwd=elsewhere, WORKON_HOME=spelling)
    expected = tmp_path / "homes" / "envs"
    assert f"active {expected / 'web'}" in done.stdout, done.stdout + done.stderr
    assert list(elsewhere.iterdir()) == []  # no literal '~' nor 'homes' made here
    listed = subprocess.run(
        [sys.executable, "-m", "roost", "home", "ls", "--brief"],
        env={**home.env, "WORKON_HOME": spelling},
        cwd=elsewhere,
        capture_output=True,
        text=True,
    )
    assert listed.stdout == "web\n", listed.stderr


@pytest.mark.parametrize("shell", ["bash", "zsh", "ksh", "fish", "tcsh"])
def test_workon_after_a_plain_activation_never_runs_a_deactivate_program(home: HomeRunner, shell: str, tmp_path: Path) -> None:
    """`workon web; . other/bin/activate; deactivate; workon web`: the plain activation's
    deactivate removed itself (and workon's), so the name now finds a program on PATH
    (pyenv ships one): workon must call deactivate only while it is the shell's own."""
    home.new("web")
    other = home.new("other")
    tools = tmp_path / "tools"
    tools.mkdir()
    marker = tmp_path / "program-ran"
    (tools / "deactivate").write_text(f'#!/bin/sh\necho "$*" > "{marker}"\n')
    (tools / "deactivate").chmod(0o755)
    suffix = {"fish": ".fish", "tcsh": ".csh"}.get(shell, "")
    source = "." if shell in ("bash", "zsh", "ksh") else "source"
    done = run_script(
        home,
        shell,
        f"workon web\n{source} '{other}/bin/activate{suffix}'\ndeactivate\nworkon web\n{SHOW_ACTIVE[shell]}",
        PATH=f"{tools}:{home.env['PATH']}",
    )
    assert f"active {home.workon_home / 'web'}" in done.stdout, done.stdout + done.stderr
    assert not marker.exists()
