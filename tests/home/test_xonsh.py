"""The shell-init functions in real xonsh: workon, hooks (the .xsh variants), the functions."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import HomeRunner
from .shells import assert_commands_worked, run_script, write_logging_hooks

pytestmark = pytest.mark.slow


def test_workon_runs_xonsh_hooks_in_order_and_restores(home: HomeRunner, tmp_path: Path) -> None:
    log = home.root / "log"
    env, project, once, leave = write_logging_hooks(
        home,
        ".xsh",
        lambda text: f"with open({str(log)!r}, 'a') as _f: _f.write(f{text!r} + '\\n')",
        lambda name: "{__xonsh__.env['" + name + "']}",
    )
    done = run_script(
        home,
        "xonsh",
        "before = list($PATH)\nworkon web\nprint('pwd', $PWD)\ndeactivate\n"
        "print('restored' if list($PATH) == before else 'changed', ${...}.get('VIRTUAL_ENV', 'unset'))",
    )
    assert done.returncode == 0, done.stderr
    assert f"pwd {project}" in done.stdout and "restored unset" in done.stdout
    assert log.read_text().splitlines() == once + leave


def test_functions_in_xonsh(home: HomeRunner, tmp_path: Path) -> None:
    extra = tmp_path / "extra"
    extra.mkdir()
    done = run_script(
        home,
        "xonsh",
        "mkvirtualenv --no-seed web\n"
        f"add2virtualenv {str(extra)!r}\nlssitepackages\ncdsitepackages\nprint('in', $PWD)\ncdvirtualenv\nprint('env', $PWD)\n"
        "toggleglobalsitepackages\nsetvirtualenvproject\nshowvirtualenv\nwipeenv\n"
        "mktmpenv --no-seed\ntmp = $VIRTUAL_ENV\ndeactivate\nimport os\n"
        "print('tmp-gone' if not os.path.isdir(tmp) else 'tmp-kept')\n"
        "try:\n    workon ../x\nexcept Exception:\n    print('refused')\n"
        "rmvirtualenv web\nprint('left:', $(lsvirtualenv -b).split())",
    )
    assert done.returncode == 0, done.stderr
    assert_commands_worked(done.stdout, home, extra)
    assert "is not a plain name" in done.stderr and "refused" in done.stdout
    assert "left: []" in done.stdout


def test_xonsh_completes_environment_names_with_a_real_command_context(home: HomeRunner) -> None:
    """The registered completer is called as xonsh calls it, with a CompletionContext whose
    command is a CommandContext (`contextual_command_completer` passes that command on)."""
    home.new("web")
    home.new("worker")
    home.new("api")
    done = run_script(
        home,
        "xonsh",
        "from xonsh.parsers.completion_context import CommandArg, CommandContext, CompletionContext\n"
        "completer = __xonsh__.completers['roost_home']\n"
        "def ask(*words, prefix):\n"
        "    args = tuple(CommandArg(word) for word in words)\n"
        "    found = completer(CompletionContext(command=CommandContext(args=args, arg_index=len(args), prefix=prefix)))\n"
        "    print(sorted(str(item) for item in found) if found else None)\n"
        "ask('workon', prefix='w')\nask('rmvirtualenv', prefix='')\nask('ls', prefix='w')",
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["['web', 'worker']", "['api', 'web', 'worker']", "None"], done.stderr
