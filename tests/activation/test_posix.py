"""``activate`` sourced in the real sh-family shells, with hostile paths and prompts.

Each shell runs interactively so that it really draws its prompt (a prompt is
expanded every time it is drawn: that is where an unquoted value would run).
ksh93 only draws prompts on a terminal, so it gets a pseudo-terminal.
"""

from __future__ import annotations

import os
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
# Runs real shells or makes many environments: `pytest -m "not slow"` leaves it out.
pytestmark = pytest.mark.slow

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


def drawn(shell: str, prompt: str, option: str = "") -> str:
    """How *shell* draws prompt text *prompt*: as it is, but for what keeps it from ever
    being read as code, whatever prompt options are turned on later."""
    if shell == "zsh":
        # a psvar entry (%9v) is data under every option; zsh shows a line break in it as \n
        return prompt.replace("\n", "\\n")
    if shell == "bash" and option == "shopt -u promptvars" and ("$" in prompt or "`" in prompt):
        # pasted, escaped for promptvars too: "$" is bash's \$ code (# for root), and a
        # backslash stays before ` and \
        dollar = "#" if os.geteuid() == 0 else "$"
        return prompt.replace("\\", "\\\\").replace("`", "\\`").replace("$", dollar)
    return prompt


def check_round_trip(output: str, out: Path, dest: Path, prompt: str, shell: str, option: str = "") -> None:
    seen = assert_round_trip(output, out, dest, prompt)
    assert shown_prompt(output, "P1") == f"({drawn(shell, prompt, option)}) orig> "
    assert shown_prompt(output, "P2") == f"({drawn(shell, prompt, option)}) orig> "
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
    check_round_trip(output, out, env.dest, value, shell)
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
    check_round_trip(output, out, env.dest, value, shell, option)
    assert_no_canary(workdir, env.dest)


# Options turned on after activation (a theme, a plugin, the user): the prompt text
# already in PS1 must still be data.
LATER = {"bash": ("shopt -u promptvars", "shopt -s promptvars"), "zsh": ("", "setopt prompt_subst prompt_bang")}


@pytest.mark.parametrize("case", ["everything", "cmd-subst", "backticks", "dollar-brace"])
@pytest.mark.parametrize("shell", list(LATER))
def test_prompt_options_turned_on_after_activation(shell: str, case: str, make_env, workdir: Path, out: Path) -> None:
    value = CASES[case]
    env = make_env(f"env {value}", value, ["bash"])
    before, after = LATER[shell]
    driver = f"""{before}
PS1='orig> '
. "$ROOST_T_SCRIPT"
{after}
printf '\\n@@<P1>' >&2
printf '<P1>@@\\n' >&2
deactivate
printf '\\n@@<P2>' >&2
printf '<P2>@@\\n' >&2
exit
"""
    output = run(shell, PRELUDE.get(shell, "") + driver, env.script("activate"), workdir, out)
    assert_no_canary(workdir, env.dest)
    assert shown_prompt(output, "P2") == "orig> "
    if shell == "zsh":
        assert shown_prompt(output, "P1") == f"({drawn(shell, value)}) orig> "


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
    output = run(shell, MOVED, env.script("activate"), workdir, out, extra)
    seen = read_outputs(out)
    if shell in KNOW_THEMSELVES:
        assert seen["venv"] == str(env.dest)
        assert seen["venv_relative"] == str(env.dest)
        assert seen["python"] == f"{env.dest}/bin/python"
        assert seen["path"] == f"{env.dest}/bin:{START_PATH}"
    else:
        # documented: dash and mksh cannot know a sourced file's path; the written one is
        # gone, so they say so and activate nothing
        assert seen["venv"] == ""
        assert seen["path"] == START_PATH
        assert f"roost: {old} was moved or removed" in output
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


WHERE = r"""
_w() { printf '%s' "$2" > "$ROOST_T_OUT/$1"; }
@HOW@
_w venv "${VIRTUAL_ENV-<unset>}"
"""
# Ways to source the script that say nothing true about where the environment is: the
# path written at creation must win (the environment was not moved).
ELSEWHERE = {
    "symlink": '. "$ROOST_T_LINK"',
    "stdin": '. /dev/stdin < "$ROOST_T_SCRIPT"',
    "eval": 'eval "$(cat "$ROOST_T_SCRIPT")"',
}


@pytest.mark.parametrize("how", list(ELSEWHERE))
@pytest.mark.parametrize("shell", ["bash", "zsh", "ksh"])
def test_script_read_from_elsewhere_uses_the_written_path(shell: str, how: str, make_env, workdir: Path, out: Path) -> None:
    """`ln -s .venv/bin/activate .`, a pipe or eval: the script's apparent folder is not in an
    environment, so the written path is used (a moved environment is still found: test_moved_env)."""
    env = make_env("env", "env", ["bash"])
    link = workdir / "activate"
    link.symlink_to(env.script("activate"))
    run(shell, WHERE.replace("@HOW@", ELSEWHERE[how]), env.script("activate"), workdir, out, {"ROOST_T_LINK": str(link)})
    assert read_outputs(out)["venv"] == str(env.dest)


def test_zsh_posix_argzero_still_finds_the_environment(make_env, workdir: Path, out: Path) -> None:
    env = make_env("env", "env", ["bash"])
    run("zsh", WHERE.replace("@HOW@", 'setopt posix_argzero\n. "$ROOST_T_SCRIPT"'), env.script("activate"), workdir, out)
    assert read_outputs(out)["venv"] == str(env.dest)


@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_a_pydoc_alias_does_not_break_activation(shell: str, make_env, workdir: Path, out: Path) -> None:
    env = make_env("env", "env", ["bash"])
    driver = "alias pydoc='python3 -m pydoc'\n" + STATE
    run(shell, driver, env.script("activate"), workdir, out)
    assert read_outputs(out)["active"] == str(env.dest)


STACKED = r"""
_w() { printf '%s' "$2" > "$ROOST_T_OUT/$1"; }
PS1='orig> '
. "$ROOST_T_FIRST"
. "$ROOST_T_SECOND"
_w active "$VIRTUAL_ENV"
deactivate
_w path "$PATH"
_w ps1 "${PS1-<unset>}"
_w pythonhome "${PYTHONHOME-<unset>}"
_w venv "${VIRTUAL_ENV-<unset>}"
"""


@pytest.mark.parametrize("roost_first", [True, False], ids=["roost-then-venv", "venv-then-roost"])
@pytest.mark.parametrize("shell", ["bash", "zsh", "ksh", "dash"])
def test_stacked_with_a_stdlib_venv(shell: str, roost_first: bool, make_env, workdir: Path, out: Path, tmp_path: Path) -> None:
    """venv and virtualenv keep what deactivate restores in _OLD_VIRTUAL_*; roost does too, so
    whichever is activated second undoes the first, and one deactivate restores the shell."""
    import subprocess
    import sys

    env = make_env("env", "env", ["bash"])
    stdlib = tmp_path / "stdlib-venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(stdlib)], check=True)
    scripts = [str(env.script("activate")), str(stdlib / "bin" / "activate")]
    first, second = scripts if roost_first else scripts[::-1]
    run(shell, STACKED, env.script("activate"), workdir, out, {"ROOST_T_FIRST": first, "ROOST_T_SECOND": second})
    seen = read_outputs(out)
    assert seen["active"] == str(stdlib if roost_first else env.dest)
    assert (seen["path"], seen["ps1"], seen["pythonhome"], seen["venv"]) == (START_PATH, "orig> ", START_PYTHONHOME, "<unset>")
