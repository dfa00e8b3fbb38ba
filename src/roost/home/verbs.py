"""The commands that make, list, show, remove and use environments by name.

Each takes the :class:`~.store.Home` and its own arguments (already split by :mod:`.cli`)
and returns an exit code; a problem the user can fix is a RoostError.
"""

from __future__ import annotations

import os
import subprocess
import sys

from ..errors import RoostError, UsageError
from .hooks import run_hook
from .store import Home, read_project, site_packages

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence


# -- new ----------------------------------------------------------------------------------


class NewRequest:
    """What ``new`` was asked: the name, the project, packages and requirements, and the
    options passed on to the creation (as ``roost DEST`` takes them)."""

    __slots__ = ("name", "project", "packages", "requirements", "creation_args")

    def __init__(self) -> None:
        self.name = ""
        self.project: str | None = None
        self.packages: list[str] = []
        self.requirements: list[str] = []
        self.creation_args: list[str] = []


def parse_new(args: Sequence[str]) -> NewRequest:
    """Split ``new``'s arguments: ``-a``, ``-i``, ``-r`` are the home's; the rest are roost's.

    NAME is the first argument, or the last when the first is an option (virtualenvwrapper's
    ``mkvirtualenv -p python3.12 web``).
    """
    request = NewRequest()
    rest: list[str] = []
    index = 0
    while index < len(args):
        arg = args[index]
        if arg in ("-a", "-i", "-r"):
            if index + 1 >= len(args):
                raise UsageError(f"{arg} needs a value", hint="roost home new NAME [-a PROJECT] [-i PKG]... [-r REQS]")
            value = args[index + 1]
            if arg == "-a":
                request.project = value
            elif arg == "-i":
                request.packages.append(value)
            else:
                request.requirements.append(value)
            index += 2
            continue
        rest.append(arg)
        index += 1
    if not rest:
        raise UsageError("new needs a NAME", hint="roost home new NAME [options]")
    request.name = rest.pop(0) if not rest[0].startswith("-") else rest.pop()
    request.creation_args = rest
    return request


def new(home: Home, args: Sequence[str]) -> int:
    """``new NAME [-a PROJECT] [-i PKG]... [-r REQS] [roost options]``."""
    request = parse_new(args)
    project = None
    if request.project is not None:
        project = os.path.abspath(request.project)
        if not os.path.isdir(project):
            raise RoostError(f"cannot associate project {request.project}: it is not a folder", hint="create it first")
    create(home, request.name, request.creation_args)
    path = home.path(request.name)
    if project is not None:
        write_project(home, path, project)
    install(path, request.requirements, request.packages)
    return 0


def create(home: Home, name: str, creation_args: Sequence[str]) -> str:
    """Make environment *name* through the same Session as ``roost DEST``, then run premkvirtualenv.

    The folder is reserved first (an atomic ``mkdir``), so two runs for one name give one
    environment and one clear error; if creation fails the reserved folder goes again.
    """
    path = home.reserve(name)
    try:
        from ..session import cli_run

        cli_run([*creation_args, path], env=dict(home.env))
    except BaseException:
        if os.path.isdir(path) and not os.path.islink(path):
            from .store import remove_tree

            remove_tree(path)  # ours: reserved by this run a moment ago
        raise
    run_hook(home, "premkvirtualenv", name)
    return path


def install(env_path: str, requirements: Sequence[str], packages: Sequence[str]) -> None:
    """``pip install`` the requirement files, then each package, with the environment's pip."""
    python = env_python(env_path)
    for requirement in requirements:
        _pip(python, ["install", "-r", requirement])
    for package in packages:
        _pip(python, ["install", package])


def _pip(python: str, args: list[str]) -> None:
    code = subprocess.call([python, "-m", "pip", *args])
    if code:
        raise RoostError(f"pip {' '.join(args)} failed (exit code {code})", hint="see pip's output above")


def env_python(env_path: str) -> str:
    """The environment's python executable."""
    for candidate in ("bin/python", "Scripts/python.exe"):
        path = os.path.join(env_path, candidate)
        if os.path.exists(path):
            return path
    raise RoostError(f"{env_path} has no python", hint="`roost check` tells what is wrong")


def write_project(home: Home, env_path: str, project: str) -> None:
    """Write the environment's ``.project`` naming the folder *project*."""
    from ..appdata import atomic_write_bytes

    atomic_write_bytes(os.path.join(env_path, home.project_file), os.fsencode(project) + b"\n")
    print(f"Setting project for {os.path.basename(env_path)} to {project}")


# -- ls, show -----------------------------------------------------------------------------


def describe(home: Home, name: str) -> dict[str, object]:
    """What ``ls`` and ``show`` report about one environment, from its files (no subprocess).

    ``problems`` are the health check's findings without running Python (a gone base
    interpreter, a moved environment...), as ``{code, message, fix}``.
    """
    from ..envreader import read_environment
    from ..health.check import diagnose_environment

    path = os.path.join(home.root, name)  # an absolute *name* (the active environment) stays as it is
    fact: dict[str, object] = {"name": os.path.basename(path), "path": path, "project": read_project(path, home.project_file)}
    try:
        env = read_environment(path)
    except RoostError as exc:  # bin/activate without pyvenv.cfg: listed, but not readable
        fact.update(version="", base="", made_by="", global_site_packages=False)
        fact["problems"] = [{"code": "unreadable", "message": str(exc), "fix": ""}]
        return fact
    fact.update(
        version=".".join(map(str, env.version or ())),
        base=env.home or "",
        made_by=env.made_by,
        global_site_packages=env.system_site_packages,
    )
    fact["problems"] = [problem.to_dict() for problem in diagnose_environment(env, run_python=False)]
    return fact


def ls(home: Home, mode: str) -> int:
    """``ls [--brief|--long|--json]``: brief is names only; the default adds the version, the
    project and the health check's flags; long adds each problem's fix and get_env_details."""
    names = home.names()
    if mode == "brief":
        for name in names:
            print(name)
        return 0
    facts = [describe(home, name) for name in names]
    if mode == "json":
        import json

        print(json.dumps(facts, indent=2))
        return 0
    for fact in facts:
        problems = problems_of(fact)
        version = f"  python {fact['version']}" if fact["version"] else ""
        project = f"  project {fact['project']}" if fact["project"] else ""
        flags = "".join(f"  [{code}]" for code in dict.fromkeys(problem["code"] for problem in problems))
        print(f"{fact['name']}{version}{project}{flags}")
        if mode == "long":
            for problem in problems:
                print(f"    {problem['message']} (fix: {problem['fix']})")
            run_hook(home, "get_env_details", name_of(fact), env_path=os.path.join(home.root, name_of(fact)))
    return 0


def problems_of(fact: dict[str, object]) -> list[dict[str, str]]:
    """The problems in a :func:`describe` result."""
    value = fact["problems"]
    return value if isinstance(value, list) else []


def name_of(fact: dict[str, object]) -> str:
    """The name in a :func:`describe` result."""
    return str(fact["name"])


def show(home: Home, name: str) -> int:
    """``show NAME``: the environment's facts, then its get_env_details hooks."""
    fact = describe(home, home.target(name))
    for key in ("name", "path", "version", "base", "made_by", "project", "global_site_packages"):
        print(f"{key}: {fact[key] if fact[key] is not None else ''}")
    for problem in problems_of(fact):
        print(f"problem: {problem['message']} (fix: {problem['fix']})")
    run_hook(home, "get_env_details", name_of(fact), env_path=str(fact["path"]))
    return 0


# -- rm -----------------------------------------------------------------------------------


def rm(home: Home, names: Sequence[str]) -> int:
    """``rm NAME...``: remove each environment between its prermvirtualenv and postrmvirtualenv hooks."""
    if not names:
        raise UsageError("rm needs at least one NAME", hint="roost home rm NAME...")
    for name in names:
        if home.is_active(home.path(name)):
            raise RoostError(f"cannot remove the active environment {name!r}", hint="switch to another one, or run `deactivate`")
    home.sweep_leftovers()
    failed = 0
    for name in names:
        print(f"Removing {name}...")
        try:
            home.check_removable(name)  # before the hook: nothing runs for what will not go
            run_hook(home, "prermvirtualenv", name)
            home.remove(name)
            run_hook(home, "postrmvirtualenv", name)
        except RoostError as exc:
            if len(names) == 1:
                raise
            from .. import _log

            _log.error(str(exc))
            failed = 1
    return failed


# -- run, run-all, dir, site-packages -------------------------------------------------------


def activated_environ(env: dict[str, str], env_path: str) -> dict[str, str]:
    """*env* as activation leaves it: VIRTUAL_ENV set, bin first on PATH, PYTHONHOME gone."""
    result = dict(env)
    result.pop("PYTHONHOME", None)
    result["VIRTUAL_ENV"] = env_path
    result["VIRTUAL_ENV_PROMPT"] = os.path.basename(env_path)
    path = env.get("PATH")
    bin_dir = os.path.join(env_path, "bin")
    result["PATH"] = bin_dir + os.pathsep + path if path else bin_dir
    return result


def run_in(env: dict[str, str], env_path: str, command: Sequence[str]) -> int:
    """Run *command* in the environment (without activating the shell); its exit code."""
    if not command:
        raise UsageError("no command to run", hint="roost home run NAME -- COMMAND [ARGS...]")
    environ = activated_environ(env, env_path)
    try:
        return subprocess.call(list(command), env=environ)
    except FileNotFoundError:
        raise RoostError(f"command not found: {command[0]}", hint="check its name and PATH") from None
    except PermissionError:
        raise RoostError(f"cannot run {command[0]}: permission denied") from None


def run_all(home: Home, command: Sequence[str]) -> int:
    """Run *command* in every environment in turn, each under its name; non-zero if any failed."""
    worst = 0
    for name in home.names():
        print(name)
        print("=" * len(name))
        sys.stdout.flush()
        code = run_in(dict(home.env), os.path.join(home.root, name), command)
        print()
        worst = worst or code
    return worst


def print_dir(home: Home, name: str) -> int:
    """``dir NAME``: the environment's folder."""
    print(home.target(name))
    return 0


def print_site_packages(home: Home, name: str) -> int:
    """``site-packages NAME``: the environment's site-packages folder."""
    print(site_packages(home.target(name)))
    return 0
