"""A home made by the real virtualenvwrapper (installed from the package index, in the test
extra) keeps working with roost's shell functions, hooks and all; and back again."""

from __future__ import annotations

import os
import shutil
import sys
import sysconfig
from pathlib import Path

import pytest

from .conftest import HomeRunner
from .shells import IN_CI, run_script

pytestmark = pytest.mark.slow


def _virtualenvwrapper_sh() -> str:
    for folder in (sysconfig.get_path("scripts"), os.path.dirname(sys.executable)):
        candidate = os.path.join(folder, "virtualenvwrapper.sh")
        if os.path.isfile(candidate):
            return candidate
    found = shutil.which("virtualenvwrapper.sh")
    if found:
        return found
    if IN_CI:
        pytest.fail("virtualenvwrapper is not installed (it is in the test extra)")
    pytest.skip("virtualenvwrapper is not installed")


def _with_virtualenvwrapper(home: HomeRunner, body: str) -> str:
    """Run *body* in bash with the real virtualenvwrapper loaded; its stdout."""
    import subprocess

    script = home.root / "vew.bash"
    script.write_text(f"source '{_virtualenvwrapper_sh()}'\n{body}\n")
    scripts = sysconfig.get_path("scripts")
    env = {
        **home.env,
        "VIRTUALENVWRAPPER_PYTHON": sys.executable,
        "PATH": scripts + os.pathsep + home.env.get("PATH", ""),
    }
    done = subprocess.run(["bash", str(script)], env=env, capture_output=True, text=True, timeout=300, cwd=home.root)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.fixture
def wrapper_home(home: HomeRunner, tmp_path: Path) -> HomeRunner:
    """A home with one environment and its project, hooks filled in, all made by virtualenvwrapper."""
    project = tmp_path / "code"
    project.mkdir()
    log = tmp_path / "log"
    _with_virtualenvwrapper(
        home,
        f"mkvirtualenv -a '{project}' legacy >/dev/null 2>&1\n"
        "deactivate\n"
        # virtualenvwrapper wrote every hook file itself (initialize); we fill some in
        f'echo \'echo "global postactivate $(basename $VIRTUAL_ENV)" >> {log}\' >> "$WORKON_HOME/postactivate"\n'
        f'echo \'echo "local postactivate" >> {log}\' >> "$WORKON_HOME/legacy/bin/postactivate"\n'
        f'echo \'echo "global preactivate $1" >> {log}\' >> "$WORKON_HOME/preactivate"\n'
        f'echo \'echo "local predeactivate" >> {log}\' >> "$WORKON_HOME/legacy/bin/predeactivate"\n'
        f'echo \'echo "global postdeactivate $VIRTUALENVWRAPPER_LAST_VIRTUAL_ENV" >> {log}\' >> "$WORKON_HOME/postdeactivate"\n'
        f'echo \'echo "get_env_details $1"\' >> "$WORKON_HOME/get_env_details"\n',
    )
    return home


@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_virtualenvwrapper_home_works_unchanged(wrapper_home: HomeRunner, shell: str, tmp_path: Path) -> None:
    home = wrapper_home
    log = tmp_path / "log"
    assert (home.workon_home / "premkvirtualenv").is_file()  # made by virtualenvwrapper
    assert home("ls", "--brief").stdout == "legacy\n"
    assert "get_env_details legacy" in home("show", "legacy").stdout
    done = run_script(
        home,
        shell,
        'workon legacy\necho "at $PWD"\npython -c "import sys; print(sys.prefix)"\ndeactivate\necho "after ${VIRTUAL_ENV-unset}"',
    )
    assert done.returncode == 0, done.stderr
    assert f"at {tmp_path / 'code'}" in done.stdout
    assert str(home.workon_home / "legacy") in done.stdout and "after unset" in done.stdout
    assert log.read_text().splitlines() == [
        "global preactivate legacy",
        "global postactivate legacy",
        "local postactivate",
        "local predeactivate",
        f"global postdeactivate {home.workon_home / 'legacy'}",
    ]
    removed = run_script(home, shell, "rmvirtualenv legacy")
    assert removed.returncode == 0, removed.stderr
    assert home("ls", "--brief").stdout == ""


def test_roost_environment_works_in_virtualenvwrapper(home: HomeRunner) -> None:
    home.new("made-by-roost")
    out = _with_virtualenvwrapper(home, "lsvirtualenv -b\nworkon made-by-roost\necho active $VIRTUAL_ENV\ndeactivate")
    assert "made-by-roost" in out.splitlines()
    assert f"active {home.workon_home / 'made-by-roost'}" in out
