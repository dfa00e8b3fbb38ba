"""``roost home VERB``: each command against a real home, real environments and real pip."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest
from support import Mounter, assert_intact

from .conftest import HomeRunner, make_wheel


def test_new_makes_an_environment_listed_by_ls(home: HomeRunner) -> None:
    path = home.new("web")
    assert (path / "pyvenv.cfg").is_file()
    assert home("ls").stdout.split() == ["web"] or home("ls").stdout.startswith("web")
    assert home("ls", "--brief").stdout == "web\n"
    listed = json.loads(home("ls", "--json").stdout)
    assert [entry["name"] for entry in listed] == ["web"]
    assert listed[0]["path"] == str(path)
    assert listed[0]["version"]


def test_new_passes_creation_options_name_last(home: HomeRunner) -> None:
    """virtualenvwrapper's order (options first, NAME last) works, and the options reach the Session."""
    home("new", "--no-seed", "--prompt", "shown", "api")
    config = (home.workon_home / "api" / "pyvenv.cfg").read_text()
    assert "prompt = shown" in config


def test_environments_made_by_venv_are_listed_and_usable(home: HomeRunner) -> None:
    venv.create(home.workon_home / "from-venv", with_pip=False)
    assert home("ls", "--brief").stdout == "from-venv\n"
    assert home("dir", "from-venv").stdout.strip() == str(home.workon_home / "from-venv")
    done = home("run", "from-venv", "--", "python", "-c", "import sys; print(sys.prefix)")
    assert done.stdout.strip() == str(home.workon_home / "from-venv")


def test_new_twice_is_one_clear_error(home: HomeRunner) -> None:
    home.new("web")
    done = home("new", "web", "--no-seed", check=False)
    assert done.returncode == 1
    assert "already exists" in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_concurrent_new_of_one_name_gives_one_environment_and_one_error(home: HomeRunner) -> None:
    command = [sys.executable, "-m", "roost", "home", "new", "race", "--no-seed"]
    runs = [subprocess.Popen(command, env=home.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(4)]
    results = [(run.wait(timeout=300), run.communicate()[1]) for run in runs]
    codes = sorted(code for code, _ in results)
    assert codes == [0, 1, 1, 1], results
    assert all("already exists" in err for code, err in results if code)
    assert (home.workon_home / "race" / "pyvenv.cfg").is_file()
    assert os.listdir(home.workon_home) == ["race"]


def test_failed_creation_leaves_no_folder(home: HomeRunner) -> None:
    done = home("new", "broken", "--python", "/nonexistent/python", check=False)
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert not (home.workon_home / "broken").exists()


@pytest.mark.parametrize(
    "name", ["../escape", "a/b", "..", ".", "-rf", ".hidden", "a:b", "a;b", "new\nline", "", " padded", "a\\b"]
)
def test_hostile_names_are_refused_and_nothing_is_made(home: HomeRunner, name: str) -> None:
    for args in (("new", name, "--no-seed"), ("rm", name), ("show", name), ("run", name, "--", "true")):
        done = home(*args, check=False)
        assert done.returncode == 2, (args, done.stderr)
        assert "Traceback" not in done.stderr
        assert len(done.stderr.strip().splitlines()) == 1
    assert not home.workon_home.exists() or os.listdir(home.workon_home) == []
    assert not (home.root / "escape").exists()


def test_rm_removes_environments_and_runs_its_hooks(home: HomeRunner) -> None:
    home.new("one")
    home.new("two")
    log = home.root / "log"
    for hook in ("prermvirtualenv", "postrmvirtualenv"):
        script = home.workon_home / hook
        script.write_text(f'#!/bin/sh\necho "{hook} $* $PWD" >> "{log}"\n')
        script.chmod(0o755)
    home("rm", "one", "two")
    assert home("ls", "--brief").stdout == ""
    assert log.read_text().splitlines() == [
        f"prermvirtualenv one {home.workon_home}",
        f"postrmvirtualenv one {home.workon_home}",
        f"prermvirtualenv two {home.workon_home}",
        f"postrmvirtualenv two {home.workon_home}",
    ]


def test_rm_refuses_a_folder_that_is_not_an_environment(home: HomeRunner) -> None:
    keep = home.workon_home / "notes"
    keep.mkdir(parents=True)
    (keep / "precious.txt").write_text("data")
    log = home.root / "log"
    hook = home.workon_home / "prermvirtualenv"
    hook.write_text(f'#!/bin/sh\necho "$*" >> "{log}"\n')
    hook.chmod(0o755)
    done = home("rm", "notes", check=False)
    assert done.returncode == 1 and "not an environment" in done.stderr
    assert not log.exists()  # no hook for what is not removed
    assert (keep / "precious.txt").read_text() == "data"


def test_rm_never_follows_a_symlink_out_of_the_home(home: HomeRunner, tmp_path: Path) -> None:
    outside = tmp_path / "outside-env"
    venv.create(outside, with_pip=False)
    home.workon_home.mkdir()
    (home.workon_home / "linked").symlink_to(outside)
    # a link inside an environment to a folder outside: removed as a link
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "keep.txt").write_text("x")
    env = home.new("web")
    (env / "link-out").symlink_to(victim)
    home("rm", "linked", "web")
    assert (outside / "pyvenv.cfg").is_file()
    assert (victim / "keep.txt").read_text() == "x"
    assert os.listdir(home.workon_home) == []


def test_rm_refuses_the_active_environment(home: HomeRunner) -> None:
    path = home.new("web")
    done = home("rm", "web", check=False, VIRTUAL_ENV=str(path))
    assert done.returncode == 1 and "active environment" in done.stderr
    assert (path / "pyvenv.cfg").is_file()


def test_premkvirtualenv_runs_from_the_home_with_the_name(home: HomeRunner) -> None:
    home.workon_home.mkdir()
    log = home.root / "log"
    hook = home.workon_home / "premkvirtualenv"
    hook.write_text(f'#!/bin/sh\necho "$* $PWD $(test -f "$1/pyvenv.cfg" && echo made)" > "{log}"\n')
    hook.chmod(0o755)
    home.new("web")
    assert log.read_text().strip() == f"web {home.workon_home} made"


def test_hook_dir_is_taken_from_virtualenvwrapper_hook_dir(home: HomeRunner, tmp_path: Path) -> None:
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    log = tmp_path / "log"
    hook = hooks / "get_env_details"
    hook.write_text(f'#!/bin/sh\necho "details $1" > "{log}"\n')
    hook.chmod(0o755)
    home.new("web")
    home("show", "web", VIRTUALENVWRAPPER_HOOK_DIR=str(hooks))
    assert log.read_text().strip() == "details web"


def test_show_dir_site_packages(home: HomeRunner) -> None:
    path = home.new("web")
    shown = home("show", "web").stdout
    assert f"path: {path}" in shown
    assert f"path: {path}" in home("show", VIRTUAL_ENV=str(path)).stdout  # no NAME: the active one
    site = Path(home("site-packages", "web").stdout.strip())
    assert site.is_dir() and site.name == "site-packages" and path in site.parents


def test_add_and_remove_path_extensions(home: HomeRunner, tmp_path: Path) -> None:
    home.new("web")
    extra = tmp_path / "src-tree"
    extra.mkdir()
    (extra / "extra_module.py").write_text("WHERE = 'extra'\n")
    home("add", "web", str(extra))
    probe = [
        "run",
        "web",
        "--",
        "python",
        "-c",
        f"import extra_module, sys; print(extra_module.WHERE, sys.path.index({str(extra)!r}))",
    ]
    out = home(*probe).stdout.split()
    assert out[0] == "extra"
    assert home("add", "web").stdout.strip() == str(extra)
    home("add", "-d", "web", str(extra))
    assert home(*probe, check=False).returncode != 0
    pth = Path(home("site-packages", "web").stdout.strip()) / "_virtualenv_path_extensions.pth"
    assert pth.read_text().splitlines()[0] == "import sys; sys.__plen = len(sys.path)"


def test_add_relative_folder_is_made_absolute_with_a_warning(home: HomeRunner, tmp_path: Path) -> None:
    home.new("web")
    done = subprocess.run(
        [sys.executable, "-m", "roost", "home", "add", "web", "rel"], env=home.env, cwd=tmp_path, capture_output=True, text=True
    )
    assert done.returncode == 0
    assert f'Converting "rel" to "{tmp_path / "rel"}"' in done.stderr
    assert home("add", "web").stdout.strip() == str(tmp_path / "rel")


def test_global_site_packages_toggle_edits_pyvenv_cfg(home: HomeRunner) -> None:
    path = home.new("web")
    assert "Enabled" in home("global-site-packages", "web", "toggle").stdout
    assert "include-system-site-packages = true" in (path / "pyvenv.cfg").read_text()
    in_env = home("run", "web", "--", "python", "-c", "import sys; print(len(sys.path))").stdout
    home("global-site-packages", "web", "off")
    assert "include-system-site-packages = false" in (path / "pyvenv.cfg").read_text()
    assert int(home("run", "web", "--", "python", "-c", "import sys; print(len(sys.path))").stdout) < int(in_env)
    bad = home("global-site-packages", "web", "maybe", check=False)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_project_set_and_new(home: HomeRunner, tmp_path: Path) -> None:
    path = home.new("web")
    project = tmp_path / "code"
    project.mkdir()
    home("project", "set", "web", str(project))
    assert (path / ".project").read_text() == f"{project}\n"
    log = tmp_path / "log"
    hook = home.workon_home / "premkproject"
    hook.write_text(f'#!/bin/sh\necho "$1 $(test -d "$PROJECT_HOME/$1" && echo early)" > "{log}"\n')
    hook.chmod(0o755)
    home("project", "new", "api", "--no-seed")
    assert (home.workon_home / "api" / ".project").read_text() == f"{tmp_path / 'projects' / 'api'}\n"
    assert (tmp_path / "projects" / "api").is_dir()
    assert log.read_text().strip() == "api"  # before the project folder is made
    again = home("project", "new", "api", "--no-seed", check=False)
    assert again.returncode == 1 and "already exists" in again.stderr
    not_a_dir = home("project", "set", "web", str(tmp_path / "missing"), check=False)
    assert not_a_dir.returncode == 1 and "not a folder" in not_a_dir.stderr


@pytest.mark.slow
def test_new_with_project_packages_and_requirements_then_wipe(home: HomeRunner, tmp_path: Path) -> None:
    wheel = make_wheel(tmp_path)
    other = make_wheel(tmp_path, "roost_other")
    requirements = tmp_path / "requirements.txt"
    requirements.write_text(f"{other}\n")
    project = tmp_path / "code"
    project.mkdir()
    home("new", "web", "-a", str(project), "-i", str(wheel), "-r", str(requirements))
    env = home.workon_home / "web"
    assert (env / ".project").read_text() == f"{project}\n"
    check = ["run", "web", "--", "python", "-c", "import roost_demo, roost_other; print(roost_demo.VALUE)"]
    assert home(*check).stdout.strip() == "42"
    wiped = home("wipe", "web")
    assert "roost_demo" in wiped.stdout
    assert home(*check, check=False).returncode != 0
    assert home("run", "web", "--", "python", "-m", "pip", "--version").returncode == 0  # the seed stays
    assert "Nothing to remove" in home("wipe", "web").stdout


def test_run_all_runs_in_each_environment(home: HomeRunner) -> None:
    home.new("a")
    home.new("b")
    out = home("run-all", "--", "python", "-c", "import sys; print('prefix', sys.prefix)").stdout
    assert f"prefix {home.workon_home / 'a'}" in out and f"prefix {home.workon_home / 'b'}" in out
    assert out.startswith("a\n=\n")


def test_run_reports_missing_command_and_exit_codes(home: HomeRunner) -> None:
    home.new("web")
    assert home("run", "web", "--", "python", "-c", "raise SystemExit(7)", check=False).returncode == 7
    missing = home("run", "web", "--", "no-such-command-here", check=False)
    assert missing.returncode == 1 and "command not found" in missing.stderr


def test_usage_errors_are_one_line(home: HomeRunner) -> None:
    for args in (("frobnicate",), ("show",), ("ls", "--wide"), ("run", "web"), ("new",)):
        done = home(*args, check=False)
        assert done.returncode == 2, args
        assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
    missing = home("show", "ghost", check=False)
    assert missing.returncode == 1 and "roost home new ghost" in missing.stderr


def _pip_points_at(env: Path) -> str:
    return (env / "bin" / "pip").read_text().splitlines()[0]


def test_cp_makes_a_copy_that_works_at_its_new_place(home: HomeRunner) -> None:
    source = home.new("web", "--no-setuptools", "--no-wheel")
    home("cp", "web", "web2")
    copy = home.workon_home / "web2"
    assert str(copy) + "/" in _pip_points_at(copy) and str(source) + "/" not in _pip_points_at(copy)
    assert str(source) in _pip_points_at(source)  # the original is untouched
    home("rm", "web")
    out = home("run", "web2", "--", "pip", "--version").stdout
    assert str(copy) in out
    assert f"_roost_env='{copy}'" in (copy / "bin" / "activate").read_text()
    assert not [name for name in os.listdir(home.workon_home) if name.startswith(".")]  # no staging left
    taken = home("cp", "web2", "web2", check=False)
    assert taken.returncode == 1 and "already exists" in taken.stderr


def test_cp_runs_virtualenvwrappers_copy_hooks(home: HomeRunner, tmp_path: Path) -> None:
    home.new("web")
    log = tmp_path / "log"
    for hook in ("precpvirtualenv", "premkvirtualenv"):
        script = home.workon_home / hook
        script.write_text(f'#!/bin/sh\necho "{hook} $*" >> "{log}"\n')
        script.chmod(0o755)
    home("cp", "web", "api")
    assert log.read_text().splitlines() == [f"precpvirtualenv {home.workon_home / 'web'} api", "premkvirtualenv api"]


def test_mv_renames_and_rewrites(home: HomeRunner) -> None:
    home.new("old", "--no-setuptools", "--no-wheel")
    home("mv", "old", "new")
    moved = home.workon_home / "new"
    assert not (home.workon_home / "old").exists()
    assert str(moved) in _pip_points_at(moved)
    assert str(moved) in home("run", "new", "--", "pip", "--version").stdout
    assert "[moved]" not in home("ls").stdout
    active = home("mv", "new", "newer", check=False, VIRTUAL_ENV=str(moved))
    assert active.returncode == 1 and "active environment" in active.stderr


def test_ls_flags_an_environment_whose_interpreter_is_gone(home: HomeRunner) -> None:
    home.new("fine")
    broken = home.new("broken")
    config = broken / "pyvenv.cfg"
    config.write_text(
        "".join(
            "home = /nonexistent/python/bin\n" if line.startswith("home") else line
            for line in config.read_text().splitlines(keepends=True)
        )
    )
    for link in (broken / "bin").glob("python*"):
        link.unlink()
        link.symlink_to("/nonexistent/python/bin/python3")
    lines = dict(line.split(None, 1) for line in home("ls").stdout.splitlines())
    assert "[" not in lines["fine"]
    assert lines["broken"].count("[interpreter-dangling]") == 1  # one flag per kind of problem
    listed = {entry["name"]: entry for entry in json.loads(home("ls", "--json").stdout)}
    assert "interpreter-dangling" in {problem["code"] for problem in listed["broken"]["problems"]}
    assert listed["fine"]["problems"] == []
    assert "fix: roost repair" in home("ls", "--long").stdout


def test_rm_never_deletes_through_a_bind_mount_in_the_environment(home: HomeRunner, bind_mount: Mounter, tmp_path: Path) -> None:
    """A bind mount of a folder on the same file system has the same st_dev: the mount table
    tells it; rm refuses before anything is deleted or renamed, and the user's files stay."""
    env = home.new("web")
    files = bind_mount(env / "data")
    done = home("rm", "web", check=False)
    assert done.returncode == 1 and "mounted inside" in done.stderr and "Traceback" not in done.stderr
    assert_intact(files)
    assert (env / "pyvenv.cfg").is_file()


def test_cp_of_a_file_it_cannot_copy_is_one_short_line_and_leaves_nothing(home: HomeRunner) -> None:
    """copytree's error lists every file that failed (kilobytes on one line): the first is named."""
    env = home.new("web")
    for index in range(3):
        os.mkfifo(env / f"pipe{index}")
    done = home("cp", "web", "copy", check=False)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith("roost: error: cannot copy ") and "(and 2 more)" in done.stderr, done.stderr
    assert len(done.stderr) < 400
    assert sorted(os.listdir(home.workon_home)) == ["web"]


def test_mv_that_cannot_rename_gives_the_reserved_name_back(home: HomeRunner, bind_mount: Mounter) -> None:
    """An environment that is a mount point cannot be renamed (EBUSY): DEST's name stays free."""
    files = bind_mount(home.workon_home / "web")
    (home.workon_home / "web" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    done = home("mv", "web", "other", check=False)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert sorted(os.listdir(home.workon_home)) == ["web"]
    assert_intact(files)


def test_wipe_never_passes_a_crafted_distribution_name_to_pip_as_an_option(home: HomeRunner, tmp_path: Path) -> None:
    """A METADATA ``Name: --log=FILE`` would make pip append its log to the user's FILE."""
    env = home.new("web", "-i", str(make_wheel(tmp_path)))
    victim = tmp_path / "notes.txt"
    victim.write_text("mine\n")
    info = next((env / "lib").glob("python*/site-packages")) / "evil-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: --log={victim}\nVersion: 1.0\n")
    (info / "RECORD").write_text("evil-1.0.dist-info/METADATA,,\n")
    done = home("wipe", "web")
    assert "not a distribution name" in done.stderr
    assert victim.read_text() == "mine\n"
    assert home("run", "web", "--", "python", "-c", "import roost_demo", check=False).returncode != 0


@pytest.mark.slow
def test_a_killed_cp_never_leaves_a_copy_that_runs_the_sources_python(home: HomeRunner) -> None:
    """SIGKILL at sampled moments: the name holds nothing, or a copy whose every script
    names its own python (one still naming the source's would install into the source)."""
    import signal
    import time

    source = home.new("web")
    python = f"#!{source}/bin/python\n".encode()
    for index in range(1500):  # console scripts: the copy's relocation takes a while
        script = source / "bin" / f"tool{index}"
        script.write_bytes(python + b"import sys\n")
        script.chmod(0o755)
    command = [sys.executable, "-m", "roost", "home", "cp", "web", "copy"]
    started = time.monotonic()
    subprocess.run(command, env=home.env, check=True, capture_output=True)
    whole = time.monotonic() - started
    copy = home.workon_home / "copy"
    for fraction in (0.3, 0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95):
        subprocess.run([sys.executable, "-m", "roost", "home", "rm", "copy"], env=home.env, capture_output=True)
        if copy.is_dir() and not os.listdir(copy):
            copy.rmdir()  # the name a killed run reserved
        process = subprocess.Popen(command, env=home.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(whole * fraction)
        process.send_signal(signal.SIGKILL)
        process.wait()
        if (copy / "pyvenv.cfg").is_file():
            stale = [path.name for path in (copy / "bin").glob("tool*") if path.read_bytes().startswith(python)]
            assert not stale, f"killed at {fraction}: {len(stale)} scripts run the source's python"


def test_what_a_killed_rm_or_cp_left_is_removed_by_the_next_run_and_a_live_runs_folder_is_not(home: HomeRunner) -> None:
    """A kill between the rename and the removal leaves a hidden folder; the next ``rm`` or
    ``new`` finishes it.  A folder of a run still alive, and a user's own hidden folder, stay."""
    home.new("web")
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True)
    dead_pid = int(ended.stdout)
    root = home.workon_home
    killed_rm = root / f".roost-removing-old.{dead_pid}.1.1.tmp"
    killed_cp = root / f".roost-copying-copy.{dead_pid}.1.2.tmp"
    live = root / f".roost-copying-other.{os.getpid()}.1.3.tmp"
    users = root / ".roost-removing-notes"  # not a name roost makes
    for folder in (killed_rm, killed_cp, live, users):
        (folder / "lib").mkdir(parents=True)
        (folder / "lib" / "file").write_text("x")
    home("rm", "web")
    assert not killed_rm.exists() and not killed_cp.exists()
    assert (live / "lib" / "file").is_file() and (users / "lib" / "file").is_file()
    (killed_rm / "bin").mkdir(parents=True)
    home.new("api")
    assert not killed_rm.exists()
    assert sorted(os.listdir(root)) == sorted(["api", live.name, users.name])


def test_rm_refuses_a_link_to_a_folder_that_is_not_an_environment(home: HomeRunner, tmp_path: Path) -> None:
    """Only environments are removed: a link in the home to any other folder stays, as that
    folder would."""
    folder = tmp_path / "documents"
    folder.mkdir()
    home.workon_home.mkdir()
    link = home.workon_home / "docs"
    link.symlink_to(folder)
    done = home("rm", "docs", check=False)
    assert done.returncode == 1 and "not an environment" in done.stderr, done.stderr
    assert link.is_symlink() and folder.is_dir()


def test_rm_refuses_the_active_environment_through_a_link(home: HomeRunner) -> None:
    """`workon lnk` activates the folder the link points at: VIRTUAL_ENV is the real path."""
    path = home.new("web")
    (home.workon_home / "lnk").symlink_to(path)
    done = home("rm", "lnk", check=False, VIRTUAL_ENV=str(path))
    assert done.returncode == 1 and "active environment" in done.stderr, done.stderr
    assert (home.workon_home / "lnk").is_symlink()


def test_a_name_with_a_path_in_it_is_called_not_a_plain_name(home: HomeRunner) -> None:
    done = home("new", "../../x", check=False)
    assert done.returncode == 2 and "is not a plain name" in done.stderr and "starts with '.'" not in done.stderr
