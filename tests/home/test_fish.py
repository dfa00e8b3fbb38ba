"""The shell-init functions in real fish: workon, hooks (the .fish variants), every function."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import HomeRunner
from .shells import assert_commands_worked, hook, run_script, write_logging_hooks

pytestmark = pytest.mark.slow


def test_workon_runs_fish_hooks_in_order_and_restores(home: HomeRunner, tmp_path: Path) -> None:
    log = home.root / "log"
    env, project, once, leave = write_logging_hooks(
        home, ".fish", lambda text: f'echo "{text}" >> "{log}"', lambda name: f"${name}"
    )
    done = run_script(
        home,
        "fish",
        'set before "$PATH"\nworkon web\necho "pwd $PWD"\nworkon web\ndeactivate\n'
        'test "$PATH" = "$before"; and echo path-restored\nset -q VIRTUAL_ENV; or echo unset',
    )
    assert done.returncode == 0, done.stderr
    assert "must not source" not in done.stderr
    assert f"pwd {project}" in done.stdout and "path-restored" in done.stdout and "unset" in done.stdout
    assert log.read_text().splitlines() == once + leave + once + leave


def test_functions_in_fish(home: HomeRunner, tmp_path: Path) -> None:
    home.workon_home.mkdir()
    hook(home.workon_home / "postmkvirtualenv.fish", 'echo "postmkvirtualenv $VIRTUAL_ENV" >&2')
    extra = tmp_path / "extra"
    extra.mkdir()
    done = run_script(
        home,
        "fish",
        "mkvirtualenv --no-seed web >/dev/null\n"
        f"add2virtualenv '{extra}'\nlssitepackages\ncdsitepackages\necho in $PWD\n"
        "cdvirtualenv\necho env $PWD\ntoggleglobalsitepackages\nsetvirtualenvproject\n"
        "showvirtualenv\ncomplete -C 'workon w'\nwipeenv\n"
        "mktmpenv --no-seed >/dev/null\nset tmp $VIRTUAL_ENV\ndeactivate >/dev/null\ntest -d $tmp; or echo tmp-gone\n"
        "rmvirtualenv web\nlsvirtualenv -b\necho end\nworkon '../x'; or echo refused",
    )
    assert done.returncode == 0, done.stderr
    assert f"postmkvirtualenv {home.workon_home / 'web'}" in done.stderr
    assert_commands_worked(done.stdout, home, extra)
    assert "web\n" in done.stdout  # completion
    assert done.stdout.split("Removing web...")[1].split("end")[0].strip() == ""  # rm'd, nothing listed
    assert done.stdout.split("end")[1].strip() == "refused"


def test_workon_and_deactivate_start_no_roost_in_fish(home: HomeRunner, tmp_path: Path) -> None:
    home.new("web")
    calls = tmp_path / "calls"
    recorder = tmp_path / "recorder"
    recorder.write_text(f'#!/bin/sh\necho "$*" >> "{calls}"\n')
    recorder.chmod(0o755)
    done = run_script(home, "fish", "workon web\ndeactivate\nset -q VIRTUAL_ENV; or echo left", command=[str(recorder)])
    assert done.stdout.split() == ["left"], done.stderr
    assert not calls.exists()
