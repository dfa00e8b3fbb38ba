"""--relocatable, and moved or copied environments in real shells (bash, zsh, fish) at the new place."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from health_helpers import build_wheel, create, make_base, python_env, roost, run

SHELLS = {
    # each prints VIRTUAL_ENV, runs the greeter console script and reports the python found on PATH
    "bash": [
        "bash",
        "-c",
        '. "$1/bin/activate" && echo "$VIRTUAL_ENV" && greeter && python -c "import sys; print(sys.prefix)"',
        "_",
    ],
    "zsh": [
        "zsh",
        "-c",
        'source "$1/bin/activate" && echo "$VIRTUAL_ENV" && greeter && python -c "import sys; print(sys.prefix)"',
        "_",
    ],
    "fish": [
        "fish",
        "-c",
        'source $argv[1]/bin/activate.fish; and echo $VIRTUAL_ENV; and greeter; and python -c "import sys; print(sys.prefix)"',
    ],
}


def _install_greeter(env_dir: Path, tmp_path: Path, env: dict[str, str]) -> None:
    offline = python_env(env) | {"PIP_NO_INDEX": "1"}
    run([str(env_dir / "bin" / "python"), "-m", "pip", "install", "-q", str(build_wheel(tmp_path / "wheels"))], offline)


def _in_shell(shell: str, env_dir: Path, env: dict[str, str]) -> list[str]:
    if not shutil.which(shell):
        pytest.skip(f"{shell} is not installed")
    clean = python_env(env)
    clean.pop("VIRTUAL_ENV", None)
    done = subprocess.run([*SHELLS[shell], str(env_dir)], capture_output=True, text=True, env=clean, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def _relocated(how: str, old: Path, new: Path) -> None:
    new.parent.mkdir(parents=True, exist_ok=True)
    if how == "move":
        old.rename(new)
    else:
        shutil.copytree(old, new, symlinks=True)
        shutil.rmtree(old)  # the copy must stand on its own


def test_relocatable_environment_writes_trampolines_and_the_uv_key(tmp_path: Path, roost_env: dict[str, str]) -> None:
    env_dir = tmp_path / "env"
    done = roost(["-p", str(make_base("3.12.1", tmp_path / "base")), str(env_dir), "--relocatable"], roost_env)
    assert "activate.csh keeps this path" in done.stderr  # csh cannot find a sourced file: roost says so
    assert "relocatable = true\n" in (env_dir / "pyvenv.cfg").read_text()
    pip = (env_dir / "bin" / "pip").read_bytes()
    assert pip.startswith(b"#!/bin/sh\n'''exec' \"$(dirname") and str(env_dir).encode() not in pip
    # RECORD still matches what is on disk (pip check and uninstall trust it)
    site = env_dir / "lib" / "python3.12" / "site-packages"
    record = next(site.glob("pip-*.dist-info")).joinpath("RECORD").read_text()
    digest = base64.urlsafe_b64encode(hashlib.sha256(pip).digest()).rstrip(b"=").decode()
    assert f"../../../bin/pip,sha256={digest},{len(pip)}\n" in record


def test_relocatable_from_the_environment_variable(tmp_path: Path, roost_env: dict[str, str]) -> None:
    env_dir = tmp_path / "env"
    roost([str(env_dir)], roost_env | {"ROOST_RELOCATABLE": "1"})
    assert "relocatable = true\n" in (env_dir / "pyvenv.cfg").read_text()


def test_uv_keeps_installs_into_a_relocatable_environment_relocatable(tmp_path: Path, roost_env: dict[str, str]) -> None:
    uv = shutil.which("uv") or pytest.skip("uv is not installed")
    env_dir = tmp_path / "env"
    roost(["-p", str(make_base("3.12.1", tmp_path / "base")), str(env_dir), "--relocatable"], roost_env)
    wheel = build_wheel(tmp_path / "wheels")
    run([uv, "pip", "install", "-q", "--offline", "--python", str(env_dir / "bin" / "python"), str(wheel)], python_env(roost_env))
    moved = tmp_path / "moved"
    env_dir.rename(moved)
    assert run([str(moved / "bin" / "greeter")], python_env(roost_env)).stdout.strip() == "hello from greeter"


@pytest.mark.slow
@pytest.mark.parametrize("how", ["move", "copy"])
def test_relocatable_environment_works_moved_in_every_shell(how: str, tmp_path: Path, roost_env: dict[str, str]) -> None:
    old = tmp_path / "first" / "env"
    roost(["-p", str(make_base("3.12.1", tmp_path / "base")), str(old), "--relocatable"], roost_env)
    _install_greeter(old, tmp_path, roost_env)  # pip writes this script with an absolute path
    new = tmp_path / "second" / "env"
    _relocated(how, old, new)
    # pip's own script (a trampoline) runs at the new place without any repair
    run([str(new / "bin" / "pip"), "--version"], python_env(roost_env))
    # the script pip wrote names the old place: check says so, repair gives it the trampoline
    check = json.loads(roost(["check", "--json", str(new)], roost_env, check=False).stdout)
    assert [problem["code"] for problem in check[0]["problems"]] == ["moved"]
    roost(["repair", str(new)], roost_env)
    assert (new / "bin" / "greeter").read_bytes().startswith(b"#!/bin/sh\n'''exec' \"$(dirname")
    for shell in SHELLS:
        assert _in_shell(shell, new, roost_env) == [str(new), "hello from greeter", str(new)], shell


@pytest.mark.slow
@pytest.mark.parametrize("how", ["move", "copy"])
@pytest.mark.parametrize("tool", ["roost", "venv", "virtualenv"])
def test_moved_environment_works_in_every_shell_after_repair(
    tool: str, how: str, tmp_path: Path, roost_env: dict[str, str]
) -> None:
    old = create(tool, make_base("3.12.1", tmp_path / "base"), tmp_path / "first" / "env", roost_env)
    _install_greeter(old, tmp_path, roost_env)
    new = tmp_path / "second place" / "env"
    _relocated(how, old, new)
    with pytest.raises(FileNotFoundError):  # its shebang names a folder that is gone: "bad interpreter"
        subprocess.run([str(new / "bin" / "greeter")], capture_output=True, env=python_env(roost_env))
    roost(["repair", str(new)], roost_env)
    assert os.access(new / "bin" / "greeter", os.X_OK)
    for shell in SHELLS:
        assert _in_shell(shell, new, roost_env) == [str(new), "hello from greeter", str(new)], shell
