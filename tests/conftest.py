"""Shared fixtures: each expected interpreter, a session app-data folder, roost's environment."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from support import EXPECTED_INTERPRETERS, Mounter, plant_user_files, require_executable


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


@pytest.fixture
def bind_mount(tmp_path: Path) -> Iterator[Mounter]:
    """Bind-mounts a folder of the user's (outside every env) at the path given; returns its files."""
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("bind mounts need root")
    source = tmp_path / "outside"
    files = plant_user_files(source)
    probe = tmp_path / "probe"
    probe.mkdir()
    done = subprocess.run(["mount", "--bind", str(source), str(probe)], capture_output=True, text=True)
    if done.returncode:
        pytest.skip(f"this machine refuses bind mounts: {done.stderr.strip()}")

    def mount_at(point: Path) -> dict[Path, bytes]:
        point.mkdir(parents=True, exist_ok=True)
        subprocess.run(["mount", "--bind", str(source), str(point)], check=True)
        return files

    try:
        yield mount_at
    finally:
        # Every mount the test made under tmp_path, wherever a rename moved it.
        from roost.appdata import mount_points

        for mounted in sorted(mount_points(), reverse=True):
            if mounted.startswith(str(tmp_path.resolve()) + os.sep):
                subprocess.run(["umount", mounted], check=False)
