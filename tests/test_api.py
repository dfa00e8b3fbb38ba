"""The Python API: describe without creating, create, and many threads at once."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import pytest
from support import env_facts

import roost


def test_session_via_cli_describes_without_creating(tmp_path: Path, roost_env: dict[str, str]) -> None:
    dest = tmp_path / "env"
    session = roost.session_via_cli([str(dest)], env=roost_env)
    assert not dest.exists()
    interpreter = session.interpreter
    assert tuple(interpreter.version_info[:3]) == tuple(sys.version_info[:3])
    assert interpreter.implementation == ("PyPy" if hasattr(sys, "pypy_version_info") else "CPython")
    assert interpreter.executable and interpreter.system_executable
    creator = session.creator
    assert creator.dest == dest
    assert creator.bin_dir == dest / "bin" and creator.script_dir == creator.bin_dir
    assert creator.exe == dest / "bin" / "python"
    assert creator.purelib == dest / "lib" / f"python{sys.version_info[0]}.{sys.version_info[1]}" / "site-packages"
    assert creator.platlib == creator.purelib
    assert creator.pyvenv_cfg == dest / "pyvenv.cfg"
    assert creator.env_name == "env" and creator.libs == [creator.purelib]
    assert creator.interpreter is interpreter
    # What tox and other callers read, by name, as virtualenv offers it.
    info = interpreter.version_info
    assert (info.major, info.minor, info.micro, info.releaselevel, info.serial) == tuple(sys.version_info)
    assert info == tuple(sys.version_info) and repr(info).startswith("VersionInfo(major=")
    assert session.seeder is not None
    assert isinstance(session.activators, list)


def test_cli_run_creates(tmp_path: Path, roost_env: dict[str, str]) -> None:
    dest = tmp_path / "env"
    session = roost.cli_run([str(dest)], env=roost_env, setup_logging=False)
    assert session.creator.pyvenv_cfg.is_file()
    assert Path(str(env_facts(session.creator.exe)["prefix"])) == dest


def test_eight_threads_create_at_once(tmp_path: Path, roost_env: dict[str, str]) -> None:
    results: dict[int, object] = {}

    def create(index: int) -> None:
        try:
            results[index] = roost.cli_run([str(tmp_path / f"env{index}")], env=roost_env, setup_logging=False)
        except BaseException as exc:  # reported below with the thread's index
            results[index] = exc

    threads = [threading.Thread(target=create, args=(index,)) for index in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    failures = {index: result for index, result in results.items() if isinstance(result, BaseException)}
    assert not failures, failures
    assert len(results) == 8
    for index in range(8):
        dest = tmp_path / f"env{index}"
        assert Path(str(env_facts(dest / "bin" / "python")["prefix"])) == dest


def test_a_missing_interpreter_is_a_runtime_error(tmp_path: Path, roost_env: dict[str, str]) -> None:
    """virtualenv raises RuntimeError when no interpreter matches; callers such as tox catch
    exactly that to skip an environment, so roost's error is one too."""
    with pytest.raises(RuntimeError, match="3.99"):
        roost.session_via_cli(["-p", "3.99", str(tmp_path / "env")], env=roost_env, setup_logging=False)
    assert not (tmp_path / "env").exists()


def test_run_in_another_thread_keeps_the_logging_choice(
    tmp_path: Path, roost_env: dict[str, str], capfd: pytest.CaptureFixture[str]
) -> None:
    """tox resolves the session in one thread and may run it in another: setup_logging=False
    still holds there (nothing on the console; the success line goes to the `roost` logger)."""
    import logging

    session = roost.session_via_cli([str(tmp_path / "env"), "--no-seed"], env=roost_env, setup_logging=False)
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append  # type: ignore[method-assign]
    logger = logging.getLogger("roost")
    logger.addHandler(handler)
    old_level = logger.level
    logger.setLevel(logging.DEBUG)
    try:
        thread = threading.Thread(target=session.run)
        thread.start()
        thread.join()
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
    out, err = capfd.readouterr()
    assert out == "" and err == ""
    assert any("created" in record.getMessage() for record in records)
    assert (tmp_path / "env" / "pyvenv.cfg").is_file()


@pytest.mark.parametrize(
    ("args", "options", "expected"),
    [
        (None, None, "the arguments must be a list, not NoneType"),
        (42, None, "the arguments must be a list, not int"),
        (".venv", None, "not the string"),
        ([b"env"], None, "is a bytes"),
        (["env"], 42, "options must be a roost Options, not int"),
    ],
)
def test_bad_api_arguments_raise_one_usage_error(args: object, options: object, expected: str, tmp_path: Path) -> None:
    from roost.errors import UsageError

    with pytest.raises(UsageError, match=expected):
        roost.cli_run(args, options=options, setup_logging=False)  # type: ignore[arg-type]
    assert not (tmp_path / "env").exists()
