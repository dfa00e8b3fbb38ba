"""Seed options: defaults per version, pins, --seed-packages, --seeder pip, and bad input."""

# ruff: noqa: F401, F811  (pytest fixtures imported from seed_helpers, then requested by name)

from __future__ import annotations

from pathlib import Path

import pytest
from seed_helpers import (
    PY37,
    PY311,
    PY312,
    build_wheel,
    create,
    demo_wheels,
    need,
    offline_env,
    roost,
    run,
    shared_app_data,
    site_packages,
)


def _installed(dest: Path) -> dict[str, str]:
    found = {}
    for info in site_packages(dest).glob("*.dist-info"):
        name, version = info.name[: -len(".dist-info")].rsplit("-", 1)
        found[name.lower().replace("_", "-")] = version
    return found


def test_defaults_follow_virtualenv(shared_app_data: Path, tmp_path: Path) -> None:
    create(need(PY312), tmp_path / "e312", shared_app_data)
    assert set(_installed(tmp_path / "e312")) == {"pip"}
    create(need(PY311), tmp_path / "e311", shared_app_data)
    assert set(_installed(tmp_path / "e311")) == {"pip", "setuptools"}


def test_missing_default_wheel_package_is_a_warning(shared_app_data: Path, tmp_path: Path) -> None:
    # No wheel-*.whl exists on this machine: 3.7's default "wheel" is left out, loudly.
    done = create(need(PY37), tmp_path / "e37", shared_app_data)
    installed = _installed(tmp_path / "e37")
    assert "pip" in installed and "setuptools" in installed
    if "wheel" not in installed:
        assert "no wheel wheel" in done.stderr


@pytest.mark.slow
def test_flags_turn_packages_on_and_off(shared_app_data: Path, tmp_path: Path) -> None:
    python311, python312 = need(PY311), need(PY312)
    create(python311, tmp_path / "a", shared_app_data, "--no-setuptools")
    assert set(_installed(tmp_path / "a")) == {"pip"}
    create(python311, tmp_path / "b", shared_app_data, "--setuptools", "none", "--no-pip")
    assert set(_installed(tmp_path / "b")) == set()
    create(python312, tmp_path / "c", shared_app_data, "--setuptools", "bundle")
    assert set(_installed(tmp_path / "c")) == {"pip", "setuptools"}
    create(python312, tmp_path / "d", shared_app_data, "--without-pip")
    assert not (tmp_path / "d" / "bin" / "pip").exists()


@pytest.mark.slow
def test_pinned_version(shared_app_data: Path, tmp_path: Path) -> None:
    create(need(PY311), tmp_path / "e", shared_app_data, "--pip", "23.0.1", "--no-setuptools")
    assert _installed(tmp_path / "e") == {"pip": "23.0.1"}
    version = run([tmp_path / "e" / "bin" / "pip", "--version"], offline_env()).stdout
    assert version.startswith("pip 23.0.1 ")


@pytest.mark.slow
def test_seed_packages_from_extra_search_dir(shared_app_data: Path, tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    build_wheel(wheels, version="1.0", console={"roost-demo": "roost_demo:main"})
    build_wheel(wheels, version="2.0", requires_python=">=3.99")  # newer, but not for this Python
    build_wheel(wheels, version="3.0a1")  # pre-releases only when pinned
    python = need(PY312)
    create(python, tmp_path / "e", shared_app_data, "--extra-search-dir", str(wheels), "--seed-packages", "roost-demo")
    assert _installed(tmp_path / "e") == {"pip": _installed(tmp_path / "e")["pip"], "roost-demo": "1.0"}
    assert run([tmp_path / "e" / "bin" / "roost-demo"], offline_env()).stdout.strip() == "roost_demo 1.0"
    create(
        python,
        tmp_path / "f",
        shared_app_data,
        "--extra-search-dir",
        str(wheels),
        "--seed-packages",
        "roost_demo==3.0a1",
        "--no-pip",
    )
    assert _installed(tmp_path / "f") == {"roost-demo": "3.0a1"}


@pytest.mark.slow
def test_pip_seeder(shared_app_data: Path, tmp_path: Path, demo_wheels: Path) -> None:
    env = offline_env()
    done = create(
        need(PY311),
        tmp_path / "e",
        shared_app_data,
        "--seeder",
        "pip",
        "--extra-search-dir",
        str(demo_wheels),
        "--seed-packages",
        "roost-demo",
        env=env,
    )
    assert "(pip)" in done.stdout
    assert set(_installed(tmp_path / "e")) == {"pip", "setuptools", "roost-demo"}
    info = next(site_packages(tmp_path / "e").glob("pip-*.dist-info"))
    assert (info / "INSTALLER").read_text().strip() == "pip"
    run([tmp_path / "e" / "bin" / "python", "-m", "pip", "uninstall", "-y", "pip"], env)


@pytest.mark.parametrize(
    ("args", "code", "needle"),
    [
        (["--pip", "99.1", "--no-download"], 1, "no pip==99.1 wheel"),
        (["--pip", "not-a-version"], 2, "is not a version"),
        (["--seed-packages", "bad name=="], 2, "is not NAME or NAME==VERSION"),
        (["--seed-packages", "roost-no-such-package"], 1, "no roost-no-such-package wheel"),
        (["--seed-packages", "roost-no-such-package==1.0"], 1, "pip could not download roost-no-such-package==1.0"),
    ],
)
def test_bad_input_is_one_clear_line(args: list[str], code: int, needle: str, shared_app_data: Path, tmp_path: Path) -> None:
    done = roost(["-p", need(PY312), str(tmp_path / "e"), "--app-data", str(shared_app_data), *args], offline_env())
    assert done.returncode == code, done.stdout + done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and needle in lines[0], done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "e" / "pyvenv.cfg").exists()
