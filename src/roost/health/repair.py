"""``roost repair``: make a broken environment work again, in place when its Python allows.

Same minor version (a patch upgrade, the base moved): the interpreter links are made
again (dangling ones replaced, a copied binary refreshed), ``pyvenv.cfg`` is rewritten for
the interpreter, roost's activation scripts are written again, and a moved or copied
environment gets its paths rewritten (:mod:`roost.relocate`); every installed package
stays.  A different minor version, or a base that is gone with no other interpreter of its
version on the machine, is refused: the packages were built for the old one.
``--recreate`` then rebuilds the environment beside the old one (:mod:`.recreate`).
"""

from __future__ import annotations

import os

from .. import _log
from ..envreader import Environment, read_environment
from ..errors import RoostError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from ..appdata import AppData
    from ..discovery.interpreter import Interpreter

__all__ = ["find_interpreter", "repair", "repair_in_place", "updated_pyvenv_cfg"]


def repair(
    path: str,
    *,
    python: Sequence[str] = (),
    recreate: bool = False,
    dry_run: bool = False,
    app_data: AppData | None = None,
    env: Mapping[str, str] | None = None,
) -> list[str]:
    """Repair the environment at *path*; returns what was done (or, with *dry_run*, the plan).

    *python* are ``-p`` specs for the interpreter to use (default: the environment's own
    base, or another interpreter of the same version when the base is gone).  With
    *recreate*, a minor-version change or a lost base rebuilds the environment with its
    packages (see :func:`roost.health.recreate.recreate`).  Raises
    :class:`~roost.errors.RoostError` with what to do when the repair cannot be done.
    """
    environ = dict(os.environ) if env is None else dict(env)
    app = app_data or _default_app_data(environ)
    old = read_environment(path)
    if dry_run:
        return _repair(old, python, recreate, dry_run, app, environ)
    from ..create.destination import Claim

    with Claim(old.root):  # one writer per environment, as for `roost DEST`
        # read again under the lock: another writer may have changed it while this run waited
        return _repair(read_environment(old.root), python, recreate, dry_run, app, environ)


def _repair(
    old: Environment, python: Sequence[str], recreate: bool, dry_run: bool, app: AppData, environ: Mapping[str, str]
) -> list[str]:
    try:
        interpreter = find_interpreter(old, python, app, environ)
    except RoostError as exc:
        if not recreate or not python:
            raise RoostError(
                f"cannot repair {old.root} in place: {exc.message}",
                f"roost repair --recreate -p SPEC {old.root} rebuilds it for another Python",
            ) from None
        raise
    same_minor = interpreter.major_minor == old.major_minor
    same_kind = interpreter.implementation.lower() == old.implementation.lower()
    if recreate or not (same_minor and same_kind):
        if not recreate:
            raise RoostError(
                f"{old.root} is {old.implementation} {old.major_minor} and the interpreter is now "
                f"{interpreter.implementation} {interpreter.major_minor} ({interpreter.system_executable}):"
                " packages built for the old one may not work",
                f"roost repair --recreate -p {interpreter.system_executable} {old.root} rebuilds it and reinstalls its packages",
            )
        from .recreate import recreate as rebuild

        return rebuild(old, interpreter, app, environ, dry_run=dry_run)
    return repair_in_place(old, interpreter, dry_run=dry_run)


def _default_app_data(env: Mapping[str, str]) -> AppData:
    from ..appdata import AppData, default_root

    return AppData(default_root(env))


def find_interpreter(env: Environment, specs: Sequence[str], app_data: AppData, environ: Mapping[str, str]) -> Interpreter:
    """The interpreter to repair *env* with: *specs*, else its base, else another of its version."""
    from ..create import check_supported
    from ..discovery import discover

    if specs:
        return discover(specs, [], app_data, environ, os.getcwd(), use_version_file=False, check=check_supported)
    base = env.base_executable
    if base and os.path.exists(base):
        return discover([base], [], app_data, environ, os.getcwd(), use_version_file=False, check=check_supported)
    if not env.major_minor:
        raise RoostError(f"{env.pyvenv_cfg} names no Python version and its base {base} is gone")
    spec = f"{env.implementation.lower()}{env.major_minor}"
    try:
        found = discover([spec], [], app_data, environ, os.getcwd(), use_version_file=False, check=check_supported)
    except RoostError:
        raise RoostError(f"its base {base or env.home} is gone and no other {spec} was found") from None
    _log.info(f"the base {base} is gone; using {found.system_executable}, also {found.implementation} {found.major_minor}")
    return found


def repair_in_place(env: Environment, interpreter: Interpreter, *, dry_run: bool = False) -> list[str]:
    """Point *env* at *interpreter* (the same minor version) and fix what moved; keeps every package."""
    from ..create.creator import link_interpreter

    plan = _in_place_plan(env, interpreter)
    if dry_run or not plan:
        return plan
    from ..create.destination import refuse_links_out

    refuse_links_out(env.root)  # bin/ a link to a folder of the user's: its files are not ours to replace
    # New links are made in a folder beside bin/ (a copied interpreter finds its libraries
    # through ../lib from there, as from bin/) and renamed over the old ones one by one, so
    # bin/python is always there, old or new.
    from ..appdata import unique_name

    staging = os.path.join(env.root, unique_name("roost-repair"))
    os.mkdir(staging)
    try:
        made = link_interpreter(interpreter, staging, env.copies)
        for path in made:
            os.replace(path, os.path.join(env.bin_dir, os.path.basename(path)))
    finally:
        import shutil

        shutil.rmtree(staging, ignore_errors=True)
    names = {os.path.basename(path) for path in made}
    for link in env.interpreters:
        if link.name not in names and link.is_link and not os.path.exists(link.path):
            os.unlink(link.path)  # a dangling name the new interpreter does not have (python3.9)
    from ..appdata import atomic_write_bytes

    with open(env.pyvenv_cfg, encoding="utf-8", errors="surrogateescape") as handle:
        text = handle.read()
    atomic_write_bytes(env.pyvenv_cfg, updated_pyvenv_cfg(text, interpreter).encode("utf-8", "surrogateescape"))
    from ..relocate import refresh_activation, relocate

    if env.moved and env.made_at:
        relocate(env.root, env.made_at)
    else:
        refresh_activation(env)
    return plan


def _in_place_plan(env: Environment, interpreter: Interpreter) -> list[str]:
    from .check import copy_differs

    steps = []
    target = os.path.realpath(interpreter.system_executable)
    stale = [link.name for link in env.interpreters if link.dangling or (link.is_link and link.resolved != target)]
    if env.copies:
        stale += [link.name for link in env.interpreters if not link.is_link and link.exists and copy_differs(link.path, target)]
    if stale or not env.interpreters:
        steps.append(f"{'copy' if env.copies else 'link'} {target} as bin/{', bin/'.join(interpreter.executable_names())}")
    with open(env.pyvenv_cfg, encoding="utf-8", errors="surrogateescape") as handle:
        text = handle.read()
    if updated_pyvenv_cfg(text, interpreter) != text:
        steps.append(
            f"rewrite pyvenv.cfg for {interpreter.implementation} {interpreter.version_str} in {os.path.dirname(target)}"
        )
    if env.moved:
        steps.append(f"rewrite the paths that name {env.made_at} (scripts, activation, .pth, RECORD) to {env.root}")
    if steps:
        steps.append("write roost's activation scripts again")
    return steps


def updated_pyvenv_cfg(text: str, interpreter: Interpreter) -> str:
    """*text* of a pyvenv.cfg with every key that describes the base set for *interpreter*.

    Keys the file does not have stay absent (venv writes fewer than virtualenv); ``home``
    is always there.  Other keys (prompt, include-system-site-packages, the tool's own)
    and the order of lines are kept.
    """
    from ..create.creator import one_line

    real = os.path.realpath(interpreter.system_executable)
    major, minor, micro, level, serial = interpreter.version_info
    values = {
        "home": os.path.dirname(real),
        "executable": real,
        "base-executable": real,
        "base-prefix": interpreter.base_prefix,
        "base-exec-prefix": interpreter.base_exec_prefix,
        "version": interpreter.version_str,
        "python-version": f"{major}.{minor}",
    }
    lines = text.splitlines()
    seen = set()
    for index, line in enumerate(lines):
        key, equals, value = line.partition("=")
        name = key.strip().lower()
        if not equals:
            continue
        if name == "version_info":
            # virtualenv and roost write 3.12.1.final.0, uv writes 3.12.1
            full = value.strip().count(".") > 2
            new = f"{major}.{minor}.{micro}.{level}.{serial}" if full else f"{major}.{minor}.{micro}"
        elif name in values:
            new = values[name]
        else:
            continue
        lines[index] = f"{key.rstrip()} = {one_line(new)}"
        seen.add(name)
    if "home" not in seen:
        lines.insert(0, f"home = {one_line(values['home'])}")
    return "\n".join(lines) + "\n"
