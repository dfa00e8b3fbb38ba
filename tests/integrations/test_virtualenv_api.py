"""roost's Session, creator and interpreter against a real virtualenv session made with the
same arguments: every attribute tools read has the same type and value.

Known differences, each asserted below so a change is noticed:
- ``interpreter.version_info`` is roost's own ``VersionInfo`` (a tuple with the same field
  names), not python_discovery's class: equal as tuples and field by field.
- PyPy: ``creator.exe`` is ``bin/python`` where virtualenv names ``bin/pypy3``; both files
  exist in both environments and run the same interpreter.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from support import EXPECTED_INTERPRETERS, require_executable

import roost

virtualenv = pytest.importorskip("virtualenv")

SAME_INTERPRETER = (
    "implementation",
    "version",
    "architecture",
    "platform",
    "os",
    "executable",
    "system_executable",
    "prefix",
    "base_prefix",
    "exec_prefix",
    "base_exec_prefix",
    "system_prefix",
    "system_exec_prefix",
    "free_threaded",
    "debug_build",
    "machine",
    "marker_environment",
    "version_nodot",
    "spec",
    "python_name",
    "sysconfig_scheme",
    "sysconfig_paths",
    "sysconfig_vars",
)
SAME_CREATOR = (
    "dest",
    "env_name",
    "bin_dir",
    "script_dir",
    "purelib",
    "platlib",
    "libs",
    "stdlib",
    "stdlib_platform",
    "symlinks",
    "enable_system_site_package",
    "clear",
    "no_vcs_ignore",
)
# virtualenv 21 describes interpreters from 3.8 on (older ones raise before any attribute).
COMPARED = sorted(name for name in EXPECTED_INTERPRETERS if name != "cpython3.7")


def _environ(tmp_path: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("ROOST_", "VIRTUALENV_"))}
    env.update(
        ROOST_CONFIG_FILE=os.devnull,
        VIRTUALENV_CONFIG_FILE=os.devnull,
        ROOST_OVERRIDE_APP_DATA=str(tmp_path / "roost-data"),
        VIRTUALENV_OVERRIDE_APP_DATA=str(tmp_path / "virtualenv-data"),
        VIRTUALENV_NO_PERIODIC_UPDATE="1",
    )
    return env


def _sessions(args: list[str], tmp_path: Path) -> tuple[object, object]:
    env = _environ(tmp_path)
    ours = roost.session_via_cli(args, env=env, setup_logging=False)
    theirs = virtualenv.session_via_cli(args, env=env, setup_logging=False)
    return ours, theirs


def _assert_same(ours: object, theirs: object, names: tuple[str, ...]) -> None:
    for name in names:
        mine, reference = getattr(ours, name), getattr(theirs, name)
        assert type(mine) is type(reference), f"{name}: {type(mine).__name__} != {type(reference).__name__}"
        assert mine == reference, f"{name}: {mine!r} != {reference!r}"


@pytest.mark.parametrize("which", COMPARED)
@pytest.mark.parametrize("flags", [[], ["--copies", "--system-site-packages", "--clear", "--no-vcs-ignore"]])
def test_interpreter_and_creator_match_virtualenv(which: str, flags: list[str], tmp_path: Path) -> None:
    python = require_executable(EXPECTED_INTERPRETERS[which], which)
    args = [str(tmp_path / "env"), "-p", python, "--no-seed", *flags]
    ours, theirs = _sessions(args, tmp_path)
    mine, reference = ours.interpreter, theirs.interpreter  # type: ignore[attr-defined]
    _assert_same(mine, reference, SAME_INTERPRETER)
    # version_info: another tuple class with the same fields (a known difference).
    assert tuple(mine.version_info) == tuple(reference.version_info)
    for field in ("major", "minor", "micro", "releaselevel", "serial"):
        assert getattr(mine.version_info, field) == getattr(reference.version_info, field)
    _assert_same(ours.creator, theirs.creator, SAME_CREATOR)  # type: ignore[attr-defined]
    if mine.implementation == "PyPy":  # a known difference: both names exist in both envs
        assert ours.creator.exe.name == "python" and theirs.creator.exe.name == "pypy3"  # type: ignore[attr-defined]
        assert ours.creator.exe.parent == theirs.creator.exe.parent  # type: ignore[attr-defined]
    else:
        _assert_same(ours.creator, theirs.creator, ("exe",))  # type: ignore[attr-defined]
    assert ours.verbosity == theirs.verbosity  # type: ignore[attr-defined]
    with ours as entered, theirs as entered_theirs:  # type: ignore[attr-defined]
        assert entered is ours and entered_theirs is theirs


def test_satisfies_answers_as_virtualenv(tmp_path: Path) -> None:
    from python_discovery import PythonSpec

    args = [str(tmp_path / "env"), "--no-seed"]
    ours, theirs = _sessions(args, tmp_path)
    major, minor = sys.version_info[:2]
    implementation = "pypy" if hasattr(sys, "pypy_version_info") else "cpython"
    other = "cpython" if implementation == "pypy" else "pypy"
    texts = [
        f"{major}.{minor}",
        f"{implementation}{major}.{minor}",
        f"{other}{major}.{minor}",
        f"{major}.{minor + 1}",
        f">={major}.{minor}",
        f"<{major}.{minor}",
        f"{major}.{minor}-64",
        f"{major}.{minor}-32",
        sys.executable,
        EXPECTED_INTERPRETERS["cpython3.12"],  # another interpreter's path: virtualenv says it fits
        os.path.basename(ours.interpreter.executable),  # type: ignore[attr-defined]
        "not-this-python",
    ]
    for text in texts:
        spec = PythonSpec.from_string_spec(text)
        for must_match in (True, False):
            expected = theirs.interpreter.satisfies(spec, impl_must_match=must_match)  # type: ignore[attr-defined]
            assert ours.interpreter.satisfies(spec, impl_must_match=must_match) is expected, (text, must_match)  # type: ignore[attr-defined]
            assert ours.interpreter.satisfies(text, impl_must_match=must_match) is expected, (text, must_match)  # type: ignore[attr-defined]


@pytest.mark.slow
def test_tox_variables_behave_as_in_virtualenv(tmp_path: Path) -> None:
    """tox passes these VIRTUALENV_* values on every creation; VIRTUALENV_PYTHON="<0" matches
    nothing and --python overrides it."""
    env = _environ(tmp_path)
    env.update(
        VIRTUALENV_CLEAR="False",
        VIRTUALENV_SYSTEM_SITE_PACKAGES="True",
        VIRTUALENV_COPIES="True",
        VIRTUALENV_DOWNLOAD="False",
        VIRTUALENV_NO_PERIODIC_UPDATE="True",
        VIRTUALENV_NO_VENV_REDIRECT="True",
        VIRTUALENV_TRY_FIRST_WITH=os.pathsep.join([sys.executable]),
        VIRTUALENV_PYTHON="<0",
    )
    args = [str(tmp_path / "env"), f"--python={sys.executable}"]
    ours = roost.session_via_cli(args, env=env, setup_logging=False)
    theirs = virtualenv.session_via_cli(args, env=env, setup_logging=False)
    _assert_same(ours.creator, theirs.creator, ("symlinks", "enable_system_site_package", "clear"))
    assert ours.creator.symlinks is False and ours.creator.enable_system_site_package is True
    assert ours.options.no_venv_redirect is True and ours.options.download is False
    assert ours.options.no_periodic_update is True and ours.options.try_first_with == [sys.executable]
    assert ours.interpreter.system_executable == theirs.interpreter.system_executable
    # Without --python, "<0" is the spec: nothing matches, and the error is the RuntimeError tox skips on.
    with pytest.raises(RuntimeError):
        virtualenv.session_via_cli([str(tmp_path / "env")], env=env, setup_logging=False)
    with pytest.raises(RuntimeError, match="<0"):
        roost.session_via_cli([str(tmp_path / "env")], env=env, setup_logging=False)


@pytest.mark.parametrize(
    "argv",
    [
        ["DEST"],
        ["--prompt", "env", "DEST"],
        ["--prom", "env", "DEST"],  # an abbreviation, as argparse takes it
        ["-p", sys.executable, "DEST", "--prompt", "env"],
        ["-q", "--", "DEST"],
    ],
)
def test_pyvenv_cfg_command_records_dest_absolute(argv: list[str], tmp_path: Path) -> None:
    """The `command` line reproduces the environment when run from any folder."""
    import shlex
    import subprocess

    dest = tmp_path / "env"
    args = ["env" if part == "DEST" else part for part in argv]
    env = _environ(tmp_path)
    env["PYTHONPATH"] = os.pathsep.join([str(Path(roost.__file__).parents[1]), env.get("PYTHONPATH", "")])
    command_line = [sys.executable, "-m", "roost", "--no-seed", *args]
    done = subprocess.run(command_line, cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    command = next(line for line in (dest / "pyvenv.cfg").read_text().splitlines() if line.startswith("command = "))
    parts = shlex.split(command[len("command = ") :])
    assert parts == [sys.executable, "-m", "roost", "--no-seed", *(str(dest) if part == "DEST" else part for part in argv)]
    # Run the recorded command from another folder: it updates the same environment.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (dest / "bin" / "python").unlink()
    again = subprocess.run(parts, cwd=elsewhere, env=env, capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert (dest / "bin" / "python").exists() and not (elsewhere / "env").exists()


def test_get_embed_wheel_is_the_wheel_roost_seeds(tmp_path: Path) -> None:
    """poetry calls virtualenv's get_embed_wheel(distribution, for_py_version); roost's
    answer is the wheel it would seed into an environment of that Python (virtualenv's is
    the one it ships: the versions may differ, a known difference)."""
    from virtualenv.seed.wheels.embed import get_embed_wheel as virtualenv_get_embed_wheel

    from roost.seed.embed import get_embed_wheel

    python = require_executable(EXPECTED_INTERPRETERS["cpython3.12"], "cpython3.12")
    env = _environ(tmp_path)
    ours = get_embed_wheel("pip", "3.12", env=env)
    theirs = virtualenv_get_embed_wheel("pip", "3.12")
    assert ours is not None and theirs is not None
    assert Path(ours.path).is_file() and Path(ours.path).name.startswith("pip-") and Path(ours.path).suffix == ".whl"
    assert theirs.path.name.startswith("pip-")
    session = roost.cli_run([str(tmp_path / "env"), "-p", python, "--no-setuptools"], env=env, setup_logging=False)
    seeded = sorted(path.name for path in session.creator.purelib.glob("pip-*.dist-info"))
    assert seeded == [f"pip-{ours.version}.dist-info"]
    assert get_embed_wheel("no-such-distribution", "3.12", env=env) is None
    with pytest.raises(RuntimeError, match="3.99"):
        get_embed_wheel("pip", "3.99", env=env)


def test_a_venv_python_is_described_as_it_runs(tmp_path: Path) -> None:
    """-p naming a venv's python: virtualenv describes the interpreter behind it (prefix and
    sysconfig base are the base installation's); roost describes that python as it runs (its
    prefix is the venv) and names the base in system_prefix and system_executable.  A known
    difference: every other attribute is the same."""
    import venv

    venv.EnvBuilder(with_pip=False, symlinks=True).create(tmp_path / "venv")
    python = str(tmp_path / "venv" / "bin" / "python")
    ours, theirs = _sessions([str(tmp_path / "env"), "-p", python, "--no-seed"], tmp_path)
    mine, reference = ours.interpreter, theirs.interpreter  # type: ignore[attr-defined]
    differ = {"prefix", "exec_prefix", "sysconfig_vars"}
    _assert_same(mine, reference, tuple(name for name in SAME_INTERPRETER if name not in differ))
    assert mine.prefix == mine.exec_prefix == str(tmp_path / "venv")
    assert reference.prefix == reference.exec_prefix == mine.system_prefix == mine.base_prefix
    assert mine.sysconfig_vars["base"] == str(tmp_path / "venv") and reference.sysconfig_vars["base"] == mine.system_prefix
    assert {key: value for key, value in mine.sysconfig_vars.items() if key not in ("base", "platbase")} == {
        key: value for key, value in reference.sysconfig_vars.items() if key not in ("base", "platbase")
    }
    _assert_same(ours.creator, theirs.creator, SAME_CREATOR)  # type: ignore[attr-defined]
