"""discover() against the machine's real interpreters: pyenv 2.7 and 3.6-3.13, Debian python3, PyPy."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from roost import _log
from roost.appdata import AppData
from roost.discovery import current_interpreter, discover
from roost.discovery.cache import ProbeError
from roost.discovery.interpreter import Interpreter
from roost.errors import RoostError, UsageError

from .conftest import DEBIAN_PYPY, DEBIAN_PYTHON, PYENV, base_env, need, pyenv_python, write_script

SRC = str(Path(__file__).resolve().parents[2] / "src")
RUNNING = f"{sys.version_info[0]}.{sys.version_info[1]}"


@pytest.fixture
def env() -> dict[str, str]:
    """PATH with Debian's python3 and pypy3; pyenv's versions; nothing from the developer's shell."""
    return base_env(PYENV_ROOT=str(PYENV))


# spec -> (implementation, version prefix, executable or None, found_by or None)
REAL = [
    ("2.7", ("CPython", "2.7.18", None, "pyenv")),
    ("3.6", ("CPython", "3.6.15", None, "pyenv")),
    ("py37", ("CPython", "3.7.16", None, "pyenv")),
    ("cpython3.8", ("CPython", "3.8.18", None, "pyenv")),
    ("python3.9", ("CPython", "3.9.18", None, "pyenv")),
    ("3.10.13", ("CPython", "3.10.13", None, "pyenv")),
    ("3.12", ("CPython", "3.12.1", None, "pyenv")),
    ("3.13-64", ("CPython", "3.13.0", None, "pyenv")),
    ("3.13-x86_64", ("CPython", "3.13.0", None, "pyenv")),
    ("3.11.2", ("CPython", "3.11.2", DEBIAN_PYTHON, "PATH")),
    (DEBIAN_PYTHON, ("CPython", "3.11.2", DEBIAN_PYTHON, "path")),
    ("pypy3", ("PyPy", "3.9", DEBIAN_PYPY, "PATH")),
    ("pypy3.9", ("PyPy", "3.9", None, "PATH")),
    ("pypy", ("PyPy", "3.9", None, "PATH")),
    (">=3.13", ("CPython", "3.13.0", None, "pyenv")),
    ("cpython>=3.6,<3.7", ("CPython", "3.6.15", None, "pyenv")),
    ("~=3.8.0", ("CPython", "3.8.18", None, "pyenv")),
    ("3", ("CPython", sys.version.split()[0], None, "running roost")),
    ("python", ("CPython", sys.version.split()[0], None, "running roost")),
]


@pytest.mark.parametrize(("spec", "expected"), REAL, ids=[spec for spec, _ in REAL])
def test_real_interpreters(
    spec: str, expected: tuple[str, str, str | None, str | None], env: dict[str, str], isolated: Path, shared_app_data: AppData
) -> None:
    implementation, version, executable, found_by = expected
    if executable:
        need(executable)
    if implementation == "CPython" and found_by == "pyenv":
        pyenv_python(".".join(version.split(".")[:2]))
    found = discover([spec], [], shared_app_data, env, isolated)
    assert found.implementation == implementation
    assert found.version_str.startswith(version)
    if executable:
        assert os.path.realpath(found.executable) == os.path.realpath(executable)
    if found_by:
        assert found.found_by == found_by


def test_running_interpreter_first_for_its_own_version(env: dict[str, str], isolated: Path, shared_app_data: AppData) -> None:
    found = discover([RUNNING], [], shared_app_data, env, isolated)
    assert found.found_by == "running roost"
    assert found is current_interpreter()


def test_python_27_is_found_and_described(env: dict[str, str], isolated: Path, shared_app_data: AppData) -> None:
    found = discover(["2.7"], [], shared_app_data, env, isolated)
    assert found.version_info[:3] == (2, 7, 18)
    assert found.has_venv is False  # so --creator venv is refused for it in one line


def test_several_specs_first_match_wins(env: dict[str, str], isolated: Path, shared_app_data: AppData) -> None:
    pyenv_python("3.12")
    assert discover(["9.9", "3.12", "3.10"], [], shared_app_data, env, isolated).major_minor == "3.12"
    assert discover(["3.10", "3.12"], [], shared_app_data, env, isolated).major_minor == "3.10"


def test_an_unusable_match_gives_way_to_the_next_spec(env: dict[str, str], isolated: Path, shared_app_data: AppData) -> None:
    """-p 2.7 -p 3.12 when the check refuses 2.7: 3.12 is used (virtualenv does the same); with
    no later spec that works, 2.7's own error is raised.  roost's own check accepts 2.7 now,
    so the refusal here is the test's (every interpreter on this machine is supported)."""
    from roost.create import check_supported

    def refuse_python_2(interpreter: Interpreter) -> None:
        check_supported(interpreter)
        if interpreter.version_info[0] == 2:
            raise RoostError(f"{interpreter.version_str} refused by the test")

    pyenv_python("2.7")
    pyenv_python("3.12")
    assert discover(["2.7", "3.12"], [], shared_app_data, env, isolated, check=check_supported).major_minor == "2.7"
    found = discover(["2.7", "3.12"], [], shared_app_data, env, isolated, check=refuse_python_2)
    assert found.major_minor == "3.12"
    with pytest.raises(RoostError, match="2.7.18 refused by the test"):
        discover(["2.7", "9.9"], [], shared_app_data, env, isolated, check=refuse_python_2)


def test_no_match_names_the_spec_and_what_was_found(env: dict[str, str], isolated: Path, shared_app_data: AppData) -> None:
    with pytest.raises(RoostError) as caught:
        discover(["cpython9.99"], [], shared_app_data, env, isolated)
    message = str(caught.value)
    assert message.startswith("no interpreter matches cpython9.99; found: ")
    listed = message.split("found: ", 1)[1].split(", ")
    assert listed[:2] == ["3.13.0", "3.12.1"]  # newest CPython first
    assert "2.7.18" in listed and "3.11.2" in listed and any(item.startswith("PyPy 3.9") for item in listed)
    assert "\n" not in message and caught.value.exit_code == 1


def test_no_match_for_paths_and_names(env: dict[str, str], isolated: Path, shared_app_data: AppData) -> None:
    with pytest.raises(RoostError, match=r"^no interpreter at \./nope$"):
        discover(["./nope"], [], shared_app_data, env, isolated)
    with pytest.raises(RoostError, match=r"^no interpreter matches nosuchpython: not found on PATH$"):
        discover(["nosuchpython"], [], shared_app_data, env, isolated)


def test_broken_interpreter_given_as_path(env: dict[str, str], isolated: Path, app_data: AppData) -> None:
    broken = write_script(isolated / "python3", "#!/bin/sh\nexit 4\n")
    with pytest.raises(ProbeError) as caught:
        discover([str(broken)], [], app_data, env, isolated)
    assert str(caught.value) == f"interpreter {broken} failed to describe itself (exit code 4): no error output"


def test_broken_interpreter_on_path_is_skipped_with_a_warning(
    env: dict[str, str], isolated: Path, app_data: AppData, capsys: pytest.CaptureFixture[str]
) -> None:
    write_script(isolated / "bin" / "python3.12", "#!/bin/sh\nexit 4\n")
    env["PATH"] = f"{isolated / 'bin'}:{env['PATH']}"
    assert discover(["3.12"], [], app_data, env, isolated).version_str == "3.12.1"
    assert f"warning: interpreter {isolated / 'bin' / 'python3.12'} failed to describe itself" in capsys.readouterr().err


@pytest.mark.parametrize("bad", ["", ">=abc", "foo>=3"])
def test_bad_spec_is_a_usage_error(bad: str, env: dict[str, str], isolated: Path, shared_app_data: AppData) -> None:
    with pytest.raises(UsageError):
        discover([bad], [], shared_app_data, env, isolated)


# -- .python-version -----------------------------------------------------------------------------


def test_no_spec_means_the_running_interpreter(env: dict[str, str], isolated: Path, shared_app_data: AppData) -> None:
    assert discover([], [], shared_app_data, env, isolated) is current_interpreter()


def test_python_version_file_chooses_and_says_why(
    env: dict[str, str], isolated: Path, shared_app_data: AppData, capsys: pytest.CaptureFixture[str]
) -> None:
    pyenv_python("3.12")
    (isolated / ".python-version").write_text("3.12\n")
    nested = isolated / "src" / "pkg"
    nested.mkdir(parents=True)
    _log.configure(_log.INFO)
    try:
        found = discover([], [], shared_app_data, env, nested)
    finally:
        _log.configure(_log.RESULT)
    assert found.major_minor == "3.12"
    err = capsys.readouterr().err
    assert str(isolated / ".python-version") in err and "--no-python-version-file" in err
    assert discover([], [], shared_app_data, env, nested, use_version_file=False) is current_interpreter()
    assert discover(["3.10"], [], shared_app_data, env, nested).major_minor == "3.10"  # -p wins over the file


@pytest.mark.parametrize(
    ("content", "minor"),
    [
        ("3.10.13\n", "3.10"),
        ("cpython@3.9\n", "3.9"),
        ("system\n3.8\n", "3.8"),
        ("3.99\n3.7\n", "3.7"),
        ("pypy3.9-7.3.11\n", None),
    ],
)
def test_python_version_file_forms(
    content: str, minor: str | None, env: dict[str, str], isolated: Path, shared_app_data: AppData
) -> None:
    (isolated / ".python-version").write_text(content)
    found = discover([], [], shared_app_data, env, isolated)
    if minor is None:
        assert found.is_pypy
    else:
        pyenv_python(minor)
        assert found.major_minor == minor


def test_python_version_file_with_only_system(env: dict[str, str], isolated: Path, shared_app_data: AppData) -> None:
    (isolated / ".python-version").write_text("system\n")
    assert discover([], [], shared_app_data, env, isolated) is current_interpreter()


def test_python_version_file_without_a_match(env: dict[str, str], isolated: Path, shared_app_data: AppData) -> None:
    (isolated / ".python-version").write_text("3.99\n")
    with pytest.raises(RoostError) as caught:
        discover([], [], shared_app_data, env, isolated)
    assert str(caught.value).startswith(f"no interpreter matches 3.99 (from {isolated / '.python-version'}); found: ")
    assert caught.value.hint is not None and "--no-python-version-file" in caught.value.hint


# -- the warm path starts no process --------------------------------------------------------------

WATCH = """
import json, os, sys
started = []
def hook(event, args):
    if event in ("subprocess.Popen", "os.posix_spawn", "os.fork", "os.forkpty", "os.exec", "os.system", "os.spawn"):
        started.append(event)
sys.addaudithook(hook)
mode, app_data, dest, spec = sys.argv[1:5]
if mode == "discover":
    from pathlib import Path
    from roost.appdata import AppData
    from roost.discovery import discover
    found = discover([spec] if spec else [], [], AppData(Path(app_data)), os.environ, Path.cwd()).executable
    code = 0
else:
    from roost.__main__ import main
    code = main(["-p", spec, "--no-seed", "--app-data", app_data, dest])
    found = None
print(json.dumps({"started": started, "subprocess": "subprocess" in sys.modules, "found": found, "code": code}))
"""


def watch(mode: str, app_data: Path, dest: Path, spec: str, env: dict[str, str], cwd: Path) -> dict[str, object]:
    child_env = dict(env, PYTHONPATH=SRC, ROOST_CONFIG_FILE=os.devnull, ROOST_NO_PERIODIC_UPDATE="1")
    done = subprocess.run(
        [sys.executable, "-c", WATCH, mode, str(app_data), str(dest), spec],
        capture_output=True,
        text=True,
        env=child_env,
        cwd=cwd,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])  # type: ignore[no-any-return]


@pytest.mark.parametrize("spec", ["3.12", "pypy3", ">=3.13", "2.7", DEBIAN_PYTHON, RUNNING, ""])
def test_warm_discovery_starts_no_process(spec: str, env: dict[str, str], isolated: Path, tmp_path: Path) -> None:
    pyenv_python("3.12")
    need(DEBIAN_PYPY)
    app_data = tmp_path / "app-data"
    cold = watch("discover", app_data, tmp_path, spec, env, isolated)
    warm = watch("discover", app_data, tmp_path, spec, env, isolated)
    assert warm["found"] == cold["found"]
    assert warm["started"] == [] and warm["subprocess"] is False


def test_warm_create_without_seed_starts_no_process(env: dict[str, str], isolated: Path, tmp_path: Path) -> None:
    """The issue's acceptance check: ``roost -p 3.12 --no-seed DEST`` with a warm cache."""
    pyenv_python("3.12")
    app_data = tmp_path / "app-data"
    first = watch("create", app_data, tmp_path / "env1", "3.12", env, isolated)
    assert first["code"] == 0
    warm = watch("create", app_data, tmp_path / "env2", "3.12", env, isolated)
    assert warm["code"] == 0 and (tmp_path / "env2" / "pyvenv.cfg").is_file()
    assert warm["started"] == [], "a warm `roost -p 3.12 --no-seed` started a process"


def test_bad_entry_in_python_version_file_names_the_file(env: dict[str, str], isolated: Path, shared_app_data: AppData) -> None:
    (isolated / ".python-version").write_text(">=abc\n")
    with pytest.raises(UsageError, match=r"invalid version specifier '>=abc' \(from .*\.python-version\)"):
        discover([], [], shared_app_data, env, isolated)


def test_no_match_through_the_roost_command(env: dict[str, str], isolated: Path, tmp_path: Path) -> None:
    child_env = dict(env, PYTHONPATH=SRC, ROOST_CONFIG_FILE=os.devnull, ROOST_NO_PERIODIC_UPDATE="1")
    done = subprocess.run(
        [sys.executable, "-m", "roost", "-p", "cpython9.99", "--app-data", str(tmp_path / "ad"), str(tmp_path / "env")],
        capture_output=True,
        text=True,
        env=child_env,
        cwd=isolated,
        timeout=300,
    )
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("roost: error: no interpreter matches cpython9.99; found: "), done.stderr
    assert not (tmp_path / "env").exists()


# -- the warm path imports only what the spec needs -----------------------------------------------

IMPORTS = """
import os, sys
app_data, spec = sys.argv[1:3]
from roost.appdata import AppData
from roost.discovery import discover
before = set(sys.modules)
found = discover([spec] if spec else [], [], AppData(app_data), os.environ, os.getcwd())
print(" ".join(sorted(set(sys.modules) - before)))
"""
# Never on a warm discovery: slow to import, or work a warm run must not do.
NEVER = {"re", "pathlib", "json", "zlib", "hashlib", "sysconfig", "subprocess", "typing", "roost.discovery._probe"}
# Only for specs that search: the grammar, the finders, the name readers, the version managers.
SEARCH = {"roost.discovery.spec", "roost.discovery.hints", "roost.discovery.finders", "roost.discovery.shims"}


def warm_imports(app_data: Path, spec: str, env: dict[str, str], cwd: Path) -> set[str]:
    """Modules a second discovery of *spec* imports, in an interpreter without site (-S) so
    nothing but roost brings modules in."""
    child_env = dict(env, PYTHONPATH=SRC)
    command = [sys.executable, "-S", "-c", IMPORTS, str(app_data), spec]
    for _ in range(2):
        done = subprocess.run(command, capture_output=True, text=True, env=child_env, cwd=cwd, timeout=300)
        assert done.returncode == 0, done.stderr
    return set(done.stdout.split())


@pytest.mark.parametrize(
    ("spec", "allowed"),
    [
        ("", set()),  # the running interpreter, after a look for .python-version
        (sys.executable, set()),  # a path: no grammar, no search
        (RUNNING, {"roost.discovery.spec", "roost.discovery.hints"}),  # the running interpreter matches first
        ("3.12", SEARCH),  # PATH, the pyenv shims on it, pyenv's versions
        ("python3.12", SEARCH),
    ],
    ids=["none", "path", "running-version", "version", "name"],
)
def test_warm_discovery_imports_only_what_the_spec_needs(
    spec: str, allowed: set[str], env: dict[str, str], isolated: Path, tmp_path: Path
) -> None:
    pyenv_python("3.12")
    env["PATH"] = f"{PYENV / 'shims'}:{env['PATH']}"
    imported = warm_imports(tmp_path / "app-data", spec, env, isolated)
    assert not imported & NEVER, f"a warm discovery of {spec!r} imported {sorted(imported & NEVER)}"
    assert not (imported & SEARCH) - allowed, f"a warm discovery of {spec!r} imported {sorted((imported & SEARCH) - allowed)}"


def test_warm_discovery_with_a_python_version_file_reads_it_without_re(
    env: dict[str, str], isolated: Path, tmp_path: Path
) -> None:
    pyenv_python("3.12")
    (isolated / ".python-version").write_text("3.12\n")
    nested = isolated / "deep" / "er"
    nested.mkdir(parents=True)
    imported = warm_imports(tmp_path / "app-data", "", env, nested)
    assert not imported & NEVER, sorted(imported & NEVER)
