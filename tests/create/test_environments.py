"""Real environments for every interpreter, in symlink and copy mode."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from support import EXPECTED_INTERPRETERS, OLD_INTERPRETERS, env_facts, require_executable, run_roost

import roost


def _probe_base(python: str) -> dict[str, str]:
    code = (
        "import json, sys, sysconfig; print(json.dumps({'base_prefix': getattr(sys, 'base_prefix', sys.prefix),"
        " 'purelib': sysconfig.get_paths()['purelib']}))"
    )
    return json.loads(subprocess.check_output([python, "-c", code], text=True))


def _read_cfg(dest: Path) -> dict[str, str]:
    pairs = (line.partition("=") for line in (dest / "pyvenv.cfg").read_text().splitlines())
    return {key.strip(): value.strip() for key, _, value in pairs}


@pytest.mark.parametrize("mode", ["--symlinks", "--copies"])
def test_environment_for_every_interpreter(target_python: str, mode: str, tmp_path: Path, roost_env: dict[str, str]) -> None:
    dest = tmp_path / "env"
    done = run_roost(["--no-seed", "-p", target_python, mode, str(dest)], roost_env)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert done.stdout.count("\n") == 1 and "created" in done.stdout

    facts = env_facts(dest / "bin" / "python")
    base = _probe_base(target_python)
    assert facts["stderr"] == ""
    assert Path(str(facts["prefix"])) == dest
    assert os.path.realpath(str(facts["base_prefix"])) == os.path.realpath(base["base_prefix"])
    assert base["purelib"] not in facts["path"], "the base's site-packages leaked into the env"
    assert any(str(entry).startswith(str(dest)) and entry.endswith("site-packages") for entry in facts["path"])  # type: ignore[union-attr]

    bin_dir = dest / "bin"
    major, minor = facts["version"]  # type: ignore[misc]
    for name in ("python", "python3", f"python{major}.{minor}"):
        assert (bin_dir / name).exists(), name
        assert (bin_dir / name).is_symlink() == (mode == "--symlinks") or name != f"python{major}.{minor}"
    if "pypy" in target_python:
        assert (bin_dir / "pypy3").exists() and (bin_dir / f"pypy{major}.{minor}").exists()

    cfg = _read_cfg(dest)
    for key in (
        "home",
        "implementation",
        "version_info",
        "version",
        "executable",
        "command",
        "roost",
        "include-system-site-packages",
        "base-prefix",
        "base-exec-prefix",
        "base-executable",
    ):
        assert key in cfg, key
    assert cfg["include-system-site-packages"] == "false"
    assert "prompt" not in cfg
    assert (dest / ".gitignore").read_text().splitlines()[-1] == "*"
    assert (dest / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")
    if sys.platform.startswith("linux"):
        assert os.readlink(dest / "lib64") == "lib"


def test_python_3_6_works(tmp_path: Path, roost_env: dict[str, str]) -> None:
    python = require_executable(OLD_INTERPRETERS["cpython3.6"], "CPython 3.6")
    done = run_roost(["--no-seed", "-p", python, str(tmp_path / "e")], roost_env)
    assert done.returncode == 0, done.stderr
    assert Path(str(env_facts(tmp_path / "e" / "bin" / "python")["prefix"])) == tmp_path / "e"


def test_system_site_packages(tmp_path: Path, roost_env: dict[str, str]) -> None:
    dest = tmp_path / "e"
    assert run_roost(["--no-seed", "--system-site-packages", str(dest)], roost_env).returncode == 0
    assert _read_cfg(dest)["include-system-site-packages"] == "true"
    # The base's own site-packages, also when the tests themselves run inside a venv.
    base_purelib = sysconfig.get_path("purelib", vars={"base": sys.base_prefix, "platbase": sys.base_exec_prefix})
    assert base_purelib in env_facts(dest / "bin" / "python")["path"]


def test_prompt_and_dot_prompt(tmp_path: Path, roost_env: dict[str, str]) -> None:
    assert run_roost(["--no-seed", "--prompt", "my env", str(tmp_path / "a")], roost_env).returncode == 0
    assert _read_cfg(tmp_path / "a")["prompt"] == "my env"
    project = tmp_path / "project-name"
    project.mkdir()
    assert run_roost(["--no-seed", "--prompt", ".", "venv"], roost_env, cwd=project).returncode == 0
    assert _read_cfg(project / "venv")["prompt"] == "project-name"


def test_prompt_line_comes_before_the_command_line(tmp_path: Path, roost_env: dict[str, str]) -> None:
    """xonsh (and other readers) take the first "prompt = " in pyvenv.cfg: `command`, which
    holds --prompt=TEXT as typed, must come after the real key."""
    import re

    done = run_roost(["--no-seed", "--prompt=myp", str(tmp_path / "e")], roost_env)
    assert done.returncode == 0, done.stderr
    text = (tmp_path / "e" / "pyvenv.cfg").read_text()
    first = re.search(r"prompt\s*=\s*(.*)", text)
    assert first is not None and first.group(1) == "myp"


def test_empty_prompt_means_the_folder_name(tmp_path: Path, roost_env: dict[str, str]) -> None:
    done = run_roost(["--no-seed", "--prompt", "", str(tmp_path / "e")], roost_env)
    assert done.returncode == 0, done.stderr
    assert "prompt" not in _read_cfg(tmp_path / "e")
    assert "VIRTUAL_ENV_PROMPT='e'" in (tmp_path / "e" / "bin" / "activate").read_text()


def test_prompt_with_newline_cannot_inject_a_key(tmp_path: Path, roost_env: dict[str, str]) -> None:
    dest = tmp_path / "e"
    done = run_roost(
        ["--no-seed", "--activators", "", "--prompt", "x\ninclude-system-site-packages = true", str(dest)], roost_env
    )
    assert done.returncode == 0, done.stderr
    assert _read_cfg(dest)["include-system-site-packages"] == "false"


def test_no_vcs_ignore(tmp_path: Path, roost_env: dict[str, str]) -> None:
    assert run_roost(["--no-seed", "--no-vcs-ignore", str(tmp_path / "e")], roost_env).returncode == 0
    assert not (tmp_path / "e" / ".gitignore").exists() and not (tmp_path / "e" / "CACHEDIR.TAG").exists()


@pytest.mark.parametrize("python_name", ["running", "other"])
def test_creator_venv(python_name: str, tmp_path: Path, roost_env: dict[str, str]) -> None:
    python = (
        sys.executable
        if python_name == "running"
        else require_executable(OLD_INTERPRETERS["cpython3.6"].replace("3.6.15", "3.12.1"), "CPython 3.12")
    )
    dest = tmp_path / "e"
    done = run_roost(["--no-seed", "--creator", "venv", "-p", python, "--prompt", "pp", str(dest)], roost_env)
    assert done.returncode == 0, done.stderr
    cfg = _read_cfg(dest)
    assert cfg["roost"] and cfg["prompt"] == "pp"
    assert Path(str(env_facts(dest / "bin" / "python")["prefix"])) == dest
    assert (dest / "bin" / "activate").exists()


def test_existing_environment_is_updated_in_place(tmp_path: Path, roost_env: dict[str, str]) -> None:
    dest = tmp_path / "e"
    assert run_roost(["--no-seed", str(dest)], roost_env).returncode == 0
    site = next((dest / "lib").glob("python*/site-packages"))
    (site / "mine.py").write_text("VALUE = 1\n")
    (dest / "bin" / "my-tool").write_text("#!/bin/sh\n")
    (dest / ".gitignore").write_text("custom\n")
    (dest / "CACHEDIR.TAG").unlink()
    (dest / "CACHEDIR.TAG").symlink_to(tmp_path / "nowhere")  # even a dangling link stays
    done = run_roost(["--no-seed", "--prompt", "again", str(dest)], roost_env)
    assert done.returncode == 0, done.stderr
    assert (site / "mine.py").read_text() == "VALUE = 1\n"
    assert (dest / "bin" / "my-tool").exists()
    assert (dest / ".gitignore").read_text() == "custom\n"
    assert (dest / "CACHEDIR.TAG").is_symlink() and not (tmp_path / "nowhere").exists()
    assert _read_cfg(dest)["prompt"] == "again"


def test_console_script_and_module(tmp_path: Path, roost_env: dict[str, str]) -> None:
    script = Path(sys.executable).with_name("roost")
    if not script.exists():
        pytest.skip("roost is not installed as a console script next to this python")
    done = subprocess.run([str(script), "--no-seed", str(tmp_path / "e")], env=roost_env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "e" / "pyvenv.cfg").exists()


def test_pyvenv_cfg_is_the_last_thing_written(tmp_path: Path, roost_env: dict[str, str]) -> None:
    """An audit hook records every filesystem write; pyvenv.cfg's rename must come last."""
    dest = tmp_path / "e"
    code = f"""
import sys, json
events = []
def hook(event, args):
    if event == "open" and args[1] and any(c in str(args[1]) for c in "wax+"):
        events.append(("write", str(args[0])))
    elif event in ("os.rename", "os.replace", "os.symlink", "os.link", "os.mkdir"):
        events.append((event, str(args[-1] if event == "os.mkdir" else args[1])))
sys.addaudithook(hook)
import roost
roost.cli_run([{str(dest)!r}])
print(json.dumps([e for e in events if e[1].startswith({str(dest)!r})]))
"""
    done = subprocess.run([sys.executable, "-c", code], env=roost_env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    events = __import__("json").loads(done.stdout.splitlines()[-1])
    assert events, "no writes recorded"
    last_kind, last_path = events[-1]
    assert last_kind in ("os.rename", "os.replace") and last_path == str(dest / "pyvenv.cfg")
    assert not any(path == str(dest / "pyvenv.cfg") for _, path in events[:-1])


def test_an_environment_for_every_interpreter_found(tmp_path: Path, roost_env: dict[str, str]) -> None:
    """Whatever `roost python list` finds either gets a working env or one line saying why not."""
    listed = run_roost(["python", "list", "--json"], roost_env)
    assert listed.returncode == 0, listed.stderr
    found = json.loads(listed.stdout)
    assert len(found) >= 2
    for index, entry in enumerate(found):
        dest = tmp_path / f"env{index}"
        done = run_roost(["--no-seed", "-p", entry["path"], str(dest)], roost_env)
        if done.returncode == 0:
            assert Path(str(env_facts(dest / "bin" / "python")["prefix"])) == dest
        else:
            assert entry["version"].startswith("2."), (entry, done.stderr)
            assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr


@pytest.mark.parametrize("runner", ["cpython3.9", "pypy3.9"])
def test_roost_itself_runs_on_the_oldest_supported_interpreters(runner: str, tmp_path: Path, roost_env: dict[str, str]) -> None:
    """roost runs on CPython 3.9+ and PyPy 3.9+ (bare path: no third-party module needed)."""
    python = require_executable(EXPECTED_INTERPRETERS[runner], runner)
    env = dict(roost_env, PYTHONPATH=str(Path(roost.__file__).resolve().parents[1]))
    dest = tmp_path / "env"
    done = subprocess.run([python, "-m", "roost", "--no-seed", str(dest)], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert Path(str(env_facts(dest / "bin" / "python")["prefix"])) == dest


def test_venv_redirect_in_a_project_folder(tmp_path: Path, roost_env: dict[str, str]) -> None:
    """PEP 832, as virtualenv does it: beside a pyproject.toml with no .venv yet, a .venv file
    names the new environment; an existing .venv folder, or a file pointing at an environment
    someone else made, is left alone; --no-venv-redirect writes none."""
    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    assert run_roost(["--no-seed", str(project / "env-a")], roost_env).returncode == 0
    assert (project / ".venv").read_text() == "env-a\n"
    assert run_roost(["--no-seed", str(project / "env-b")], roost_env).returncode == 0
    assert (project / ".venv").read_text() == "env-a\n"  # the default is claimed only once
    assert run_roost(["--no-seed", "--venv-redirect", str(project / "env-b")], roost_env).returncode == 0
    assert (project / ".venv").read_text() == "env-b\n"  # ours to repoint: roost made env-a

    (project / "other").mkdir()
    (project / "other" / "pyvenv.cfg").write_text("home = /usr/bin\n")  # made by another tool
    (project / ".venv").write_text("other\n")
    assert run_roost(["--no-seed", "--venv-redirect", str(project / "env-c")], roost_env).returncode == 0
    assert (project / ".venv").read_text() == "other\n"

    elsewhere = tmp_path / "plain"
    elsewhere.mkdir()
    assert run_roost(["--no-seed", str(elsewhere / "env")], roost_env).returncode == 0
    assert not (elsewhere / ".venv").exists()  # not a project folder
    (elsewhere / "pyproject.toml").write_text("")
    assert run_roost(["--no-seed", "--no-venv-redirect", str(elsewhere / "env2")], roost_env).returncode == 0
    assert not (elsewhere / ".venv").exists()
    assert run_roost(["--no-seed", str(elsewhere / ".venv")], roost_env).returncode == 0  # the env is .venv itself
    assert (elsewhere / ".venv" / "pyvenv.cfg").is_file()
