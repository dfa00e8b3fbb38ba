"""pdm, hatch and nox (real, from the package index) making their environments with roost;
poetry, pipenv and pew using an environment roost made: each the way the README's
"Integrations" section tells users to."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from support import EXPECTED_INTERPRETERS, require_executable
from tools import tool_env, tool_environment

import roost

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def tools_bin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tool_environment(tmp_path_factory.mktemp("tools") / "env", "pdm", "hatch", "nox")


def _made_by_roost(env_dir: Path) -> dict[str, str]:
    lines = (env_dir / "pyvenv.cfg").read_text().splitlines()
    config = {key.strip(): value.strip() for key, _, value in (line.partition("=") for line in lines)}
    assert "roost" in config and "virtualenv" not in config
    return config


def _run(command: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


@pytest.mark.parametrize("how", ["config", "env var"])
def test_pdm_venv_backend(tools_bin: Path, tmp_path: Path, app_data_dir: Path, how: str) -> None:
    python = require_executable(EXPECTED_INTERPRETERS["cpython3.12"], "cpython3.12")
    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text('[project]\nname = "demo"\nversion = "1.0"\n[tool.pdm]\ndistribution = false\n')
    env = tool_env(tmp_path, app_data_dir)
    env.update(PDM_HOME=str(tmp_path / "pdm-home"), PDM_CHECK_UPDATE="false", PDM_CONFIG_FILE=str(tmp_path / "pdm.toml"))
    if how == "env var":
        env["PDM_VENV_BACKEND"] = "roost"
    else:
        _run([str(tools_bin / "pdm"), "config", "venv.backend", "roost"], project, env)
    done = _run([str(tools_bin / "pdm"), "venv", "create", python], project, env)
    assert "using roost" in done.stdout + done.stderr
    assert _made_by_roost(project / ".venv")["version"] == "3.12.1"
    _run([str(tools_bin / "pdm"), "install"], project, env)  # pdm uses the environment it made


def test_hatch_environment_type(tools_bin: Path, tmp_path: Path, app_data_dir: Path) -> None:
    python = require_executable(EXPECTED_INTERPRETERS["cpython3.12"], "cpython3.12")
    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text(
        textwrap.dedent(
            f"""
            [project]
            name = "demo"
            version = "1.0"
            [tool.hatch.envs.default]
            type = "roost"
            skip-install = true
            python = "{python}"
            """
        )
    )
    env = tool_env(tmp_path, app_data_dir)
    env.update(HATCH_DATA_DIR=str(tmp_path / "hatch-data"), HATCH_CACHE_DIR=str(tmp_path / "hatch-cache"))
    done = _run([str(tools_bin / "hatch"), "run", "python", "-c", "import sys; print('PREFIX', sys.prefix)"], project, env)
    prefix = Path(next(line for line in done.stdout.splitlines() if line.startswith("PREFIX ")).split(" ", 1)[1])
    assert _made_by_roost(prefix)["version"] == "3.12.1"
    assert str(prefix).startswith(str(tmp_path / "hatch-data"))


NOXFILE = """
import nox


@nox.session(venv_backend="none")
def tests(session: nox.Session) -> None:
    env = f".nox/{session.name}"
    session.run("roost", env, "-p", PYTHON, "--no-periodic-update")
    session.run(f"{env}/bin/python", "-c", "import sys; print('PREFIX', sys.prefix)")
"""


def test_nox_session_with_a_roost_environment(tools_bin: Path, tmp_path: Path, app_data_dir: Path) -> None:
    python = require_executable(EXPECTED_INTERPRETERS["cpython3.12"], "cpython3.12")
    project = tmp_path / "project"
    project.mkdir()
    (project / "noxfile.py").write_text(f"PYTHON = {python!r}\n" + NOXFILE)
    env = tool_env(tmp_path, app_data_dir)
    env["PATH"] = f"{tools_bin}:{env['PATH']}"  # roost's console script, beside nox
    for _ in range(2):  # the second run updates the environment in place
        done = _run([str(tools_bin / "nox")], project, env)
        assert f"PREFIX {project / '.nox' / 'tests'}" in done.stdout + done.stderr
    assert _made_by_roost(project / ".nox" / "tests")["version"] == "3.12.1"


@pytest.fixture(scope="module")
def reuse_tools_bin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tool_environment(tmp_path_factory.mktemp("reuse-tools") / "env", "poetry", "pipenv", "pew")


def _roost_env(where: Path, python: str, env: dict[str, str]) -> None:
    made = subprocess.run(
        [sys.executable, "-m", "roost", "-q", str(where), "-p", python],
        env={**env, "PYTHONPATH": str(Path(roost.__file__).parents[1])},
        capture_output=True,
        text=True,
    )
    assert made.returncode == 0, made.stderr


def _prefix_of(done: subprocess.CompletedProcess[str]) -> str:
    return next(line for line in done.stdout.splitlines() if line.startswith("PREFIX ")).split(" ", 1)[1]


PRINT_PREFIX = ["python", "-c", "import sys; print('PREFIX', sys.prefix)"]


POETRY_PROJECT = (
    '[project]\nname = "demo"\nversion = "1.0"\nrequires-python = ">=3.8"\ndependencies = []\n'
    "[tool.poetry]\npackage-mode = false\n"
)


@pytest.mark.parametrize(
    ("tool", "file_name", "content", "settings"),
    [
        ("poetry", "pyproject.toml", POETRY_PROJECT, {"POETRY_CACHE_DIR": "poetry-cache", "POETRY_CONFIG_DIR": "poetry-config"}),
        ("pipenv", "Pipfile", '[packages]\n\n[requires]\npython_version = "3.12"\n', {"PIPENV_CACHE_DIR": "pipenv-cache"}),
    ],
)
def test_tool_uses_the_project_venv_roost_made(
    reuse_tools_bin: Path, tmp_path: Path, app_data_dir: Path, tool: str, file_name: str, content: str, settings: dict[str, str]
) -> None:
    """`roost .venv`, then `poetry install` / `pipenv install`: the tool adopts that environment."""
    python = require_executable(EXPECTED_INTERPRETERS["cpython3.12"], "cpython3.12")
    project = tmp_path / "project"
    project.mkdir()
    (project / file_name).write_text(content)
    env = tool_env(tmp_path, app_data_dir)
    env.update({name: str(tmp_path / folder) for name, folder in settings.items()}, PIPENV_YES="1", PIPENV_NOSPIN="1")
    env.pop("VIRTUAL_ENV", None)
    _roost_env(project / ".venv", python, env)
    _run([str(reuse_tools_bin / tool), "install"], project, env)
    done = _run([str(reuse_tools_bin / tool), "run", *PRINT_PREFIX], project, env)
    assert _prefix_of(done) == str(project / ".venv")
    _made_by_roost(project / ".venv")


def test_pew_works_in_an_env_roost_made_in_workon_home(reuse_tools_bin: Path, tmp_path: Path, app_data_dir: Path) -> None:
    python = require_executable(EXPECTED_INTERPRETERS["cpython3.12"], "cpython3.12")
    env = tool_env(tmp_path, app_data_dir)
    env["WORKON_HOME"] = str(tmp_path / "envs")
    _roost_env(tmp_path / "envs" / "demo", python, env)
    assert "demo" in _run([str(reuse_tools_bin / "pew"), "ls"], tmp_path, env).stdout.split()
    done = _run([str(reuse_tools_bin / "pew"), "in", "demo", *PRINT_PREFIX], tmp_path, env)
    assert _prefix_of(done) == str(tmp_path / "envs" / "demo")
