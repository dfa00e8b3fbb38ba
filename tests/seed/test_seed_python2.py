"""Seeding Python 2.7 environments: offline from the interpreter's own ensurepip wheels, and
``--download`` from a package index, where pip picks the newest release whose
``Requires-Python`` admits 2.7."""

from __future__ import annotations

import html
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from seed_helpers import PY311, create, need, offline_env, run, serve_folder, site_packages

pytestmark = pytest.mark.slow

PY27 = str(Path(PY311).parents[2] / "2.7.18" / "bin" / "python")


def _bundled(python: str) -> list[Path]:
    lib = Path(need(python)).parents[1] / "lib"
    return sorted(lib.glob("python*/ensurepip/_bundled/*.whl"))


def _requires_python(wheel: Path) -> str:
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA") and n.count("/") == 1)
        for line in archive.read(name).decode().splitlines():
            if line.lower().startswith("requires-python:"):
                return line.split(":", 1)[1].strip()
    return ""


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A PEP 503 index with data-requires-python (PEP 503), as PyPI serves it: the pip and
    setuptools of Python 2.7's ensurepip next to the newer, Python 3 only ones of 3.11's."""
    root = tmp_path_factory.mktemp("index")
    (root / "files").mkdir()
    wheels = _bundled(PY27) + _bundled(PY311)
    for project in ("pip", "setuptools"):
        links = []
        for wheel in (w for w in wheels if w.name.startswith(project + "-")):
            shutil.copy(wheel, root / "files" / wheel.name)
            requires = html.escape(_requires_python(wheel))
            links.append(f'<a href="../../files/{wheel.name}" data-requires-python="{requires}">{wheel.name}</a>\n')
        (root / "simple" / project).mkdir(parents=True)
        (root / "simple" / project / "index.html").write_text(f"<!DOCTYPE html><html><body>\n{''.join(links)}</body></html>\n")
    with serve_folder(root) as url:
        yield url + "simple/"


def test_offline_from_ensurepip_and_byte_compiled_by_the_target(tmp_path: Path) -> None:
    need(PY27)
    dest = tmp_path / "env"
    done = create(PY27, dest, tmp_path / "app-data", "--no-wheel")
    assert done.stderr == ""
    assert "pip 19.2.3" in done.stdout and "setuptools 41.2.0" in done.stdout
    lib = site_packages(dest)
    # Python 2 bytecode: beside the source, no __pycache__
    assert (lib / "pip" / "__init__.pyc").is_file() and not (lib / "pip" / "__pycache__").exists()
    compiled = (lib / "pip" / "__init__.pyc").read_bytes()
    magic = subprocess.check_output([PY27, "-c", "import imp, sys; sys.stdout.write(imp.get_magic().encode('hex'))"], text=True)
    assert compiled[:4].hex() == magic
    for script in ("pip", "pip2", "pip2.7", "easy_install", "easy_install-2.7"):
        assert (dest / "bin" / script).is_file(), script
    assert "pip 19.2.3" in run([dest / "bin" / "pip2.7", "--version"], offline_env()).stdout
    assert run([dest / "bin" / "python", "-c", "import setuptools, pkg_resources"], offline_env()).stderr == ""


def test_download_picks_the_newest_that_admits_python_2(index: str, tmp_path: Path) -> None:
    need(PY27)
    env = offline_env()
    for key in ("PIP_NO_INDEX", "PIP_PROXY", "HTTP_PROXY", "HTTPS_PROXY"):
        env.pop(key)
    env.update(PIP_INDEX_URL=index, PIP_TIMEOUT="10", NO_PROXY="127.0.0.1", PIP_CONFIG_FILE="/dev/null")
    app_data = tmp_path / "app-data"
    done = create(PY27, tmp_path / "env", app_data, "--download", "--no-wheel", env=env)
    house = sorted(path.name for path in (app_data / "wheelhouse").iterdir())
    assert house == [wheel.name for wheel in _bundled(PY27)], done.stderr
    assert "pip 19.2.3" in done.stdout and "setuptools 41.2.0" in done.stdout


def test_pip_seeder_runs_pip_inside_the_python_2_environment(tmp_path: Path) -> None:
    need(PY27)
    dest = tmp_path / "env"
    done = create(PY27, dest, tmp_path / "app-data", "--seeder", "pip", "--no-wheel")
    assert done.stderr == "" and "(pip)" in done.stdout
    listed = run([dest / "bin" / "python", "-m", "pip", "list", "--format", "freeze"], offline_env()).stdout.split()
    assert "pip==19.2.3" in listed and "setuptools==41.2.0" in listed
