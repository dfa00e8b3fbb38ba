"""tox-roost installs ``deps`` through roost: pinned sets from images, pip's resolutions re-used."""

# ruff: noqa: F401, F811  (pytest fixtures imported from helper modules, then requested by name)

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from offline_build import make_project
from pypi_packages import packages
from tools import tool_env

pytestmark = pytest.mark.slow


def _tox(tox_bin: Path, project: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(tox_bin / "tox"), *args], cwd=project, env=env, capture_output=True, text=True, timeout=900)


def _offline(tmp_path: Path, app_data: Path, packages: Path) -> dict[str, str]:
    env = tool_env(tmp_path, app_data)
    env.update(PIP_NO_INDEX="1", PIP_FIND_LINKS=str(packages), PIP_CACHE_DIR=str(tmp_path / "pip-cache"))
    return env


PINNED = """
    [tox]
    env_list = pinned
    [testenv:pinned]
    package = wheel
    deps =
        pytest==8.3.3
        iniconfig==2.0.0
        packaging==24.1
        pluggy==1.5.0
    commands = python -c "import demo, pytest; print('RAN', demo.VALUE, pytest.__version__)"
"""


def test_pinned_deps_come_from_images(tox_bin: Path, packages: Path, tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", PINNED)
    env = _offline(tmp_path, tmp_path / "app-data", packages)
    done = _tox(tox_bin, project, env, "run")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "roost: 4 pinned from images" in done.stdout + done.stderr and "RAN 42 8.3.3" in done.stdout
    # The package's own wheel (built anew each run) came from a private image, which is gone.
    assert "roost: 1 pinned from images" in done.stdout + done.stderr
    assert not list((tmp_path / "app-data" / "images").glob("demo-*"))
    site = next((project / ".tox" / "pinned" / "lib").glob("python*/site-packages"))
    assert (site / "demo-1.0.dist-info" / "RECORD").is_file()
    assert list((site / "_pytest" / "__pycache__").glob("*.pyc"))  # byte-compiled, from the image
    assert (site / "pytest-8.3.3.dist-info" / "INSTALLER").read_text() == "pip\n"
    # --recreate: the same again, offline, from the wheel house and images.
    env["PIP_FIND_LINKS"] = str(tmp_path / "nowhere")
    again = _tox(tox_bin, project, env, "run", "--recreate")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "roost: 4 pinned from images" in again.stdout + again.stderr


RANGED = """
    [tox]
    env_list = ranged
    [testenv:ranged]
    skip_install = true
    deps = pytest>=8
    commands = python -c "import pytest, pluggy; print('RAN', pytest.__version__)"
"""


def test_a_resolution_pip_made_is_reused(tox_bin: Path, packages: Path, tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", RANGED)
    env = _offline(tmp_path, tmp_path / "app-data", packages)
    done = _tox(tox_bin, project, env, "run")
    assert done.returncode == 0 and "RAN 8.3.3" in done.stdout, done.stdout + done.stderr
    assert "0 pinned from images, 1 by pip" in done.stdout + done.stderr
    again = _tox(tox_bin, project, env, "run", "--recreate")
    assert again.returncode == 0 and "RAN 8.3.3" in again.stdout, again.stdout + again.stderr
    assert "from images (a remembered resolution)" in again.stdout + again.stderr
    # Another input (a pip setting that steers resolution) is another key: pip resolves again.
    env["PIP_PRE"] = "1"
    third = _tox(tox_bin, project, env, "run", "--recreate")
    assert third.returncode == 0 and "1 by pip" in third.stdout + third.stderr, third.stdout + third.stderr
