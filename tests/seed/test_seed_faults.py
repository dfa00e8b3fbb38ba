"""Faults: many creators at once, a builder killed at any moment, read-only and damaged caches."""

# ruff: noqa: F401, F811  (pytest fixtures imported from seed_helpers, then requested by name)

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from seed_helpers import (
    INDEX,
    MANIFEST,
    PY312,
    SRC,
    create,
    image_dirs,
    image_intact,
    need,
    offline_env,
    read_manifest,
    roost,
    run,
    shared_app_data,
    site_packages,
    snapshot,
)

from roost.appdata import write_store


def _start(python: str, dest: Path, app_data: Path) -> subprocess.Popen[bytes]:
    env = offline_env()
    env["PYTHONPATH"] = str(SRC)
    return subprocess.Popen(
        [sys.executable, "-m", "roost", "-p", python, str(dest), "--app-data", str(app_data)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def _no_half_images(app_data: Path) -> None:
    images = app_data / "images"
    for path in images.iterdir() if images.is_dir() else ():
        if not path.name.startswith("."):  # a final name: must be complete
            assert (path / MANIFEST).is_file(), f"{path} is published without its manifest"
            assert image_intact(path)


@pytest.mark.slow
def test_sixteen_processes_against_empty_app_data(tmp_path: Path) -> None:
    python = need(PY312)
    app_data = tmp_path / "app-data"
    processes = [_start(python, tmp_path / f"env{index}", app_data) for index in range(16)]
    for process in processes:
        out, err = process.communicate(timeout=600)
        assert process.returncode == 0, err.decode()
    for index in range(16):
        assert (tmp_path / f"env{index}" / "bin" / "pip").exists()
    assert len(image_dirs(app_data, "pip-")) == 1
    _no_half_images(app_data)
    run([tmp_path / "env7" / "bin" / "python", "-m", "pip", "--version"], offline_env())


@pytest.mark.slow
def test_killed_builder_leaves_nothing_a_later_run_uses(tmp_path: Path) -> None:
    python = need(PY312)
    app_data = tmp_path / "app-data"
    for delay in (0.3, 0.7, 1.2, 2.0):
        process = _start(python, tmp_path / f"killed-{delay}", app_data)
        time.sleep(delay)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        _no_half_images(app_data)
    # A half-written image under a temporary name is never used, and gets cleaned up.
    create(python, tmp_path / "after", app_data)
    run([tmp_path / "after" / "bin" / "python", "-m", "pip", "--version"], offline_env())
    _no_half_images(app_data)
    leftovers = [path.name for path in (app_data / "images").iterdir() if path.name.startswith(".pip-")]
    assert leftovers == []


@pytest.mark.slow
def test_read_only_app_data_writes_nothing(tmp_path: Path) -> None:
    python = need(PY312)
    app_data = tmp_path / "app-data"
    create(python, tmp_path / "warm", app_data)  # the images exist now
    before = snapshot(app_data)
    create(python, tmp_path / "ro", app_data, "--read-only-app-data")
    assert snapshot(app_data) == before
    run([tmp_path / "ro" / "bin" / "python", "-m", "pip", "--version"], offline_env())


@pytest.mark.slow
def test_read_only_empty_app_data_still_seeds(tmp_path: Path) -> None:
    python = need(PY312)
    app_data = tmp_path / "empty"
    app_data.mkdir()
    create(python, tmp_path / "env", app_data, "--read-only-app-data")
    run([tmp_path / "env" / "bin" / "python", "-m", "pip", "--version"], offline_env())
    assert not (app_data / "images").exists() and not (app_data / INDEX).exists()
    create(python, tmp_path / "sym", app_data, "--read-only-app-data", "--symlink-app-data")
    run([tmp_path / "sym" / "bin" / "python", "-m", "pip", "--version"], offline_env())  # its image was temporary: copies


@pytest.mark.slow
def test_damaged_image_is_noticed_and_rebuilt(tmp_path: Path) -> None:
    python = need(PY312)
    app_data = tmp_path / "app-data"
    create(python, tmp_path / "first", app_data)
    image = image_dirs(app_data, "pip-")[0]
    victim = image / "site" / "pip" / "_internal" / "main.py"
    victim.unlink()
    done = create(python, tmp_path / "second", app_data)
    assert "damaged" in done.stderr
    assert image_intact(image_dirs(app_data, "pip-")[0])
    run([tmp_path / "second" / "bin" / "python", "-m", "pip", "--version"], offline_env())

    (image_dirs(app_data, "pip-")[0] / MANIFEST).write_bytes(b"roost-store 1\n\xff damaged")
    create(python, tmp_path / "third", app_data)
    fixed = image_dirs(app_data, "pip-")[0]
    assert read_manifest(fixed)["name"] == "pip" and image_intact(fixed)
    run([tmp_path / "third" / "bin" / "python", "-m", "pip", "--version"], offline_env())

    # A manifest that loads but lacks what seeding reads is no manifest either: rebuilt, no traceback.
    manifest = read_manifest(fixed)
    del manifest["parts"]
    write_store(fixed / MANIFEST, manifest)
    done = create(python, tmp_path / "fourth", app_data)
    assert "Traceback" not in done.stderr
    assert "parts" in read_manifest(image_dirs(app_data, "pip-")[0])
    run([tmp_path / "fourth" / "bin" / "python", "-m", "pip", "--version"], offline_env())


def test_reseeding_an_existing_env_replaces_files(shared_app_data: Path, tmp_path: Path) -> None:
    python = need(PY312)
    dest = tmp_path / "env"
    create(python, dest, shared_app_data, "--link-mode", "hardlink")
    site = site_packages(dest)
    (dist_info,) = [path for path in site.iterdir() if path.name.startswith("pip-") and path.name.endswith(".dist-info")]
    version = dist_info.name[len("pip-") : -len(".dist-info")]
    (image,) = [path for path in image_dirs(shared_app_data, f"pip-{version}-") if "-cpython-312-" in path.name]
    installed, cached = site / "pip" / "__init__.py", image / "site" / "pip" / "__init__.py"
    assert installed.stat().st_ino == cached.stat().st_ino  # hard-linked to the image
    (site / "mine.py").write_text("VALUE = 1\n")  # the user's own file
    done = roost(["-p", python, str(dest), "--app-data", str(shared_app_data), "--link-mode", "copy"], offline_env())
    assert done.returncode == 0, done.stderr
    # Every file is replaced by a copy: the same text, a file of its own, the image untouched.
    assert installed.stat().st_ino != cached.stat().st_ino and installed.read_bytes() == cached.read_bytes()
    assert installed.stat().st_nlink == 1
    assert (site / "mine.py").read_text() == "VALUE = 1\n"
    record = [line.rsplit(",", 2)[0] for line in (dist_info / "RECORD").read_text().splitlines()]
    assert record and all((site / relative).exists() for relative in record)
    shown = run([dest / "bin" / "python", "-m", "pip", "--version"], offline_env()).stdout
    assert shown.startswith(f"pip {version} from {site / 'pip'}")


def _edit_in_place(path: Path, text: bytes) -> None:
    """Append to *path* in place, as an editor keeping hard links does: root writes through
    the read-only mode; anyone else must make it writable first (the cache's owner insisting)."""
    if os.geteuid() != 0:
        path.chmod(0o644)
    with open(path, "ab") as handle:
        handle.write(text)


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["hardlink", "copy"])
def test_a_seed_file_edited_through_a_hard_link_is_noticed_and_its_image_rebuilt(mode: str, tmp_path: Path) -> None:
    python = need(PY312)
    app_data = tmp_path / "app-data"
    first, second, third = tmp_path / "first", tmp_path / "second", tmp_path / "third"
    create(python, first, app_data, "--link-mode", "hardlink")
    edited = site_packages(first) / "pip" / "__init__.py"
    (image,) = image_dirs(app_data, "pip-")
    cached = image / "site" / "pip" / "__init__.py"
    pristine, inode = cached.read_bytes(), os.stat(cached).st_ino
    assert os.stat(edited).st_ino == inode and os.stat(cached).st_mode & 0o222 == 0
    _edit_in_place(edited, b"raise SystemExit('edited')\n")
    assert cached.read_bytes() != pristine  # the edit reached the image, through the shared inode

    done = create(python, second, app_data, "--link-mode", mode)
    assert f"the seed image {image} is damaged ({cached} was changed after the image was built)" in done.stderr
    assert (site_packages(second) / "pip" / "__init__.py").read_bytes() == pristine
    assert cached.read_bytes() == pristine and os.stat(cached).st_ino != inode  # rebuilt
    assert image_intact(image) and os.stat(cached).st_mtime_ns == read_manifest(image)["mtime"]
    run([second / "bin" / "python", "-m", "pip", "--version"], offline_env())
    assert edited.read_bytes().endswith(b"raise SystemExit('edited')\n")  # the user's own env keeps the edit
    done = create(python, third, app_data, "--link-mode", mode)
    assert "damaged" not in done.stderr and os.stat(cached).st_ino != inode


@pytest.mark.slow
def test_the_image_bytecode_stays_valid_under_the_images_one_mtime(tmp_path: Path) -> None:
    import importlib.util
    import struct

    python = need(PY312)
    app_data = tmp_path / "app-data"
    dest = tmp_path / "env"
    create(python, dest, app_data, "--link-mode", "copy")  # copies: Python could rewrite any .pyc here
    (image,) = image_dirs(app_data, "pip-")
    mtime = read_manifest(image)["mtime"]
    assert isinstance(mtime, int)
    site = image / "site"
    checked = 0
    for path in site.rglob("*"):
        if path.is_file():
            assert os.stat(path).st_mtime_ns == mtime, path
        if path.suffix == ".py":
            # cache_from_source names the pyc of this interpreter's tag; the image's is 3.12's.
            compiled = Path(importlib.util.cache_from_source(str(path))).with_name(f"{path.stem}.cpython-312.pyc")
            header = compiled.read_bytes()[:16]
            flags, source_mtime, source_size = struct.unpack("<III", header[4:16])
            assert flags == 0 and source_mtime == mtime // 10**9 and source_size == path.stat().st_size, path
            checked += 1
    assert checked > 300
    # Importing much of pip with bytecode writing on rewrites no .pyc: each one is valid.
    env_site = site_packages(dest)
    before = snapshot(env_site)
    script = "import pip._internal.cli.main, pip._internal.commands.install, pip._vendor.rich.console"
    run([dest / "bin" / "python", "-c", script], offline_env())  # offline_env lets Python write bytecode
    assert snapshot(env_site) == before
