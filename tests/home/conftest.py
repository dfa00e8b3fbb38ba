"""Fixtures for the home tests: a private WORKON_HOME, PROJECT_HOME and HOME per test."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest


class HomeRunner:
    """Runs ``roost home ...`` against one test's home, with that home's environment."""

    def __init__(self, env: dict[str, str], root: Path) -> None:
        self.env = env
        self.root = root

    @property
    def workon_home(self) -> Path:
        return Path(self.env["WORKON_HOME"])

    def __call__(self, *args: str, check: bool = True, **extra: str) -> subprocess.CompletedProcess[str]:
        env = {**self.env, **extra}
        done = subprocess.run(
            [sys.executable, "-m", "roost", "home", *args], env=env, capture_output=True, text=True, timeout=300
        )
        if check and done.returncode != 0:
            raise AssertionError(f"roost home {' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
        return done

    def new(self, name: str, *options: str) -> Path:
        """A bare environment (no seed packages, so it is quick) unless *options* say otherwise."""
        self("new", name, *(options or ("--no-seed",)))
        return self.workon_home / name


@pytest.fixture
def home(roost_env: dict[str, str], tmp_path: Path) -> HomeRunner:
    """A home of this test's own: WORKON_HOME, PROJECT_HOME, HOME all under tmp_path."""
    env = dict(roost_env)
    for key in ("VIRTUAL_ENV", "VIRTUALENVWRAPPER_HOOK_DIR", "VIRTUALENVWRAPPER_PROJECT_FILENAME", "ZDOTDIR", "ENV"):
        env.pop(key, None)
    (tmp_path / "projects").mkdir()
    env.update(
        WORKON_HOME=str(tmp_path / "envs"),
        PROJECT_HOME=str(tmp_path / "projects"),
        HOME=str(tmp_path),
    )
    return HomeRunner(env, tmp_path)


def make_wheel(folder: Path, name: str = "roost_demo", version: str = "1.0") -> Path:
    """A minimal pure-Python wheel (one module), so pip can install it offline."""
    wheel = folder / f"{name}-{version}-py3-none-any.whl"
    info = f"{name}-{version}.dist-info"
    files = {
        f"{name}.py": "VALUE = 42\n",
        f"{info}/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n",
        f"{info}/WHEEL": "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = "".join(f"{path},,\n" for path in files) + f"{info}/RECORD,,\n"
    with zipfile.ZipFile(wheel, "w") as archive:
        for path, text in files.items():
            archive.writestr(path, text)
        archive.writestr(f"{info}/RECORD", record)
    return wheel
