"""``activate`` sourced in the real sh-family shells, with hostile paths and prompts.

Each shell runs interactively so that it really draws its prompt (a prompt is
expanded every time it is drawn: that is where an unquoted value would run).
ksh93 only draws prompts on a terminal, so it gets a pseudo-terminal.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import (
    CASES,
    INHERITED,
    START_PATH,
    START_PYTHONHOME,
    assert_no_canary,
    assert_round_trip,
    need,
    read_outputs,
    run_shell,
    shell_env,
    shown_prompt,
)

SHELLS: dict[str, list[str]] = {
    "bash": ["--norc", "--noprofile", "--noediting", "-i"],
    "zsh": ["-f", "-i"],
    "ksh": ["-i"],
    "dash": ["-i"],
    "mksh": ["-i"],
}
# zsh marks output without a final newline before each prompt; the markers rely on none
PRELUDE = {"zsh": "unsetopt prompt_sp prompt_cr\n"}
# shells that can tell a sourced file its own path (the others use the written path)
KNOW_THEMSELVES = ("bash", "zsh", "ksh")

ROUND_TRIP = r"""
PS1='orig> '
_w() { printf '%s' "$2" > "$ROOST_T_OUT/$1"; }
. "$ROOST_T_SCRIPT"
_w venv "$VIRTUAL_ENV"
_w prompt "$VIRTUAL_ENV_PROMPT"
_w pythonhome "${PYTHONHOME-<unset>}"
python -c 'import sys; sys.stdout.write(sys.executable)' > "$ROOST_T_OUT/python"
_w path1 "$PATH"
printf '\n@@<P1>' >&2
printf '<P1>@@\n' >&2
. "$ROOST_T_SCRIPT"
_w path2 "$PATH"
printf '\n@@<P2>' >&2
printf '<P2>@@\n' >&2
deactivate
_w path3 "$PATH"
_w venv3 "${VIRTUAL_ENV-<unset>}"
_w prompt3 "${VIRTUAL_ENV_PROMPT-<unset>}"
_w pythonhome3 "${PYTHONHOME-<unset>}"
_w ps1_3 "${PS1-<unset>}"
if type deactivate >/dev/null 2>&1; then _w gone no; else _w gone yes; fi
if type pydoc >/dev/null 2>&1; then _w pydoc_gone no; else _w pydoc_gone yes; fi
printf '\n@@<P3>' >&2
printf '<P3>@@\n' >&2
exit
"""


def run(shell: str, driver: str, script: Path, workdir: Path, out: Path, extra: dict[str, str] | None = None) -> str:
    argv = [need(shell), *SHELLS[shell]]
    env = shell_env(workdir, out, script, extra)
    return run_shell(argv, PRELUDE.get(shell, "") + driver, env, workdir, tty=shell == "ksh")


def check_round_trip(output: str, out: Path, dest: Path, prompt: str) -> None:
    seen = assert_round_trip(output, out, dest, prompt)
    assert shown_prompt(output, "P1") == f"({prompt}) orig> "
    assert shown_prompt(output, "P2") == f"({prompt}) orig> "
    assert seen["ps1_3"] == "orig> "
    assert seen["gone"] == "yes"
    assert seen["pydoc_gone"] == "yes"
    assert shown_prompt(output, "P3") == "orig> "


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("shell", list(SHELLS))
def test_round_trip(shell: str, case: str, make_env, workdir: Path, out: Path) -> None:
    value = CASES[case]
    env = make_env(f"env {value}", value, ["bash"])
    assert env.warnings == []
    output = run(shell, ROUND_TRIP, env.script("activate"), workdir, out)
    check_round_trip(output, out, env.dest, value)
    assert_no_canary(workdir, env.dest)


# Prompt options that change how PS1 is read; the escaping must follow them.
OPTION_VARIANTS = {
    "bash": ["shopt -u promptvars", "set -o posix"],
    "zsh": ["setopt prompt_subst", "setopt prompt_bang", "setopt prompt_subst prompt_bang"],
}


@pytest.mark.parametrize("case", ["everything", "backslash", "percent", "bang", "cmd-subst"])
@pytest.mark.parametrize(
    ("shell", "option"), [(shell, option) for shell, options in OPTION_VARIANTS.items() for option in options]
)
def test_prompt_options(shell: str, option: str, case: str, make_env, workdir: Path, out: Path) -> None:
    value = CASES[case]
    env = make_env(f"env {value}", value, ["bash"])
    output = run(shell, option + "\n" + ROUND_TRIP, env.script("activate"), workdir, out)
    check_round_trip(output, out, env.dest, value)
    assert_no_canary(workdir, env.dest)


@pytest.mark.parametrize("shell", list(SHELLS))
def test_disable_prompt(shell: str, make_env, workdir: Path, out: Path) -> None:
    env = make_env("plain", "shown", ["bash"])
    output = run(shell, ROUND_TRIP, env.script("activate"), workdir, out, {"VIRTUAL_ENV_DISABLE_PROMPT": "1"})
    assert shown_prompt(output, "P1") == "orig> "
    assert read_outputs(out)["prompt"] == "shown"  # the variable is still set


STATE = r"""
_w() { printf '%s' "$2" > "$ROOST_T_OUT/$1"; }
. "$ROOST_T_SCRIPT"
_w active "$VIRTUAL_ENV"
deactivate
_w venv "${VIRTUAL_ENV-<unset>}"
_w prompt "${VIRTUAL_ENV_PROMPT-<unset>}"
_w pythonhome "${PYTHONHOME-<unset>}"
"""


@pytest.mark.parametrize("shell", list(SHELLS))
def test_restores_inherited_state(shell: str, make_env, workdir: Path, out: Path) -> None:
    """A shell started inside another activation, with PYTHONHOME set but empty."""
    env = make_env("inner", "inner", ["bash"])
    run(shell, STATE, env.script("activate"), workdir, out, INHERITED)
    seen = read_outputs(out)
    assert seen["active"] == str(env.dest)
    assert (seen["venv"], seen["prompt"], seen["pythonhome"]) == ("/outer/env", "outer", "")


@pytest.mark.parametrize("shell", list(SHELLS))
def test_strict_mode(shell: str, make_env, workdir: Path, out: Path) -> None:
    """Users with set -eu in their shell: activating and leaving must not trip either."""
    env = make_env("strict", "strict", ["bash"])
    run(shell, "set -eu\n" + STATE, env.script("activate"), workdir, out)
    seen = read_outputs(out)
    assert (seen["active"], seen["venv"], seen["pythonhome"]) == (str(env.dest), "<unset>", START_PYTHONHOME)


MOVED = r"""
_w() { printf '%s' "$2" > "$ROOST_T_OUT/$1"; }
. "$ROOST_T_SCRIPT"
_w venv "$VIRTUAL_ENV"
_w path "$PATH"
python -c 'import sys; sys.stdout.write(sys.executable)' > "$ROOST_T_OUT/python"
deactivate
cd "$ROOST_T_PARENT"
. ./"$ROOST_T_NAME"/bin/activate
_w venv_relative "$VIRTUAL_ENV"
"""


@pytest.mark.parametrize("case", ["space", "everything", "newline"])
@pytest.mark.parametrize("shell", list(SHELLS))
def test_moved_env(shell: str, case: str, make_env, workdir: Path, out: Path) -> None:
    value = CASES[case]
    env = make_env(f"env {value}", value, ["bash"])
    old = env.dest
    env.move_to(old.parent / f"moved {value}")
    extra = {"ROOST_T_PARENT": str(env.dest.parent), "ROOST_T_NAME": env.dest.name}
    run(shell, MOVED, env.script("activate"), workdir, out, extra)
    seen = read_outputs(out)
    if shell in KNOW_THEMSELVES:
        assert seen["venv"] == str(env.dest)
        assert seen["venv_relative"] == str(env.dest)
        assert seen["python"] == f"{env.dest}/bin/python"
        assert seen["path"] == f"{env.dest}/bin:{START_PATH}"
    else:
        # documented: dash and mksh cannot know a sourced file's path
        assert seen["venv"] == str(old)
        assert seen["python"] != f"{env.dest}/bin/python"
    assert_no_canary(workdir, env.dest)


@pytest.mark.parametrize("shell", list(SHELLS))
def test_pydoc_runs_env_python(shell: str, make_env, workdir: Path, out: Path) -> None:
    env = make_env("docs", "docs", ["bash"])
    driver = '. "$ROOST_T_SCRIPT"\npydoc pydoc > "$ROOST_T_OUT/doc"\n'
    run(shell, driver, env.script("activate"), workdir, out)
    assert "pydoc" in read_outputs(out)["doc"]


def test_running_instead_of_sourcing_says_so(make_env, workdir: Path, out: Path) -> None:
    import subprocess

    env = make_env("run", "run", ["bash"])
    done = subprocess.run([need("bash"), str(env.script("activate"))], capture_output=True, text=True, cwd=workdir, timeout=30)
    assert done.returncode == 33
    assert "source this file" in done.stderr
