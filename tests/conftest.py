"""Shared fixtures: each expected interpreter, a session app-data folder, roost's environment."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from support import EXPECTED_INTERPRETERS, require_executable


@pytest.fixture(params=sorted(EXPECTED_INTERPRETERS), scope="session")
def target_python(request: pytest.FixtureRequest) -> str:
    """Each expected interpreter in turn (the path)."""
    return require_executable(EXPECTED_INTERPRETERS[request.param], request.param)


@pytest.fixture(scope="session")
def app_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One app-data folder for the whole run, so caches are built once."""
    return tmp_path_factory.mktemp("app-data")


@pytest.fixture
def roost_env(app_data_dir: Path) -> dict[str, str]:
    """os.environ for running roost in a subprocess: private app data, no periodic update,
    no user config file, and pip kept off the network."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("ROOST_", "VIRTUALENV_", "PIP_"))}
    env.update(
        ROOST_OVERRIDE_APP_DATA=str(app_data_dir),
        ROOST_CONFIG_FILE=os.devnull,
        ROOST_NO_PERIODIC_UPDATE="1",
        PIP_NO_INDEX="1",
        PIP_DISABLE_PIP_VERSION_CHECK="1",
    )
    return env


@pytest.fixture(autouse=True)
def _console_logging_after_each_test() -> Iterator[None]:
    """An API call with setup_logging=False routes this thread's messages to logging until
    the next call says otherwise; tests that read roost's console output must not inherit that."""
    yield
    from roost import _log

    _log.set_thread_level(None, None)
