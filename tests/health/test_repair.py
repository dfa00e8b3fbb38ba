"""roost repair: in place for the same minor version, --recreate across minors, after moves."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from health_helpers import (
    assert_works,
    build_wheel,
    create,
    install_packages,
    make_base,
    make_project,
    python_env,
    roost,
    run,
    tree_snapshot,
)
from support import Mounter


@pytest.fixture
def packaged(tmp_path: Path, roost_env: dict[str, str]) -> tuple[Path, Path]:
    """A 3.12 base copy at tmp/base and an environment from it with an editable and a console-script package."""
    base = make_base("3.12.1", tmp_path / "base")
    env_dir = create("roost", base, tmp_path / "env", roost_env)
    install_packages(env_dir, build_wheel(tmp_path / "wheels"), make_project(tmp_path / "project"), roost_env)
    return base, env_dir


def check(env_dir: Path, env: dict[str, str]) -> list[str]:
    done = roost(["check", "--json", str(env_dir)], env, check=False)
    return [problem["code"] for problem in json.loads(done.stdout)[0]["problems"]]


@pytest.mark.slow
@pytest.mark.parametrize("copies", [False, True], ids=["symlinks", "copies"])
@pytest.mark.parametrize("tool", ["roost", "venv", "virtualenv", "uv"])
def test_base_moved_is_repaired_in_place(tool: str, copies: bool, tmp_path: Path, roost_env: dict[str, str]) -> None:
    if copies and tool == "uv":
        pytest.skip("uv venv has no --copies")
    base = make_base("3.12.1", tmp_path / "base")
    env_dir = create(tool, base, tmp_path / "env", roost_env, *(["--copies"] if copies else []))
    install_packages(env_dir, build_wheel(tmp_path / "wheels"), make_project(tmp_path / "project"), roost_env)
    (tmp_path / "base").rename(tmp_path / "moved-base")
    site = env_dir / "lib" / "python3.12" / "site-packages"
    before = sorted(os.listdir(site))
    if not copies:
        assert "base-missing" in check(env_dir, roost_env)

    done = roost(["repair", "-p", str(tmp_path / "moved-base" / "bin" / "python3.12"), str(env_dir)], roost_env)

    assert "pyvenv.cfg" in done.stdout
    assert check(env_dir, roost_env) == []
    assert sorted(os.listdir(site)) == before  # every package stays
    assert_works(env_dir, roost_env)
    cfg = (env_dir / "pyvenv.cfg").read_text()
    assert f"home = {tmp_path / 'moved-base' / 'bin'}\n" in cfg
    # every key that names the base names the new place (``command`` records how it was made)
    assert not [line for line in cfg.splitlines() if str(tmp_path / "base") + "/" in line and not line.startswith("command")]
    assert not any(name.startswith(".roost-repair") for name in os.listdir(env_dir))


@pytest.mark.slow
def test_base_removed_uses_another_interpreter_of_the_same_version(
    packaged: tuple[Path, Path], roost_env: dict[str, str]
) -> None:
    _, env_dir = packaged
    shutil.rmtree(env_dir.parent / "base")
    roost(["repair", str(env_dir)], roost_env)  # pyenv's own 3.12 is found
    assert_works(env_dir, roost_env)
    assert check(env_dir, roost_env) == []


@pytest.mark.slow
def test_nothing_to_repair(packaged: tuple[Path, Path], roost_env: dict[str, str]) -> None:
    _, env_dir = packaged
    before = tree_snapshot(env_dir)
    done = roost(["repair", str(env_dir)], roost_env)
    assert done.stdout.strip() == f"{env_dir}: nothing to repair"
    assert tree_snapshot(env_dir) == before


def test_copied_interpreter_refreshed_after_a_patch_rebuild(tmp_path: Path, roost_env: dict[str, str]) -> None:
    base = make_base("3.12.1", tmp_path / "base")
    env_dir = create("roost", base, tmp_path / "env", roost_env, "--copies")
    rebuilt = base.read_bytes() + b"\0rebuilt"
    base.unlink()
    base.write_bytes(rebuilt)
    base.chmod(0o755)
    assert check(env_dir, roost_env) == ["copy-stale"]
    roost(["repair", str(env_dir)], roost_env)
    assert (env_dir / "bin" / "python3.12").read_bytes() == rebuilt
    assert check(env_dir, roost_env) == []


def _swap_minor(tmp_path: Path) -> Path:
    shutil.rmtree(tmp_path / "base")
    return make_base("3.13.0", tmp_path / "base")


@pytest.mark.slow
def test_minor_change_is_refused_and_changes_nothing(
    packaged: tuple[Path, Path], roost_env: dict[str, str], tmp_path: Path
) -> None:
    _, env_dir = packaged
    new_base = _swap_minor(tmp_path)
    before = tree_snapshot(env_dir)
    done = roost(["repair", "-p", str(new_base), str(env_dir)], roost_env, check=False)
    assert done.returncode == 1
    assert len(done.stderr.splitlines()) == 1 and "Traceback" not in done.stderr
    assert "3.12" in done.stderr and "3.13" in done.stderr and "--recreate" in done.stderr
    assert tree_snapshot(env_dir) == before


@pytest.mark.slow
def test_recreate_across_a_minor_version_keeps_every_package(
    packaged: tuple[Path, Path], roost_env: dict[str, str], tmp_path: Path
) -> None:
    _, env_dir = packaged
    new_base = _swap_minor(tmp_path)
    (tmp_path / "wheels").rename(tmp_path / "wheels-gone")  # reinstalled from the old env's own files
    assert "minor-changed" in check(env_dir, roost_env)
    before = tree_snapshot(env_dir)

    plan = roost(["repair", "--recreate", "--dry-run", "-p", str(new_base), str(env_dir)], roost_env)
    assert "install greeter==1.0" in plan.stdout and f"editable from {tmp_path / 'project'}" in plan.stdout
    assert tree_snapshot(env_dir) == before

    roost(["repair", "--recreate", "-p", str(new_base), str(env_dir)], roost_env)

    assert check(env_dir, roost_env) == []
    assert os.listdir(env_dir / "lib") == ["python3.13"]
    assert_works(env_dir, roost_env)
    # setuptools 67 does not import on 3.13 (it predates it), but it is installed as before
    site = env_dir / "lib" / "python3.13" / "site-packages"
    assert {"setuptools-67.6.1.dist-info", "wheel-0.40.0.dist-info"} <= set(os.listdir(site))
    (tmp_path / "project" / "editme.py").write_text("VALUE = 'edited'\n")  # still editable
    done = roost(["check", str(env_dir)], roost_env)
    assert "healthy" in done.stdout
    assert sorted(os.listdir(tmp_path)) == ["base", "env", "project", "wheels-gone"]  # nothing left beside


@pytest.mark.slow
def test_recreate_that_cannot_reinstall_leaves_the_old_environment(
    packaged: tuple[Path, Path], roost_env: dict[str, str], tmp_path: Path
) -> None:
    _, env_dir = packaged
    # a platform-specific distribution built for 3.12 that no offline source has for 3.13
    native = env_dir / "lib" / "python3.12" / "site-packages" / "native-2.0.dist-info"
    native.mkdir()
    (native / "METADATA").write_text("Metadata-Version: 2.1\nName: native\nVersion: 2.0\n")
    (native / "WHEEL").write_text("Wheel-Version: 1.0\nRoot-Is-Purelib: false\nTag: cp312-cp312-linux_x86_64\n")
    (native / "RECORD").write_text("native-2.0.dist-info/METADATA,,\n")
    new_base = _swap_minor(tmp_path)
    before = tree_snapshot(env_dir)
    done = roost(["repair", "--recreate", "-p", str(new_base), str(env_dir)], roost_env, check=False)
    assert done.returncode == 1
    assert "native==2.0" in done.stderr and "unchanged" in done.stderr and "Traceback" not in done.stderr
    assert tree_snapshot(env_dir) == before
    assert sorted(os.listdir(tmp_path)) == ["base", "env", "project", "wheels"]


@pytest.mark.slow
def test_moved_environment_is_repaired(packaged: tuple[Path, Path], roost_env: dict[str, str], tmp_path: Path) -> None:
    _, env_dir = packaged
    new = tmp_path / "elsewhere"
    env_dir.rename(new)
    assert check(new, roost_env) == ["moved"]
    roost(["repair", str(new)], roost_env)
    assert check(new, roost_env) == []
    assert_works(new, roost_env)


def test_repair_of_what_is_not_an_environment(tmp_path: Path, roost_env: dict[str, str]) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "keep.txt").write_text("mine")
    done = roost(["repair", str(tmp_path / "data")], roost_env, check=False)
    assert done.returncode == 1 and "not an environment" in done.stderr and len(done.stderr.splitlines()) == 1
    assert os.listdir(tmp_path / "data") == ["keep.txt"]


@pytest.mark.slow
def test_recreate_keeps_an_editable_project_inside_the_environment(tmp_path: Path, roost_env: dict[str, str]) -> None:
    base = make_base("3.12.1", tmp_path / "base")
    env_dir = create("roost", base, tmp_path / "env", roost_env)
    install_packages(env_dir, build_wheel(tmp_path / "wheels"), make_project(env_dir / "src" / "editme"), roost_env)
    new_base = _swap_minor(tmp_path)
    roost(["repair", "--recreate", "-p", str(new_base), str(env_dir)], roost_env)
    assert_works(env_dir, roost_env)
    (env_dir / "src" / "editme" / "editme.py").write_text("VALUE = 'edited in place'\n")
    done = run(
        [str(env_dir / "bin" / "python"), "-c", "import editme; print(editme.__file__, editme.VALUE)"], python_env(roost_env)
    )
    assert done.stdout.split() == [str(env_dir / "src" / "editme" / "editme.py"), "edited", "in", "place"]


def test_version_in_pyvenv_cfg_is_brought_up_to_date(tmp_path: Path, roost_env: dict[str, str]) -> None:
    # made by 3.12.0, whose prefix now holds 3.12.1 (virtualenv writes version and version_info)
    env_dir = create("virtualenv", make_base("3.12.1", tmp_path / "base"), tmp_path / "env", roost_env)
    cfg = env_dir / "pyvenv.cfg"
    cfg.write_text(cfg.read_text().replace("3.12.1", "3.12.0"))
    assert check(env_dir, roost_env) == ["version-mismatch"]
    roost(["repair", str(env_dir)], roost_env)
    text = cfg.read_text()
    assert "version = 3.12.1\n" in text and "version_info = 3.12.1.final.0\n" in text and "virtualenv = " in text
    assert check(env_dir, roost_env) == []


def test_link_to_another_interpreter_is_pointed_back_at_the_base(tmp_path: Path, roost_env: dict[str, str]) -> None:
    base = make_base("3.12.1", tmp_path / "base")
    other = make_base("3.12.1", tmp_path / "other")
    env_dir = create("uv", base, tmp_path / "env", roost_env)
    (env_dir / "bin" / "python").unlink()
    (env_dir / "bin" / "python").symlink_to(other)
    assert check(env_dir, roost_env) == ["interpreter-wrong"]
    roost(["repair", str(env_dir)], roost_env)
    assert os.path.realpath(env_dir / "bin" / "python") == str(base)
    assert check(env_dir, roost_env) == []


def test_recreate_keeps_the_files_that_were_in_the_folder_before_roost(tmp_path: Path, roost_env: dict[str, str]) -> None:
    """An environment made with --allow-existing beside a project's files: --recreate swaps in
    the new environment and deletes the old one, but never the user's files (as --clear)."""
    from support import assert_intact, plant_user_files

    env_dir = tmp_path / "project"
    files = plant_user_files(env_dir)
    (env_dir / ".gitignore").write_text("mine\n")
    files[env_dir / ".gitignore"] = b"mine\n"
    create("roost", make_base("3.12.1", tmp_path / "base"), env_dir, roost_env, "--allow-existing")
    new_base = _swap_minor(tmp_path)
    roost(["repair", "--recreate", "-p", str(new_base), str(env_dir)], roost_env)
    assert_intact(files)
    assert_works(env_dir, roost_env, modules=("pip",))
    assert sorted(os.listdir(tmp_path)) == ["base", "project"]
    roost(["--clear", "-p", str(new_base), str(env_dir)], roost_env)  # the new environment knows them as the user's
    assert_intact(files)


@pytest.mark.slow
def test_recreate_never_deletes_through_a_mount_in_the_old_environment(
    bind_mount: Mounter, tmp_path: Path, roost_env: dict[str, str]
) -> None:
    from support import assert_intact

    env_dir = create("roost", make_base("3.12.1", tmp_path / "base"), tmp_path / "env", roost_env)
    files = bind_mount(env_dir / "data")
    new_base = _swap_minor(tmp_path)
    done = roost(["repair", "--recreate", "-p", str(new_base), str(env_dir)], roost_env)
    assert "another filesystem is mounted there" in done.stderr
    assert_intact(files)
    assert_works(env_dir, roost_env, modules=("pip",))


def test_repair_never_writes_through_a_link_out_of_the_environment(tmp_path: Path, roost_env: dict[str, str]) -> None:
    env_dir = create("roost", make_base("3.12.1", tmp_path / "base"), tmp_path / "env", roost_env, "--no-seed")
    mine = tmp_path / "mine"
    shutil.copytree(env_dir / "bin", mine, symlinks=True)
    (mine / "activate").write_text("mine\n")
    shutil.rmtree(env_dir / "bin")
    (env_dir / "bin").symlink_to(mine)
    cfg = env_dir / "pyvenv.cfg"
    cfg.write_text(cfg.read_text().replace("3.12.1", "3.12.0"))
    before = tree_snapshot(mine)
    done = roost(["repair", str(env_dir)], roost_env, check=False)
    assert done.returncode == 1 and "outside the environment" in done.stderr and len(done.stderr.splitlines()) == 1
    assert tree_snapshot(mine) == before


@pytest.mark.slow
def test_recreate_never_passes_a_crafted_distribution_name_to_pip_as_an_option(tmp_path: Path, roost_env: dict[str, str]) -> None:
    """A METADATA ``Name: --log=FILE`` would make pip write its log beside the user's files."""
    env_dir = create("roost", make_base("3.12.1", tmp_path / "base"), tmp_path / "env", roost_env)
    victim = tmp_path / "victim"
    info = next((env_dir / "lib").glob("python*/site-packages")) / "evil-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: --log={victim}\nVersion: 1.0\n")
    (info / "RECORD").write_text("evil-1.0.dist-info/METADATA,,\n")
    new_base = _swap_minor(tmp_path)
    done = roost(["repair", "--recreate", "-p", str(new_base), str(env_dir)], roost_env, check=False)
    assert done.returncode == 1 and "could not reinstall" in done.stderr
    assert sorted(os.listdir(tmp_path)) == ["base", "env"]


def test_a_move_is_seen_whichever_script_names_the_old_place(tmp_path: Path, roost_env: dict[str, str]) -> None:
    # After the move, pip writes a script with the new path; one sorting before pip's own
    # must not hide that pip, wheel and activate still name the old place.
    import sys

    env_dir = tmp_path / "env"
    roost(["-p", sys.executable, str(env_dir)], roost_env)
    new = tmp_path / "moved"
    env_dir.rename(new)
    script = new / "bin" / "aaa"
    script.write_text(f"#!{new}/bin/python\nprint('hi')\n")
    script.chmod(0o755)
    assert check(new, roost_env) == ["moved"]
    roost(["repair", str(new)], roost_env)
    assert check(new, roost_env) == []
    assert str(env_dir) + "/" not in (new / "bin" / "activate").read_text()


@pytest.mark.slow
def test_recreate_through_a_symlink_is_refused_and_keeps_the_mode_of_the_folder(
    tmp_path: Path, roost_env: dict[str, str]
) -> None:
    import sys

    real = tmp_path / "real"
    roost(["-p", sys.executable, str(real)], roost_env)
    real.chmod(0o755)
    link = tmp_path / "link"
    link.symlink_to(real)
    before = tree_snapshot(real)
    done = roost(["repair", "--recreate", "-p", sys.executable, str(link)], roost_env, check=False)
    assert done.returncode != 0 and len(done.stderr.splitlines()) == 1 and "symbolic link" in done.stderr
    assert link.is_symlink() and tree_snapshot(real) == before
    assert sorted(os.listdir(tmp_path)) == ["link", "real"]
    # The folder itself: recreated, with the mode it had (not mkdtemp's 0700).
    roost(["repair", "--recreate", "-p", sys.executable, str(real)], roost_env)
    assert (real.stat().st_mode & 0o777) == 0o755 and link.is_symlink()


def test_recreate_carries_over_a_folder_the_user_keeps_inside_the_environment(tmp_path: Path, roost_env: dict[str, str]) -> None:
    import sys

    env_dir = tmp_path / "env"
    roost(["-p", sys.executable, "--no-seed", str(env_dir)], roost_env)
    (env_dir / "extra").mkdir()
    (env_dir / "extra" / "extramod.py").write_text("VALUE = 1\n")
    (env_dir / "notes.txt").write_text("mine\n")
    plan = roost(["repair", "--recreate", "--dry-run", "-p", sys.executable, str(env_dir)], roost_env)
    assert "keep extra (yours)" in plan.stdout and "keep notes.txt (yours)" in plan.stdout
    roost(["repair", "--recreate", "-p", sys.executable, str(env_dir)], roost_env)
    assert (env_dir / "extra" / "extramod.py").read_text() == "VALUE = 1\n" and (env_dir / "notes.txt").is_file()
    assert sorted(os.listdir(tmp_path)) == ["env"]
    # and they stay the user's: a later --clear keeps them
    roost(["-p", sys.executable, "--no-seed", "--clear", str(env_dir)], roost_env)
    assert (env_dir / "extra" / "extramod.py").is_file() and (env_dir / "notes.txt").is_file()
