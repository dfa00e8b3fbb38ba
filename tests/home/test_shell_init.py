"""``roost shell-init SHELL``: what it prints, that loading it starts nothing, and that the
one value it embeds (the command that runs roost) is quoted for each shell."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from roost.errors import RoostError
from roost.home.shellinit import SHELLS, render_init

from .conftest import HomeRunner
from .shells import EXTENSIONS, run_script

GOLDEN = Path(__file__).parent / "golden"
# A folder name every shell would misread if it were not quoted: each trick tries to create CANARY.
HOSTILE = "it's \"q\" $(touch CANARY) `touch CANARY` ; touch CANARY & !! %n ${HOME} (touch CANARY) \\ {a,b} r#'x'#"
LIST_COMMAND = {
    "bash": "lsvirtualenv -b",
    "zsh": "lsvirtualenv -b",
    "ksh": "lsvirtualenv -b",
    "fish": "lsvirtualenv -b",
    "tcsh": "lsvirtualenv -b",
    "xonsh": "lsvirtualenv -b",
    "nushell": "lsvirtualenv -b",
}


@pytest.mark.parametrize("shell", sorted(SHELLS))
def test_shell_init_prints_the_functions(shell: str, roost_env: dict[str, str]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "roost", "shell-init", shell], env=roost_env, capture_output=True, text=True, check=True
    )
    for name in ("workon", "mkvirtualenv", "rmvirtualenv", "lsvirtualenv", "cdproject", "toggleglobalsitepackages"):
        assert name in done.stdout
    assert "__ROOST_" not in done.stdout


def test_shell_init_refuses_unknown_shells_in_one_line(roost_env: dict[str, str]) -> None:
    for args in (["shell-init"], ["shell-init", "cmd"], ["shell-init", "bash", "zsh"]):
        done = subprocess.run([sys.executable, "-m", "roost", *args], env=roost_env, capture_output=True, text=True)
        assert done.returncode == 2 and "Traceback" not in done.stderr
        assert "choose from: bash" in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_a_path_csh_cannot_hold_is_one_clear_error() -> None:
    with pytest.raises(RoostError, match="tcsh cannot hold the path roost runs from"):
        render_init("tcsh", ["/opt/new\nline/python", "-m", "roost"])


@pytest.mark.slow
@pytest.mark.parametrize("shell", sorted(LIST_COMMAND))
def test_hostile_roost_path_is_quoted_and_start_up_calls_nothing(home: HomeRunner, shell: str, tmp_path: Path) -> None:
    """The init is loaded (nothing runs), then one command calls the recorder standing in for
    roost from a folder whose name is shell code in every shell: it runs, nothing else does."""
    folder = tmp_path / HOSTILE
    folder.mkdir()
    calls = tmp_path / "calls"
    recorder = folder / "roost"
    recorder.write_text(f'#!/bin/sh\necho "$*" >> "{calls}"\n')
    recorder.chmod(0o755)
    loaded = run_script(home, shell, "", command=[str(recorder), "-m", "roost"])
    assert loaded.returncode == 0, loaded.stderr
    assert not calls.exists()  # loading the init starts nothing
    done = run_script(home, shell, LIST_COMMAND[shell], command=[str(recorder), "-m", "roost"])
    assert done.returncode == 0, done.stderr
    assert calls.read_text().splitlines() in (["-m roost home ls --brief"], ["-m roost home ls --long -b"])
    assert not any(path.name == "CANARY" for path in tmp_path.rglob("*"))
    assert EXTENSIONS[shell]


def test_powershell_matches_its_golden_file() -> None:
    """PowerShell does not run here (no pwsh on this Linux machine), so its init is pinned
    byte for byte to a golden file checked by hand against PowerShell's quoting rules:
    inside '...' only the four single quotes are special, and each is doubled.
    Regenerate after a deliberate change with ROOST_UPDATE_GOLDEN=1 and review the diff."""
    text = render_init("powershell", ["C:\\Program Files\\it's \u2018here\u2019 $(calc)\\python.exe", "-m", "roost"])
    golden = GOLDEN / "init.ps1"
    if os.environ.get("ROOST_UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")
    assert "@('C:\\Program Files\\it''s \u2018\u2018here\u2019\u2019 $(calc)\\python.exe', '-m', 'roost')" in text
