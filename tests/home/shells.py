"""Running scripts in real shells with a home's init loaded (helpers for the shell tests)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from roost.home.shellinit import render_init

from .conftest import HomeRunner

IN_CI = __import__("os").environ.get("CI", "").lower() == "true"

# shell-init name -> the program that runs it
EXTENSIONS = {"bash": "sh", "zsh": "zsh", "ksh": "ksh", "fish": "fish", "nushell": "nu", "xonsh": "xsh", "tcsh": "csh"}
PROGRAMS = {"bash": "bash", "zsh": "zsh", "ksh": "ksh", "fish": "fish", "nushell": "nu", "xonsh": "xonsh", "tcsh": "tcsh"}


def need_shell(shell: str) -> str:
    """The path of *shell*'s program; skip without it (fail on CI)."""
    found = shutil.which(PROGRAMS[shell])
    if found is None:
        if IN_CI:
            pytest.fail(f"{PROGRAMS[shell]} is not installed (CI=true: every shell must be present)")
        pytest.skip(f"{PROGRAMS[shell]} is not installed")
    return found


def write_init(home: HomeRunner, shell: str, command: list[str] | None = None) -> Path:
    """The init script for *shell*, cached in a file as the README suggests."""
    path = home.root / f"init.{EXTENSIONS[shell]}"
    path.write_text(render_init(shell, command))
    return path


def run_script(
    home: HomeRunner, shell: str, body: str, command: list[str] | None = None, **extra: str
) -> subprocess.CompletedProcess[str]:
    """Run *body* in *shell* after loading the init; output captured."""
    program = need_shell(shell)
    init = write_init(home, shell, command)
    loader = {"nushell": f"source {init}", "xonsh": f"source {init}", "tcsh": f"source {init}"}.get(shell, f". {init}")
    script = home.root / f"script.{EXTENSIONS[shell]}"
    script.write_text(loader + "\n" + body + "\n")
    argv = {
        "nushell": [program, "--no-config-file", str(script)],
        "xonsh": [program, "--no-rc", str(script)],
        "tcsh": [program, "-f", str(script)],
        "fish": [program, "--no-config", str(script)],
    }.get(shell, [program, str(script)])
    env = {**home.env, "SHELL": program, **extra}
    return subprocess.run(argv, env=env, capture_output=True, text=True, timeout=300, cwd=home.root)


def hook(path: Path, text: str, run: bool = False) -> None:
    """Write a hook file; *run* hooks get a shebang and the executable bit."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(("#!/bin/sh\n" if run else "") + text + "\n")
    if run:
        path.chmod(0o755)
