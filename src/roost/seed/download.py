"""Download wheels by running pip, so the user's pip configuration applies.

pip reads ``pip.conf`` and the ``PIP_*`` environment variables (index URL, extra indexes,
certificates, proxies, timeouts), so downloading through it behaves exactly as the user's
own ``pip download`` would.  Preferably the target interpreter runs it, so pip applies the
target's own tags and ``Requires-Python``; otherwise the interpreter running roost, told
the target version with ``--python-version``.

Which pip: the interpreter's own, when it has a usable one (installed and byte-compiled, it
starts in a fraction of the ~1.5 s pip takes to import itself from a wheel, where nothing
can be cached), else a pip wheel on ``sys.path``, as ensurepip runs it.  pip runs in a
folder roost made, never the one roost was started in: a ``pip.py`` or ``runpy.py`` there
never runs.  Wheels land in a fresh folder first and are then moved into the wheelhouse one
by one, so a half-downloaded file is never seen there.
"""

from __future__ import annotations

import os
import sys

from ..discovery.interpreter import child_environment, last_line
from ..errors import RoostError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Callable


# ``python -m pip ARGS`` with sys.argv[1] (a pip wheel, or "" for the interpreter's own pip)
# at the front of sys.path instead of the current folder (which is a folder roost made, too:
# before Python 3.11 even ``runpy`` is found there first).  An own pip that does not import,
# or is older than 20, exits with OWN_PIP_UNUSABLE and the wheel's pip runs instead.
OWN_PIP_UNUSABLE = 117
_BOOT = (
    "import sys\n"
    "wheel = sys.argv.pop(1)\n"
    "if sys.path and sys.path[0] == '': del sys.path[0]\n"
    "if wheel: sys.path.insert(0, wheel)\n"
    "else:\n"
    "    try:\n"
    "        import pip, pip._internal.cli.main\n"
    "        usable = int(pip.__version__.split('.')[0]) >= 20\n"
    "    except Exception:\n"
    "        usable = False\n"
    f"    usable or sys.exit({OWN_PIP_UNUSABLE})\n"
    "import runpy\n"
    "runpy.run_module('pip', run_name='__main__', alter_sys=True)\n"
)


class PipRunner:
    """How to run pip: an interpreter, the pip wheel it can run, and the target's version."""

    __slots__ = ("python", "pip_wheel", "target_version", "is_target")

    def __init__(self, python: str, pip_wheel: str, target_version: str, is_target: bool) -> None:
        self.python = python
        self.pip_wheel = os.path.abspath(pip_wheel)  # pip runs in a folder of roost's own
        self.target_version = target_version
        self.is_target = is_target

    def command(self, *args: str, own_pip: bool = False) -> list[str]:
        """``pip ARGS`` from the wheel, or with *own_pip* from the interpreter's own pip."""
        return [self.python, "-c", _BOOT, "" if own_pip else self.pip_wheel, *args]

    def environment(self, env: Mapping[str, str]) -> dict[str, str]:
        """*env* for running pip (:func:`~roost.discovery.interpreter.child_environment`), quiet and UTF-8."""
        result = child_environment(env)
        result["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
        result["PYTHONIOENCODING"] = "utf-8"  # roost reads pip's messages as UTF-8
        return result

    def to_dict(self) -> dict[str, object]:
        return {
            "python": self.python,
            "pip_wheel": self.pip_wheel,
            "target_version": self.target_version,
            "is_target": self.is_target,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> PipRunner:
        return cls(str(data["python"]), str(data["pip_wheel"]), str(data["target_version"]), bool(data["is_target"]))


def download_args(
    runner: PipRunner, requirements: Sequence[str], dest: str, own_pip: bool = False, build: bool = False
) -> list[str]:
    """``pip download`` arguments for *requirements* (binary wheels only, no dependencies).

    With *build* (only when the target itself runs pip), ``pip wheel`` instead: a wheel the
    index has is saved as it is, and pip builds one from an sdist when there is none.
    """
    if build and runner.is_target:
        return runner.command(
            "wheel", "--no-deps", "--disable-pip-version-check", "--wheel-dir", dest, *requirements, own_pip=own_pip
        )
    args = ["download", "--no-deps", "--only-binary", ":all:", "--disable-pip-version-check", "--dest", dest]
    if not runner.is_target:
        args += ["--python-version", runner.target_version]
    return runner.command(*args, *requirements, own_pip=own_pip)


def download(
    runner: PipRunner,
    requirements: Sequence[str],
    wheelhouse: str,
    env: Mapping[str, str],
    timeout: float | None = None,
    preexec_fn: Callable[[], None] | None = None,
    before_publish: Callable[[list[tuple[str, str]]], None] | None = None,
    build: bool = False,
    keep_others: bool = False,
) -> list[str]:
    """Download *requirements* into *wheelhouse*; returns the paths of the wheels now there.

    *before_publish* gets (downloaded file, final path) pairs before any wheel enters the
    wheelhouse: the caller records what it needs to know, so a run that sees a new wheel
    also sees its record.  *build*: see :func:`download_args`.  *keep_others*: a wheel whose
    name is taken by another file (a wheel pip built from the sdist, and now the index's
    wheel of that name, or the other way round) goes to ``others/<digest>/`` instead of
    replacing it, so requirements pinned by either file's hash both keep working.
    """
    import shutil
    import tempfile

    os.makedirs(wheelhouse, exist_ok=True)
    # Beside the wheelhouse, not in it: the wheelhouse folder changes only when wheels arrive.
    staging = tempfile.mkdtemp(prefix=".download-", dir=os.path.dirname(os.path.abspath(wheelhouse)))
    try:
        _run_pip_download(runner, requirements, staging, env, timeout, preexec_fn, build)
        return _publish(staging, wheelhouse, before_publish, keep_others)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _run_pip_download(
    runner: PipRunner,
    requirements: Sequence[str],
    staging: str,
    env: Mapping[str, str],
    timeout: float | None,
    preexec_fn: Callable[[], None] | None,
    build: bool,
) -> None:
    """``pip download`` (``pip wheel`` with *build*) into *staging*: the interpreter's own pip, else the wheel's.

    Raises RoostError when pip fails.
    """
    import subprocess

    environment = runner.environment(env)
    what = ", ".join(requirements)

    def run_pip(own_pip: bool) -> subprocess.CompletedProcess[bytes]:
        # In the staging folder: one roost made, so nothing of the user's can be imported.
        try:
            return subprocess.run(
                download_args(runner, requirements, staging, own_pip, build),
                cwd=staging,
                env=environment,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=timeout,
                check=False,
                preexec_fn=preexec_fn,
            )
        except subprocess.TimeoutExpired:
            raise RoostError(f"downloading {what} took longer than {timeout:.0f} s") from None
        except OSError as exc:
            raise RoostError(f"could not run pip to download {what}: {exc}") from None

    done = run_pip(own_pip=True)
    if done.returncode == OWN_PIP_UNUSABLE:  # none, broken or too old: the wheel's pip
        done = run_pip(own_pip=False)
    if done.returncode:
        raise RoostError(
            f"pip could not download {what}: {last_line(done.stderr, preferring='ERROR')}",
            "check the index settings pip uses (pip.conf, PIP_INDEX_URL) or run with --no-download",
        )


OTHERS = "others"  # wheelhouse/others/<digest>/NAME.whl: a second file of a name already taken


def _publish(
    staging: str, wheelhouse: str, before_publish: Callable[[list[tuple[str, str]]], None] | None, keep_others: bool
) -> list[str]:
    """Move the wheels in *staging* into *wheelhouse* one by one, after *before_publish* has seen them."""
    names = sorted(name for name in os.listdir(staging) if name.endswith(".whl"))
    pairs = [(os.path.join(staging, name), _final_path(os.path.join(staging, name), wheelhouse, keep_others)) for name in names]
    if before_publish is not None:
        before_publish(pairs)
    found = []
    for staged, target in pairs:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        os.replace(staged, target)
        found.append(target)
    return found


def _final_path(staged: str, wheelhouse: str, keep_others: bool) -> str:
    name = os.path.basename(staged)
    target = os.path.join(wheelhouse, name)
    if not keep_others or not os.path.exists(target):
        return target
    from .versions import file_digest

    staged_digest = file_digest(staged)
    if file_digest(target) == staged_digest:
        return target
    return os.path.join(wheelhouse, OTHERS, staged_digest[:16], name)


def running_python() -> str:
    """The interpreter running roost (the fallback for running pip)."""
    return sys.executable
