"""The tox plugin (tox-roost) with real tox from the package index, on a small real project."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from offline_build import make_project
from support import EXPECTED_INTERPRETERS
from tools import tool_env

pytestmark = pytest.mark.slow

TWO_ENVS = """
    [tox]
    env_list = pkg, bare
    [testenv]
    package = wheel
    commands = python -c "import sys; print('PREFIX', sys.prefix)"
    [testenv:pkg]
    deps = {toxinidir}/wheels/helper-2.0-py3-none-any.whl
    commands = python -c "import demo, helper; assert demo.VALUE == 42 and helper.NAME == 'helper'; print('IMPORTED')"
    [testenv:bare]
    skip_install = true
    commands = python -I -c "import importlib.util as u; assert u.find_spec('demo') is None; print('BARE')"
"""


def _tox(tox_bin: Path, project: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(tox_bin / "tox"), *args], cwd=project, env=env, capture_output=True, text=True, timeout=900)


def _made_by(env_dir: Path) -> str:
    """``roost`` or ``virtualenv``: the key each writes into pyvenv.cfg."""
    keys = {line.split("=")[0].strip() for line in (env_dir / "pyvenv.cfg").read_text().splitlines()}
    return "roost" if "roost" in keys else "virtualenv" if "virtualenv" in keys else "?"


def _info(env_dir: Path) -> dict[str, dict[str, object]]:
    loaded: dict[str, dict[str, object]] = json.loads((env_dir / ".tox-info.json").read_text())
    return loaded


def test_two_environments_with_deps_and_skip_install(tox_bin: Path, tmp_path: Path, app_data_dir: Path) -> None:
    from roost import __version__

    project = make_project(tmp_path / "project", TWO_ENVS)
    done = _tox(tox_bin, project, tool_env(tmp_path, app_data_dir), "run")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "IMPORTED" in done.stdout and "BARE" in done.stdout
    for name in ("pkg", "bare", ".pkg"):
        assert _made_by(project / ".tox" / name) == "roost", name
    info = _info(project / ".tox" / "pkg")
    assert info["ToxEnv"]["type"] == "RoostRunner"
    assert info["Python"]["roost version"] == __version__ and "virtualenv version" not in info["Python"]
    assert _info(project / ".tox" / ".pkg")["ToxEnv"]["type"] == "RoostPep517Packager"
    # The env really is the one tox ran the commands in.
    assert (project / ".tox" / "pkg" / "lib").is_dir()


def test_runner_selection(tox_bin: Path, tmp_path: Path, app_data_dir: Path) -> None:
    """--runner virtualenv goes back to virtualenv; `runner = roost` and --runner roost choose roost."""
    project = make_project(
        tmp_path / "project",
        """
        [tox]
        env_list = a, b
        [testenv]
        skip_install = true
        commands = python -c "print('RAN')"
        [testenv:b]
        runner = roost
        """,
    )
    env = tool_env(tmp_path, app_data_dir)
    done = _tox(tox_bin, project, env, "run", "-e", "a", "--runner", "virtualenv")
    assert done.returncode == 0, done.stdout + done.stderr
    assert _made_by(project / ".tox" / "a") == "virtualenv"
    done = _tox(tox_bin, project, env, "run", "-e", "a", "--runner", "roost")
    assert done.returncode == 0, done.stdout + done.stderr
    # The runner type changed, so tox made the environment again, with roost.
    assert _made_by(project / ".tox" / "a") == "roost"
    done = _tox(tox_bin, project, env, "run", "-e", "b")
    assert done.returncode == 0, done.stdout + done.stderr
    assert _made_by(project / ".tox" / "b") == "roost"


def test_recreate(tox_bin: Path, tmp_path: Path, app_data_dir: Path) -> None:
    project = make_project(tmp_path / "project", TWO_ENVS)
    env = tool_env(tmp_path, app_data_dir)
    assert _tox(tox_bin, project, env, "run", "-e", "bare").returncode == 0
    stray = project / ".tox" / "bare" / "stray.txt"
    stray.write_text("made between runs")
    again = _tox(tox_bin, project, env, "run", "-e", "bare")
    assert again.returncode == 0 and stray.exists()  # reused as it was
    done = _tox(tox_bin, project, env, "run", "-e", "bare", "--recreate")
    assert done.returncode == 0, done.stdout + done.stderr
    assert not stray.exists() and _made_by(project / ".tox" / "bare") == "roost"


def test_missing_interpreter(tox_bin: Path, tmp_path: Path, app_data_dir: Path) -> None:
    ini = """
        [tox]
        env_list = here, nowhere
        skip_missing_interpreters = {skip}
        [testenv]
        skip_install = true
        commands = python -c "print('RAN')"
        [testenv:nowhere]
        base_python = python3.99
    """
    env = tool_env(tmp_path, app_data_dir)
    project = make_project(tmp_path / "skip", ini.format(skip="true"))
    done = _tox(tox_bin, project, env, "run")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "nowhere: SKIP" in done.stdout and "here: OK" in done.stdout
    project = make_project(tmp_path / "fail", ini.format(skip="false"))
    done = _tox(tox_bin, project, env, "run")
    assert done.returncode != 0
    assert "could not find python interpreter" in done.stdout and "Traceback" not in done.stdout + done.stderr


def test_system_site_packages_and_always_copy(tox_bin: Path, tmp_path: Path, app_data_dir: Path) -> None:
    other = EXPECTED_INTERPRETERS["cpython3.12"]
    if not os.path.exists(other):
        other = sys.executable
    project = make_project(
        tmp_path / "project",
        f"""
        [tox]
        env_list = site, copy
        [testenv]
        skip_install = true
        commands = python -c "import sys; print(sys.version_info[:2])"
        [testenv:site]
        system_site_packages = true
        [testenv:copy]
        always_copy = true
        base_python = {other}
        """,
    )
    done = _tox(tox_bin, project, tool_env(tmp_path, app_data_dir), "run")
    assert done.returncode == 0, done.stdout + done.stderr
    site_cfg = (project / ".tox" / "site" / "pyvenv.cfg").read_text()
    assert "include-system-site-packages = true" in site_cfg and _made_by(project / ".tox" / "site") == "roost"
    assert _info(project / ".tox" / "site")["Python"]["system_site_packages"] is True
    copy_python = project / ".tox" / "copy" / "bin" / "python"
    assert copy_python.is_file() and not copy_python.is_symlink()
    assert (project / ".tox" / "site" / "bin" / "python").is_symlink()
    home = next(line for line in (project / ".tox" / "copy" / "pyvenv.cfg").read_text().splitlines() if line.startswith("home"))
    assert home.split(" = ", 1)[1] == os.path.dirname(os.path.realpath(other))  # base_python chose the interpreter


def test_parallel_run(tox_bin: Path, tmp_path: Path, app_data_dir: Path) -> None:
    """tox resolves and creates environments from worker threads at once: roost's API is thread-safe."""
    project = make_project(tmp_path / "project", TWO_ENVS)
    done = _tox(tox_bin, project, tool_env(tmp_path, app_data_dir), "run-parallel", "-p", "2", "--parallel-no-spinner")
    assert done.returncode == 0, done.stdout + done.stderr
    for name in ("pkg", "bare"):
        assert _made_by(project / ".tox" / name) == "roost"
        # tox's summary line ("  pkg: OK (1.2 seconds)"); the env's own output lines start with its name too
        assert any(line.strip().startswith(f"{name}: OK") for line in done.stdout.splitlines()), done.stdout


def test_external_package_builder(tox_bin: Path, tmp_path: Path, app_data_dir: Path) -> None:
    """`package = external`: tox's command-builder package environment, made by roost too."""
    project = make_project(
        tmp_path / "project",
        """
        [tox]
        env_list = ext
        [testenv:ext]
        package = external
        commands = python -c "import demo; assert demo.VALUE == 42; print('EXTERNAL')"
        [testenv:.pkg_external]
        commands = python build_external.py {env_tmp_dir}/dist
        package_glob = {env_tmp_dir}/dist/*.whl
        """,
    )
    (project / "build_external.py").write_text(
        "import os, sys\nimport backend\nos.makedirs(sys.argv[1], exist_ok=True)\nbackend.build_wheel(sys.argv[1])\n"
    )
    done = _tox(tox_bin, project, tool_env(tmp_path, app_data_dir), "run")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "EXTERNAL" in done.stdout
    assert _made_by(project / ".tox" / ".pkg_external") == "roost"
    assert _info(project / ".tox" / ".pkg_external")["ToxEnv"]["type"] == "RoostCmdBuilder"
