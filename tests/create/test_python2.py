"""Python 2.7 environments with pyenv's real CPython 2.7.18, and the same checks on 3.6.

Each environment is made by ``python -m roost`` and used the way a user would: its
python started, pip run inside it (offline, a wheel built here), its console scripts run.
"""

from __future__ import annotations

import json
import os
import subprocess
import zipfile
from pathlib import Path

import pytest
from support import OLD_INTERPRETERS, require_executable, run_roost

pytestmark = pytest.mark.slow

# What the environment's python reports; valid on Python 2.7 and 3.6.
FACTS = (
    "import json, sys, site; sys.stdout.write(json.dumps({'prefix': sys.prefix, 'exec_prefix': sys.exec_prefix,"
    " 'real_prefix': getattr(sys, 'real_prefix', None), 'base_prefix': sys.base_prefix, 'path': sys.path,"
    " 'site_packages': site.getsitepackages(), 'user_site': site.ENABLE_USER_SITE, 'executable': sys.executable}))"
)


def _clean_env(**extra: str) -> dict[str, str]:
    """No PYTHON*/PIP_* of the test run's, no pip config, pip kept off the network."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTHON", "PIP_", "VIRTUAL_ENV"))}
    env.update(PIP_CONFIG_FILE=os.devnull, PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_PYTHON_VERSION_WARNING="1")
    env.update(extra)
    return env


def _run(argv: list[str | Path], **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(part) for part in argv], capture_output=True, text=True, timeout=300, env=_clean_env(**extra))


def _facts(python: Path, **extra: str) -> dict[str, object]:
    done = _run([python, "-c", FACTS], **extra)
    assert done.returncode == 0, done.stderr
    assert done.stderr == "", "the environment's python printed on stderr at start-up"
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def _base(python: str) -> dict[str, str]:
    code = (
        "import json, sys, sysconfig;"
        " sys.stdout.write(json.dumps({'prefix': sys.prefix, 'purelib': sysconfig.get_paths()['purelib']}))"
    )
    return json.loads(subprocess.check_output([python, "-c", code], text=True, env=_clean_env()))  # type: ignore[no-any-return]


def _make(python: str, dest: Path, roost_env: dict[str, str], *args: str) -> None:
    done = run_roost([*args, "-p", python, str(dest)], roost_env)
    assert done.returncode == 0, done.stderr
    assert done.stderr == "" or "warning: no wheel wheel" in done.stderr, done.stderr


def build_wheel(folder: Path) -> Path:
    """A tiny pure py2.py3 wheel with a module and a console script (PEP 427)."""
    path = folder / "roost_t_hello-1.0-py2.py3-none-any.whl"
    info = "roost_t_hello-1.0.dist-info"
    files = {
        "roost_t_hello.py": "import sys\n\ndef main():\n    sys.stdout.write('hello from ' + sys.prefix)\n    return 0\n",
        f"{info}/METADATA": "Metadata-Version: 2.1\nName: roost_t_hello\nVersion: 1.0\nRequires-Python: >=2.7\n",
        f"{info}/WHEEL": "Wheel-Version: 1.0\nGenerator: roost-tests\nRoot-Is-Purelib: true\nTag: py2-none-any\n"
        "Tag: py3-none-any\n",
        f"{info}/entry_points.txt": "[console_scripts]\nroost-t-hello = roost_t_hello:main\n",
        f"{info}/top_level.txt": "roost_t_hello\n",
    }
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
        archive.writestr(f"{info}/RECORD", "".join(f"{name},,\n" for name in [*files, f"{info}/RECORD"]))
    return path


@pytest.fixture(params=["cpython2.7", "cpython3.6"])
def old_python(request: pytest.FixtureRequest) -> str:
    return require_executable(OLD_INTERPRETERS[request.param], request.param)


@pytest.mark.parametrize("mode", ["--symlinks", "--copies"])
def test_environment_is_isolated(old_python: str, mode: str, tmp_path: Path, roost_env: dict[str, str]) -> None:
    dest = tmp_path / "env"
    _make(old_python, dest, roost_env, "--no-seed", mode)
    facts = _facts(dest / "bin" / "python")
    base = _base(old_python)
    assert facts["prefix"] == facts["exec_prefix"] == str(dest)
    assert facts["base_prefix"] == base["prefix"]
    site_packages = str(dest / "lib" / f"python{Path(old_python).resolve().name[6:]}" / "site-packages")
    assert facts["site_packages"][0] == site_packages  # type: ignore[index]
    # sys.path: the base's standard library, then the environment's site-packages, nothing else
    path = [entry for entry in facts["path"] if entry]  # type: ignore[attr-defined]
    assert path[-1] == site_packages
    assert all(entry.startswith(base["prefix"] + "/lib/") for entry in path[:-1]), path
    assert base["purelib"] not in path and facts["user_site"] is False
    # the base has pip and setuptools installed; the environment must not see them
    done = _run([dest / "bin" / "python", "-c", "import setuptools"])
    assert done.returncode == 1 and "No module named" in done.stderr
    if old_python.endswith("2.7.18/bin/python"):
        assert facts["real_prefix"] == base["prefix"]
        # Python 2 follows a symlinked binary home: its binary is a copy in both modes
        assert not (dest / "bin" / "python2.7").is_symlink()
        assert (dest / "bin" / "python").is_symlink() == (mode == "--symlinks")


def test_pip_installs_imports_and_runs_scripts(old_python: str, tmp_path: Path, roost_env: dict[str, str]) -> None:
    dest = tmp_path / "env"
    _make(old_python, dest, roost_env)
    python = dest / "bin" / "python"
    wheel = build_wheel(tmp_path)
    done = _run([python, "-m", "pip", "install", "--no-deps", wheel])
    assert done.returncode == 0, done.stdout + done.stderr
    done = _run([python, "-c", "import roost_t_hello, sys; sys.stdout.write(roost_t_hello.__file__)"])
    assert done.stderr == "" and done.stdout.startswith(str(dest / "lib")), done
    done = _run([dest / "bin" / "roost-t-hello"])
    assert (done.returncode, done.stdout, done.stderr) == (0, f"hello from {dest}", "")
    # pip's own console script, then pip removing itself
    done = _run([dest / "bin" / "pip", "--version"])
    assert done.returncode == 0 and str(dest) in done.stdout, done.stderr
    done = _run([python, "-m", "pip", "uninstall", "-y", "pip"])
    assert done.returncode == 0, done.stderr
    assert _run([python, "-c", "import pip"]).returncode == 1
    assert not (dest / "bin" / "pip").exists()


def test_system_site_packages(old_python: str, tmp_path: Path, roost_env: dict[str, str]) -> None:
    dest = tmp_path / "env"
    _make(old_python, dest, roost_env, "--no-seed", "--system-site-packages")
    facts = _facts(dest / "bin" / "python")
    base = _base(old_python)
    path = facts["path"]
    own = str(dest / "lib" / Path(base["purelib"]).relative_to(base["prefix"] + "/lib"))
    assert path.index(own) < path.index(base["purelib"])  # type: ignore[attr-defined]
    assert facts["site_packages"][:1] == [own]  # type: ignore[index]
    assert base["purelib"] in facts["site_packages"]  # type: ignore[operator]
    done = _run([dest / "bin" / "python", "-c", "import setuptools, sys; sys.stdout.write(setuptools.__file__)"])
    assert done.returncode == 0 and done.stdout.startswith(base["purelib"]), done.stderr


def test_update_in_place_and_clear(tmp_path: Path, roost_env: dict[str, str]) -> None:
    python = require_executable(OLD_INTERPRETERS["cpython2.7"], "CPython 2.7")
    dest = tmp_path / "env"
    _make(python, dest, roost_env, "--no-seed", "--copies")
    mine = dest / "lib" / "python2.7" / "site-packages" / "mine.py"
    mine.write_text("VALUE = 1\n")
    _make(python, dest, roost_env, "--no-seed")  # update in place, now with links
    assert mine.exists() and (dest / "lib" / "python2.7" / "os.py").is_symlink()
    assert _run([dest / "bin" / "python", "-c", "import mine"]).returncode == 0
    _make(python, dest, roost_env, "--no-seed", "--clear")
    assert not mine.exists()
    assert _facts(dest / "bin" / "python")["prefix"] == str(dest)


def test_hostile_folder_name_and_pythonpath(tmp_path: Path, roost_env: dict[str, str]) -> None:
    """A space and non-ASCII in the path (scripts need the trampoline with an encoding line on
    Python 2), and PYTHONPATH naming the environment's own lib/python2.7 (where roost's
    site.py is: the base's must still be the one that runs)."""
    python = require_executable(OLD_INTERPRETERS["cpython2.7"], "CPython 2.7")
    dest = tmp_path / "my ünï env"
    _make(python, dest, roost_env)
    assert (dest / "bin" / "pip").read_bytes().startswith(b"#!/bin/sh\n# -*- coding: utf-8 -*-\n")
    done = _run([dest / "bin" / "pip", "--version"])
    assert done.returncode == 0 and done.stderr == "", done.stderr
    facts = _facts(dest / "bin" / "python", PYTHONPATH=f"{dest}/lib/python2.7:/nowhere")
    assert facts["path"][1:3] == [f"{dest}/lib/python2.7", "/nowhere"]  # type: ignore[index]
    assert facts["user_site"] is False
    done = _run([dest / "bin" / "python", "-m", "site"])
    assert "ENABLE_USER_SITE: False" in done.stdout and done.stderr == ""


def test_activate_this_in_python_2(tmp_path: Path, roost_env: dict[str, str]) -> None:
    python = require_executable(OLD_INTERPRETERS["cpython2.7"], "CPython 2.7")
    dest = tmp_path / "env"
    _make(python, dest, roost_env, "--no-seed")
    (dest / "lib" / "python2.7" / "site-packages" / "only_here.py").write_text("")
    script = dest / "bin" / "activate_this.py"
    code = (
        f"script = {str(script)!r}\nexec(open(script).read(), {{'__file__': script}})\n"
        "import json, os, sys, only_here\n"
        "sys.stdout.write(json.dumps([sys.prefix, sys.real_prefix, only_here.__file__, os.environ['VIRTUAL_ENV']]))\n"
    )
    done = _run([python, "-c", code])
    assert done.returncode == 0, done.stderr
    prefix, real_prefix, module, virtual_env = json.loads(done.stdout)
    assert prefix == virtual_env == str(dest) and real_prefix == _base(python)["prefix"]
    assert module.startswith(str(dest / "lib" / "python2.7" / "site-packages"))


def test_venv_creator_is_refused_for_python_2(tmp_path: Path, roost_env: dict[str, str]) -> None:
    python = require_executable(OLD_INTERPRETERS["cpython2.7"], "CPython 2.7")
    done = run_roost(["--creator", "venv", "-p", python, str(tmp_path / "e")], roost_env)
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "Python 2" in done.stderr
    assert not (tmp_path / "e").exists()


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"version_info": [2, 6, 9, "final", 0]}, "too old"),
        ({"version_info": [3, 2, 5, "final", 0]}, "too old"),
        ({"implementation": "PyPy"}, "CPython 2.7 only"),
        ({"config": {"PYTHONFRAMEWORK": "Python"}}, "framework build"),
    ],
)
def test_what_cannot_work_is_refused_in_one_line(change: dict[str, object], words: str) -> None:
    """The facts of the real 2.7.18 with one changed to what is not on this machine (a
    2.6, a 3.2, a PyPy 2, a macOS framework build): check_supported refuses each."""
    from roost.create import check_supported
    from roost.discovery.interpreter import Interpreter
    from roost.errors import RoostError

    python = require_executable(OLD_INTERPRETERS["cpython2.7"], "CPython 2.7")
    probe = Path(__file__).resolve().parents[2] / "src" / "roost" / "discovery" / "_probe.py"
    facts = json.loads(subprocess.check_output([python, str(probe)], env=_clean_env()))
    check_supported(Interpreter(facts))  # the real one is accepted
    with pytest.raises(RoostError, match=words) as caught:
        check_supported(Interpreter({**facts, **change}))
    assert "\n" not in str(caught.value)


def test_made_from_an_environments_python(tmp_path: Path, roost_env: dict[str, str]) -> None:
    """-p naming a 2.7 environment's python: the new environment is built on the base, not
    chained onto the first environment (deleting that one must not break this one)."""
    python = require_executable(OLD_INTERPRETERS["cpython2.7"], "CPython 2.7")
    first, second = tmp_path / "first", tmp_path / "second"
    _make(python, first, roost_env, "--no-seed")
    _make(str(first / "bin" / "python"), second, roost_env, "--no-seed")
    base = _base(python)["prefix"]
    assert os.readlink(second / "lib" / "python2.7" / "os.py").startswith(base + "/")
    assert os.readlink(second / "lib" / "python2.7" / "lib-dynload").startswith(base + "/")
    import shutil

    shutil.rmtree(first)
    facts = _facts(second / "bin" / "python")
    assert facts["prefix"] == str(second) and facts["real_prefix"] == base


def test_pip_19_refuses_user_installs_the_environment_would_not_see(tmp_path: Path, roost_env: dict[str, str]) -> None:
    """pip 19.2.3 (2.7's ensurepip) decides by no-global-site-packages.txt beside site.__file__."""
    python = require_executable(OLD_INTERPRETERS["cpython2.7"], "CPython 2.7")
    dest = tmp_path / "env"
    _make(python, dest, roost_env)
    wheel = build_wheel(tmp_path)
    home = tmp_path / "home"
    done = _run([dest / "bin" / "pip", "install", "--user", "--no-deps", wheel], HOME=str(home))
    assert done.returncode == 1 and "Can not perform a '--user' install" in done.stderr
    assert not home.exists()
    marker = dest / "lib" / "python2.7" / "no-global-site-packages.txt"
    _make(python, dest, roost_env, "--system-site-packages")  # updated in place: the user site is visible now
    assert not marker.exists()
    done = _run([dest / "bin" / "pip", "install", "--user", "--no-deps", wheel], HOME=str(home))
    assert done.returncode == 0, done.stderr
    assert (home / ".local" / "lib" / "python2.7" / "site-packages" / "roost_t_hello.py").is_file()
