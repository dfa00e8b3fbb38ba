"""diagnose(): the same problems found for environments made by roost, venv, virtualenv and uv."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest
from health_helpers import SRC, TOOLS, create, make_base, roost

sys.path.insert(0, str(SRC))

from roost.errors import RoostError  # noqa: E402
from roost.health.check import diagnose  # noqa: E402


def codes(path: Path, run_python: bool = True) -> set[str]:
    return {problem.code for problem in diagnose(str(path), run_python=run_python)}


def _break_base(how: str, base_prefix: Path, tmp_path: Path) -> None:
    if how == "removed":
        shutil.rmtree(base_prefix)
    elif how == "moved":
        base_prefix.rename(tmp_path / "elsewhere")
    elif how == "minor-swapped":
        shutil.rmtree(base_prefix)
        make_base("3.13.0", base_prefix)
        (base_prefix / "bin" / "python3.12").unlink(missing_ok=True)


EXPECTED = {
    "removed": {"base-missing", "interpreter-dangling"},
    "moved": {"base-missing", "interpreter-dangling"},
    "minor-swapped": {"minor-changed", "interpreter-dangling"},
}


@pytest.mark.slow
@pytest.mark.parametrize("tool", TOOLS)
def test_every_tool_gets_the_same_diagnoses(tool: str, tmp_path: Path, roost_env: dict[str, str]) -> None:
    """One base per breakage, one environment per tool: healthy first, then the same codes for all."""
    for how, expected in EXPECTED.items():
        base_prefix = tmp_path / how / "base"
        base = make_base("3.12.1", base_prefix)
        env_dir = create(tool, base, tmp_path / how / "env", roost_env)
        assert diagnose(str(env_dir)) == [] and diagnose(str(env_dir), run_python=False) == []
        _break_base(how, base_prefix, tmp_path / how)
        assert codes(env_dir) == expected, how
        assert codes(env_dir, run_python=False) == expected, how
        for problem in diagnose(str(env_dir)):
            assert problem.fix.startswith("roost repair") and str(env_dir) in problem.fix
            assert "\n" not in problem.message


@pytest.mark.slow
@pytest.mark.parametrize("run_python", [True, False])
def test_patch_upgrade_of_the_base_is_a_version_mismatch(run_python: bool, tmp_path: Path, roost_env: dict[str, str]) -> None:
    # made by 3.12.0, whose prefix now holds 3.12.1: what pyvenv.cfg says is out of date
    base = make_base("3.12.1", tmp_path / "base")
    env_dir = create("venv", base, tmp_path / "env", roost_env)
    cfg = env_dir / "pyvenv.cfg"
    cfg.write_text(cfg.read_text().replace("version = 3.12.1", "version = 3.12.0"))
    problems = diagnose(str(env_dir), run_python=run_python)
    assert [problem.code for problem in problems] == ["version-mismatch"]
    assert "3.12.0" in problems[0].message and "3.12.1" in problems[0].message
    assert problems[0].fix == f"roost repair {env_dir}"


def test_copied_interpreter_older_than_its_base(tmp_path: Path, roost_env: dict[str, str]) -> None:
    base = make_base("3.12.1", tmp_path / "base")
    env_dir = create("roost", base, tmp_path / "env", roost_env, "--copies")
    assert diagnose(str(env_dir)) == []
    # the base's binary is rebuilt in place (a new file, as an installer writes it)
    rebuilt = base.read_bytes() + b"\0rebuilt"
    base.unlink()
    base.write_bytes(rebuilt)
    base.chmod(0o755)
    assert codes(env_dir) == {"copy-stale"}
    assert codes(env_dir, run_python=False) == {"copy-stale"}


def test_moved_environment(tmp_path: Path, roost_env: dict[str, str]) -> None:
    base = make_base("3.12.1", tmp_path / "base")
    env_dir = create("virtualenv", base, tmp_path / "env", roost_env)
    env_dir.rename(tmp_path / "moved")
    problems = diagnose(str(tmp_path / "moved"), run_python=False)
    assert [problem.code for problem in problems] == ["moved"]
    assert str(env_dir) in problems[0].message


def test_lib_folder_of_another_minor_is_orphaned(tmp_path: Path, roost_env: dict[str, str]) -> None:
    base = make_base("3.12.1", tmp_path / "base")
    env_dir = create("roost", base, tmp_path / "env", roost_env)
    (env_dir / "lib" / "python3.11" / "site-packages").mkdir(parents=True)
    problems = diagnose(str(env_dir))
    assert [problem.code for problem in problems] == ["lib-orphaned"]
    assert problems[0].fix == f"roost repair --recreate {env_dir}"


def test_pip_that_does_not_import(tmp_path: Path, roost_env: dict[str, str]) -> None:
    base = make_base("3.12.1", tmp_path / "base")
    # copies, and a new file rather than a write through: uv otherwise hard-links its cache
    env_dir = create("uv", base, tmp_path / "env", roost_env, "--link-mode", "copy")
    site = env_dir / "lib" / "python3.12" / "site-packages"
    (site / "pip" / "__init__.py").unlink()
    (site / "pip" / "__init__.py").write_text("raise ImportError('damaged')\n")
    assert codes(env_dir) == {"pip-broken"}
    assert codes(env_dir, run_python=False) == set()
    shutil.rmtree(site / "pip")
    assert codes(env_dir, run_python=False) == {"pip-broken"}


def test_environment_without_pip_is_healthy(tmp_path: Path, roost_env: dict[str, str]) -> None:
    base = make_base("3.12.1", tmp_path / "base")
    env_dir = create("roost", base, tmp_path / "env", roost_env, "--without-pip")
    assert diagnose(str(env_dir)) == []


def test_not_an_environment(tmp_path: Path) -> None:
    with pytest.raises(RoostError, match="not an environment"):
        diagnose(str(tmp_path))
    assert not os.listdir(tmp_path)


# -- the command line -------------------------------------------------------------------------


@pytest.mark.slow
def test_check_command_exit_codes_and_json(tmp_path: Path, roost_env: dict[str, str]) -> None:
    base = make_base("3.12.1", tmp_path / "base")
    healthy = create("roost", base, tmp_path / "healthy", roost_env)
    moved = create("venv", base, tmp_path / "made-here", roost_env)
    moved.rename(tmp_path / "moved")
    moved = tmp_path / "moved"

    done = roost(["check", str(healthy)], roost_env, check=False)
    assert done.returncode == 0 and done.stdout == f"{healthy}: healthy\n"

    done = roost(["check", str(healthy), str(moved)], roost_env, check=False)
    assert done.returncode == 1
    assert done.stdout.splitlines()[-1] == (
        f"{moved}: made at {tmp_path / 'made-here'} (moved or copied): its scripts and activation point there"
        f" (fix: roost repair {moved})"
    )

    done = roost(["check", "--json", "--no-run", str(healthy), str(moved)], roost_env, check=False)
    report = json.loads(done.stdout)
    assert done.returncode == 1
    assert [entry["healthy"] for entry in report] == [True, False]
    assert report[1]["problems"] == [
        {"code": "moved", "message": report[1]["problems"][0]["message"], "fix": f"roost repair {moved}"}
    ]


def test_check_command_on_what_is_not_an_environment(tmp_path: Path, roost_env: dict[str, str]) -> None:
    done = roost(["check", str(tmp_path)], roost_env, check=False)
    assert done.returncode == 2
    assert (
        done.stderr
        == f"roost: error: {tmp_path} is not an environment: it has no pyvenv.cfg: give the folder that holds pyvenv.cfg\n"
    )


def test_check_command_defaults_to_the_active_environment(tmp_path: Path, roost_env: dict[str, str]) -> None:
    env_dir = create("roost", make_base("3.12.1", tmp_path / "base"), tmp_path / "env", roost_env)
    done = roost(["check"], roost_env | {"VIRTUAL_ENV": str(env_dir)}, check=False)
    assert done.returncode == 0 and "healthy" in done.stdout
    done = roost(["check"], {key: value for key, value in roost_env.items() if key != "VIRTUAL_ENV"}, check=False)
    assert done.returncode == 2 and "no PATH given" in done.stderr


def test_check_command_usage_error_is_one_line(roost_env: dict[str, str]) -> None:
    done = roost(["check", "--bogus"], roost_env, check=False)
    assert done.returncode == 2 and len(done.stderr.splitlines()) == 1 and "--help" in done.stderr


@pytest.mark.parametrize("copies", [False, True])
def test_a_python2_environment_is_healthy(copies: bool, tmp_path: Path, roost_env: dict[str, str]) -> None:
    """Python 2's python and python2 point at the copied python2.7 beside them, not at the base:
    that is its layout, not a wrong link; a link to a foreign interpreter is still one."""
    python2 = str(Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions" / "2.7.18" / "bin" / "python")
    if not os.path.exists(python2):
        pytest.skip("pyenv's 2.7.18 is not here")
    env_dir = tmp_path / "env"
    roost(["-p", python2, "--no-seed", *(["--copies"] if copies else []), str(env_dir)], roost_env)
    assert diagnose(str(env_dir)) == [] and diagnose(str(env_dir), run_python=False) == []
    alias = env_dir / "bin" / "python"
    alias.unlink()
    alias.symlink_to(sys.executable)
    assert "interpreter-wrong" in codes(env_dir, run_python=False)
