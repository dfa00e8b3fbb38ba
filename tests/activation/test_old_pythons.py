"""The activation scripts of real Python 2.7 and 3.6 environments, sourced in the real shells.

The other activation tests use fake environments (a link to the test's own Python);
here roost makes the environment with pyenv's 2.7.18 or 3.6.15, each shell activates
it, the environment's python reports its prefix and writes nothing on stderr, and
deactivate gives PATH back.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from support import OLD_INTERPRETERS, require_executable

from .conftest import START_PATH, need, read_outputs, run_shell, shell_env
from .test_xonsh import xonsh

pytestmark = pytest.mark.slow

PREFIX = "import sys; sys.stdout.write(sys.prefix + '|' + sys.base_prefix)"

SH = f"""
. "$ROOST_T_SCRIPT"
python -c "{PREFIX}" > "$ROOST_T_OUT/prefix" 2> "$ROOST_T_OUT/stderr"
deactivate
printf '%s' "$PATH" > "$ROOST_T_OUT/path"
"""
FISH = f"""
source $ROOST_T_SCRIPT
python -c "{PREFIX}" > $ROOST_T_OUT/prefix 2> $ROOST_T_OUT/stderr
deactivate
printf '%s' (string join : $PATH) > $ROOST_T_OUT/path
"""
CSH = f"""
source "$ROOST_T_SCRIPT:q"
( python -c "{PREFIX}" > "$ROOST_T_OUT/prefix" ) >& "$ROOST_T_OUT/stderr"
deactivate
printf '%s' "$PATH:q" > "$ROOST_T_OUT/path"
"""
NU = f"""
overlay use activate.nu
let done = (^python -c "{PREFIX}" | complete)
$done.stdout | save -f ($env.ROOST_T_OUT | path join prefix)
$done.stderr | save -f ($env.ROOST_T_OUT | path join stderr)
deactivate
$env.PATH | str join (char esep) | save -f ($env.ROOST_T_OUT | path join path)
"""
XONSH = f"""
import os
$PYTHONHOME = $ROOST_T_PYTHONHOME
source @($ROOST_T_SCRIPT)
done = !(python -c "{PREFIX}")
done.end()
open(os.path.join($ROOST_T_OUT, "prefix"), "w").write(done.output)
open(os.path.join($ROOST_T_OUT, "stderr"), "w").write(done.errors or "")
deactivate
open(os.path.join($ROOST_T_OUT, "path"), "w").write(os.pathsep.join($PATH))
"""


@pytest.fixture(scope="module", params=["cpython2.7", "cpython3.6"])
def real_env(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """(environment, base prefix): one seedless environment per interpreter for the module."""
    python = require_executable(OLD_INTERPRETERS[request.param], request.param)
    dest = tmp_path_factory.mktemp("old") / f"env {request.param}"
    env = {key: value for key, value in os.environ.items() if not key.startswith(("ROOST_", "VIRTUALENV_"))}
    env.update(ROOST_OVERRIDE_APP_DATA=str(tmp_path_factory.mktemp("app-data")), ROOST_CONFIG_FILE=os.devnull)
    done = subprocess.run(
        [sys.executable, "-m", "roost", "--no-seed", "-p", python, str(dest)], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    base = subprocess.check_output([python, "-c", "import sys; sys.stdout.write(sys.prefix)"], text=True)
    return dest, base


def _check(out: Path, dest: Path, base: str, output: str) -> None:
    seen = read_outputs(out)
    assert seen.get("prefix") == f"{dest}|{base}", output
    assert seen.get("stderr", "") == "", output
    assert seen["path"] == START_PATH, output


@pytest.mark.parametrize(
    ("shell", "argv"),
    [
        ("bash", ["--norc", "--noprofile"]),
        ("zsh", ["-f"]),
        ("dash", []),
        ("ksh", []),
        ("mksh", []),
    ],
)
def test_sh_family(shell: str, argv: list[str], real_env: tuple[Path, str], workdir: Path, out: Path) -> None:
    dest, base = real_env
    env = shell_env(workdir, out, dest / "bin" / "activate")
    output = run_shell([need(shell), *argv], SH, env, workdir)
    _check(out, dest, base, output)


def test_fish(real_env: tuple[Path, str], workdir: Path, out: Path) -> None:
    dest, base = real_env
    env = shell_env(workdir, out, dest / "bin" / "activate.fish")
    _check(out, dest, base, run_shell([need("fish"), "--no-config"], FISH, env, workdir))


def test_tcsh(real_env: tuple[Path, str], workdir: Path, out: Path) -> None:
    dest, base = real_env
    driver = workdir / "driver.csh"
    driver.write_text(CSH)
    env = shell_env(workdir, out, dest / "bin" / "activate.csh")
    _check(out, dest, base, run_shell([need("tcsh"), "-f", str(driver)], "", env, workdir))


def test_nushell(real_env: tuple[Path, str], workdir: Path, out: Path) -> None:
    dest, base = real_env
    env = shell_env(workdir, out, dest / "bin" / "activate.nu")
    _check(out, dest, base, run_shell([need("nu"), "-n", "-c", NU], "", env, dest / "bin"))


def test_xonsh(real_env: tuple[Path, str], workdir: Path, out: Path) -> None:
    dest, base = real_env
    driver = workdir / "driver.xsh"
    driver.write_text(XONSH, encoding="utf-8")
    env = shell_env(workdir, out, dest / "bin" / "activate.xsh")
    env["ROOST_T_PYTHONHOME"] = env.pop("PYTHONHOME")
    _check(out, dest, base, run_shell([xonsh(), "-m", "xonsh", "--no-rc", str(driver)], "", env, workdir))
