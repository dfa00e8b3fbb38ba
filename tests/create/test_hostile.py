"""Hostile and unlucky folders: a planted marker, a mount inside DEST, a crafted RECORD,
--allow-existing then --clear, tox's folder.  Each proves the user's files are still there."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from support import Mounter, run_roost
from support import assert_intact as _intact
from support import plant_user_files as _plant

RECORD = ".roost-dest"


def _one_line(done: subprocess.CompletedProcess[str], code: int = 1) -> None:
    assert done.returncode == code, (done.returncode, done.stderr)
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("roost: error: "), done.stderr


@pytest.mark.parametrize("marker", [".roost-clearing", RECORD])
def test_a_marker_file_carried_into_a_folder_proves_nothing(marker: str, tmp_path: Path, roost_env: dict[str, str]) -> None:
    """A cloned repository may carry a file named like roost's marker (the old empty
    .roost-clearing, or a real record copied from another folder): the folder is still the
    user's, refused without --allow-existing, and nothing in it is deleted."""
    elsewhere = tmp_path / "elsewhere"
    assert run_roost(["--no-seed", str(elsewhere)], roost_env).returncode == 0
    project = tmp_path / "project"
    files = _plant(project)
    if marker == RECORD:
        shutil.copy2(elsewhere / RECORD, project / marker)  # proven for elsewhere, not here
    else:
        (project / marker).touch()
    for extra in ([], ["--clear"]):
        _one_line(run_roost(["--no-seed", *extra, str(project)], roost_env))
        _intact(files)
    assert (project / marker).exists() and not (project / "pyvenv.cfg").exists()


@pytest.mark.parametrize("text", ["", "home = /usr/bin\n"], ids=["empty", "with-home"])
def test_a_stray_pyvenv_cfg_does_not_make_a_folder_an_environment(text: str, tmp_path: Path, roost_env: dict[str, str]) -> None:
    """A pyvenv.cfg alone (copied in, or touched) beside the user's files, with no bin/
    folder: not an environment, so neither --clear nor an update in place may touch it."""
    project = tmp_path / "project"
    files = _plant(project)
    (project / "pyvenv.cfg").write_text(text)
    for extra in ([], ["--clear"]):
        _one_line(run_roost(["--no-seed", *extra, str(project)], roost_env))
        _intact(files)
    assert (project / "pyvenv.cfg").read_text() == text and not (project / "bin").exists()


def test_allow_existing_then_clear_keeps_the_users_files(tmp_path: Path, roost_env: dict[str, str]) -> None:
    project = tmp_path / "project"
    files = _plant(project)
    assert run_roost(["--no-seed", "--allow-existing", str(project)], roost_env).returncode == 0
    (project / "lib" / "installed-later.txt").write_text("part of the environment\n")
    for _round in range(2):
        done = run_roost(["--no-seed", "--clear", str(project)], roost_env)
        assert done.returncode == 0, done.stderr
        _intact(files)
        assert (project / "pyvenv.cfg").is_file() and not (project / "lib" / "installed-later.txt").exists()


def test_a_failed_allow_existing_run_takes_back_everything_it_wrote(tmp_path: Path, roost_env: dict[str, str]) -> None:
    """--seeder pip writes pyvenv.cfg before pip runs; when the run fails the folder must be as
    it was, or a later --clear would take it for an environment and empty it."""
    project = tmp_path / "project"
    files = _plant(project)
    before = sorted(p.name for p in project.iterdir())
    done = run_roost(["--seeder", "pip", "--allow-existing", "--pip", "99.0", "--no-download", str(project)], roost_env)
    _one_line(done)
    assert sorted(p.name for p in project.iterdir()) == before
    _one_line(run_roost(["--no-seed", "--clear", str(project)], roost_env))
    _intact(files)


def test_a_failed_venv_creator_run_takes_back_its_early_pyvenv_cfg(tmp_path: Path, roost_env: dict[str, str]) -> None:
    project = tmp_path / "project"
    files = _plant(project)
    done = run_roost(["--creator", "venv", "--allow-existing", "--pip", "99.0", "--no-download", str(project)], roost_env)
    _one_line(done)
    assert sorted(p.name for p in project.iterdir()) == ["notes.txt", "src"]
    _intact(files)


def test_a_folder_holding_only_toxs_entries_is_accepted_and_they_survive_clear(tmp_path: Path, roost_env: dict[str, str]) -> None:
    """tox makes log/, tmp/ and .tox-info.json in the env folder before asking for the env."""
    env = tmp_path / "py"
    (env / "log").mkdir(parents=True)
    (env / "log" / "1-commands.log").write_text("log\n")
    (env / "tmp").mkdir()
    (env / ".tox-info.json").write_text("{}\n")
    kept = {env / "log" / "1-commands.log": b"log\n", env / ".tox-info.json": b"{}\n"}
    assert run_roost(["--no-seed", str(env)], roost_env).returncode == 0
    assert run_roost(["--no-seed", "--clear", str(env)], roost_env).returncode == 0
    _intact(kept)
    assert (env / "tmp").is_dir() and (env / "pyvenv.cfg").is_file()


@pytest.mark.parametrize("where", ["lib/mounted", "mounted"])
def test_clear_never_descends_into_a_mount_inside_the_environment(
    where: str, bind_mount: Mounter, tmp_path: Path, roost_env: dict[str, str]
) -> None:
    """Deep in the environment, or right at its top (the entry --clear removes is the mount point)."""
    env = tmp_path / "env"
    assert run_roost(["--no-seed", str(env)], roost_env).returncode == 0
    files = bind_mount(env / where)
    done = run_roost(["--no-seed", "--clear", str(env)], roost_env)
    assert done.returncode == 0, done.stderr
    assert "another filesystem is mounted there" in done.stderr
    _intact(files)


def test_reset_app_data_never_descends_into_a_mount(bind_mount: Mounter, tmp_path: Path, roost_env: dict[str, str]) -> None:
    app_data = tmp_path / "app-data"
    env = dict(roost_env, ROOST_OVERRIDE_APP_DATA=str(app_data))
    assert run_roost(["--no-seed", str(tmp_path / "env")], env).returncode == 0
    files = bind_mount(app_data / "interpreters" / "mounted")
    done = run_roost(["--no-seed", "--reset-app-data", str(tmp_path / "env2")], env)
    assert done.returncode == 0, done.stderr
    _intact(files)


def test_failed_run_cleanup_never_descends_into_a_mount(bind_mount: Mounter, tmp_path: Path, roost_env: dict[str, str]) -> None:
    """A --clear that then fails (no such pip) removes what it made; a folder mounted in the
    environment stays whole through the clear and through the clean-up."""
    env = tmp_path / "env"
    assert run_roost(["--no-seed", str(env)], roost_env).returncode == 0
    files = bind_mount(env / "lib" / "mounted")
    done = run_roost(["--clear", "--pip", "99.0", "--no-download", str(env)], roost_env)
    assert done.returncode == 1, done.stderr
    _intact(files)


def _site(env: Path) -> Path:
    return next((env / "lib").glob("python*/site-packages"))


@pytest.mark.slow
def test_a_crafted_record_never_deletes_outside_the_environment(tmp_path: Path, roost_env: dict[str, str]) -> None:
    """Updating pip reads the old pip's RECORD to remove it: paths that leave the env are ignored."""
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n")
    env = tmp_path / "env"
    assert run_roost(["--pip", "23.0.1", "--no-setuptools", "--no-wheel", str(env)], roost_env).returncode == 0
    record = _site(env) / "pip-23.0.1.dist-info" / "RECORD"
    relative = os.path.relpath(victim, _site(env))
    with record.open("a") as handle:
        handle.write(f"{relative},,\n{victim},,\n")
    done = run_roost(["--pip", "24.2", "--no-setuptools", "--no-wheel", str(env)], roost_env)
    assert done.returncode == 0, done.stderr
    assert victim.read_text() == "keep me\n"
    assert "outside the environment" in done.stderr


def test_a_failed_update_leaves_the_environment_as_it_was(tmp_path: Path, roost_env: dict[str, str]) -> None:
    """The new pip went in, then the run failed (an activation script could not be written):
    the old pip is put back, whole, and nothing of the attempt stays."""
    env = tmp_path / "env"
    assert run_roost(["--pip", "23.0.1", "--no-setuptools", "--no-wheel", str(env)], roost_env).returncode == 0
    blocker = env / "bin" / "activate.fish"
    blocker.unlink()
    (blocker / "in-the-way").mkdir(parents=True)  # a folder where the script goes: writing it fails
    done = run_roost(["--pip", "24.2", "--no-setuptools", "--no-wheel", str(env)], roost_env)
    assert done.returncode == 1, done.stderr
    version = subprocess.run([str(env / "bin" / "pip"), "--version"], capture_output=True, text=True)
    assert version.returncode == 0 and version.stdout.startswith("pip 23.0.1 "), version.stdout + version.stderr
    assert sorted(p.name for p in _site(env).iterdir()) == ["pip", "pip-23.0.1.dist-info"]
    assert not (env / ".roost-previous").exists()


@pytest.mark.parametrize("linked", ["bin", "lib/site"])
def test_an_update_never_writes_through_a_link_out_of_the_environment(
    linked: str, tmp_path: Path, roost_env: dict[str, str]
) -> None:
    """bin (or site-packages) a link to a folder of the user's: an update in place would replace
    its python, activate, pip...  It is refused in one line; --clear removes the link only."""
    env = tmp_path / "env"
    assert run_roost([str(env)], roost_env).returncode == 0
    folder = env / "bin" if linked == "bin" else next((env / "lib").glob("python*/site-packages"))
    shutil.rmtree(folder)
    files = _plant(tmp_path / "mine")
    (tmp_path / "mine" / "python").write_bytes(b"mine\n")
    (tmp_path / "mine" / "pip").mkdir()
    files[tmp_path / "mine" / "python"] = b"mine\n"
    folder.symlink_to(tmp_path / "mine")
    _one_line(run_roost([str(env)], roost_env))
    assert sorted(os.listdir(tmp_path / "mine")) == ["notes.txt", "pip", "python", "src"]
    assert run_roost(["--clear", str(env)], roost_env).returncode == 0
    _intact(files)
    assert sorted(os.listdir(tmp_path / "mine")) == ["notes.txt", "pip", "python", "src"]


def test_an_environment_whose_pyvenv_cfg_was_deleted_is_updated_not_emptied(tmp_path: Path, roost_env: dict[str, str]) -> None:
    """roost's record says the run that made it finished: without pyvenv.cfg (someone deleted
    it), the folder is still an environment, so a plain run remakes it in place and deletes
    nothing, including files added after it was made.  Interrupted work is still finished."""
    env = tmp_path / "env"
    assert run_roost(["--no-seed", str(env)], roost_env).returncode == 0
    (env / "notes.txt").write_text("added later\n")
    (env / "lib" / "mine.txt").write_text("mine too\n")
    (env / "pyvenv.cfg").unlink()
    done = run_roost(["--no-seed", str(env)], roost_env)
    assert done.returncode == 0, done.stderr
    assert (env / "notes.txt").read_text() == "added later\n" and (env / "lib" / "mine.txt").exists()
    assert (env / "pyvenv.cfg").is_file()
    subprocess.run([str(env / "bin" / "python"), "-c", "import sys; assert sys.prefix != sys.base_prefix"], check=True)


def test_finishing_a_killed_run_keeps_what_the_user_added_since(tmp_path: Path, roost_env: dict[str, str]) -> None:
    """A run killed in a folder of the user's (--allow-existing, as tox does) leaves roost's
    unfinished record; files the user makes there before the next run are theirs."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))
    from roost.create.destination import write_record

    project = tmp_path / "project"
    files = _plant(project)
    write_record(str(project), sorted(os.listdir(project)))  # what a run writes before its first change
    (project / "bin").mkdir()  # ... and the start of its work, then SIGKILL
    (project / "bin" / "activate").write_text("half\n")
    (project / "new_work.py").write_text("work\n")
    (project / "newdir").mkdir()
    (project / "newdir" / "f").write_text("x\n")
    done = run_roost(["--no-seed", str(project)], roost_env)
    assert done.returncode == 0, done.stderr
    _intact(files)
    assert (project / "new_work.py").read_text() == "work\n" and (project / "newdir" / "f").is_file()
    assert (project / "pyvenv.cfg").is_file() and (project / "bin" / "activate").read_text() != "half\n"
    assert run_roost(["--no-seed", "--clear", str(project)], roost_env).returncode == 0
    assert (project / "new_work.py").is_file() and (project / "newdir" / "f").is_file()


@pytest.mark.parametrize("where", ["bin", "site-packages/pip/_vendor"])
@pytest.mark.parametrize("how", ["mount", "link"])
def test_an_update_never_writes_through_a_mount_or_a_link_out_of_the_environment(
    where: str, how: str, bind_mount: Mounter, tmp_path: Path, roost_env: dict[str, str]
) -> None:
    """An update in place replaces bin/ and the seed packages file by file: a folder there
    that is another filesystem, or a link out, holds the user's files, never overwritten."""
    import sys

    env = tmp_path / "env"
    assert run_roost([str(env)], roost_env).returncode == 0
    site = env / "lib" / f"python{sys.version_info[0]}.{sys.version_info[1]}" / "site-packages"
    point = env / "bin" if where == "bin" else site / "pip" / "_vendor"
    if how == "mount":
        files = bind_mount(point)
    else:
        files = _plant(tmp_path / "elsewhere")
        shutil.rmtree(point)
        point.symlink_to(tmp_path / "elsewhere")
    done = run_roost([str(env)], roost_env)
    _one_line(done)
    assert ("mounted in the environment" if how == "mount" else "outside the environment") in done.stderr
    _intact(files)
