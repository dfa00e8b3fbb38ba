"""The shell-init commands in real nushell: workon sets what activate.nu sets, deactivate puts
it back, hooks fire in virtualenvwrapper's order (the .nu variants, run with nu)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import HomeRunner
from .shells import assert_commands_worked, run_script, write_logging_hooks

pytestmark = pytest.mark.slow


def test_workon_runs_nu_hooks_in_order_and_restores(home: HomeRunner, tmp_path: Path) -> None:
    log = home.root / "log"
    env, project, once, leave = write_logging_hooks(
        home, ".nu", lambda text: f"$\"{text}\\n\" | save --append '{log}'", lambda name: f"($env.{name})"
    )
    done = run_script(
        home,
        "nushell",
        'let before = $env.PATH\nworkon web\nprint $"pwd ($env.PWD)"\n'
        "^python -c 'import sys; print(\"prefix\", sys.prefix)'\nworkon web\ndeactivate\n"
        "print (if $env.PATH == $before { 'path-restored' } else { 'changed' })\n"
        "print ($env.VIRTUAL_ENV? | default unset)",
    )
    assert done.returncode == 0, done.stderr
    assert f"pwd {project}" in done.stdout and f"prefix {env}" in done.stdout
    assert "path-restored" in done.stdout and done.stdout.split()[-1] == "unset"
    assert log.read_text().splitlines() == once + leave + once + leave


def test_commands_in_nushell(home: HomeRunner, tmp_path: Path) -> None:
    extra = tmp_path / "extra"
    extra.mkdir()
    done = run_script(
        home,
        "nushell",
        "mkvirtualenv --no-seed web\n"
        f"add2virtualenv '{extra}'\nlssitepackages\ncdsitepackages\nprint $\"in ($env.PWD)\"\n"
        'cdvirtualenv\nprint $"env ($env.PWD)"\ntoggleglobalsitepackages\nsetvirtualenvproject\n'
        'showvirtualenv\nwipeenv\ncpvirtualenv web copy\nprint $"copy ($env.VIRTUAL_ENV)"\n'
        "mktmpenv --no-seed\nlet tmp = $env.VIRTUAL_ENV\ndeactivate\n"
        "print (if ($tmp | path exists) { 'tmp-kept' } else { 'tmp-gone' })\n"
        'rmvirtualenv web copy\nprint $"left: (lsvirtualenv -b | complete | get stdout | str trim)|"\n'
        "try { workon '../x' } catch {|e| print $\"refused: ($e.msg)\" }",
    )
    assert done.returncode == 0, done.stderr
    assert_commands_worked(done.stdout, home, extra)
    assert f"copy {home.workon_home / 'copy'}" in done.stdout
    assert "tmp-gone" in done.stdout
    assert "left: |" in done.stdout
    assert "refused: roost: environment name '../x' is not a plain name" in done.stdout


def test_workon_completes_environment_names_in_nushell(home: HomeRunner) -> None:
    """workon's NAME has a custom completer (`name?: string@...`) listing the environments."""
    home.new("web")
    home.new("api")
    done = run_script(
        home,
        "nushell",
        "for command in [workon showvirtualenv rmvirtualenv] {\n"
        "    let parameter = (scope commands | where name == $command | get signatures.0 | values | first\n"
        "        | where parameter_type in [positional rest] | first)\n"
        "    let completer = $parameter.completion\n"
        '    print $"($command): ($completer)"\n'
        "}\n"
        "print (_roost_home_names | str join ' ')",
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "workon: _roost_home_names",
        "showvirtualenv: _roost_home_names",
        "rmvirtualenv: _roost_home_names",
        "api web",
    ]


def test_workon_shows_the_prompt_the_environment_was_made_with_in_nushell(home: HomeRunner) -> None:
    home.new("web", "--no-seed", "--prompt", "shiny app")
    home.new("plain")
    done = run_script(
        home,
        "nushell",
        "workon web\nprint (do $env.PROMPT_COMMAND)\nprint $env.VIRTUAL_ENV_PROMPT\n"
        "workon plain\nprint (do $env.PROMPT_COMMAND)\ndeactivate",
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["(shiny app) ", "shiny app", "(plain) "]
