"""``activate.nu`` used as an overlay in the real nushell (npm's ``nushell`` package).

``overlay use`` resolves its file while parsing, before anything runs, so the
path cannot come from a variable: nu starts in the env's bin folder and uses
the file by its plain name.  The prompt is what ``PROMPT_COMMAND`` returns,
the closure nushell calls to draw one.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import CASES, INHERITED, assert_no_canary, assert_round_trip, need, read_outputs, run_shell, shell_env

# Runs real shells or makes many environments: `pytest -m "not slow"` leaves it out.
pytestmark = pytest.mark.slow

ROUND_TRIP = r"""
$env.PROMPT_COMMAND = {|| 'orig> ' }
def w [name: string, value: string] { $value | save -f ($env.ROOST_T_OUT | path join $name) }
def path-text [] { $env.PATH | str join (char esep) }
overlay use activate.nu
w venv $env.VIRTUAL_ENV
w prompt $env.VIRTUAL_ENV_PROMPT
w pythonhome ($env.PYTHONHOME? | default '<unset>')
w python (^python -c 'import sys; sys.stdout.write(sys.executable)')
w path1 (path-text)
w p1 (do $env.PROMPT_COMMAND)
overlay use activate.nu
w path2 (path-text)
w p2 (do $env.PROMPT_COMMAND)
deactivate
w path3 (path-text)
w venv3 ($env.VIRTUAL_ENV? | default '<unset>')
w prompt3 ($env.VIRTUAL_ENV_PROMPT? | default '<unset>')
w pythonhome3 ($env.PYTHONHOME? | default '<unset>')
w p3 (do $env.PROMPT_COMMAND)
w gone (if ('activate' in (overlay list | where active | get name)) { 'no' } else { 'yes' })
"""


def run(driver: str, env_bin: Path, workdir: Path, out: Path, extra: dict[str, str] | None = None) -> str:
    env = shell_env(workdir, out, env_bin / "activate.nu", extra)
    return run_shell([need("nu"), "-n", "-c", driver], "", env, env_bin)


@pytest.mark.parametrize("case", list(CASES))
def test_round_trip(case: str, make_env, workdir: Path, out: Path) -> None:
    value = CASES[case]
    env = make_env(f"env {value}", value, ["nushell"])
    assert env.warnings == []
    output = run(ROUND_TRIP, env.bin, workdir, out)
    # (using the overlay again while it is on must not stack the folder twice either)
    seen = assert_round_trip(output, out, env.dest, value)
    assert seen["p1"] == f"({value}) orig> "
    assert seen["p2"] == f"({value}) orig> "
    assert seen["p3"] == "orig> "
    assert seen["gone"] == "yes"
    assert_no_canary(workdir, env.dest)


def test_disable_prompt(make_env, workdir: Path, out: Path) -> None:
    env = make_env("plain", "shown", ["nushell"])
    run(ROUND_TRIP, env.bin, workdir, out, {"VIRTUAL_ENV_DISABLE_PROMPT": "1"})
    assert read_outputs(out)["p1"] == "orig> "


def test_restores_inherited_state(make_env, workdir: Path, out: Path) -> None:
    env = make_env("inner", "inner", ["nushell"])
    run(ROUND_TRIP, env.bin, workdir, out, INHERITED)
    seen = read_outputs(out)
    assert (seen["venv3"], seen["prompt3"], seen["pythonhome3"]) == ("/outer/env", "outer", "")


@pytest.mark.parametrize("case", ["space", "everything"])
def test_moved_env(case: str, make_env, workdir: Path, out: Path) -> None:
    value = CASES[case]
    env = make_env(f"env {value}", value, ["nushell"])
    env.move_to(env.dest.parent / f"moved {value}")
    run(ROUND_TRIP, env.bin, workdir, out)
    seen = read_outputs(out)
    assert seen["venv"] == str(env.dest)
    assert seen["python"] == f"{env.dest}/bin/python"
    assert_no_canary(workdir, env.dest)


# Values a raw string's delimiter must survive: nu reads #s right after the opening quote as
# part of the opening, and a ' followed by #s could end it early.
EDGES = {
    "hash-both-ends": "#x#",
    "hashes-lead": "##x",
    "quote-both-ends": "'x'",
    "quote-hash": "'#x'#",
    "double-quotes": '"x"',
    "braces": "{x}",
    "brace-quote": "}'#{",
    "hash-quote": "#'",
}


@pytest.mark.parametrize("case", list(EDGES))
def test_raw_string_delimiter_holds_any_edge(case: str, make_env, workdir: Path, out: Path) -> None:
    """As the folder name (the env path) and as the prompt, in the real nu."""
    value = EDGES[case]
    env = make_env(f"env {value}", value, ["nushell"])
    assert env.warnings == []
    output = run(ROUND_TRIP, env.bin, workdir, out)
    seen = assert_round_trip(output, out, env.dest, value)
    assert seen["p1"] == f"({value}) orig> "
    assert seen["gone"] == "yes"
