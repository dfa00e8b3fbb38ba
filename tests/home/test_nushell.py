"""The shell-init commands in real nushell: workon sets what activate.nu sets, deactivate puts
it back, hooks fire in virtualenvwrapper's order (the .nu variants, run with nu)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import HomeRunner
from .shells import hook, run_script

pytestmark = pytest.mark.slow


def test_workon_runs_nu_hooks_in_order_and_restores(home: HomeRunner, tmp_path: Path) -> None:
    env = home.new("web")
    project = tmp_path / "code"
    project.mkdir()
    home("project", "set", "web", str(project))
    log = tmp_path / "log"
    hooks = home.workon_home

    def nu(path: Path, text: str) -> None:
        hook(path, f"$\"{text}\\n\" | save --append '{log}'")

    hook(hooks / "preactivate", f'echo "global preactivate $1 $PWD" >> "{log}"', run=True)
    hook(env / "bin" / "preactivate", f'echo "local preactivate $1" >> "{log}"', run=True)
    nu(project / ".virtualenvwrapper" / "postactivate.nu", "project postactivate ($env.PWD)")
    nu(hooks / "postactivate.nu", "global postactivate ($env.VIRTUAL_ENV)")
    nu(env / "bin" / "postactivate.nu", "local postactivate")
    nu(env / "bin" / "predeactivate.nu", "local predeactivate")
    nu(hooks / "predeactivate.nu", "global predeactivate")
    nu(hooks / "postdeactivate.nu", "global postdeactivate ($env.VIRTUALENVWRAPPER_LAST_VIRTUAL_ENV)")
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
    once = [
        f"global preactivate web {home.workon_home}",
        "local preactivate web",
        f"project postactivate {project}",
        f"global postactivate {env}",
        "local postactivate",
    ]
    leave = ["local predeactivate", "global predeactivate", f"global postdeactivate {env}"]
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
    assert "_virtualenv_path_extensions.pth:" in done.stdout and str(extra) in done.stdout
    assert "\nin " in done.stdout and "/site-packages" in done.stdout.split("\nin ", 1)[1].split()[0]
    assert f"env {home.workon_home / 'web'}" in done.stdout
    assert "Enabled global site-packages" in done.stdout and "Nothing to remove." in done.stdout
    assert f"copy {home.workon_home / 'copy'}" in done.stdout
    assert "tmp-gone" in done.stdout
    assert "left: |" in done.stdout
    assert "refused: roost: environment name '../x' is not a plain name" in done.stdout
