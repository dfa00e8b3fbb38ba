"""``activate.xsh`` sourced in the real xonsh (from PyPI), run by the test's own Python.

xonsh draws the environment in its ``{env_name}`` prompt field from
VIRTUAL_ENV_PROMPT; the test asks that field for its text.  PYTHONHOME is set
inside xonsh: xonsh is itself Python and could not start with a foreign one.
"""

from __future__ import annotations

import importlib.util
import os
import re
import sys
from pathlib import Path

import pytest

from .conftest import CASES, assert_no_canary, assert_round_trip, read_outputs, run_shell, shell_env

# Runs real shells or makes many environments: `pytest -m "not slow"` leaves it out.
pytestmark = pytest.mark.slow

ROUND_TRIP = r"""
import os
from xonsh.prompt.env import env_name
$PYTHONHOME = $ROOST_T_PYTHONHOME
def w(name, value):
    with open(os.path.join($ROOST_T_OUT, name), "w", encoding="utf-8") as f:
        f.write(value)
def seen(name):
    return ${...}.get(name, "<unset>")
source @($ROOST_T_SCRIPT)
w("venv", $VIRTUAL_ENV)
w("prompt", $VIRTUAL_ENV_PROMPT)
w("pythonhome", seen("PYTHONHOME"))
w("python", $(python -c 'import sys; sys.stdout.write(sys.executable)'))
w("path1", os.pathsep.join($PATH))
w("p1", env_name())
source @($ROOST_T_SCRIPT)
w("path2", os.pathsep.join($PATH))
deactivate
w("path3", os.pathsep.join($PATH))
w("venv3", seen("VIRTUAL_ENV"))
w("prompt3", seen("VIRTUAL_ENV_PROMPT"))
w("pythonhome3", seen("PYTHONHOME"))
w("gone", "no" if "deactivate" in aliases or "pydoc" in aliases else "yes")
"""


def xonsh() -> str:
    """xonsh is a test dependency of the project; without it, skip (fail on CI)."""
    if importlib.util.find_spec("xonsh") is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("xonsh is not installed: CI must have every shell the activation tests use")
        pytest.skip("xonsh is not installed")
    return sys.executable


def run(script: Path, workdir: Path, out: Path, extra: dict[str, str] | None = None) -> str:
    driver = workdir / "driver.xsh"
    driver.write_text(ROUND_TRIP, encoding="utf-8")
    env = shell_env(workdir, out, script, extra)
    env["ROOST_T_PYTHONHOME"] = env.pop("PYTHONHOME")
    return run_shell([xonsh(), "-m", "xonsh", "--no-rc", str(driver)], "", env, workdir)


@pytest.mark.parametrize("case", list(CASES))
def test_round_trip(case: str, make_env, workdir: Path, out: Path) -> None:
    value = CASES[case]
    env = make_env(f"env {value}", value, ["xonsh"])
    if re.search(r"\$[\w{]", str(env.dest)):
        # xonsh itself would expand $NAME inside the PATH entry: left out, with a warning
        assert env.written == []
        assert len(env.warnings) == 1 and "activate.xsh" in env.warnings[0] and "xonsh expands" in env.warnings[0]
        return
    assert env.warnings == []
    output = run(env.script("activate.xsh"), workdir, out)
    seen = assert_round_trip(output, out, env.dest, value)
    # xonsh shows a VIRTUAL_ENV_PROMPT that differs from the folder name as it is
    assert seen["p1"] == value
    assert seen["gone"] == "yes"
    assert_no_canary(workdir, env.dest)


def test_restores_inherited_state(make_env, workdir: Path, out: Path) -> None:
    env = make_env("inner", "inner", ["xonsh"])
    run(env.script("activate.xsh"), workdir, out, {"VIRTUAL_ENV": "/outer/env", "VIRTUAL_ENV_PROMPT": "outer"})
    seen = read_outputs(out)
    assert (seen["venv3"], seen["prompt3"]) == ("/outer/env", "outer")


def test_moved_env(make_env, workdir: Path, out: Path) -> None:
    value = CASES["quotes"] + CASES["newline"] + CASES["cmd-subst"]
    env = make_env(f"env {value}", value, ["xonsh"])
    env.move_to(env.dest.parent / f"moved {value}")
    run(env.script("activate.xsh"), workdir, out)
    seen = read_outputs(out)
    assert seen["venv"] == str(env.dest)
    assert seen["python"] == f"{env.dest}/bin/python"
