"""The small file writers every creation uses (pyvenv.cfg, caches, scripts)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from support import run_roost

from roost import appdata
from roost.appdata import atomic_write_bytes, write_new_file


def test_atomic_write_makes_missing_folders_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "pyvenv.cfg"
    atomic_write_bytes(target, b"home = /x\n")
    assert target.read_bytes() == b"home = /x\n"
    atomic_write_bytes(target, b"home = /y\n")
    assert target.read_bytes() == b"home = /y\n"
    assert os.listdir(target.parent) == ["pyvenv.cfg"]


def test_atomic_write_replaces_a_killed_writers_leftover(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Temporary names hold the pid and thread: a later process may get both again.
    monkeypatch.setattr(appdata, "unique_name", lambda stem: f".{stem}.1.2.1.tmp")
    (tmp_path / ".facts.1.2.1.tmp").write_bytes(b"half a file")
    atomic_write_bytes(tmp_path / "facts", b"whole")
    assert (tmp_path / "facts").read_bytes() == b"whole"
    assert os.listdir(tmp_path) == ["facts"]


def test_atomic_write_failure_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "facts"
    target.write_bytes(b"old")

    def refuse(source: str, destination: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError):
        atomic_write_bytes(target, b"new")
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["facts"]


def test_new_file_replaces_a_link_instead_of_writing_through_it(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_text("keep\n")
    (tmp_path / "script").symlink_to(victim)
    write_new_file(str(tmp_path / "script"), b"new\n", 0o755)
    assert victim.read_text() == "keep\n"
    assert not (tmp_path / "script").is_symlink() and (tmp_path / "script").read_bytes() == b"new\n"
    assert os.stat(tmp_path / "script").st_mode & 0o100


def test_new_file_without_replace_leaves_what_is_there(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("mine\n")
    with pytest.raises(FileExistsError):
        write_new_file(str(tmp_path / ".gitignore"), b"*\n", replace=False)
    assert (tmp_path / ".gitignore").read_text() == "mine\n"


# -- --reset-app-data: only what roost made ------------------------------------------------


def _with_app_data(env: dict[str, str], folder: Path) -> dict[str, str]:
    return {**env, "ROOST_OVERRIDE_APP_DATA": str(folder)}


def test_a_users_folder_named_as_app_data_is_never_reset(roost_env: dict[str, str], tmp_path: Path) -> None:
    """--app-data may name a folder with the user's files in it: roost caches there, but a
    later --reset-app-data refuses (one line, exit 1) and every file of theirs stays."""
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me\n")
    (folder / "images").mkdir()  # a name roost uses, holding the user's own pictures
    (folder / "images" / "cat.png").write_bytes(b"\x89PNG")
    env = _with_app_data(roost_env, folder)
    done = run_roost(["--no-seed", str(tmp_path / "e1")], env)
    assert done.returncode == 0, done.stderr
    assert not (folder / appdata.MARKER).exists()
    done = run_roost(["--no-seed", "--reset-app-data", str(tmp_path / "e2")], env)
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "refusing to reset" in done.stderr and "Traceback" not in done.stderr
    assert (folder / "notes.txt").read_text() == "keep me\n"
    assert (folder / "images" / "cat.png").read_bytes() == b"\x89PNG"
    assert not (tmp_path / "e2").exists()


@pytest.mark.slow
def test_reset_deletes_roosts_entries_and_keeps_anything_else(roost_env: dict[str, str], tmp_path: Path) -> None:
    """In roost's own folder, a reset empties the cache (the next run rebuilds it) but a file
    the user put there later survives."""
    folder = tmp_path / "app-data"
    env = _with_app_data(roost_env, folder)
    python = os.path.realpath(sys.executable)
    assert run_roost(["-p", python, str(tmp_path / "e1")], env).returncode == 0
    assert (folder / appdata.MARKER).is_file() and (folder / "images").is_dir()
    (folder / "README.txt").write_text("mine\n")
    done = run_roost(["-p", python, "--reset-app-data", str(tmp_path / "e2")], env)
    assert done.returncode == 0, done.stderr
    assert (folder / "README.txt").read_text() == "mine\n"
    assert not [name for name in os.listdir(folder) if name.endswith(".tmp")]
    # e2 was made after the reset, from a rebuilt image.
    assert (folder / "images").is_dir() and any((tmp_path / "e2" / "lib").glob("*/site-packages/pip"))


@pytest.mark.slow
def test_own_entries_name_everything_roost_writes_in_app_data(roost_env: dict[str, str], tmp_path: Path) -> None:
    from roost.seed import periodic, wheels

    assert wheels.INDEX_NAME in appdata.OWN_ENTRIES and periodic.STATE_NAME in appdata.OWN_ENTRIES
    root = appdata.AppData(tmp_path / "x")
    for path in (root.images, root.interpreters, root.wheelhouse):
        assert os.path.basename(path) in appdata.OWN_ENTRIES
    folder = tmp_path / "app-data"
    env = {**_with_app_data(roost_env, folder), "ROOST_NO_PERIODIC_UPDATE": ""}
    # A seeded run with the periodic update allowed (it finds nothing to do offline).
    assert run_roost(["-p", os.path.realpath(sys.executable), str(tmp_path / "e")], env).returncode == 0
    assert set(os.listdir(folder)) - {appdata.MARKER} <= set(appdata.OWN_ENTRIES)
