"""Real packages from the package index for the ``-r`` tests, downloaded once and kept.

The first run downloads them (``pip download``, the user's pip settings apply) into a folder
kept across runs (``ROOST_TEST_PACKAGES``, default ``~/.cache/roost-tests/packages``); every
test then runs offline (``PIP_NO_INDEX=1``, ``--find-links`` that folder or
``--extra-search-dir``).  Chosen small: pure-Python wheels (iniconfig, packaging, pluggy
and pytest, which has console scripts), a binary wheel (markupsafe), an sdist-only project
(docopt, built by pip with setuptools from the same folder).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

# The wheels the target (the interpreter running the tests) can install.
WHEELS = (
    "iniconfig==2.0.0",
    "iniconfig==2.1.0",
    "packaging==24.1",
    "pluggy==1.5.0",
    "pluggy==1.4.0",
    "pytest==8.3.3",
    "markupsafe==3.0.2",
    "exceptiongroup==1.2.2",
    "tomli==2.0.1",
    "setuptools==75.3.0",
    "wheel==0.44.0",  # pip before 23.1 (3.11's bundled one) needs it to build an sdist
)
SDISTS = ("docopt==0.6.2",)
PINNED = ("iniconfig==2.0.0", "packaging==24.1", "pluggy==1.5.0", "pytest==8.3.3", "markupsafe==3.0.2")
if sys.version_info < (3, 11):
    PINNED += ("exceptiongroup==1.2.2", "tomli==2.0.1")


def _folder() -> Path:
    configured = os.environ.get("ROOST_TEST_PACKAGES")
    version = f"py{sys.version_info[0]}{sys.version_info[1]}"
    return Path(configured) if configured else Path.home() / ".cache" / "roost-tests" / "packages" / version


def _have(folder: Path, spec: str) -> bool:
    name, _, version = spec.partition("==")
    prefix = f"{name.replace('-', '_')}-{version}".lower()
    return any(entry.name.lower().startswith(prefix) for entry in folder.iterdir())


@pytest.fixture(scope="session")
def packages() -> Path:
    """The folder holding every package the tests use (downloaded on the first run only)."""
    folder = _folder()
    folder.mkdir(parents=True, exist_ok=True)
    for specs, kind in ((WHEELS, ["--only-binary", ":all:"]), (SDISTS, ["--no-binary", ":all:"])):
        for spec in specs:  # one at a time: pip refuses two versions of one project in one call
            if _have(folder, spec):
                continue
            done = subprocess.run(
                [sys.executable, "-m", "pip", "download", "--no-deps", *kind, "--dest", str(folder), spec],
                capture_output=True,
                text=True,
                timeout=600,
            )
            if done.returncode:
                message = f"cannot download {spec} (the first run needs the package index): {done.stderr.strip()[-300:]}"
                if os.environ.get("CI", "").lower() == "true":
                    pytest.fail(message)
                pytest.skip(message)
    return folder


def wheel_of(folder: Path, name: str, version: str) -> Path:
    """The file of *name* *version* in *folder*."""
    prefix = f"{name}-{version}-".lower()
    return next(path for path in folder.iterdir() if path.name.lower().startswith(prefix))


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
