"""``activate.fish`` sourced in the real fish, with hostile paths and prompts.

fish does not draw prompts when not interactive, so the tests call
``fish_prompt``, the function fish calls to draw one.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import CASES, INHERITED, assert_no_canary, assert_round_trip, need, read_outputs, run_shell, shell_env

# Runs real shells or makes many environments: `pytest -m "not slow"` leaves it out.
pytestmark = pytest.mark.slow

PRELUDE = r"""
function fish_prompt; printf 'orig %s> ' $status; end
function _w; printf '%s' $argv[2] > $ROOST_T_OUT/$argv[1]; end
function _path; string join : $PATH | string collect; end
"""

ROUND_TRIP = (
    PRELUDE
    + r"""
source $ROOST_T_SCRIPT
_w venv $VIRTUAL_ENV
_w prompt $VIRTUAL_ENV_PROMPT
if set -q PYTHONHOME; _w pythonhome $PYTHONHOME; else; _w pythonhome '<unset>'; end
python -c 'import sys; sys.stdout.write(sys.executable)' > $ROOST_T_OUT/python
_w path1 (_path)
false; fish_prompt > $ROOST_T_OUT/p1
source $ROOST_T_SCRIPT
_w path2 (_path)
true; fish_prompt > $ROOST_T_OUT/p2
deactivate
_w path3 (_path)
if set -q VIRTUAL_ENV; _w venv3 $VIRTUAL_ENV; else; _w venv3 '<unset>'; end
if set -q VIRTUAL_ENV_PROMPT; _w prompt3 $VIRTUAL_ENV_PROMPT; else; _w prompt3 '<unset>'; end
if set -q PYTHONHOME; _w pythonhome3 $PYTHONHOME; else; _w pythonhome3 '<unset>'; end
true; fish_prompt > $ROOST_T_OUT/p3
if functions -q deactivate; or functions -q pydoc; _w gone no; else; _w gone yes; end
"""
)


def run(driver: str, script: Path, workdir: Path, out: Path, extra: dict[str, str] | None = None) -> str:
    return run_shell([need("fish"), "--no-config"], driver, shell_env(workdir, out, script, extra), workdir)


@pytest.mark.parametrize("case", list(CASES))
def test_round_trip(case: str, make_env, workdir: Path, out: Path) -> None:
    value = CASES[case]
    env = make_env(f"env {value}", value, ["fish"])
    assert env.warnings == []
    output = run(ROUND_TRIP, env.script("activate.fish"), workdir, out)
    seen = assert_round_trip(output, out, env.dest, value)
    # the wrapped prompt still sees the last command's exit status
    assert seen["p1"] == f"({value}) orig 1> "
    assert seen["p2"] == f"({value}) orig 0> "
    assert seen["p3"] == "orig 0> "
    assert seen["gone"] == "yes"
    assert_no_canary(workdir, env.dest)


def test_disable_prompt(make_env, workdir: Path, out: Path) -> None:
    env = make_env("plain", "shown", ["fish"])
    run(ROUND_TRIP, env.script("activate.fish"), workdir, out, {"VIRTUAL_ENV_DISABLE_PROMPT": "1"})
    assert read_outputs(out)["p1"] == "orig 1> "


def test_restores_inherited_state(make_env, workdir: Path, out: Path) -> None:
    env = make_env("inner", "inner", ["fish"])
    run(ROUND_TRIP, env.script("activate.fish"), workdir, out, INHERITED)
    seen = read_outputs(out)
    assert (seen["venv3"], seen["prompt3"], seen["pythonhome3"]) == ("/outer/env", "outer", "")


MOVED = (
    PRELUDE
    + r"""
source $ROOST_T_SCRIPT
_w venv $VIRTUAL_ENV
python -c 'import sys; sys.stdout.write(sys.executable)' > $ROOST_T_OUT/python
deactivate
cd $ROOST_T_PARENT
source ./$ROOST_T_NAME/bin/activate.fish
_w venv_relative $VIRTUAL_ENV
"""
)


@pytest.mark.parametrize("case", ["space", "everything", "newline", "fish-escape"])
def test_moved_env(case: str, make_env, workdir: Path, out: Path) -> None:
    value = CASES[case]
    env = make_env(f"env {value}", value, ["fish"])
    env.move_to(env.dest.parent / f"moved {value}")
    extra = {"ROOST_T_PARENT": str(env.dest.parent), "ROOST_T_NAME": env.dest.name}
    run(MOVED, env.script("activate.fish"), workdir, out, extra)
    seen = read_outputs(out)
    assert seen["venv"] == str(env.dest)
    assert seen["venv_relative"] == str(env.dest)
    assert seen["python"] == f"{env.dest}/bin/python"
    assert_no_canary(workdir, env.dest)


def test_pydoc_runs_env_python(make_env, workdir: Path, out: Path) -> None:
    env = make_env("docs", "docs", ["fish"])
    run("source $ROOST_T_SCRIPT\npydoc pydoc > $ROOST_T_OUT/doc\n", env.script("activate.fish"), workdir, out)
    assert "pydoc" in read_outputs(out)["doc"]


STACKED = (
    PRELUDE
    + r"""
source $ROOST_T_FIRST
source $ROOST_T_SECOND
_w active $VIRTUAL_ENV
deactivate
_w path (_path)
if set -q VIRTUAL_ENV; _w venv $VIRTUAL_ENV; else; _w venv '<unset>'; end
if set -q PYTHONHOME; _w pythonhome $PYTHONHOME; else; _w pythonhome '<unset>'; end
true; fish_prompt > $ROOST_T_OUT/prompt
"""
)


@pytest.mark.parametrize("roost_first", [True, False], ids=["roost-then-venv", "venv-then-roost"])
def test_stacked_with_a_stdlib_venv(roost_first: bool, make_env, workdir: Path, out: Path, tmp_path: Path) -> None:
    """The stdlib's activate.fish on top of roost's (or under it): one deactivate restores the shell."""
    import subprocess
    import sys

    from .conftest import START_PATH, START_PYTHONHOME

    env = make_env("env", "env", ["fish"])
    stdlib = tmp_path / "stdlib-venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(stdlib)], check=True)
    scripts = [str(env.script("activate.fish")), str(stdlib / "bin" / "activate.fish")]
    first, second = scripts if roost_first else scripts[::-1]
    run(STACKED, env.script("activate.fish"), workdir, out, {"ROOST_T_FIRST": first, "ROOST_T_SECOND": second})
    seen = read_outputs(out)
    assert seen["active"] == str(stdlib if roost_first else env.dest)
    assert (seen["path"], seen["venv"], seen["pythonhome"]) == (START_PATH, "<unset>", START_PYTHONHOME)
    assert seen["prompt"] == "orig 0> "


def test_linked_script_uses_the_written_path(make_env, workdir: Path, out: Path) -> None:
    env = make_env("env", "env", ["fish"])
    link = workdir / "activate.fish"
    link.symlink_to(env.script("activate.fish"))
    run(
        PRELUDE + "source $ROOST_T_LINK\n_w venv $VIRTUAL_ENV\n",
        env.script("activate.fish"),
        workdir,
        out,
        {"ROOST_T_LINK": str(link)},
    )
    assert read_outputs(out)["venv"] == str(env.dest)
