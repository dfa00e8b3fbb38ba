"""The shell-init functions in real bash, zsh and ksh93: workon, hooks and their order,
every virtualenvwrapper function, completion, and no roost (Python) in workon/deactivate."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import HomeRunner, make_wheel
from .shells import hook, run_script

pytestmark = pytest.mark.slow

POSIX = ["bash", "zsh", "ksh"]


def _log_hooks(home: HomeRunner, env: Path, project: Path, log: Path) -> None:
    """Every activation hook appends its name (and what it sees) to *log*."""
    hooks = home.workon_home
    hook(hooks / "preactivate", f'echo "global preactivate $1 $PWD" >> "{log}"', run=True)
    hook(env / "bin" / "preactivate", f'echo "local preactivate $1" >> "{log}"', run=True)
    hook(hooks / "postactivate", f'echo "global postactivate $VIRTUAL_ENV" >> "{log}"')
    hook(env / "bin" / "postactivate", f'echo "local postactivate" >> "{log}"')
    hook(project / ".virtualenvwrapper" / "postactivate", f'echo "project postactivate $PWD" >> "{log}"')
    hook(project / ".virtualenvwrapper" / "predeactivate", f'echo "project predeactivate" >> "{log}"')
    hook(env / "bin" / "predeactivate", f'echo "local predeactivate $VIRTUAL_ENV" >> "{log}"')
    hook(hooks / "predeactivate", f'echo "global predeactivate" >> "{log}"')
    hook(env / "bin" / "postdeactivate", f'echo "local postdeactivate ${{VIRTUAL_ENV-none}}" >> "{log}"')
    hook(hooks / "postdeactivate", f'echo "global postdeactivate $VIRTUALENVWRAPPER_LAST_VIRTUAL_ENV" >> "{log}"')


@pytest.mark.parametrize("shell", POSIX)
def test_workon_runs_hooks_in_virtualenvwrappers_order(home: HomeRunner, shell: str, tmp_path: Path) -> None:
    env = home.new("web")
    project = tmp_path / "code"
    project.mkdir()
    home("project", "set", "web", str(project))
    log = tmp_path / "log"
    _log_hooks(home, env, project, log)
    done = run_script(
        home,
        shell,
        'before="$PATH"\nworkon web\necho "pwd $PWD"\ndeactivate\n[ "$PATH" = "$before" ] && echo path-restored\n'
        'echo "after ${VIRTUAL_ENV-unset}"',
    )
    assert done.returncode == 0, done.stderr
    assert f"pwd {project}" in done.stdout
    assert "path-restored" in done.stdout and "after unset" in done.stdout
    assert log.read_text().splitlines() == [
        f"global preactivate web {home.workon_home}",
        "local preactivate web",
        f"project postactivate {project}",
        f"global postactivate {env}",
        "local postactivate",
        "project predeactivate",
        f"local predeactivate {env}",
        "global predeactivate",
        "local postdeactivate none",
        f"global postdeactivate {env}",
    ]


@pytest.mark.parametrize("shell", POSIX)
def test_shell_specific_hook_variant_wins(home: HomeRunner, shell: str, tmp_path: Path) -> None:
    home.new("web")
    hook(home.workon_home / "postactivate", "echo plain-hook")
    hook(home.workon_home / f"postactivate.{shell}", f"echo {shell}-hook")
    done = run_script(home, shell, "workon web")
    assert done.stdout.split() == [f"{shell}-hook"], done.stderr


@pytest.mark.parametrize("shell", POSIX)
def test_workon_and_deactivate_start_no_roost(home: HomeRunner, shell: str, tmp_path: Path) -> None:
    """The functions call roost only to create/copy/remove: a recorder in its place stays silent."""
    home.new("web")
    home.new("api")
    calls = tmp_path / "calls"
    recorder = tmp_path / "recorder"
    recorder.write_text(f'#!/bin/sh\necho "$*" >> "{calls}"\n')
    recorder.chmod(0o755)
    done = run_script(
        home,
        shell,
        "workon web\nworkon api\ncdvirtualenv\necho $PWD\ncdproject 2>/dev/null\ndeactivate\necho ${VIRTUAL_ENV-unset}",
        command=[str(recorder)],
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [str(home.workon_home / "api"), "unset"]
    assert not calls.exists()


@pytest.mark.parametrize("shell", POSIX)
def test_mkvirtualenv_rmvirtualenv_and_their_hooks(home: HomeRunner, shell: str, tmp_path: Path) -> None:
    log = tmp_path / "log"
    home.workon_home.mkdir()
    hook(home.workon_home / "premkvirtualenv", f'echo "premkvirtualenv $1" >> "{log}"', run=True)
    hook(home.workon_home / "postactivate", f'echo "postactivate" >> "{log}"')
    hook(home.workon_home / "postmkvirtualenv", f'echo "postmkvirtualenv $VIRTUAL_ENV" >> "{log}"')
    hook(home.workon_home / "prermvirtualenv", f'echo "prermvirtualenv $1" >> "{log}"', run=True)
    done = run_script(
        home,
        shell,
        "mkvirtualenv --no-seed web >/dev/null\necho active $VIRTUAL_ENV\nrmvirtualenv web\n"
        "deactivate\nrmvirtualenv web >/dev/null\nlsvirtualenv -b\necho listed",
    )
    assert "active " + str(home.workon_home / "web") in done.stdout
    assert "cannot remove the active environment" in done.stderr
    assert done.stdout.splitlines()[-1] == "listed" and done.stdout.splitlines()[-2].startswith("active")
    assert log.read_text().splitlines() == [
        "premkvirtualenv web",
        "postactivate",
        f"postmkvirtualenv {home.workon_home / 'web'}",
        "prermvirtualenv web",
    ]


@pytest.mark.parametrize("shell", POSIX)
def test_project_and_tmp_functions(home: HomeRunner, shell: str, tmp_path: Path) -> None:
    hook(home.workon_home / "postmkproject", 'echo "postmkproject in $PWD" >&2')
    done = run_script(
        home,
        shell,
        "mkproject --no-seed api >/dev/null\necho at $PWD\ncdvirtualenv\ncdproject\necho back $PWD\n"
        "mktmpenv --no-seed >/dev/null\ntmp=$VIRTUAL_ENV\necho tmp-at $PWD\n"
        'deactivate >/dev/null\n[ -d "$tmp" ] || echo tmp-gone',
    )
    project = tmp_path / "projects" / "api"
    assert f"postmkproject in {project}" in done.stderr
    assert f"at {project}" in done.stdout and f"back {project}" in done.stdout
    assert f"tmp-at {home.workon_home}/tmp-" in done.stdout
    assert "tmp-gone" in done.stdout
    assert home("ls", "--brief").stdout == "api\n"


@pytest.mark.parametrize("shell", POSIX)
def test_site_packages_functions(home: HomeRunner, shell: str, tmp_path: Path) -> None:
    home.new("web", "--no-pip", "--no-wheel")
    extra = tmp_path / "extra"
    extra.mkdir()
    done = run_script(
        home,
        shell,
        f"workon web\nadd2virtualenv '{extra}'\nlssitepackages\ncdsitepackages\necho in $PWD\n"
        "toggleglobalsitepackages\nsetvirtualenvproject\ncdproject\necho project $PWD\n"
        "wipeenv\nshowvirtualenv\n"
        "allvirtualenv python -c 'import sys; print(\"prefix\", sys.prefix)'",
    )
    assert done.returncode == 0, done.stderr
    assert "_virtualenv_path_extensions.pth:" in done.stdout and str(extra) in done.stdout
    assert "/site-packages" in done.stdout.split("in ", 1)[1].split()[0]
    assert "Enabled global site-packages" in done.stdout
    assert "Nothing to remove." in done.stdout
    assert f"prefix {home.workon_home / 'web'}" in done.stdout
    assert f"path: {home.workon_home / 'web'}" in done.stdout


@pytest.mark.parametrize("shell", POSIX)
def test_workon_refuses_hostile_and_missing_names(home: HomeRunner, shell: str, tmp_path: Path) -> None:
    home.new("web")
    done = run_script(home, shell, "workon '../web' || echo refused\nworkon ghost || echo missing\nworkon '-x' || echo dash")
    assert done.stdout.split() == ["refused", "missing", "dash"]
    assert "does not exist" in done.stderr


def test_bash_completes_environment_names(home: HomeRunner) -> None:
    home.new("web")
    home.new("worker")
    home.new("api")
    done = run_script(home, "bash", "COMP_WORDS=(workon w); COMP_CWORD=1; _roost_home_complete; echo ${COMPREPLY[@]}")
    assert done.stdout.split() == ["web", "worker"]


def test_zsh_completes_environment_names(home: HomeRunner) -> None:
    home.new("web")
    home.new("api")
    done = run_script(home, "zsh", "_roost_home_complete; print -l $reply")
    assert done.stdout.split() == ["api", "web"]


def test_pip_installs_with_mkvirtualenv_i(home: HomeRunner, tmp_path: Path) -> None:
    wheel = make_wheel(tmp_path)
    done = run_script(
        home, "bash", f"mkvirtualenv -i '{wheel}' web >/dev/null 2>&1\npython -c 'import roost_demo; print(roost_demo.VALUE)'"
    )
    assert done.stdout.strip() == "42", done.stderr


@pytest.mark.parametrize("shell", POSIX)
def test_cpvirtualenv_activates_the_copy_and_sources_its_hooks(home: HomeRunner, shell: str, tmp_path: Path) -> None:
    home.new("web")
    hook(home.workon_home / "postcpvirtualenv", 'echo "postcpvirtualenv $VIRTUAL_ENV" >&2')
    done = run_script(home, shell, "cpvirtualenv web copy >/dev/null\necho active $VIRTUAL_ENV\ndeactivate")
    assert done.returncode == 0, done.stderr
    assert f"active {home.workon_home / 'copy'}" in done.stdout
    assert f"postcpvirtualenv {home.workon_home / 'copy'}" in done.stderr
    assert home("ls", "--brief").stdout == "copy\nweb\n"


@pytest.mark.parametrize("shell", POSIX)
def test_workon_dot_uses_the_current_folders_name(home: HomeRunner, shell: str, tmp_path: Path) -> None:
    home.new("web")
    (tmp_path / "web").mkdir()
    done = run_script(home, shell, f"cd '{tmp_path / 'web'}'\nworkon .\necho active $VIRTUAL_ENV")
    assert done.stdout.split() == ["active", str(home.workon_home / "web")], done.stderr


def test_bash_completion_inserts_names_quoted(home: HomeRunner, tmp_path: Path) -> None:
    """Completed names go into the line as the shell reads them back: `$(touch PWNED1)` must
    not run on Enter, `a b` must stay one word (printf %q, as zsh and fish quote theirs)."""
    for name in ("$(touch PWNED1)", "a b", "web"):
        home.new(name)
    done = run_script(
        home,
        "bash",
        "for typed in '' 'a' 'a\\ '; do\n"
        '    COMP_WORDS=(workon "$typed"); COMP_CWORD=1; _roost_home_complete\n'
        '    for entry in "${COMPREPLY[@]}"; do eval "set -- $entry"; echo "$typed|$#|$1"; done\n'
        "done",
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["|1|$(touch PWNED1)", "|1|a b", "|1|web", "a|1|a b", "a\\ |1|a b"]
    assert not any(path.name == "PWNED1" for path in tmp_path.rglob("*"))


@pytest.mark.parametrize("shell", POSIX)
def test_allvirtualenv_runs_once_per_environment_and_skips_one_that_does_not_activate(
    home: HomeRunner, shell: str, tmp_path: Path
) -> None:
    for name in ("a b", "*", "web"):
        home.new(name)
    broken = home.workon_home / "broken" / "bin"
    broken.mkdir(parents=True)
    (broken / "activate").write_text("return 1\n")  # listed (bin/activate), but activation fails
    done = run_script(home, shell, "allvirtualenv sh -c 'echo \"in $VIRTUAL_ENV\"'")
    ran = sorted(line for line in done.stdout.splitlines() if line.startswith("in "))
    assert ran == sorted(f"in {home.workon_home / name}" for name in ("a b", "*", "web")), done.stdout + done.stderr
    assert "could not activate broken, skipped" in done.stderr
