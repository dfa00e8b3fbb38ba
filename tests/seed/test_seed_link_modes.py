"""Each --link-mode puts working files into the env and keeps the cache safe."""

# ruff: noqa: F401, F811  (pytest fixtures imported from seed_helpers, then requested by name)

from __future__ import annotations

import os
from pathlib import Path

import pytest
from seed_helpers import (
    PY312,
    assert_runs_without_writing,
    build_wheel,
    create,
    image_dirs,
    images_kept,
    need,
    offline_env,
    run,
    shared_app_data,
    site_packages,
)

# Runs real shells or makes many environments: `pytest -m "not slow"` leaves it out.
pytestmark = pytest.mark.slow


def _pip_file(dest: Path) -> Path:
    return site_packages(dest) / "pip" / "__init__.py"


def _image_file(app_data: Path, dest: Path) -> Path:
    version = next(site_packages(dest).glob("pip-*.dist-info")).name[len("pip-") : -len(".dist-info")]
    image = next(path for path in image_dirs(app_data, f"pip-{version}-") if "cpython-312" in path.name)
    return image / "site" / "pip" / "__init__.py"


@pytest.mark.parametrize("mode", ["auto", "hardlink", "copy", "clone", "symlink"])
def test_link_mode(mode: str, shared_app_data: Path, tmp_path: Path) -> None:
    python = need(PY312)
    env = offline_env()
    dest = tmp_path / "env"
    done = create(python, dest, shared_app_data, "--link-mode", mode, env=env)
    installed, cached = _pip_file(dest), _image_file(shared_app_data, dest)
    same_inode = os.stat(installed).st_ino == os.stat(cached).st_ino
    if mode == "symlink":
        assert (site_packages(dest) / "pip").is_symlink()
        assert not (site_packages(dest) / f"{next(site_packages(dest).glob('pip-*.dist-info')).name}").is_symlink()
    elif mode == "copy":
        assert not same_inode and not installed.is_symlink()
        assert "copy" in done.stdout
    elif mode == "hardlink":
        assert same_inode and "hardlink" in done.stdout
    elif mode == "clone":
        assert not same_inode  # a clone is its own file (copied where the filesystem cannot clone)
        assert "clone" in done.stdout or "cannot clone" in done.stderr
    # Copies keep the modification time, so the image's .pyc files stay valid.
    assert os.stat(installed).st_mtime_ns == os.stat(cached).st_mtime_ns
    site = site_packages(dest)
    assert_runs_without_writing(site, env, [dest / "bin" / "python", "-m", "pip", "--version"])

    # Uninstalling pip never touches the cache, whatever the mode.
    with images_kept(cached.parents[2]):
        run([dest / "bin" / "python", "-m", "pip", "uninstall", "-y", "pip"], env)
        assert not (site / "pip").exists() and not (site / "pip").is_symlink()


def test_symlink_app_data_flag(shared_app_data: Path, tmp_path: Path) -> None:
    python = need(PY312)
    done = create(python, tmp_path / "env", shared_app_data, "--symlink-app-data")
    assert (site_packages(tmp_path / "env") / "pip").is_symlink()
    assert "symlink" in done.stdout


def test_upgrade_pip_in_env_leaves_image_alone(shared_app_data: Path, tmp_path: Path) -> None:
    """``pip install -U pip`` (from a local wheel) replaces the env's pip, not the image."""
    python = need(PY312)
    env = offline_env()
    bundled = Path(PY312).parents[1] / "lib" / "python3.12" / "ensurepip" / "_bundled"
    wheels = sorted(bundled.glob("pip-*.whl"))
    old = next((path for path in Path(PY312).parents[2].glob("*/lib/python3*/ensurepip/_bundled/pip-23.2.1-*.whl")), None)
    if not wheels or old is None:
        pytest.skip("needs pip 23.2.1 and a newer bundled pip wheel")
    dest = tmp_path / "env"
    create(python, dest, shared_app_data, "--pip", "23.2.1", env=env)
    image = next(path for path in image_dirs(shared_app_data, "pip-23.2.1") if "cpython-312" in path.name)
    with images_kept(image):
        run([dest / "bin" / "python", "-m", "pip", "install", "-U", wheels[-1]], env)
        version = run([dest / "bin" / "python", "-m", "pip", "--version"], env).stdout
        assert version.startswith("pip " + wheels[-1].name.split("-")[1])


def test_reseeding_a_symlinked_env_with_links_leaves_the_image_alone(tmp_path: Path) -> None:
    """A --symlink-app-data env seeded again by hard links: its package links to the image are
    replaced by real folders, never written through (which deleted the image's files)."""
    python = need(PY312)
    app_data, dest = tmp_path / "app-data", tmp_path / "env"  # its own: a failure must not spoil the shared one
    create(python, dest, app_data, "--symlink-app-data")
    assert (site_packages(dest) / "pip").is_symlink()
    with images_kept(*image_dirs(app_data)):
        create(python, dest, app_data, "--link-mode", "hardlink")
    assert not (site_packages(dest) / "pip").is_symlink() and _pip_file(dest).is_file()
    run([dest / "bin" / "python", "-m", "pip", "--version"], offline_env())


@pytest.mark.parametrize("mode", ["symlink", "hardlink", "copy"])
def test_license_folder_in_dist_info(mode: str, shared_app_data: Path, tmp_path: Path) -> None:
    """A wheel with PEP 639 license files in .dist-info/licenses/ (pip 25.1 and newer ship
    one): every mode installs them, and pip uninstalls them without touching the image."""
    python = need(PY312)
    env = offline_env()
    license_text = "Permission is hereby granted.\n"
    wheels = tmp_path / "wheels"
    info = "roost_licensed-1.0.dist-info"
    build_wheel(
        wheels,
        name="roost_licensed",
        extra_files={f"{info}/licenses/LICENSE.txt": license_text, f"{info}/licenses/vendor/NOTICE": "notice\n"},
    )
    dest = tmp_path / "env"
    create(
        python, dest, shared_app_data, "--link-mode", mode,
        "--extra-search-dir", str(wheels), "--seed-packages", "roost-licensed", env=env,
    )  # fmt: skip
    site = site_packages(dest)
    assert (site / info / "licenses" / "LICENSE.txt").read_text() == license_text
    assert (site / info / "licenses" / "vendor" / "NOTICE").is_file()
    image = next(path for path in image_dirs(shared_app_data) if "licensed-1.0-" in path.name and "cpython-312" in path.name)
    with images_kept(image):
        listed = run([dest / "bin" / "python", "-m", "pip", "show", "-f", "roost-licensed"], env)
        assert "licenses/LICENSE.txt" in listed.stdout
        run([dest / "bin" / "python", "-m", "pip", "uninstall", "-y", "roost-licensed"], env)
    assert not (site / info).exists() and not (site / "roost_licensed").exists()


def _namespace_wheels(folder: Path) -> None:
    """nsdemo-alpha, -beta and -gamma: each a package in the shared namespace folder nsdemo/."""
    for part in ("alpha", "beta", "gamma"):
        build_wheel(
            folder,
            name=f"nsdemo_{part}",
            extra_files={f"nsdemo/{part}/__init__.py": f"NAME = {part!r}\n"},
        )


def test_symlink_mode_keeps_namespace_folders_real(shared_app_data: Path, tmp_path: Path) -> None:
    """--symlink-app-data with packages sharing a namespace folder (jaraco/, say): both are
    importable, the folder is a real one, and what pip installs into it later stays out of
    the cache; re-seeding never deletes what the user installed there."""
    python = need(PY312)
    env = offline_env()
    wheels = tmp_path / "wheels"
    _namespace_wheels(wheels)
    dest = tmp_path / "env"
    seeds = ["--extra-search-dir", str(wheels), "--seed-packages", "nsdemo-alpha", "--seed-packages", "nsdemo-beta"]
    create(python, dest, shared_app_data, "--symlink-app-data", *seeds, env=env)
    site = site_packages(dest)
    assert (site / "pip").is_symlink()  # packages of their own still go in as links
    assert (site / "nsdemo").is_dir() and not (site / "nsdemo").is_symlink()
    code = "import nsdemo.alpha, nsdemo.beta; print(nsdemo.alpha.NAME, nsdemo.beta.NAME)"
    assert run([dest / "bin" / "python", "-c", code], env).stdout.split() == ["alpha", "beta"]

    images = [path for path in image_dirs(shared_app_data) if path.name.startswith("nsdemo")]
    with images_kept(*images):
        gamma = next(wheels.glob("nsdemo_gamma-*.whl"))
        run([dest / "bin" / "python", "-m", "pip", "install", "--no-deps", gamma], env)
        create(python, dest, shared_app_data, "--symlink-app-data", *seeds, env=env)  # seeded again, in place
    code = "import nsdemo.alpha, nsdemo.gamma; print(nsdemo.gamma.NAME)"
    assert run([dest / "bin" / "python", "-c", code], env).stdout.strip() == "gamma"


def test_reseeding_matches_project_names_however_spelled(shared_app_data: Path, tmp_path: Path) -> None:
    """jf.demo-1.0.dist-info and jf_demo-2.0.dist-info are one project: seeding 2.0 over 1.0
    replaces it instead of leaving both installed."""
    python = need(PY312)
    env = offline_env()
    wheels = tmp_path / "wheels"
    build_wheel(wheels, name="jf_demo", version="1.0", dist_name="jf.demo")
    build_wheel(wheels, name="jf_demo", version="2.0", dist_name="jf_demo")
    dest = tmp_path / "env"
    search = ["--no-pip", "--extra-search-dir", str(wheels)]
    create(python, dest, shared_app_data, *search, "--seed-packages", "jf-demo==1.0", env=env)
    create(python, dest, shared_app_data, *search, "--seed-packages", "jf-demo==2.0", env=env)
    infos = sorted(path.name for path in site_packages(dest).glob("*.dist-info"))
    assert infos == ["jf_demo-2.0.dist-info"]
