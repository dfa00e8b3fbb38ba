"""Running scripts in real shells with a home's init loaded (helpers for the shell tests)."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
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
    home: HomeRunner, shell: str, body: str, command: list[str] | None = None, cwd: Path | None = None, **extra: str
) -> subprocess.CompletedProcess[str]:
    """Run *body* in *shell* after loading the init (in *cwd*, default the test's folder); output captured."""
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
    return subprocess.run(argv, env=env, capture_output=True, text=True, timeout=300, cwd=cwd or home.root)


def hook(path: Path, text: str, run: bool = False) -> None:
    """Write a hook file; *run* hooks get a shebang and the executable bit."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(("#!/bin/sh\n" if run else "") + text + "\n")
    if run:
        path.chmod(0o755)


def write_logging_hooks(
    home: HomeRunner, suffix: str, append: Callable[[str], str], var: Callable[[str], str]
) -> tuple[Path, Path, list[str], list[str]]:
    """Environment ``web`` with project ``code``, and hooks that log their names to ``log``:
    the run hooks as programs, every sourced hook as its *suffix* variant (``append(text)``
    is the shell's line that appends *text* to the log, ``var(NAME)`` the shell's reference
    to a variable).  Returns the environment, the project, and the lines expected for one
    workon and for one deactivate, in virtualenvwrapper's order."""
    env = home.new("web")
    project = home.root / "code"
    project.mkdir()
    home("project", "set", "web", str(project))
    log = home.root / "log"
    hooks = home.workon_home
    hook(hooks / "preactivate", f'echo "global preactivate $1 $PWD" >> "{log}"', run=True)
    hook(env / "bin" / "preactivate", f'echo "local preactivate $1" >> "{log}"', run=True)
    hook(hooks / "postactivate", "echo 'sh code that only sh-family shells may source'; exit 3")
    sourced = [
        (project / ".virtualenvwrapper" / "postactivate", f"project postactivate {var('PWD')}"),
        (hooks / "postactivate", f"global postactivate {var('VIRTUAL_ENV')}"),
        (env / "bin" / "postactivate", "local postactivate"),
        (project / ".virtualenvwrapper" / "predeactivate", "project predeactivate"),
        (env / "bin" / "predeactivate", "local predeactivate"),
        (hooks / "predeactivate", "global predeactivate"),
        (hooks / "postdeactivate", f"global postdeactivate {var('VIRTUALENVWRAPPER_LAST_VIRTUAL_ENV')}"),
    ]
    for path, text in sourced:
        hook(path.with_name(path.name + suffix), append(text))
    on_activate = [
        f"global preactivate {env.name} {home.workon_home}",
        f"local preactivate {env.name}",
        f"project postactivate {project}",
        f"global postactivate {env}",
        "local postactivate",
    ]
    on_deactivate = ["project predeactivate", "local predeactivate", "global predeactivate", f"global postdeactivate {env}"]
    return env, project, on_activate, on_deactivate


def assert_commands_worked(output: str, home: HomeRunner, extra: Path) -> None:
    """What the command tests' scripts print when add2virtualenv, lssitepackages, cdsitepackages,
    cdvirtualenv, toggleglobalsitepackages, wipeenv and mktmpenv + deactivate worked."""
    assert "_virtualenv_path_extensions.pth:" in output and str(extra) in output
    assert "\nin " in output and "/site-packages" in output.split("\nin ", 1)[1].split()[0]
    assert f"env {home.workon_home / 'web'}" in output
    assert "Enabled global site-packages" in output and "Nothing to remove." in output
    assert "tmp-gone" in output
