"""A small real project for tox to work on, and wheels, built offline.

The project's PEP 517 backend lives in its own tree (``backend-path``), so tox's package
environment builds a real wheel with no download; the same code writes the wheel of a
dependency the project's tox environments install from a local file.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

# The in-tree build backend (stdlib only; runs inside the package environment).
BACKEND = '''
import base64, hashlib, os, zipfile


def write_wheel(directory, name, version, files):
    """A pure-Python wheel holding *files* ({path in wheel: text}); returns its file name."""
    info = "%s-%s.dist-info" % (name, version)
    files = dict(files)
    files[info + "/METADATA"] = "Metadata-Version: 2.1\\nName: %s\\nVersion: %s\\n" % (name, version)
    files[info + "/WHEEL"] = "Wheel-Version: 1.0\\nGenerator: test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n"
    record = []
    for path, text in files.items():
        data = text.encode("utf-8")
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append("%s,sha256=%s,%d" % (path, digest, len(data)))
    record.append(info + "/RECORD,,")
    files[info + "/RECORD"] = "\\n".join(record) + "\\n"
    filename = "%s-%s-py3-none-any.whl" % (name, version)
    with zipfile.ZipFile(os.path.join(directory, filename), "w") as archive:
        for path, text in files.items():
            archive.writestr(path, text)
    return filename


def get_requires_for_build_wheel(config_settings=None):
    return []


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    with open(os.path.join("demo", "__init__.py")) as handle:
        source = handle.read()
    return write_wheel(wheel_directory, "demo", "1.0", {"demo/__init__.py": source})
'''

PYPROJECT = """
[build-system]
requires = []
build-backend = "backend"
backend-path = ["."]

[project]
name = "demo"
version = "1.0"
"""


def make_project(root: Path, tox_ini: str) -> Path:
    """Write the project (package ``demo``, a wheel of ``helper`` in ``wheels/``) and *tox_ini*."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "backend.py").write_text(BACKEND)
    (root / "pyproject.toml").write_text(PYPROJECT)
    (root / "demo").mkdir(exist_ok=True)
    (root / "demo" / "__init__.py").write_text("VALUE = 42\n")
    (root / "wheels").mkdir(exist_ok=True)
    write_wheel(root / "wheels", "helper", "2.0", {"helper.py": "NAME = 'helper'\n"})
    (root / "tox.ini").write_text(textwrap.dedent(tox_ini))
    return root


def write_wheel(directory: Path, name: str, version: str, files: dict[str, str]) -> Path:
    """A pure-Python wheel of *files* in *directory*, written by the backend's own code."""
    namespace: dict[str, object] = {}
    exec(compile(BACKEND, "backend.py", "exec"), namespace)
    writer = namespace["write_wheel"]
    assert callable(writer)
    return directory / str(writer(str(directory), name, version, files))
