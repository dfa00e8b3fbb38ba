"""Helpers of the integration tests: environments holding a real tool from the package index."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def tool_environment(where: Path, *requirements: str) -> Path:
    """A roost environment at *where* with *requirements* pip-installed (from the index),
    this checkout of roost installed editable; returns its bin folder."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("ROOST_", "VIRTUALENV_", "PYTHON"))}
    made = subprocess.run(
        [sys.executable, "-m", "roost", "-q", str(where)],
        env={**env, "PYTHONPATH": str(ROOT / "src")},
        capture_output=True,
        text=True,
    )
    assert made.returncode == 0, made.stderr
    install = [str(where / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check", "-e", str(ROOT)]
    done = subprocess.run([*install, *requirements], env=env, capture_output=True, text=True, timeout=900)
    if done.returncode:
        pytest.fail(f"pip install {' '.join(requirements)} failed: {done.stderr[-2000:]}")
    return where / "bin"


def tool_env(tmp_path: Path, app_data: Path) -> dict[str, str]:
    """os.environ for running a tool: no ROOST_/VIRTUALENV_ settings of the user's, private caches."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("ROOST_", "VIRTUALENV_", "PYTHON", "TOX"))}
    env.update(
        ROOST_CONFIG_FILE=os.devnull,
        ROOST_OVERRIDE_APP_DATA=str(app_data),
        VIRTUALENV_CONFIG_FILE=os.devnull,
        VIRTUALENV_OVERRIDE_APP_DATA=str(tmp_path / "virtualenv-data"),
        PIP_DISABLE_PIP_VERSION_CHECK="1",
    )
    return env
