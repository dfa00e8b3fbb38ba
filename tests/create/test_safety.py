"""Data safety: roost never deletes or overwrites what it did not create.

Each case plants user files, runs roost the way a careless command line would, and
checks every user file is still there, byte for byte.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support import assert_intact as _assert_intact
from support import plant_user_files as _plant
from support import run_roost


def _assert_one_line_error(done: subprocess.CompletedProcess[str], code: int) -> None:
    assert done.returncode == code, (done.returncode, done.stderr)
    assert done.stderr.count("\n") == 1, done.stderr
    assert done.stderr.startswith("roost: error: ")
    assert "Traceback" not in done.stderr


def test_clear_removes_an_environment_but_not_what_its_links_point_to(tmp_path: Path, roost_env: dict[str, str]) -> None:
    user = _plant(tmp_path / "user")
    dest = tmp_path / "env"
    assert run_roost(["--no-seed", str(dest)], roost_env).returncode == 0
    (dest / "link-to-user").symlink_to(tmp_path / "user")
    (dest / "lib" / "link-to-user-file").symlink_to(tmp_path / "user" / "notes.txt")
    (dest / "leftover.txt").write_text("old")
    done = run_roost(["--no-seed", "--clear", str(dest)], roost_env)
    assert done.returncode == 0, done.stderr
    assert not (dest / "leftover.txt").exists() and not os.path.lexists(dest / "link-to-user")
    assert (dest / "pyvenv.cfg").exists()
    _assert_intact(user)


def test_clear_refuses_a_folder_that_is_not_an_environment(tmp_path: Path, roost_env: dict[str, str]) -> None:
    user = _plant(tmp_path / "project")
    done = run_roost(["--no-seed", "--clear", str(tmp_path / "project")], roost_env)
    _assert_one_line_error(done, 1)
    assert "not an environment" in done.stderr
    _assert_intact(user)


def test_clear_dot_in_a_project_folder_is_refused(tmp_path: Path, roost_env: dict[str, str]) -> None:
    user = _plant(tmp_path / "project")
    done = run_roost(["--no-seed", "--clear", "."], roost_env, cwd=tmp_path / "project")
    _assert_one_line_error(done, 1)
    _assert_intact(user)


def test_clear_dot_inside_an_environment_empties_and_recreates_it(tmp_path: Path, roost_env: dict[str, str]) -> None:
    dest = tmp_path / "env"
    assert run_roost(["--no-seed", str(dest)], roost_env).returncode == 0
    (dest / "stale").write_text("x")
    done = run_roost(["--no-seed", "--clear", "."], roost_env, cwd=dest)
    assert done.returncode == 0, done.stderr
    assert not (dest / "stale").exists() and (dest / "pyvenv.cfg").exists()


@pytest.mark.parametrize("args", [["--clear", ""], [""], ["--clear", "  "]])
def test_empty_destination_is_a_usage_error(args: list[str], tmp_path: Path, roost_env: dict[str, str]) -> None:
    user = _plant(tmp_path / "project")
    done = run_roost(["--no-seed", *args], roost_env, cwd=tmp_path / "project")
    _assert_one_line_error(done, 2)
    _assert_intact(user)
    assert sorted(p.name for p in (tmp_path / "project").iterdir()) == ["notes.txt", "src"]


def test_clear_through_a_symlink_to_a_user_folder_is_refused(tmp_path: Path, roost_env: dict[str, str]) -> None:
    user = _plant(tmp_path / "home")
    link = tmp_path / "venv"
    link.symlink_to(tmp_path / "home")
    done = run_roost(["--no-seed", "--clear", str(link)], roost_env)
    _assert_one_line_error(done, 1)
    _assert_intact(user)
    assert link.is_symlink()


def test_clear_through_a_symlink_to_an_environment_is_refused(tmp_path: Path, roost_env: dict[str, str]) -> None:
    real = tmp_path / "real-env"
    assert run_roost(["--no-seed", str(real)], roost_env).returncode == 0
    (real / "mine").write_text("x")
    link = tmp_path / "venv"
    link.symlink_to(real)
    done = run_roost(["--no-seed", "--clear", str(link)], roost_env)
    _assert_one_line_error(done, 1)
    assert "symlink" in done.stderr and (real / "mine").exists()


@pytest.mark.parametrize("clear", [True, False])
def test_dangling_symlink_is_refused_and_kept(clear: bool, tmp_path: Path, roost_env: dict[str, str]) -> None:
    link = tmp_path / "venv"
    link.symlink_to(tmp_path / "nowhere")
    done = run_roost(["--no-seed", *(["--clear"] if clear else []), str(link)], roost_env)
    _assert_one_line_error(done, 1)
    assert link.is_symlink() and not (tmp_path / "nowhere").exists()


def test_destination_that_is_a_file(tmp_path: Path, roost_env: dict[str, str]) -> None:
    target = tmp_path / "file"
    target.write_bytes(b"data")
    for extra in ([], ["--clear"]):
        done = run_roost(["--no-seed", *extra, str(target)], roost_env)
        _assert_one_line_error(done, 1)
        assert target.read_bytes() == b"data"


def test_destination_with_path_separator(tmp_path: Path, roost_env: dict[str, str]) -> None:
    done = run_roost(["--no-seed", str(tmp_path / "a:b")], roost_env)
    _assert_one_line_error(done, 2)
    assert "separator" in done.stderr and not (tmp_path / "a:b").exists()


def test_destination_that_cannot_be_encoded(tmp_path: Path, roost_env: dict[str, str]) -> None:
    # A byte that is not UTF-8 reaches Python as a lone surrogate, which the target can't encode.
    dest = os.fsencode(tmp_path) + b"/bad-\xff-name"
    done = subprocess.run([sys.executable, "-m", "roost", "--no-seed", dest], env=roost_env, capture_output=True, text=True)
    _assert_one_line_error(done, 2)
    assert not os.path.lexists(dest)


def test_parent_not_writable(tmp_path: Path, roost_env: dict[str, str]) -> None:
    parent = tmp_path / "locked"
    parent.mkdir()
    if os.geteuid() == 0:
        # root ignores permission bits; an immutable folder refuses even root.
        if not shutil.which("chattr") or subprocess.run(["chattr", "+i", str(parent)]).returncode:
            pytest.skip("cannot make a folder unwritable for root here")
    else:
        parent.chmod(0o555)
    try:
        done = run_roost(["--no-seed", str(parent / "env")], roost_env)
        _assert_one_line_error(done, 1)
        assert not (parent / "env").exists()
    finally:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(parent)])
        else:
            parent.chmod(0o755)


def test_non_empty_folder_is_refused_without_allow_existing(tmp_path: Path, roost_env: dict[str, str]) -> None:
    user = _plant(tmp_path / "project")
    done = run_roost(["--no-seed", str(tmp_path / "project")], roost_env)
    _assert_one_line_error(done, 1)
    assert "--allow-existing" in done.stderr
    _assert_intact(user)
    assert not (tmp_path / "project" / "pyvenv.cfg").exists()


def test_allow_existing_creates_alongside_and_changes_nothing(tmp_path: Path, roost_env: dict[str, str]) -> None:
    user = _plant(tmp_path / "project")
    (tmp_path / "project" / ".gitignore").write_text("mine\n")
    user[tmp_path / "project" / ".gitignore"] = b"mine\n"
    done = run_roost(["--no-seed", "--allow-existing", str(tmp_path / "project")], roost_env)
    assert done.returncode == 0, done.stderr
    _assert_intact(user)
    assert (tmp_path / "project" / "pyvenv.cfg").exists()


def test_allow_existing_never_writes_into_a_user_bin(tmp_path: Path, roost_env: dict[str, str]) -> None:
    user = _plant(tmp_path / "project")
    (tmp_path / "project" / "bin").mkdir()
    (tmp_path / "project" / "bin" / "python").write_bytes(b"#!/bin/sh\necho mine\n")
    user[tmp_path / "project" / "bin" / "python"] = b"#!/bin/sh\necho mine\n"
    done = run_roost(["--no-seed", "--allow-existing", str(tmp_path / "project")], roost_env)
    _assert_one_line_error(done, 1)
    _assert_intact(user)


def test_with_traceback_shows_one(tmp_path: Path, roost_env: dict[str, str]) -> None:
    done = run_roost(["--no-seed", "--with-traceback", str(tmp_path / "a:b")], roost_env)
    assert done.returncode != 0 and "Traceback" in done.stderr


_FAILING_SEED = ["--pip", "99.0", "--no-download"]  # no such pip anywhere: seeding fails after create


def test_failed_run_removes_the_folder_it_made(tmp_path: Path, roost_env: dict[str, str]) -> None:
    dest = tmp_path / "env"
    done = run_roost([*_FAILING_SEED, str(dest)], roost_env)
    _assert_one_line_error(done, 1)
    assert not os.path.lexists(dest)


def test_failed_run_empties_the_empty_folder_it_was_given(tmp_path: Path, roost_env: dict[str, str]) -> None:
    dest = tmp_path / "env"
    dest.mkdir()
    done = run_roost([*_FAILING_SEED, str(dest)], roost_env)
    _assert_one_line_error(done, 1)
    assert dest.is_dir() and not any(dest.iterdir())


def test_failed_update_leaves_the_existing_environment(tmp_path: Path, roost_env: dict[str, str]) -> None:
    dest = tmp_path / "env"
    assert run_roost(["--no-seed", str(dest)], roost_env).returncode == 0
    mine = next((dest / "lib").glob("python*/site-packages")) / "mine.py"
    mine.write_text("x = 1\n")
    done = run_roost([*_FAILING_SEED, str(dest)], roost_env)
    _assert_one_line_error(done, 1)
    assert mine.read_text() == "x = 1\n" and (dest / "pyvenv.cfg").is_file()


@pytest.mark.parametrize("variable", ["ROOST_WITH_TRACEBACK", "VIRTUALENV_WITH_TRACEBACK"])
def test_with_traceback_from_the_environment(variable: str, tmp_path: Path, roost_env: dict[str, str]) -> None:
    done = run_roost(["--no-seed", str(tmp_path / "a:b")], dict(roost_env, **{variable: "yes"}))
    assert done.returncode != 0 and "Traceback" in done.stderr
    quiet = run_roost(["--no-seed", str(tmp_path / "a:b")], dict(roost_env, **{variable: "0"}))
    assert "Traceback" not in quiet.stderr


@pytest.mark.parametrize("again", [["--clear"], []], ids=["with-clear", "without"])
def test_an_interrupted_clear_is_finished_by_the_next_run(again: list[str], tmp_path: Path, roost_env: dict[str, str]) -> None:
    """--clear writes roost's record, then removes pyvenv.cfg, then the rest: stopped halfway,
    what it leaves is no environment, yet the next run knows it as roost's own and finishes the job."""
    from roost.create import destination

    dest = tmp_path / "env"
    assert run_roost(["--no-seed", str(dest)], roost_env).returncode == 0
    (dest / "lib" / "leftover.txt").write_text("from before the clear\n")
    # What clear_environment leaves when interrupted after removing pyvenv.cfg:
    destination.write_record(str(dest), [])
    (dest / "pyvenv.cfg").unlink()
    done = run_roost(["--no-seed", *again, str(dest)], roost_env)
    assert done.returncode == 0, done.stderr
    assert (dest / "pyvenv.cfg").is_file()
    assert not (dest / "lib" / "leftover.txt").exists()


def test_clear_leaves_a_record_proven_for_the_folder(tmp_path: Path, roost_env: dict[str, str]) -> None:
    from roost.create import destination

    dest = tmp_path / "env"
    assert run_roost(["--no-seed", str(dest)], roost_env).returncode == 0
    assert run_roost(["--no-seed", "--clear", str(dest)], roost_env).returncode == 0
    assert (dest / "pyvenv.cfg").is_file()
    assert destination.classify(str(dest)) == ("environment", [])


def test_an_interrupted_clear_is_never_finished_through_a_symlink(tmp_path: Path, roost_env: dict[str, str]) -> None:
    """Finishing a clear is still a clear: a DEST that is a link to the half-cleared folder is
    refused, as --clear refuses one, and nothing behind the link is touched."""
    from roost.create import destination

    real = tmp_path / "real"
    files = _plant(real)
    destination.write_record(str(real), [])
    (tmp_path / "link").symlink_to(real)
    done = run_roost(["--no-seed", str(tmp_path / "link")], roost_env)
    _assert_one_line_error(done, 1)
    assert "symlink" in done.stderr
    _assert_intact(files)
    assert (real / destination.RECORD).exists()


def test_an_environment_is_updated_with_its_own_python_and_never_switched_to_another_minor(
    tmp_path: Path, roost_env: dict[str, str]
) -> None:
    # Running roost on a 3.12 environment without -p (say, to add -r requirements) must not
    # turn it into an environment of the Python roost runs on, stranding lib/python3.12.
    from support import EXPECTED_INTERPRETERS, require_executable

    python312 = require_executable(EXPECTED_INTERPRETERS["cpython3.12"], "CPython 3.12")
    assert sys.version_info[:2] != (3, 12)
    dest = tmp_path / "env"
    assert run_roost(["--no-seed", "-p", python312, str(dest)], roost_env).returncode == 0
    done = run_roost(["--no-seed", str(dest)], roost_env)
    assert done.returncode == 0, done.stderr
    assert "CPython 3.12" in done.stdout and os.listdir(dest / "lib") == ["python3.12"]
    before = (dest / "pyvenv.cfg").read_text()
    refused = run_roost(["--no-seed", "-p", sys.executable, str(dest)], roost_env)
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1, refused.stderr
    assert "is a Python 3.12 environment" in refused.stderr and "--recreate" in refused.stderr
    assert (dest / "pyvenv.cfg").read_text() == before and os.listdir(dest / "lib") == ["python3.12"]
    # --clear starts again with the Python asked for.
    assert run_roost(["--no-seed", "--clear", "-p", sys.executable, str(dest)], roost_env).returncode == 0
    assert os.listdir(dest / "lib") == [f"python{sys.version_info[0]}.{sys.version_info[1]}"]
