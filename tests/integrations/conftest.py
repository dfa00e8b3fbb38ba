"""Fixtures for the integration tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from tools import ROOT, tool_environment


@pytest.fixture(scope="session")
def tox_bin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """bin folder of an environment with tox from the index and this checkout's tox-roost."""
    return tool_environment(tmp_path_factory.mktemp("tox-tool") / "env", "tox", "-e", str(ROOT / "tox-roost"))
