"""Every interpreter on the machine gets a working pip, offline, from app-data images."""

# ruff: noqa: F401, F811  (pytest fixtures imported from seed_helpers, then requested by name)

from __future__ import annotations

import json
from pathlib import Path

import pytest
from seed_helpers import (
    assert_runs_without_writing,
    create,
    demo_wheels,
    image_dirs,
    images_kept,
    offline_env,
    run,
    shared_app_data,
    site_packages,
)

# Runs real shells or makes many environments: `pytest -m "not slow"` leaves it out.
pytestmark = pytest.mark.slow


def test_seed_offline_then_use_and_uninstall_pip(
    target_python: str, shared_app_data: Path, demo_wheels: Path, tmp_path: Path
) -> None:
    env = offline_env()
    dest = tmp_path / "env"
    done = create(target_python, dest, shared_app_data, env=env)
    assert "pip" in done.stdout, done.stdout
    python = dest / "bin" / "python"
    site = site_packages(dest)

    # The image's bytecode is valid in the env: running pip writes no new .pyc.
    assert_runs_without_writing(site, env, [python, "-m", "pip", "--version"], [python, "-m", "pip", "list"])

    info = next(site.glob("pip-*.dist-info"))
    assert (info / "INSTALLER").read_text() == "pip\n"
    record = (info / "RECORD").read_text().splitlines()
    assert f"{info.name}/RECORD,," in record
    assert any(line.startswith("../../../bin/pip,sha256=") for line in record)
    assert any("__pycache__" in line and ".pyc,sha256=" in line for line in record)

    # pip works offline in the env: install a local wheel (and its console script), import it.
    wheel = next(demo_wheels.glob("*.whl"))
    run([dest / "bin" / "pip", "install", wheel], env)
    shown = run([python, "-c", "import roost_demo; print(roost_demo.VERSION)"], env)
    assert shown.stdout.strip() == "1.0"
    assert run([dest / "bin" / "roost-demo"], env).stdout.strip() == "roost_demo 1.0"

    with images_kept(*image_dirs(shared_app_data)):
        listed = json.loads(run([python, "-m", "pip", "list", "--format", "json"], env).stdout)
        assert {"pip", "roost-demo"} <= {entry["name"].lower() for entry in listed}

        run([python, "-m", "pip", "uninstall", "-y", "pip"], env)
        assert not list(site.glob("pip*"))
        assert not (dest / "bin" / "pip").exists()

    # A new env from the same images still works.
    again = tmp_path / "again"
    create(target_python, again, shared_app_data, env=env)
    run([again / "bin" / "python", "-m", "pip", "--version"], env)


def _setuptools_versions(folder: Path) -> list[tuple[int, ...]]:
    return [tuple(int(part) for part in wheel.name.split("-")[1].split(".")) for wheel in folder.glob("setuptools-*.whl")]


def test_a_distributions_patched_wheels_seed_only_its_own_python(tmp_path: Path) -> None:
    """Debian's /usr/share/python-wheels holds setuptools patched for Debian's distutils: it
    seeds Debian's python3, never a pyenv Python (whose sdist builds it breaks), even once
    discovery has seen Debian's python3 and learnt its wheel folder."""
    from support import EXPECTED_INTERPRETERS, PYENV_ROOT, require_executable

    debian_folder = Path("/usr/share/python-wheels")
    debian = _setuptools_versions(debian_folder)
    pristine = [
        v for folder in PYENV_ROOT.glob("versions/3.*/lib/python3*/ensurepip/_bundled") for v in _setuptools_versions(folder)
    ]
    if not debian or not pristine or max(debian) <= max(pristine):
        pytest.skip("no Debian setuptools wheel newer than CPython's bundled ones to tell apart")
    debian_python = require_executable(EXPECTED_INTERPRETERS["debian-python3"], "Debian's python3")
    pyenv_python = require_executable(EXPECTED_INTERPRETERS["cpython3.11"], "CPython 3.11")
    app_data = tmp_path / "app-data"
    env = offline_env(ROOST_NO_PERIODIC_UPDATE="1")

    def seeded_setuptools(python: str, name: str) -> str:
        create(python, tmp_path / name, app_data, "--setuptools", "bundle", env=env)
        (info,) = site_packages(tmp_path / name).glob("setuptools-*.dist-info")
        return info.name[: -len(".dist-info")].split("-")[1]

    as_text = ".".join(map(str, max(debian)))
    assert seeded_setuptools(debian_python, "debian") == as_text
    assert seeded_setuptools(pyenv_python, "pyenv") == ".".join(map(str, max(pristine)))
