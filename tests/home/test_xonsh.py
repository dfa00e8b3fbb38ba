"""The shell-init functions in real xonsh: workon, hooks (the .xsh variants), the functions."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import HomeRunner
from .shells import hook, run_script

pytestmark = pytest.mark.slow


def test_workon_runs_xonsh_hooks_in_order_and_restores(home: HomeRunner, tmp_path: Path) -> None:
    env = home.new("web")
    project = tmp_path / "code"
    project.mkdir()
    home("project", "set", "web", str(project))
    log = tmp_path / "log"
    hooks = home.workon_home

    def xsh(path: Path, text: str) -> None:
        hook(path, f"with open({str(log)!r}, 'a') as _f: _f.write({text} + '\\n')")

    hook(hooks / "preactivate", f'echo "global preactivate $1 $PWD" >> "{log}"', run=True)
    hook(env / "bin" / "preactivate", f'echo "local preactivate $1" >> "{log}"', run=True)
    xsh(project / ".virtualenvwrapper" / "postactivate.xsh", "'project postactivate ' + $PWD")
    xsh(hooks / "postactivate.xsh", "'global postactivate ' + $VIRTUAL_ENV")
    xsh(env / "bin" / "postactivate.xsh", "'local postactivate'")
    xsh(env / "bin" / "predeactivate.xsh", "'local predeactivate'")
    xsh(hooks / "predeactivate.xsh", "'global predeactivate'")
    xsh(hooks / "postdeactivate.xsh", "'global postdeactivate ' + $VIRTUALENVWRAPPER_LAST_VIRTUAL_ENV")
    done = run_script(
        home,
        "xonsh",
        "before = list($PATH)\nworkon web\nprint('pwd', $PWD)\ndeactivate\n"
        "print('restored' if list($PATH) == before else 'changed', ${...}.get('VIRTUAL_ENV', 'unset'))",
    )
    assert done.returncode == 0, done.stderr
    assert f"pwd {project}" in done.stdout and "restored unset" in done.stdout
    assert log.read_text().splitlines() == [
        f"global preactivate web {home.workon_home}",
        "local preactivate web",
        f"project postactivate {project}",
        f"global postactivate {env}",
        "local postactivate",
        "local predeactivate",
        "global predeactivate",
        f"global postdeactivate {env}",
    ]


def test_functions_in_xonsh(home: HomeRunner, tmp_path: Path) -> None:
    extra = tmp_path / "extra"
    extra.mkdir()
    done = run_script(
        home,
        "xonsh",
        "mkvirtualenv --no-seed web\n"
        f"add2virtualenv {str(extra)!r}\nlssitepackages\ncdvirtualenv\nprint('env', $PWD)\n"
        "toggleglobalsitepackages\nsetvirtualenvproject\nshowvirtualenv\nwipeenv\n"
        "mktmpenv --no-seed\ntmp = $VIRTUAL_ENV\ndeactivate\nimport os\n"
        "print('tmp-gone' if not os.path.isdir(tmp) else 'tmp-kept')\n"
        "try:\n    workon ../x\nexcept Exception:\n    print('refused')\n"
        "rmvirtualenv web\nprint('left:', $(lsvirtualenv -b).split())",
    )
    assert done.returncode == 0, done.stderr
    assert "_virtualenv_path_extensions.pth:" in done.stdout and str(extra) in done.stdout
    assert f"env {home.workon_home / 'web'}" in done.stdout
    assert "Enabled global site-packages" in done.stdout and "Nothing to remove." in done.stdout
    assert "tmp-gone" in done.stdout
    assert "is not a plain name" in done.stderr and "refused" in done.stdout
    assert "left: []" in done.stdout
