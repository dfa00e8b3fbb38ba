"""Diagnose an environment without changing it: what is broken and which command repairs it.

:func:`diagnose` reads the environment's files (through :mod:`roost.envreader`) and,
unless told not to, starts its interpreter once.  Checks that need no subprocess use
none, so checking a hundred environments (``roost home ls``) stays fast.  The same checks
apply to environments made by roost, venv, virtualenv and uv.
"""

from __future__ import annotations

import os
import re

from ..envreader import Environment, read_environment

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["Problem", "base_minor", "copy_differs", "base_patch_version", "diagnose", "diagnose_environment"]

_VERSIONED = re.compile(r"^(?:python|pypy)(\d+)\.(\d+)t?$")


class Problem:
    """One thing wrong with an environment.

    ``code`` is a short stable id (``base-missing``, ``moved``...), ``message`` one line
    saying what is wrong, ``fix`` the command that repairs it.
    """

    __slots__ = ("code", "message", "fix")

    def __init__(self, code: str, message: str, fix: str) -> None:
        self.code = code
        self.message = message
        self.fix = fix

    def to_dict(self) -> dict[str, str]:
        """The problem as JSON-ready data (``roost check --json``)."""
        return {"code": self.code, "message": self.message, "fix": self.fix}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Problem) and self.to_dict() == other.to_dict()

    def __hash__(self) -> int:
        return hash((self.code, self.message))

    def __repr__(self) -> str:
        return f"Problem({self.code!r}, {self.message!r}, fix={self.fix!r})"


def diagnose(path: str, *, run_python: bool = True) -> list[Problem]:
    """Every problem of the environment at *path*; empty when it is healthy.

    With *run_python* false no subprocess runs: only what the files show is checked (the
    interpreter's actual version and whether pip imports are then left out).  Raises
    :class:`~roost.errors.RoostError` when *path* is not an environment.
    """
    return diagnose_environment(read_environment(path), run_python=run_python)


def diagnose_environment(env: Environment, *, run_python: bool = True) -> list[Problem]:
    """:func:`diagnose` for an environment already read."""
    repair = _command("repair", env.root)
    recreate = _command("repair --recreate", env.root)
    problems: list[Problem] = []
    minor = env.major_minor
    base = env.base_executable
    now_minor = base_minor(env)
    base_present = base is not None and os.path.exists(base)
    if not base_present:
        if now_minor and minor and now_minor != minor:
            problems.append(
                Problem(
                    "minor-changed",
                    f"the base interpreter is now Python {now_minor}; the environment was made for {minor}",
                    recreate,
                )
            )
        else:
            problems.append(Problem("base-missing", f"base interpreter {base or env.home} is gone (removed or moved)", repair))
    problems += _interpreter_problems(env, base if base_present else None, repair)
    if base_present and now_minor and minor and now_minor != minor:
        problems.append(
            Problem("minor-changed", f"{base} is now Python {now_minor}; the environment was made for {minor}", recreate)
        )
    patch = base_patch_version(env)
    if base_present and patch and env.version and len(env.version) >= 3 and patch[:2] == env.version[:2] and patch != env.version:
        problems.append(
            Problem(
                "version-mismatch",
                f"pyvenv.cfg says {_dotted(env.version)}, the base interpreter is {_dotted(patch)}",
                repair,
            )
        )
    for kind, major, lib_minor in env.lib_versions:
        if minor and f"{major}.{lib_minor}" != minor:
            problems.append(
                Problem(
                    "lib-orphaned",
                    f"lib/{kind}{major}.{lib_minor} is left from Python {major}.{lib_minor}: {minor} does not use its packages",
                    recreate,
                )
            )
    if env.moved:
        problems.append(
            Problem("moved", f"made at {env.made_at} (moved or copied): its scripts and activation point there", repair)
        )
    problems += _pip_files_problems(env, repair)
    if run_python and not any(problem.code in ("base-missing", "interpreter-dangling") for problem in problems):
        found = {problem.code for problem in problems}
        # what the files already showed is not said twice
        problems += [problem for problem in _run_problems(env, repair, recreate) if problem.code not in found]
    return _unique(problems)


def _command(words: str, root: str) -> str:
    import shlex

    return f"roost {words} {shlex.quote(root)}"


def _dotted(version: Sequence[int]) -> str:
    return ".".join(str(part) for part in version)


def _unique(problems: list[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))


# -- the base interpreter, read from its files -----------------------------------------------


def base_minor(env: Environment) -> str | None:
    """The ``X.Y`` of the interpreter the environment's base now is, from file names alone."""
    candidates = [env.base_executable] if env.base_executable else []
    if env.home:
        candidates += [os.path.join(env.home, name) for name in ("python3", "python", "pypy3")]
    for candidate in candidates:
        if candidate and os.path.exists(candidate):
            match = _VERSIONED.match(os.path.basename(os.path.realpath(candidate)))
            if match:
                return f"{match.group(1)}.{match.group(2)}"
            if env.home and env.major_minor and os.path.exists(os.path.join(env.home, f"python{env.major_minor}")):
                return env.major_minor
    return None


def _base_prefix(env: Environment) -> str | None:
    prefix = env.config.get("base-prefix")
    if prefix:
        return prefix
    return os.path.dirname(env.home) if env.home else None


def base_patch_version(env: Environment) -> tuple[int, ...] | None:
    """The base's full version from its ``patchlevel.h``, where its headers are installed."""
    prefix, minor = _base_prefix(env), base_minor(env)
    if not prefix or not minor:
        return None
    header = os.path.join(prefix, "include", f"python{minor}", "patchlevel.h")
    try:
        with open(header, encoding="utf-8", errors="replace") as handle:
            match = re.search(r'#define\s+PY_VERSION\s+"(\d+)\.(\d+)\.(\d+)', handle.read())
    except OSError:
        return None
    return tuple(int(part) for part in match.groups()) if match else None


# -- bin/python* -----------------------------------------------------------------------------


def _interpreter_problems(env: Environment, base: str | None, repair: str) -> list[Problem]:
    if not env.interpreters:
        return [Problem("interpreter-missing", f"{env.bin_dir} has no python", repair)]
    base_real = os.path.realpath(base) if base else None
    dangling, stale, problems = [], [], []
    elsewhere: dict[str, list[str]] = {}  # what a wrong link runs -> the names that run it
    for link in env.interpreters:
        relative = os.path.relpath(link.path, env.root)
        if link.dangling:
            dangling.append(f"{relative} -> {link.target}")
            continue
        named = _VERSIONED.match(link.name)
        if named and env.major_minor and f"{named.group(1)}.{named.group(2)}" != env.major_minor:
            message = f"{relative} is named for another Python than {env.major_minor}"
            problems.append(Problem("interpreter-wrong", message, repair))
        elif base_real is None:
            continue
        elif link.is_link and os.path.dirname(link.resolved) == os.path.realpath(env.bin_dir):
            continue  # an alias of a copy beside it (Python 2's python -> python2.7): the copy is judged
        elif link.is_link and link.resolved != base_real and not _same_home(env, link.resolved):
            elsewhere.setdefault(link.resolved, []).append(relative)
        elif not link.is_link and link.exists and copy_differs(link.path, base_real):
            stale.append(relative)
    # one line for all the names of one interpreter
    if dangling:
        problems.insert(0, Problem("interpreter-dangling", f"dangling: {', '.join(dangling)}", repair))
    for resolved, names in elsewhere.items():
        problems.append(Problem("interpreter-wrong", f"{', '.join(names)}: runs {resolved}, not the base {base}", repair))
    if stale:
        message = f"{', '.join(stale)}: a copy that differs from the base {base} now"
        problems.append(Problem("copy-stale", message, repair))
    return problems


def _same_home(env: Environment, resolved: str) -> bool:
    """*resolved* is one of the interpreters in ``home`` (a link to a sibling name is fine)."""
    if not env.home:
        return False
    names = ("python", "python3", f"python{env.major_minor}", "pypy3", f"pypy{env.major_minor}")
    return any(os.path.realpath(os.path.join(env.home, name)) == resolved for name in names)


def copy_differs(copy: str, base: str) -> bool:
    """A copied interpreter *copy* is not the same binary as *base* (size, then time, then bytes)."""
    try:
        mine, theirs = os.stat(copy), os.stat(base)
    except OSError:
        return False
    if mine.st_size != theirs.st_size:
        return True
    if (mine.st_ino, mine.st_dev) == (theirs.st_ino, theirs.st_dev) or int(mine.st_mtime) == int(theirs.st_mtime):
        return False  # the same file, or copy2's copy with the base's time
    import filecmp

    return not filecmp.cmp(copy, base, shallow=False)


# -- pip ---------------------------------------------------------------------------------------


def _pip_files_problems(env: Environment, repair: str) -> list[Problem]:
    """pip's metadata is there but its package is not: a half-removed or damaged pip."""
    for site_dir in env.site_packages:
        for entry in os.listdir(site_dir):
            if entry.startswith("pip-") and entry.endswith(".dist-info"):
                if not os.path.isfile(os.path.join(site_dir, "pip", "__init__.py")):
                    return [
                        Problem(
                            "pip-broken",
                            f"pip is listed in {site_dir} but its files are missing",
                            _command("--upgrade-deps", env.root),
                        )
                    ]
    return []


# -- what only running the interpreter shows ---------------------------------------------------

_PROBE = (
    "import sys\n"
    "print('.'.join(map(str, sys.version_info[:3])))\n"
    "print(sys.prefix)\n"
    "try:\n"
    "    import pip\n"
    "    print('pip')\n"
    "except Exception as exc:\n"
    "    print('nopip ' + type(exc).__name__ + ': ' + str(exc).replace('\\n', ' '))\n"
)


def _run_problems(env: Environment, repair: str, recreate: str) -> list[Problem]:
    import subprocess

    python = next((link.path for link in env.interpreters if link.exists and link.name.startswith("python")), None)
    if python is None:
        return []
    environment = {key: value for key, value in os.environ.items() if not key.startswith("PYTHON") and key != "VIRTUAL_ENV"}
    try:
        done = subprocess.run([python, "-c", _PROBE], capture_output=True, text=True, timeout=60, env=environment, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return [Problem("python-fails", f"{python} does not start: {exc}", repair)]
    lines = done.stdout.splitlines()
    if done.returncode or len(lines) < 3:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return [Problem("python-fails", f"{os.path.relpath(python, env.root)} fails: {last}", repair)]
    problems = []
    running = tuple(int(part) for part in lines[0].split("."))
    if env.version and running[: len(env.version)] != env.version:
        code, fix = ("version-mismatch", repair) if running[:2] == env.version[:2] else ("minor-changed", recreate)
        problems.append(Problem(code, f"pyvenv.cfg says {_dotted(env.version)}, the interpreter runs {_dotted(running)}", fix))
    has_pip = any(name.startswith("pip-") for site_dir in env.site_packages for name in os.listdir(site_dir))
    if has_pip and lines[2] != "pip":
        problems.append(
            Problem("pip-broken", f"pip is installed but does not import: {lines[2][6:]}", _command("--upgrade-deps", env.root))
        )
    return problems
