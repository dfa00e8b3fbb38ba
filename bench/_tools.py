"""The four tools under test: how each is installed, configured and asked to make an env.

Everything is installed into ``bench/.tools`` (never the user's environment): one venv with
the latest virtualenv and uv from PyPI, and two with roost built from this checkout (normal,
non-editable installs, so the ``roost`` measured is an installed console script):

* ``roost``: installed by uv (``uv pip install``, as ``uv tool install`` does), whose console
  script launcher imports only :mod:`sys`;
* ``roost-pip``: installed by pip, whose launcher also imports :mod:`re` (~7 ms on Python
  3.11) before roost runs.  Measured in the quick scenarios so that cost is in the report.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
TOOLS_DIR = BENCH_DIR / ".tools"
TOOL_NAMES = ("roost", "virtualenv", "uv", "venv", "roost-pip")
# roost installed by pip differs from roost only in the console script launcher: it is timed
# where start-up matters, not in the long scenarios.
LAUNCHER_SCENARIOS = ("bare", "seeded", "pip")

# Variables that would let the user's own configuration leak into a run.
_FOREIGN_PREFIXES = ("ROOST_", "VIRTUALENV_", "UV_", "PYTHON")
_QUIET_ENV = {
    "UV_PYTHON_DOWNLOADS": "never",
    "UV_NO_CONFIG": "1",
    "VIRTUALENV_NO_PERIODIC_UPDATE": "1",
    "ROOST_NO_PERIODIC_UPDATE": "1",
    "PIP_DISABLE_PIP_VERSION_CHECK": "1",
}


class SetupError(Exception):
    """The tools could not be installed; the message says which step failed."""


def _check(command: Sequence[str], what: str, env: Mapping[str, str] | None = None) -> str:
    result = subprocess.run(list(command), capture_output=True, text=True, env=None if env is None else dict(env))
    if result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-15:])
        raise SetupError(f"{what} failed (exit {result.returncode}): {' '.join(command)}\n{tail}")
    return result.stdout.strip()


def _venv_python(venv: Path) -> Path:
    return venv / "bin" / "python"


def _fresh_venv(venv: Path, with_pip: bool = True) -> None:
    """Make *venv* with the Python running the bench, unless it is already that Python's and works.

    A venv left by a run under another Python is remade: the tools must run on the
    interpreter the report names (how a Python was built changed roost's times by a tenth
    on one machine).
    """
    if _venv_python(venv).exists():
        code = ("import pip; " if with_pip else "") + "import sys; print(sys.base_prefix)"
        probe = subprocess.run([str(_venv_python(venv)), "-c", code], capture_output=True, text=True)
        if probe.returncode == 0 and os.path.realpath(probe.stdout.strip()) == os.path.realpath(sys.base_prefix):
            return
    extra = [] if with_pip else ["--without-pip"]
    _check([sys.executable, "-m", "venv", "--clear", *extra, str(venv)], f"creating {venv}")


def install_tools(tools_dir: Path, install: bool) -> None:
    """Install (or, with *install* false, only check) virtualenv, uv and roost under *tools_dir*."""
    peers, roost, roost_pip = tools_dir / "peers", tools_dir / "roost", tools_dir / "roost-pip"
    if not install:
        for path in (peers / "bin" / "virtualenv", peers / "bin" / "uv", roost / "bin" / "roost", roost_pip / "bin" / "roost"):
            if not path.exists():
                raise SetupError(f"{path} is missing: run once without --no-install")
        return
    pip_env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    _fresh_venv(peers)
    print("bench: installing the latest virtualenv and uv from PyPI ...", file=sys.stderr)
    _check(
        [str(_venv_python(peers)), "-m", "pip", "install", "-q", "--upgrade", "virtualenv", "uv"],
        "pip install virtualenv uv",
        pip_env,
    )
    print(f"bench: installing roost from {REPO_ROOT} with uv and with pip ...", file=sys.stderr)
    # As `uv tool install` makes it: no pip or setuptools (whose .pth file every start would read).
    _fresh_venv(roost, with_pip=False)
    uv = str(peers / "bin" / "uv")
    python = str(_venv_python(roost))
    uv_env = {**pip_env, "UV_NO_CONFIG": "1"}
    # --reinstall-package: rebuilt from the checkout even when its version did not change.
    command = [uv, "pip", "install", "-q", "--python", python, "--reinstall-package", "roost", str(REPO_ROOT)]
    _check(command, "uv pip install roost", uv_env)
    _fresh_venv(roost_pip)
    python = str(_venv_python(roost_pip))
    # Dependencies first, then roost itself rebuilt even if its version did not change.
    _check([python, "-m", "pip", "install", "-q", str(REPO_ROOT)], "pip install roost", pip_env)
    _check(
        [python, "-m", "pip", "install", "-q", "--force-reinstall", "--no-deps", str(REPO_ROOT)], "pip reinstall roost", pip_env
    )


def _distribution_version(venv: Path, name: str) -> str:
    code = f"import importlib.metadata as m; print(m.version({name!r}))"
    return _check([str(_venv_python(venv)), "-c", code], f"reading the version of {name}")


class Tool:
    """One tool: its name, version, private cache and the commands for each kind of env."""

    def __init__(self, name: str, version: str, target: str, tools_dir: Path) -> None:
        self.name = name
        self.version = version
        self.target = target
        self.tools_dir = tools_dir

    def cache_env(self, cache: Path) -> dict[str, str]:
        """The environment variables pointing this tool at its private cache *cache*."""
        if self.name.startswith("roost"):
            return {"ROOST_OVERRIDE_APP_DATA": str(cache)}
        if self.name == "virtualenv":
            return {"VIRTUALENV_OVERRIDE_APP_DATA": str(cache)}
        if self.name == "uv":
            return {"UV_CACHE_DIR": str(cache)}
        return {}  # stdlib venv keeps no cache

    def create(self, dest: Path, seeded: bool, offline: bool = True) -> list[str]:
        """The command creating an env at *dest*, with pip (and friends) when *seeded*."""
        peers = self.tools_dir / "peers" / "bin"
        if self.name.startswith("roost"):
            command = [str(self.tools_dir / self.name / "bin" / "roost"), "-p", self.target]
            # Online runs (cache warm-up, cold seeded) may fetch the newest pip, as uv's do:
            # then every tool seeds the same pip release from its warm cache.
            online = ["--download"] if seeded and not offline else []
            return command + ([] if seeded else ["--no-seed"]) + online + [str(dest)]
        if self.name == "virtualenv":
            return [str(peers / "virtualenv"), "-p", self.target] + ([] if seeded else ["--no-seed"]) + [str(dest)]
        if self.name == "uv":
            extra = (["--seed"] + (["--offline"] if offline else [])) if seeded else []
            return [str(peers / "uv"), "venv", "--python", self.target] + extra + [str(dest)]
        return [self.target, "-m", "venv"] + ([] if seeded else ["--without-pip"]) + [str(dest)]


def tool_env(extra: Mapping[str, str]) -> dict[str, str]:
    """The user's environment without anything that configures a tool, plus *extra*."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(_FOREIGN_PREFIXES) and key != "VIRTUAL_ENV"}
    env.update(_QUIET_ENV)
    env.update(extra)
    return env


def make_tools(names: Sequence[str], target: str, tools_dir: Path) -> list[Tool]:
    """The :class:`Tool` objects for *names*, versions read from what is installed."""
    tools = []
    for name in names:
        if name.startswith("roost"):
            version = _distribution_version(tools_dir / name, "roost")
        elif name == "virtualenv":
            version = _distribution_version(tools_dir / "peers", "virtualenv")
        elif name == "uv":
            version = _check([str(tools_dir / "peers" / "bin" / "uv"), "--version"], "uv --version").split()[1]
        else:
            version = "stdlib of the target"
        tools.append(Tool(name, version, target, tools_dir))
    return tools


def target_version(target: str) -> str:
    """``CPython 3.11.7`` for the interpreter at *target*."""
    code = "import platform; print(platform.python_implementation(), platform.python_version())"
    return _check([target, "-c", code], f"running the target interpreter {target}")
