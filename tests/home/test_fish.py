"""The shell-init functions in real fish: workon, hooks (the .fish variants), every function."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import HomeRunner
from .shells import hook, run_script

pytestmark = pytest.mark.slow


def test_workon_runs_fish_hooks_in_order_and_restores(home: HomeRunner, tmp_path: Path) -> None:
    env = home.new("web")
    project = tmp_path / "code"
    project.mkdir()
    home("project", "set", "web", str(project))
    log = tmp_path / "log"
    hooks = home.workon_home
    hook(hooks / "preactivate", f'echo "global preactivate $1 $PWD" >> "{log}"', run=True)
    hook(env / "bin" / "preactivate", f'echo "local preactivate $1" >> "{log}"', run=True)
    hook(hooks / "postactivate", "echo 'sh code that fish must not source' >&2; exit 3")
    hook(hooks / "postactivate.fish", f'echo "global postactivate $VIRTUAL_ENV" >> "{log}"')
    hook(env / "bin" / "postactivate.fish", f'echo "local postactivate" >> "{log}"')
    hook(project / ".virtualenvwrapper" / "postactivate.fish", f'echo "project postactivate $PWD" >> "{log}"')
    hook(env / "bin" / "predeactivate.fish", f'echo "local predeactivate" >> "{log}"')
    hook(hooks / "predeactivate.fish", f'echo "global predeactivate" >> "{log}"')
    hook(hooks / "postdeactivate.fish", f'echo "global postdeactivate $VIRTUALENVWRAPPER_LAST_VIRTUAL_ENV" >> "{log}"')
    done = run_script(
        home,
        "fish",
        'set before "$PATH"\nworkon web\necho "pwd $PWD"\nworkon web\ndeactivate\n'
        'test "$PATH" = "$before"; and echo path-restored\nset -q VIRTUAL_ENV; or echo unset',
    )
    assert done.returncode == 0, done.stderr
    assert "must not source" not in done.stderr
    assert f"pwd {project}" in done.stdout and "path-restored" in done.stdout and "unset" in done.stdout
    once = [
        f"global preactivate web {home.workon_home}",
        "local preactivate web",
        f"project postactivate {project}",
        f"global postactivate {env}",
        "local postactivate",
    ]
    leave = ["local predeactivate", "global predeactivate", f"global postdeactivate {env}"]
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
    assert "_virtualenv_path_extensions.pth:" in done.stdout and str(extra) in done.stdout
    assert "/site-packages" in done.stdout
    assert f"env {home.workon_home / 'web'}" in done.stdout
    assert "Enabled global site-packages" in done.stdout
    assert "web\n" in done.stdout  # completion
    assert "tmp-gone" in done.stdout
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
