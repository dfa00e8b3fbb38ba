"""Helpers shared by the test modules: the expected interpreters and ways to run roost.

Under ``CI=true`` an expected interpreter that is missing fails the test instead of
skipping it: CI must prove every interpreter works, not quietly test fewer.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

PYENV_ROOT = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))


def _pyenv(version: str) -> str:
    return str(PYENV_ROOT / "versions" / version / "bin" / "python")


# name -> executable; the list the issues ask us to cover.
EXPECTED_INTERPRETERS = {
    "cpython3.7": _pyenv("3.7.16"),
    "cpython3.8": _pyenv("3.8.18"),
    "cpython3.9": _pyenv("3.9.18"),
    "cpython3.10": _pyenv("3.10.13"),
    "cpython3.11": _pyenv("3.11.7"),
    "cpython3.12": _pyenv("3.12.1"),
    "cpython3.13": _pyenv("3.13.0"),
    "debian-python3": "/usr/bin/python3",
    "pypy3.9": "/usr/bin/pypy3",
}
OLD_INTERPRETERS = {"cpython2.7": _pyenv("2.7.18"), "cpython3.6": _pyenv("3.6.15")}
IN_CI = os.environ.get("CI", "").lower() == "true"


def require_executable(path: str, what: str) -> str:
    """*path*, or skip (fail under CI) when it is not on this machine."""
    if os.path.isfile(path) and os.access(path, os.X_OK):
        return path
    message = f"{what} not found at {path}"
    if IN_CI:
        pytest.fail(f"{message} (CI=true: every expected interpreter must be present)")
    pytest.skip(message)


def run_roost(
    args: list[str], env: dict[str, str], cwd: Path | str | None = None, **kwargs: object
) -> subprocess.CompletedProcess[str]:
    """``python -m roost ARGS`` with the test interpreter; output captured as text."""
    return subprocess.run(
        [sys.executable, "-m", "roost", *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=300, **kwargs
    )


def env_facts(python: Path | str) -> dict[str, object]:
    """Start *python* and report prefix, base prefix, sys.path and stderr."""
    code = (
        "import json, sys, site; print(json.dumps({'prefix': sys.prefix, 'base_prefix': sys.base_prefix,"
        " 'path': sys.path, 'executable': sys.executable, 'version': list(sys.version_info[:2])}))"
    )
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTHON")}
    done = subprocess.run([str(python), "-c", code], capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    facts = json.loads(done.stdout)
    facts["stderr"] = done.stderr
    return facts


#: The ``bind_mount`` fixture (conftest): bind-mounts a folder of the user's at a path, returns its files.
Mounter = Callable[[Path], dict[Path, bytes]]


def plant_user_files(folder: Path) -> dict[Path, bytes]:
    """Create a user's files in *folder* (one nested) and return their contents."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {folder / "notes.txt": b"precious\n", folder / "src" / "app.py": b"print('hi')\n"}
    for path, data in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return files


def assert_intact(files: dict[Path, bytes]) -> None:
    """Every one of *files* still holds what it held."""
    for path, data in files.items():
        assert path.read_bytes() == data, f"user file changed or lost: {path}"
