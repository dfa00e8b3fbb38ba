"""roost --upgrade (venv's promise, done right) and --upgrade-deps."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from health_helpers import assert_works, build_wheel, create, install_packages, make_base, make_project, python_env, roost, run


@pytest.mark.slow
def test_upgrade_repoints_a_moved_base_and_replaces_dangling_links(tmp_path: Path, roost_env: dict[str, str]) -> None:
    base = make_base("3.12.1", tmp_path / "base")
    env_dir = create("venv", base, tmp_path / "env", roost_env)
    install_packages(env_dir, build_wheel(tmp_path / "wheels"), make_project(tmp_path / "project"), roost_env)
    (tmp_path / "base").rename(tmp_path / "new-base")
    assert not os.path.exists(env_dir / "bin" / "python3.12")  # dangling

    done = roost(["--upgrade", "-p", str(tmp_path / "new-base" / "bin" / "python3.12"), str(env_dir)], roost_env)

    assert "upgraded environment" in done.stdout and "re-pointed at CPython 3.12.1" in done.stdout
    for name in ("python", "python3", "python3.12"):
        assert os.path.realpath(env_dir / "bin" / name) == str(tmp_path / "new-base" / "bin" / "python3.12")
    assert_works(env_dir, roost_env)
    assert f"home = {tmp_path / 'new-base' / 'bin'}" in (env_dir / "pyvenv.cfg").read_text()


def test_upgrade_to_another_minor_is_refused(tmp_path: Path, roost_env: dict[str, str]) -> None:
    env_dir = create("roost", make_base("3.12.1", tmp_path / "base"), tmp_path / "env", roost_env)
    other = make_base("3.13.0", tmp_path / "other")
    cfg = (env_dir / "pyvenv.cfg").read_text()
    done = roost(["--upgrade", "-p", str(other), str(env_dir)], roost_env, check=False)
    assert done.returncode == 1 and len(done.stderr.splitlines()) == 1
    assert "repair --recreate" in done.stderr and "Traceback" not in done.stderr
    assert (env_dir / "pyvenv.cfg").read_text() == cfg


def test_upgrade_of_a_folder_that_is_not_an_environment(tmp_path: Path, roost_env: dict[str, str]) -> None:
    done = roost(["--upgrade", str(tmp_path / "nothing")], roost_env, check=False)
    assert done.returncode == 1 and "not an environment" in done.stderr
    assert not (tmp_path / "nothing").exists()


@pytest.mark.slow
def test_upgrade_deps_replaces_an_older_pip(tmp_path: Path, roost_env: dict[str, str]) -> None:
    base = make_base("3.12.1", tmp_path / "base")
    env_dir = create("roost", base, tmp_path / "env", roost_env, "--pip", "23.2.1")
    python = str(env_dir / "bin" / "python")
    assert run([python, "-m", "pip", "--version"], python_env(roost_env)).stdout.startswith("pip 23.2.1 ")

    done = roost(["--upgrade-deps", str(env_dir)], roost_env)

    assert "seed packages: pip" in done.stdout
    version = run([python, "-m", "pip", "--version"], python_env(roost_env)).stdout.split()[1]
    assert tuple(map(int, version.split(".")[:2])) > (23, 2)
    site = env_dir / "lib" / "python3.12" / "site-packages"
    assert [name for name in os.listdir(site) if name.startswith("pip-")] == [f"pip-{version}.dist-info"]
