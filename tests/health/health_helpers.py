"""Helpers for the health tests: a base interpreter that can break, environments made by each
tool, a wheel with a console script and an editable project, all built here and offline.

The breakable base is a real pyenv CPython copied (hard-linked where the filesystem allows,
so it costs no space and little time) into a temporary prefix, without its test suites.
Removing, moving or swapping that prefix breaks environments exactly as ``pyenv
uninstall`` or a Homebrew upgrade would, without touching the real installation.
"""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from support import PYENV_ROOT, require_executable

SRC = Path(__file__).resolve().parents[2] / "src"
# Folders of the standard library no environment needs: skipped to keep the copy small.
_SKIPPED = {"test", "tests", "idlelib", "tkinter", "turtledemo", "site-packages", "__pycache__"}
# A setuptools new enough for Python 3.12+ that is on this machine without a download:
# CPython's own test suite ships one (the copy of the base leaves test/ out, the original keeps it).
_CPYTHON_TESTS = PYENV_ROOT / "versions" / "3.12.1" / "lib" / "python3.12" / "test"
BUILD_WHEELS = (_CPYTHON_TESTS / "setuptools-67.6.1-py3-none-any.whl", _CPYTHON_TESTS / "wheel-0.40.0-py3-none-any.whl")


def pyenv_prefix(version: str) -> Path:
    """The pyenv installation of *version* (skips the test when it is not here)."""
    prefix = PYENV_ROOT / "versions" / version
    require_executable(str(prefix / "bin" / "python3"), f"CPython {version}")
    return prefix


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def make_base(version: str, prefix: Path) -> Path:
    """Copy the pyenv CPython *version* to *prefix*; returns its ``bin/pythonX.Y``."""
    source = pyenv_prefix(version)

    def ignore(folder: str, names: list[str]) -> set[str]:
        return {name for name in names if name in _SKIPPED}

    shutil.copytree(source, prefix, symlinks=True, ignore=ignore, copy_function=_link_or_copy)
    major_minor = ".".join(version.split(".")[:2])
    (prefix / "lib" / f"python{major_minor}" / "site-packages").mkdir()
    return prefix / "bin" / f"python{major_minor}"


def clean_env(roost_env: dict[str, str]) -> dict[str, str]:
    """*roost_env* with roost's src first on PYTHONPATH for running ``python -m roost``."""
    env = dict(roost_env)
    env["PYTHONPATH"] = str(SRC)
    return env


def run(command: list[str], env: dict[str, str], check: bool = True, **kwargs: object) -> subprocess.CompletedProcess[str]:
    """Run *command*, output captured as text; with *check*, fail the test with its stderr."""
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600, **kwargs)  # type: ignore[call-overload]
    if check and done.returncode:
        pytest.fail(f"{command} exited {done.returncode}:\n{done.stdout}\n{done.stderr}")
    return done  # type: ignore[no-any-return]


def roost(args: list[str], env: dict[str, str], check: bool = True) -> subprocess.CompletedProcess[str]:
    """``python -m roost ARGS`` from this worktree's source."""
    return run([sys.executable, "-m", "roost", *args], clean_env(env), check=check)


def python_env(env: dict[str, str]) -> dict[str, str]:
    """An environment for starting an environment's own interpreter: no PYTHON* variables."""
    return {key: value for key, value in env.items() if not key.startswith("PYTHON")}


def create(tool: str, base_python: Path, dest: Path, env: dict[str, str], *extra: str) -> Path:
    """Make an environment at *dest* from *base_python* with *tool* (roost, venv, virtualenv, uv)."""
    if tool == "roost":
        roost(["-p", str(base_python), str(dest), *extra], env)
    elif tool == "venv":
        run([str(base_python), "-m", "venv", *extra, str(dest)], python_env(env))
    elif tool == "virtualenv":
        pytest.importorskip("virtualenv")
        run([sys.executable, "-m", "virtualenv", "-q", "-p", str(base_python), *extra, str(dest)], python_env(env))
    elif tool == "uv":
        uv = shutil.which("uv") or pytest.skip("uv is not installed")
        run([uv, "venv", "-q", "--seed", "-p", str(base_python), *extra, str(dest)], python_env(env))
    else:
        raise ValueError(tool)
    return dest


TOOLS = ("roost", "venv", "virtualenv", "uv")


def _record_row(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def build_wheel(folder: Path, name: str = "greeter", version: str = "1.0") -> Path:
    """A pure wheel *name* with module ``{name}`` and a console script ``{name}`` printing ``hello from {name}``."""
    files = {
        f"{name}/__init__.py": f"def main():\n    print('hello from {name}')\n    return 0\n".encode(),
        f"{name}-{version}.dist-info/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n".encode(),
        f"{name}-{version}.dist-info/WHEEL": b"Wheel-Version: 1.0\nGenerator: tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
        f"{name}-{version}.dist-info/entry_points.txt": f"[console_scripts]\n{name} = {name}:main\n".encode(),
    }
    record = [_record_row(path, data) for path, data in files.items()] + [f"{name}-{version}.dist-info/RECORD,,"]
    files[f"{name}-{version}.dist-info/RECORD"] = ("\n".join(record) + "\n").encode()
    folder.mkdir(parents=True, exist_ok=True)
    wheel = folder / f"{name}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for path, data in files.items():
            archive.writestr(path, data)
    return wheel


def make_project(folder: Path, name: str = "editme") -> Path:
    """A setuptools project *name* (module of the same name) for ``pip install -e``."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pyproject.toml").write_text(
        f'[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n\n'
        f'[project]\nname = "{name}"\nversion = "0.1"\n\n[tool.setuptools]\npy-modules = ["{name}"]\n'
    )
    (folder / f"{name}.py").write_text("VALUE = 'editable source'\n")
    return folder


def install_packages(env_dir: Path, wheel: Path, project: Path, env: dict[str, str]) -> None:
    """Into *env_dir*, offline: setuptools and wheel, the console-script *wheel*, and *project* editable."""
    python = str(env_dir / "bin" / "python")
    offline = python_env(env) | {"PIP_NO_INDEX": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    run([python, "-m", "pip", "install", "-q", *map(str, BUILD_WHEELS), str(wheel)], offline)
    run([python, "-m", "pip", "install", "-q", "--no-build-isolation", "-e", str(project)], offline)


def assert_works(env_dir: Path, env: dict[str, str], modules: tuple[str, ...] = ("greeter", "editme", "pip")) -> None:
    """The environment's python starts, imports *modules*, and its ``greeter`` script runs."""
    python = env_dir / "bin" / "python"
    code = "import sys, " + ", ".join(modules) + "; print(sys.prefix)"
    done = run([str(python), "-c", code], python_env(env))
    assert os.path.samefile(done.stdout.strip(), env_dir), done.stdout
    if "greeter" in modules:
        script = run([str(env_dir / "bin" / "greeter")], python_env(env))
        assert script.stdout.strip() == "hello from greeter"


def tree_snapshot(root: Path) -> dict[str, bytes]:
    """Every file and link under *root* with its content (links: their target), for comparing."""
    snapshot = {}
    for folder, dirs, files in os.walk(root):
        for name in files + [d for d in dirs if os.path.islink(os.path.join(folder, d))]:
            path = os.path.join(folder, name)
            relative = os.path.relpath(path, root)
            if "__pycache__" in relative:
                continue
            if os.path.islink(path):
                snapshot[relative] = b"-> " + os.fsencode(os.readlink(path))
            else:
                with open(path, "rb") as handle:
                    snapshot[relative] = handle.read()
    return snapshot
