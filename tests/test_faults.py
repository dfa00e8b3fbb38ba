"""Faults and bad input end in one line, never a traceback, and take back what the run made:
terminal escapes in names, bad numeric variables, a closed stdout, SIGHUP, a full disk,
a damaged image, the API's arguments, an over-long prompt."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support import run_roost

import roost
from roost.errors import RoostError, UsageError


def _one_line(done: subprocess.CompletedProcess[str], code: int) -> None:
    assert done.returncode == code, (done.returncode, done.stderr)
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("roost: error: "), done.stderr
    assert "Traceback" not in done.stderr


def test_terminal_escapes_in_a_name_are_shown_escaped(tmp_path: Path, roost_env: dict[str, str]) -> None:
    name = "env\x1b]0;owned\x07\x1b[2J"
    done = run_roost(["--no-seed", str(tmp_path / name)], roost_env)
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in done.stdout and "\x07" not in done.stdout
    assert "env\\x1b]0;owned\\x07\\x1b[2J" in done.stdout
    (tmp_path / "file\x1b[31m").write_text("x")
    failed = run_roost(["--no-seed", str(tmp_path / "file\x1b[31m")], roost_env)
    _one_line(failed, 1)
    assert "\x1b" not in failed.stderr and "file\\x1b[31m" in failed.stderr


@pytest.mark.parametrize("value", ["inf", "1e300", "abc", "-5", "0", "nan"])
def test_a_bad_probe_timeout_is_a_usage_error(value: str, tmp_path: Path, roost_env: dict[str, str]) -> None:
    done = run_roost(["--no-seed", str(tmp_path / "env")], dict(roost_env, ROOST_PROBE_TIMEOUT=value))
    _one_line(done, 2)
    assert "ROOST_PROBE_TIMEOUT" in done.stderr and not (tmp_path / "env").exists()


def test_a_closed_stdout_loses_only_the_message(tmp_path: Path, roost_env: dict[str, str]) -> None:
    dest = tmp_path / "env"
    command = f"{sys.executable} -m roost --no-seed {dest} >&-"
    done = subprocess.run(["sh", "-c", command], env=roost_env, capture_output=True, text=True)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    assert (dest / "pyvenv.cfg").is_file()


@pytest.mark.slow
@pytest.mark.parametrize("signal_name", ["SIGHUP", "SIGTERM"])
def test_a_hangup_or_term_during_a_cold_build_is_cleaned_up_like_ctrl_c(
    signal_name: str, tmp_path: Path, roost_env: dict[str, str]
) -> None:
    """The run stops with one line and 128 + the signal, DEST (which it made) is gone, and no
    compile process outlives it; the next run builds the image and leaves no temporary folder."""
    env = dict(roost_env, ROOST_OVERRIDE_APP_DATA=str(tmp_path / "app-data"))
    dest = tmp_path / "env"
    args = [sys.executable, "-m", "roost", "--pip", "23.0.1", "--no-setuptools", "--no-wheel", str(dest)]
    run = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    images = tmp_path / "app-data" / "images"
    deadline = time.monotonic() + 120
    while not (images.is_dir() and any(name.endswith(".tmp") for name in os.listdir(images))):
        assert time.monotonic() < deadline and run.poll() is None, "the cold build never started"
        time.sleep(0.01)
    run.send_signal(getattr(signal, signal_name))
    _out, err = run.communicate(timeout=300)
    number = getattr(signal, signal_name)
    assert run.returncode == 128 + number, err
    assert err.count("\n") == 1 and err.startswith("roost: error: ") and "Traceback" not in err, err
    assert not dest.exists()
    ps = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    assert str(images) not in ps
    again = subprocess.run(args, env=env, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    assert not [name for name in os.listdir(images) if name.endswith(".tmp")]


def test_ctrl_c_while_roost_starts_is_one_line(tmp_path: Path, roost_env: dict[str, str]) -> None:
    """Ctrl-C during start-up (discovery, waiting for an interpreter's probe to answer) ends
    with one line and 130, no traceback, nothing made, and the probe is not left running."""
    started = tmp_path / "probe-started"
    slow_python = tmp_path / "bin" / "python3.99"
    slow_python.parent.mkdir()
    slow_python.write_text(f"#!/bin/sh\necho $$ > {started}.tmp && mv {started}.tmp {started}\nexec sleep 60\n")
    slow_python.chmod(0o755)
    dest = tmp_path / "env"
    env = dict(roost_env, ROOST_OVERRIDE_APP_DATA=str(tmp_path / "app-data"))
    run = subprocess.Popen(
        [sys.executable, "-m", "roost", "-p", str(slow_python), str(dest)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not started.exists():
        assert time.monotonic() < deadline and run.poll() is None, "the probe never started"
        time.sleep(0.01)
    run.send_signal(signal.SIGINT)
    _out, err = run.communicate(timeout=60)
    assert run.returncode == 130, err
    assert err == "roost: error: interrupted\n", err
    assert not dest.exists()
    probe = int(started.read_text())
    deadline = time.monotonic() + 10
    while Path(f"/proc/{probe}").exists() and "Z" not in Path(f"/proc/{probe}/stat").read_text().split()[2]:
        assert time.monotonic() < deadline, "the probe outlived roost"
        time.sleep(0.05)


def test_a_failed_run_removes_the_parent_folders_it_made(tmp_path: Path, roost_env: dict[str, str]) -> None:
    done = run_roost(["--pip", "99.0", "--no-download", str(tmp_path / "a" / "b" / "env")], roost_env)
    _one_line(done, 1)
    assert sorted(os.listdir(tmp_path)) == []


@pytest.fixture
def small_disk(tmp_path: Path) -> Path:
    """A 6 MB tmpfs: too small for a copy of pip (the app data is on another filesystem)."""
    mount = tmp_path / "small"
    mount.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", str(mount)], capture_output=True, text=True)
    if done.returncode:
        pytest.skip(f"this machine refuses to mount a tmpfs (a container without CAP_SYS_ADMIN?): {done.stderr.strip()}")
    yield mount
    subprocess.run(["umount", str(mount)], check=False)


def test_a_full_disk_names_the_file_and_leaves_nothing(small_disk: Path, roost_env: dict[str, str]) -> None:
    dest = small_disk / "a" / "env"
    done = run_roost(["--no-setuptools", "--no-wheel", str(dest)], roost_env)
    _one_line(done, 1)
    assert "No space left on device" in done.stderr and f"{dest}/lib/" in done.stderr, done.stderr
    assert os.listdir(small_disk) == []


def test_a_full_disk_during_an_update_leaves_the_environment_as_it_was(small_disk: Path, roost_env: dict[str, str]) -> None:
    dest = small_disk / "env"
    assert run_roost(["--no-seed", str(dest)], roost_env).returncode == 0
    site = next((dest / "lib").glob("python*/site-packages"))
    (site / "mine.py").write_text("x = 1\n")
    listing = sorted(str(path.relative_to(dest)) for path in dest.rglob("*"))
    done = run_roost(["--no-setuptools", "--no-wheel", str(dest)], roost_env)
    _one_line(done, 1)
    assert "No space left on device" in done.stderr
    assert sorted(str(path.relative_to(dest)) for path in dest.rglob("*")) == listing
    assert (site / "mine.py").read_text() == "x = 1\n"


@pytest.mark.slow
def test_a_seed_image_whose_site_folder_was_deleted_is_rebuilt(tmp_path: Path, roost_env: dict[str, str]) -> None:
    env = dict(roost_env, ROOST_OVERRIDE_APP_DATA=str(tmp_path / "app-data"))
    args = ["--pip", "23.0.1", "--no-setuptools", "--no-wheel"]
    assert run_roost([*args, str(tmp_path / "first")], env).returncode == 0
    (image,) = (tmp_path / "app-data" / "images").glob("pip-23.0.1-*")
    shutil.rmtree(image / "site")
    done = run_roost([*args, str(tmp_path / "second")], env)
    assert done.returncode == 0, done.stderr
    assert f"the seed image {image} is damaged" in done.stderr
    assert subprocess.run([str(tmp_path / "second" / "bin" / "pip"), "--version"], capture_output=True).returncode == 0


def test_an_over_long_prompt_is_refused_before_anything_is_written(tmp_path: Path, roost_env: dict[str, str]) -> None:
    done = run_roost(["--no-seed", "--prompt", "p" * 20000, str(tmp_path / "env")], roost_env)
    _one_line(done, 2)
    assert "--prompt" in done.stderr and not (tmp_path / "env").exists()
    fits = run_roost(["--no-seed", "--prompt", "p" * 4000, str(tmp_path / "env")], roost_env)
    assert fits.returncode == 0, fits.stderr


def test_the_api_accepts_paths(tmp_path: Path, roost_env: dict[str, str]) -> None:
    session = roost.cli_run(["--no-seed", tmp_path / "env"], setup_logging=False, env=roost_env)
    assert session.creator.dest == tmp_path / "env" and (tmp_path / "env" / "pyvenv.cfg").is_file()


@pytest.mark.parametrize(
    ("args", "env"),
    [
        ("venv", None),
        (["--no-seed", 42], None),
        (["--no-seed", "venv"], {"ROOST_CLEAR": 1}),
        (["--no-seed", "venv"], {"ROOST_PROBE_TIMEOUT": "inf"}),
        (["--no-seed", "venv"], "not a mapping"),
    ],
    ids=["a-string", "a-number", "env-value-not-text", "bad-timeout", "env-not-a-mapping"],
)
def test_the_api_raises_usage_errors_for_bad_arguments(args: object, env: object, tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        roost.cli_run(args, setup_logging=False, env=env)  # type: ignore[arg-type]
    assert not (tmp_path / "venv").exists()


def test_the_api_raises_roost_error_for_a_refused_destination(tmp_path: Path, roost_env: dict[str, str]) -> None:
    (tmp_path / "project").mkdir()
    (tmp_path / "project" / "notes.txt").write_text("x")
    with pytest.raises(RoostError):
        roost.cli_run(["--no-seed", str(tmp_path / "project")], setup_logging=False, env=roost_env)
