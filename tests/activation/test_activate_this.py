"""``activate_this.py`` executed in a real interpreter (the one running the tests)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import CASES, START_PATH, assert_no_canary, site_packages

DRIVER = r"""
import json, os, shutil, sys
os.environ["PYTHONHOME"] = "/set/before"
script = os.environ["ROOST_T_SCRIPT"]
exec(open(script, encoding="utf-8").read(), {"__file__": script})
import roost_t_marker
with open(os.path.join(os.environ["ROOST_T_OUT"], "result.json"), "w") as f:
    json.dump({
        "prefix": sys.prefix,
        "exec_prefix": sys.exec_prefix,
        "real_prefix": getattr(sys, "real_prefix", None),
        "path": sys.path,
        "marker": roost_t_marker.__file__,
        "env": {k: os.environ.get(k) for k in ("VIRTUAL_ENV", "VIRTUAL_ENV_PROMPT", "PATH", "PYTHONHOME")},
        "python": shutil.which("python"),
    }, f)
"""


def run(script: Path, workdir: Path, out: Path) -> dict:
    env = {"PATH": START_PATH, "ROOST_T_SCRIPT": str(script), "ROOST_T_OUT": str(out), "HOME": str(workdir)}
    done = subprocess.run([sys.executable, "-c", DRIVER], env=env, cwd=workdir, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads((out / "result.json").read_text())


def prepare(env) -> Path:
    """A module and a .pth file in site-packages: imports must find the first, site must run the second."""
    lib = site_packages(env.dest)
    (lib / "roost_t_marker.py").write_text("")
    (lib / "roost_t_extra.pth").write_text("extra\n")
    (lib / "extra").mkdir()
    return lib


@pytest.mark.slow
@pytest.mark.parametrize("case", list(CASES))
def test_activate_this(case: str, make_env, workdir: Path, out: Path) -> None:
    value = CASES[case]
    env = make_env(f"env {value}", value, ["python"])
    assert env.warnings == []
    assert env.script("activate_this.py").read_bytes().isascii()
    lib = prepare(env)
    seen = run(env.script("activate_this.py"), workdir, out)
    assert seen["prefix"] == seen["exec_prefix"] == str(env.dest)
    assert seen["path"][0] == str(lib)
    assert str(lib / "extra") in seen["path"]
    assert seen["marker"] == str(lib / "roost_t_marker.py")
    assert seen["env"] == {
        "VIRTUAL_ENV": str(env.dest),
        "VIRTUAL_ENV_PROMPT": value,
        "PATH": f"{env.bin}{os.pathsep}{START_PATH}",
        "PYTHONHOME": None,
    }
    assert seen["python"] == str(env.bin / "python")
    assert_no_canary(workdir, env.dest)


def test_moved_env(make_env, workdir: Path, out: Path) -> None:
    env = make_env("env", "env", ["python"])
    env.move_to(env.dest.parent / "moved")
    lib = prepare(env)
    seen = run(env.script("activate_this.py"), workdir, out)
    assert seen["prefix"] == str(env.dest)
    assert seen["path"][0] == str(lib)


def test_linked_script_activates_the_environment_it_is_in(make_env, workdir: Path, out: Path) -> None:
    """A link to activate_this.py elsewhere (ln -s .venv/bin/activate_this.py): the environment
    is where the file itself is; sys.real_prefix keeps the base, as virtualenv's script does."""
    env = make_env("env", "env", ["python"])
    lib = prepare(env)
    link = workdir / "activate_this.py"
    link.symlink_to(env.script("activate_this.py"))
    seen = run(link, workdir, out)
    assert seen["prefix"] == str(env.dest) and seen["path"][0] == str(lib)
    assert seen["real_prefix"] == sys.prefix


def test_refuses_plain_exec(make_env, workdir: Path) -> None:
    env = make_env("env", "env", ["python"])
    code = "exec(open(__import__('sys').argv[1]).read(), {})"
    done = subprocess.run(
        [sys.executable, "-c", code, str(env.script("activate_this.py"))], capture_output=True, text=True, timeout=60
    )
    assert done.returncode != 0
    assert "__file__" in done.stderr


def _interpreters() -> list:
    """Every interpreter on this machine that an environment might be made for."""
    root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    found = sorted(str(p) for p in root.glob("*/bin/python")) if root.is_dir() else []
    found += [p for p in ("/usr/bin/python3", "/usr/bin/pypy3") if os.path.exists(p)]
    return found or [sys.executable]


@pytest.mark.parametrize("python", _interpreters())
def test_runs_in_every_interpreter(python: str, make_env, workdir: Path) -> None:
    """The script runs inside the target interpreter, old ones included: its syntax must suit them all."""
    # an ASCII prompt: Python 2 cannot put other text into os.environ
    env = make_env("env ünï 'q'", "pr'mpt $x \\", ["python"])
    code = (
        "import os, sys; s = os.environ['ROOST_T_SCRIPT']; exec(open(s).read(), {'__file__': s}); "
        "sys.stdout.write(sys.prefix + '|' + os.environ['VIRTUAL_ENV_PROMPT'] + '|' + os.environ['PATH'])"
    )
    done = subprocess.run(
        [python, "-c", code],
        env={"PATH": START_PATH, "ROOST_T_SCRIPT": str(env.script("activate_this.py")), "LANG": "C.UTF-8"},
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    prefix, prompt, path = done.stdout.decode("utf-8").split("|")
    assert prefix == str(env.dest)
    assert path == f"{env.bin}:{START_PATH}"
    assert prompt == "pr'mpt $x \\"
