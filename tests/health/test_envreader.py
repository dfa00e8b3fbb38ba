"""read_environment: what the files of an environment made by roost, venv, virtualenv or uv say."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from health_helpers import SRC, TOOLS, build_wheel, create, install_packages, make_base, make_project

sys.path.insert(0, str(SRC))

from roost.envreader import read_environment  # noqa: E402
from roost.errors import RoostError  # noqa: E402


@pytest.mark.slow
@pytest.mark.parametrize("tool", TOOLS)
def test_reads_what_each_tool_wrote(tool: str, tmp_path: Path, roost_env: dict[str, str]) -> None:
    base = make_base("3.12.1", tmp_path / "base")
    env_dir = create(tool, base, tmp_path / "env", roost_env)
    env = read_environment(str(env_dir))
    assert env.made_by == tool
    assert env.major_minor == "3.12"
    assert env.version is not None and env.version[:3] == (3, 12, 1)
    assert env.home == str(tmp_path / "base" / "bin")
    assert env.base_executable is not None and Path(env.base_executable).resolve() == base.resolve()
    assert env.site_packages == [str(env_dir / "lib" / "python3.12" / "site-packages")]
    assert {link.name for link in env.interpreters} >= {"python", "python3", "python3.12"}
    assert not any(link.dangling for link in env.interpreters)
    assert env.made_at == str(env_dir) and not env.moved
    assert [dist.name for dist in env.distributions()] == ["pip"]
    assert not env.relocatable and not env.copies


@pytest.mark.slow
def test_reads_editable_and_console_script_packages(tmp_path: Path, roost_env: dict[str, str]) -> None:
    base = make_base("3.12.1", tmp_path / "base")
    env_dir = create("roost", base, tmp_path / "env", roost_env, "--copies")
    install_packages(env_dir, build_wheel(tmp_path / "wheels"), make_project(tmp_path / "project"), roost_env)
    env = read_environment(str(env_dir))
    by_name = {dist.name: dist for dist in env.distributions()}
    assert set(by_name) == {"editme", "greeter", "pip", "setuptools", "wheel"}
    assert by_name["editme"].editable and by_name["editme"].source == str(tmp_path / "project")
    assert not by_name["greeter"].editable and by_name["greeter"].pure and by_name["greeter"].version == "1.0"
    assert "../../../bin/greeter" in by_name["greeter"].record()
    assert env.copies


def test_relocatable_uv_environment_names_no_place(tmp_path: Path, roost_env: dict[str, str]) -> None:
    base = make_base("3.12.1", tmp_path / "base")
    env_dir = create("uv", base, tmp_path / "env", roost_env, "--relocatable")
    env = read_environment(str(env_dir))
    assert env.relocatable
    assert not env.moved


@pytest.mark.parametrize("setup", ["missing", "no-cfg", "file"])
def test_not_an_environment_is_one_clear_error(setup: str, tmp_path: Path) -> None:
    target = tmp_path / "target"
    if setup == "no-cfg":
        target.mkdir()
    elif setup == "file":
        target.write_text("")
    with pytest.raises(RoostError, match="is not an environment") as caught:
        read_environment(str(target))
    assert caught.value.hint
