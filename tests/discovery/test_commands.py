"""``roost python list`` and ``roost python find``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from roost import _log
from roost.discovery import current_interpreter
from roost.discovery.commands import main

from .conftest import DEBIAN_PYPY, DEBIAN_PYTHON, PYENV, PYENV_VERSIONS, base_env, need, pyenv_python

SRC = str(Path(__file__).resolve().parents[2] / "src")
Capture = pytest.CaptureFixture[str]


@pytest.fixture(autouse=True)
def _restore_log_level() -> object:
    yield
    _log.configure(_log.RESULT)


@pytest.fixture
def env() -> dict[str, str]:
    return base_env(PYENV_ROOT=str(PYENV))


@pytest.fixture
def in_isolated(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(isolated)
    return isolated


def test_list_table(env: dict[str, str], in_isolated: Path, tmp_path: Path, capsys: Capture) -> None:
    assert main(["list", "--app-data", str(tmp_path / "ad")], env) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["IMPLEMENTATION", "VERSION", "ARCH", "PATH", "FOUND", "BY"]
    assert "running roost" in lines[1] and sys.version.split()[0] in lines[1]
    text = "\n".join(lines)
    for version in PYENV_VERSIONS.values():
        if os.path.exists(PYENV / "versions" / version):
            assert f" {version} " in text
    assert any(line.startswith("PyPy") and DEBIAN_PYPY in line for line in lines) or not os.path.exists(DEBIAN_PYPY)
    assert len(os.listdir(tmp_path / "ad" / "interpreters")) >= len(lines) - 2  # --app-data was used


def test_list_json(env: dict[str, str], in_isolated: Path, tmp_path: Path, capsys: Capture) -> None:
    assert main(["list", "--json", "--app-data", str(tmp_path / "ad")], env) == 0
    found = json.loads(capsys.readouterr().out)
    assert found[0]["found_by"] == "running roost"
    assert set(found[0]) == {
        "implementation",
        "version",
        "free_threaded",
        "architecture",
        "machine",
        "path",
        "system_executable",
        "found_by",
    }
    by_path = {os.path.realpath(item["path"]): item for item in found}
    python27 = by_path.get(os.path.realpath(pyenv_python("2.7")))
    assert python27 is not None and python27["version"] == "2.7.18" and python27["found_by"] == "pyenv"
    debian = by_path.get(os.path.realpath(need(DEBIAN_PYTHON)))
    assert debian is not None and debian["found_by"] == "PATH" and debian["machine"] == "x86_64"


def test_list_read_only_app_data(env: dict[str, str], in_isolated: Path, tmp_path: Path, capsys: Capture) -> None:
    assert main(["list", "--json", "--read-only-app-data", "--app-data", str(tmp_path / "ro")], env) == 0
    assert json.loads(capsys.readouterr().out)
    assert not (tmp_path / "ro").exists()


def test_find_prints_the_path(env: dict[str, str], in_isolated: Path, tmp_path: Path, capsys: Capture) -> None:
    target = pyenv_python("3.12")
    assert main(["find", "3.12", "--app-data", str(tmp_path / "ad")], env) == 0
    assert os.path.realpath(capsys.readouterr().out.strip()) == os.path.realpath(target)


def test_find_several_specs_and_json(env: dict[str, str], in_isolated: Path, tmp_path: Path, capsys: Capture) -> None:
    pyenv_python("3.10")
    assert main(["find", "9.9", "3.10", "--json", "--app-data", str(tmp_path / "ad")], env) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["version"] == "3.10.13" and answer["found_by"] == "pyenv"


def test_find_try_first_with(env: dict[str, str], in_isolated: Path, tmp_path: Path, capsys: Capture) -> None:
    target = pyenv_python("3.9")
    assert main(["find", "3", "--try-first-with", target, "--app-data", str(tmp_path / "ad")], env) == 0
    assert capsys.readouterr().out.strip() == target


def test_find_uses_python_version_file_unless_told_not_to(
    env: dict[str, str], in_isolated: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pyenv_python("3.8")
    (in_isolated / ".python-version").write_text("3.8\n")
    assert main(["find", "--app-data", str(tmp_path / "ad")], env) == 0
    assert "3.8.18" in capsys.readouterr().out
    assert main(["find", "--no-python-version-file", "--app-data", str(tmp_path / "ad")], env) == 0
    assert capsys.readouterr().out.strip() == current_interpreter().system_executable


def test_find_without_a_match(env: dict[str, str], in_isolated: Path, tmp_path: Path, capsys: Capture) -> None:
    assert main(["find", "cpython9.99", "--app-data", str(tmp_path / "ad")], env) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("roost: error: no interpreter matches cpython9.99; found: 3.13.0, ")


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        ([], 2, "roost: error: roost python: the following arguments are required"),
        (["frobnicate"], 2, "roost: error: roost python: argument"),
        (["list", "--bogus"], 2, "roost: error: roost python: unrecognized arguments: --bogus"),
        (["find", ">=abc"], 2, "roost: error: invalid version specifier '>=abc'"),
        (["find", "./missing/python"], 1, "roost: error: no interpreter at ./missing/python"),
    ],
)
def test_bad_input_is_one_line(
    argv: list[str],
    code: int,
    message: str,
    env: dict[str, str],
    in_isolated: Path,
    tmp_path: Path,
    capsys: Capture,
) -> None:
    assert main([*argv, "--app-data", str(tmp_path / "ad")] if argv[:1] in (["list"], ["find"]) else argv, env) == code
    err = capsys.readouterr().err
    assert err.startswith(message), err
    assert len(err.strip().splitlines()) == 1, err


def test_help(env: dict[str, str], capsys: Capture) -> None:
    assert main(["--help"], env) == 0
    assert "list" in capsys.readouterr().out
    assert main(["find", "--help"], env) == 0
    assert "--try-first-with" in capsys.readouterr().out


def test_through_the_roost_command(env: dict[str, str], isolated: Path, tmp_path: Path) -> None:
    """The lead's ``__main__`` dispatches ``roost python ...`` here."""
    child_env = dict(env, PYTHONPATH=SRC, ROOST_CONFIG_FILE=os.devnull)
    done = subprocess.run(
        [sys.executable, "-m", "roost", "python", "find", "3.12", "--app-data", str(tmp_path / "ad")],
        capture_output=True,
        text=True,
        env=child_env,
        cwd=isolated,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert os.path.realpath(done.stdout.strip()) == os.path.realpath(pyenv_python("3.12"))
