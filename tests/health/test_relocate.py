"""relocate(): after a move or copy, nothing in the environment points at the old place."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest
from health_helpers import (
    SRC,
    TOOLS,
    assert_works,
    build_wheel,
    create,
    install_packages,
    make_base,
    make_project,
    python_env,
    run,
)

sys.path.insert(0, str(SRC))

from roost.envreader import read_environment  # noqa: E402
from roost.relocate import relocate  # noqa: E402


def _files_naming(root: Path, old: str) -> list[str]:
    found = []
    for folder, _, files in os.walk(root):
        for name in files:
            path = os.path.join(folder, name)
            if "__pycache__" in path or os.path.islink(path):
                continue
            with open(path, "rb") as handle:
                content = handle.read()
            if any(os.fsencode(old) + end in content for end in (b"/", b"'", b'"', b"\n")):
                found.append(os.path.relpath(path, root))
    return found


@pytest.mark.parametrize("how", ["move", "copy"])
@pytest.mark.parametrize("tool", TOOLS)
def test_environment_works_at_its_new_place(tool: str, how: str, tmp_path: Path, roost_env: dict[str, str]) -> None:
    base = make_base("3.12.1", tmp_path / "base")
    old = create(tool, base, tmp_path / "first" / "env", roost_env)
    install_packages(old, build_wheel(tmp_path / "wheels"), make_project(old / "src" / "editme"), roost_env)
    new = tmp_path / "second place" / "env"
    new.parent.mkdir()
    if how == "move":
        old.rename(new)
    else:
        shutil.copytree(old, new, symlinks=True)
    assert read_environment(str(new)).moved

    changed = relocate(str(new), str(old))

    assert str(new / "bin" / "greeter") in changed
    if how == "copy":
        shutil.rmtree(old)  # the copy must not lean on the original in any way
    assert_works(new, roost_env)
    assert _files_naming(new, str(old)) == []
    env = read_environment(str(new))
    assert not env.moved
    editme = next(dist for dist in env.distributions() if dist.name == "editme")
    assert editme.source == str(new / "src" / "editme")
    # pip can still uninstall what it installed: RECORD names the script at its new place
    run([str(new / "bin" / "python"), "-m", "pip", "uninstall", "-y", "-q", "greeter"], python_env(roost_env))
    assert not (new / "bin" / "greeter").exists()


def test_relocate_to_the_same_place_changes_nothing(tmp_path: Path, roost_env: dict[str, str]) -> None:
    base = make_base("3.12.1", tmp_path / "base")
    env_dir = create("roost", base, tmp_path / "env", roost_env)
    assert relocate(str(env_dir), str(env_dir)) == []


def test_shebang_arguments_are_kept(tmp_path: Path, roost_env: dict[str, str]) -> None:
    base = make_base("3.12.1", tmp_path / "base")
    old = create("roost", base, tmp_path / "a", roost_env, "--no-seed")
    script = old / "bin" / "tool"
    script.write_text(f"#!{old}/bin/python -E\nprint('ok')\n")
    script.chmod(0o755)
    new = tmp_path / "b"
    old.rename(new)
    relocate(str(new), str(old))
    assert (new / "bin" / "tool").read_text().splitlines()[0] == f"#!{new}/bin/python -E"
    assert os.access(new / "bin" / "tool", os.X_OK)
