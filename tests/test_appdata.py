"""The small file writers every creation uses (pyvenv.cfg, caches, scripts)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

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
