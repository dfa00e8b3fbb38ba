"""``activate.csh`` sourced in the real tcsh (Debian's csh is tcsh), drawing its prompt.

tcsh runs interactively on a pseudo-terminal (it draws a prompt only when it
waits on one) and so applies history substitution to what it reads: the two
places where a ``!`` would misbehave.
csh cannot hold a line break in a word: for such values the script must be
left out with a warning instead.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import (
    CASES,
    INHERITED,
    START_PATH,
    assert_no_canary,
    assert_round_trip,
    need,
    read_outputs,
    run_shell,
    shell_env,
    shown_prompt,
)

# Runs real shells or makes many environments: `pytest -m "not slow"` leaves it out.
pytestmark = pytest.mark.slow

ROUND_TRIP = r"""
unset edit
set prompt = 'orig> '
source "$ROOST_T_SCRIPT:q"
printf '%s' "$VIRTUAL_ENV:q" > "$ROOST_T_OUT/venv"
printf '%s' "$VIRTUAL_ENV_PROMPT:q" > "$ROOST_T_OUT/prompt"
if ( $?PYTHONHOME ) then
    printf '%s' "$PYTHONHOME:q" > "$ROOST_T_OUT/pythonhome"
else
    printf '<unset>' > "$ROOST_T_OUT/pythonhome"
endif
python -c 'import sys; sys.stdout.write(sys.executable)' > "$ROOST_T_OUT/python"
printf '%s' "$PATH:q" > "$ROOST_T_OUT/path1"
printf '\n@@<P1>'
printf '<P1>@@\n'
source "$ROOST_T_SCRIPT:q"
printf '%s' "$PATH:q" > "$ROOST_T_OUT/path2"
printf '\n@@<P2>'
printf '<P2>@@\n'
deactivate
printf '%s' "$PATH:q" > "$ROOST_T_OUT/path3"
if ( $?VIRTUAL_ENV ) then
    printf '%s' "$VIRTUAL_ENV:q" > "$ROOST_T_OUT/venv3"
else
    printf '<unset>' > "$ROOST_T_OUT/venv3"
endif
if ( $?VIRTUAL_ENV_PROMPT ) then
    printf '%s' "$VIRTUAL_ENV_PROMPT:q" > "$ROOST_T_OUT/prompt3"
else
    printf '<unset>' > "$ROOST_T_OUT/prompt3"
endif
if ( $?PYTHONHOME ) then
    printf '%s' "$PYTHONHOME:q" > "$ROOST_T_OUT/pythonhome3"
else
    printf '<unset>' > "$ROOST_T_OUT/pythonhome3"
endif
alias deactivate > "$ROOST_T_OUT/deactivate_alias"
alias pydoc > "$ROOST_T_OUT/pydoc_alias"
printf '\n@@<P3>'
printf '<P3>@@\n'
exit
"""


def run(driver: str, script: Path, workdir: Path, out: Path, extra: dict[str, str] | None = None) -> str:
    return run_shell([need("tcsh"), "-f", "-i"], driver, shell_env(workdir, out, script, extra), workdir, tty=True)


@pytest.mark.parametrize("case", list(CASES))
def test_round_trip(case: str, make_env, workdir: Path, out: Path) -> None:
    value = CASES[case]
    env = make_env(f"env {value}", value, ["cshell"])
    if "\n" in value:
        # csh cannot hold a line break in a word: no script, one warning naming it
        assert env.written == []
        assert len(env.warnings) == 1
        assert "activate.csh" in env.warnings[0] and "line break" in env.warnings[0]
        return
    assert env.warnings == []
    output = run(ROUND_TRIP, env.script("activate.csh"), workdir, out)
    seen = assert_round_trip(output, out, env.dest, value)
    assert shown_prompt(output, "P1") == f"({value}) orig> "
    assert shown_prompt(output, "P2") == f"({value}) orig> "
    assert (seen["deactivate_alias"], seen["pydoc_alias"]) == ("", "")
    assert shown_prompt(output, "P3") == "orig> "
    assert_no_canary(workdir, env.dest)


def test_disable_prompt(make_env, workdir: Path, out: Path) -> None:
    env = make_env("plain", "shown", ["cshell"])
    output = run(ROUND_TRIP, env.script("activate.csh"), workdir, out, {"VIRTUAL_ENV_DISABLE_PROMPT": "1"})
    assert shown_prompt(output, "P1") == "orig> "


def test_restores_inherited_state(make_env, workdir: Path, out: Path) -> None:
    env = make_env("inner", "inner", ["cshell"])
    run(ROUND_TRIP, env.script("activate.csh"), workdir, out, INHERITED)
    seen = read_outputs(out)
    assert (seen["venv3"], seen["prompt3"], seen["pythonhome3"]) == ("/outer/env", "outer", "")


def test_moved_env_keeps_written_path(make_env, workdir: Path, out: Path) -> None:
    """Documented limitation: csh cannot find a sourced file's path, so it uses the written one."""
    env = make_env("env", "env", ["cshell"])
    old = env.dest
    env.move_to(old.parent / "moved")
    run(ROUND_TRIP, env.script("activate.csh"), workdir, out)
    assert read_outputs(out)["venv"] == str(old)


def test_non_interactive_source(make_env, workdir: Path, out: Path) -> None:
    """Sourced from a script (no history substitution, no prompt): values still arrive intact."""
    value = CASES["bang"] + CASES["backslash"] + CASES["quotes"]
    env = make_env(f"env {value}", value, ["cshell"])
    driver = workdir / "driver.csh"
    driver.write_text(
        'source "$ROOST_T_SCRIPT:q"\n'
        'printf "%s" "$VIRTUAL_ENV_PROMPT:q" > "$ROOST_T_OUT/prompt"\n'
        "deactivate\n"
        'printf "%s" "$PATH:q" > "$ROOST_T_OUT/path"\n'
    )
    run_shell([need("tcsh"), "-f", str(driver)], "", shell_env(workdir, out, env.script("activate.csh")), workdir)
    seen = read_outputs(out)
    assert seen == {"prompt": value, "path": START_PATH}
