"""Shared fixtures for discovery tests: the machine's real interpreters and fake install trees."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from roost.appdata import AppData

PYENV = Path("/root/.pyenv")
PYENV_VERSIONS = {
    "2.7": "2.7.18",
    "3.6": "3.6.15",
    "3.7": "3.7.16",
    "3.8": "3.8.18",
    "3.9": "3.9.18",
    "3.10": "3.10.13",
    "3.11": "3.11.7",
    "3.12": "3.12.1",
    "3.13": "3.13.0",
}
DEBIAN_PYTHON = "/usr/bin/python3"
DEBIAN_PYPY = "/usr/bin/pypy3"


def need(path: str | Path) -> str:
    """*path* if that interpreter exists; else skip (or fail when CI=true: it must be there)."""
    if not os.path.exists(path):
        message = f"expected interpreter {path} is missing"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return str(path)


def pyenv_python(minor: str) -> str:
    """The real pyenv interpreter for ``3.12`` etc."""
    return need(PYENV / "versions" / PYENV_VERSIONS[minor] / "bin" / "python")


def write_script(path: Path, text: str) -> Path:
    """An executable file with *text* (a shebang script)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


def trap_shim(path: Path) -> Path:
    """A shim that fails loudly if anyone runs it: discovery must read data files instead."""
    return write_script(path, '#!/bin/sh\necho "shim $0 was executed" >&2\nexit 97\n')


def base_env(**extra: str) -> dict[str, str]:
    """A minimal environment, so the developer's own PATH/pyenv settings don't leak in."""
    env = {"HOME": os.environ.get("HOME", "/root"), "PATH": "/usr/bin:/bin", "PYENV_ROOT": "/nonexistent-pyenv"}
    env.update(extra)
    return env


@pytest.fixture(scope="session")
def shared_app_data(tmp_path_factory: pytest.TempPathFactory) -> AppData:
    """One app-data folder per test worker: probes of real interpreters are paid once."""
    return AppData(tmp_path_factory.mktemp("shared-app-data"))


@pytest.fixture
def app_data(tmp_path: Path) -> AppData:
    """A fresh, empty app-data folder."""
    return AppData(tmp_path / "app-data")


@pytest.fixture
def isolated(tmp_path: Path) -> Path:
    """An empty working folder with no .python-version above it that we control (tmp is clean)."""
    folder = tmp_path / "work"
    folder.mkdir()
    return folder


@pytest.fixture
def fake_home(tmp_path: Path) -> Path:
    """A HOME with nothing installed in it."""
    home = tmp_path / "home"
    home.mkdir()
    return home


RUNNING = sys.executable  # the interpreter running the tests (and roost, in-process)
