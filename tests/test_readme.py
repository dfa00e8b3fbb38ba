"""The README's install command works on what a clean clone holds.

A stray file committed at the repository's top (a ``.venv`` redirect file once was) makes
``roost .venv`` fail there, and only a fresh clone shows it: this test copies the files git
tracks, as a clone has them, and runs the command exactly as the README gives it.  Its
``python3`` is a venv's, so ``pip install .`` lands there and not in the machine's Python.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow  # builds and installs roost from source


def _install_command() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Install and run", 1)[1]
    found = re.search(r"```sh\n(.+?)\n```", section, re.S)
    assert found, "the README's 'Install and run' section has no sh block"
    return found.group(1).strip()


def _tracked_copy(into: Path) -> Path:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: the files a clone holds are unknown")
    names = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout.split(b"\0")
    for name in filter(None, names):
        source = ROOT / os.fsdecode(name)
        if source.is_file():  # a file deleted in the working tree but not yet in the index
            target = into / os.fsdecode(name)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return into


def test_the_readme_install_command_works_in_a_clean_clone(tmp_path: Path) -> None:
    command = _install_command()
    assert command.startswith("python3 -m pip install . && roost .venv"), command
    clone = _tracked_copy(tmp_path / "clone")
    tools = tmp_path / "tools"
    venv.EnvBuilder(with_pip=True).create(tools)
    if not (tools / "bin" / "python3").exists():
        (tools / "bin" / "python3").symlink_to("python")
    env = {key: value for key, value in os.environ.items() if not key.startswith(("ROOST_", "VIRTUALENV_", "PYTHON"))}
    env.pop("VIRTUAL_ENV", None)
    env.update(
        PATH=f"{tools / 'bin'}{os.pathsep}{env.get('PATH', '')}",
        ROOST_OVERRIDE_APP_DATA=str(tmp_path / "app-data"),
        PIP_DISABLE_PIP_VERSION_CHECK="1",
    )
    done = subprocess.run(["sh", "-c", command], cwd=clone, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip().splitlines()[-1].startswith("pip "), done.stdout
    assert (clone / ".venv" / "pyvenv.cfg").is_file()
