"""Helpers and fixtures for the seeding tests: offline environments, test wheels, image snapshots.

Fixtures live here rather than in a ``conftest.py`` (a second module named ``conftest``
would shadow the top-level one the other test areas import from); test modules import
the fixtures they use.  ``shared_app_data`` is one app-data folder for the whole run:
images are built once per target, and the xdist workers share it, which also exercises
concurrent image builds.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
UNREACHABLE_PROXY = "http://127.0.0.1:9"  # the discard port: nothing listens, connections fail at once


def offline_env(app_data: Path | str | None = None, **extra: str) -> dict[str, str]:
    """os.environ with pip cut off from any network and roost's own settings cleared."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("ROOST_", "VIRTUALENV_", "PIP_"))
        and key not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPATH")
        and key.lower() not in ("http_proxy", "https_proxy", "all_proxy", "no_proxy")
    }
    env.update(
        PIP_NO_INDEX="1",
        PIP_PROXY=UNREACHABLE_PROXY,
        HTTP_PROXY=UNREACHABLE_PROXY,
        HTTPS_PROXY=UNREACHABLE_PROXY,
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        PIP_RETRIES="0",
        PIP_TIMEOUT="2",
        ROOST_CONFIG_FILE=os.devnull,
        ROOST_NO_PERIODIC_UPDATE="1",
        ROOST_ACTIVATORS="",
    )
    if app_data is not None:
        env["ROOST_OVERRIDE_APP_DATA"] = str(app_data)
    env.update(extra)
    return env


@contextmanager
def serve_folder(root: Path) -> Iterator[str]:
    """Serve *root* over HTTP on 127.0.0.1 while the block runs; yields ``http://127.0.0.1:PORT/``."""
    import socket
    import time

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(root)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.terminate()
        server.wait()


def roost(args: list[str], env: dict[str, str], timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """``python -m roost ARGS`` with roost's source importable (only for this process)."""
    run_env = dict(env)
    run_env["PYTHONPATH"] = str(SRC)
    return subprocess.run([sys.executable, "-m", "roost", *args], env=run_env, capture_output=True, text=True, timeout=timeout)


def create(
    python: str, dest: Path, app_data: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Create an environment at *dest* and insist it worked."""
    done = roost(["-p", python, str(dest), "--app-data", str(app_data), *args], env or offline_env())
    assert done.returncode == 0, done.stderr + done.stdout
    return done


def run(command: list[str | Path], env: dict[str, str], check: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([str(part) for part in command], env=env, capture_output=True, text=True, timeout=600)
    if check:
        assert done.returncode == 0, f"{command}: {done.stdout}{done.stderr}"
    return done


def site_packages(dest: Path) -> Path:
    found = [path for path in (dest / "lib").glob("*/site-packages")]
    assert len(found) == 1, found
    return found[0]


def _record_hash(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def build_wheel(
    folder: Path,
    name: str = "roost_demo",
    version: str = "1.0",
    requires_python: str | None = None,
    console: dict[str, str] | None = None,
    date_time: tuple[int, int, int, int, int, int] = (2020, 1, 1, 0, 0, 0),
    extra_files: dict[str, str] | None = None,
    dist_name: str | None = None,
) -> Path:
    """A small pure-Python wheel: module *name* whose VERSION is *version*; *dist_name* is the
    project name as its .dist-info and file name spell it (default: *name*)."""
    folder.mkdir(parents=True, exist_ok=True)
    dist_info = f"{dist_name or name}-{version}.dist-info"
    metadata = f"Metadata-Version: 2.1\nName: {(dist_name or name).replace('_', '-')}\nVersion: {version}\n"
    if requires_python:
        metadata += f"Requires-Python: {requires_python}\n"
    files = {
        f"{name}/__init__.py": f"VERSION = {version!r}\n\ndef main():\n    print('{name} ' + VERSION)\n",
        f"{dist_info}/METADATA": metadata,
        f"{dist_info}/WHEEL": "Wheel-Version: 1.0\nGenerator: roost-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    if console:
        files[f"{dist_info}/entry_points.txt"] = "[console_scripts]\n" + "".join(f"{k} = {v}\n" for k, v in console.items())
    files.update(extra_files or {})
    record = [f"{path},{_record_hash(text.encode())},{len(text.encode())}" for path, text in files.items()]
    record.append(f"{dist_info}/RECORD,,")
    files[f"{dist_info}/RECORD"] = "\n".join(record) + "\n"
    path = folder / f"{dist_name or name}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as archive:
        for member, text in files.items():
            info = zipfile.ZipInfo(member, date_time=date_time)
            info.external_attr = 0o644 << 16
            archive.writestr(info, text)
    return path


def snapshot(folder: Path) -> dict[str, tuple[int, int, int]]:
    """Every file below *folder* (relative path -> size, mtime, mode), ignoring lock files."""
    result = {}
    for root, _dirs, files in os.walk(folder):
        for name in files:
            path = os.path.join(root, name)
            relative = os.path.relpath(path, folder)
            if relative.startswith("locks"):
                continue
            stat = os.lstat(path)
            result[relative] = (stat.st_size, stat.st_mtime_ns, stat.st_mode)
    return result


def image_dirs(app_data: Path, name: str = "") -> list[Path]:
    images = app_data / "images"
    return (
        sorted(path for path in images.iterdir() if not path.name.startswith(".") and path.name.startswith(name))
        if images.is_dir()
        else []
    )


MANIFEST = "image.store"
INDEX = "seed-index.store"


def read_manifest(image: Path) -> dict[str, object]:
    """An image's manifest (a roost.appdata store file), or an AssertionError if it does not load."""
    if str(SRC) not in sys.path:
        sys.path.insert(0, str(SRC))
    from roost.appdata import read_store

    manifest = read_store(image / MANIFEST)
    assert isinstance(manifest, dict), f"{image / MANIFEST} does not load"
    return manifest


def image_intact(image: Path) -> bool:
    """The manifest loads, and every file its RECORD text lists is under site/ with its size."""
    manifest = read_manifest(image)
    record = manifest["record"].splitlines()  # type: ignore[attr-defined]
    listed = {path: int(size) for path, _hash, size in (line.rsplit(",", 2) for line in record)}
    site = image / "site"
    present = {}
    for root, _dirs, files in os.walk(site):
        for name in files:
            path = os.path.join(root, name)
            present[os.path.relpath(path, site).replace(os.sep, "/")] = os.path.getsize(path)
    return all(present.get(path) == size for path, size in listed.items())


def tree(folder: Path) -> set[str]:
    """Every file and link below *folder*, relative."""
    found = set()
    for root, dirs, files in os.walk(folder):
        for name in files + [d for d in dirs if os.path.islink(os.path.join(root, d))]:
            found.add(os.path.relpath(os.path.join(root, name), folder))
    return found


def assert_runs_without_writing(folder: Path, env: dict[str, str], *commands: list[str | Path]) -> None:
    """Each command runs and adds nothing below *folder* (in site-packages: no new .pyc,
    so the bytecode compiled into the image is valid in the environment)."""
    before = tree(folder)
    for command in commands:
        run(command, env)
    assert tree(folder) - before == set()


@contextmanager
def images_kept(*images: Path) -> Iterator[None]:
    """Insist that what runs inside leaves each image exactly as it was, and intact."""
    before = {image: snapshot(image) for image in images}
    yield
    for image, files in before.items():
        assert snapshot(image) == files, f"the image {image} changed"
        assert image_intact(image)


PYENV_ROOT = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
PY312 = str(PYENV_ROOT / "versions" / "3.12.1" / "bin" / "python")
PY37 = str(PYENV_ROOT / "versions" / "3.7.16" / "bin" / "python")
PY311 = str(PYENV_ROOT / "versions" / "3.11.7" / "bin" / "python")


def need(path: str) -> str:
    """*path*, or skip the test (fail it under CI=true) when that interpreter is missing."""
    import pytest

    if os.path.isfile(path) and os.access(path, os.X_OK):
        return path
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{path} is missing (CI=true: every expected interpreter must be present)")
    pytest.skip(f"{path} is missing")


def probe(python: str):  # type: ignore[no-untyped-def]
    """The Interpreter facts of *python*, straight from the probe script."""
    if str(SRC) not in sys.path:
        sys.path.insert(0, str(SRC))
    from roost.discovery.interpreter import Interpreter

    done = subprocess.run([python, str(SRC / "roost" / "discovery" / "_probe.py")], capture_output=True, check=True, timeout=60)
    return Interpreter(json.loads(done.stdout))


@pytest.fixture(scope="session")
def shared_app_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # the run's folder, shared by the workers
    folder = base / "seed-app-data"
    folder.mkdir(exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def demo_wheels(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with roost_demo 1.0 (console script ``roost-demo``)."""
    folder = tmp_path_factory.mktemp("demo-wheels")
    build_wheel(folder, version="1.0", console={"roost-demo": "roost_demo:main"})
    return folder
