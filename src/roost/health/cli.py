"""``roost check [PATH ...]`` and ``roost repair PATH``: the command lines of :mod:`roost.health`.

``check`` prints one line per problem, each naming the command that repairs it, and exits
0 when every environment is healthy, 1 when one is not (2 when a PATH is not an
environment).  ``--json`` prints the same for tools.  ``repair`` prints what it did (or,
with ``--dry-run``, what it would do).
"""

from __future__ import annotations

import os
import sys

from .. import _log
from ..cli import parse_subcommand, subcommand_parser
from ..errors import RoostError, UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from collections.abc import Mapping, Sequence

__all__ = ["check_main", "repair_main"]


def check_main(argv: Sequence[str], env: Mapping[str, str]) -> int:
    """Run ``roost check <argv>``; returns the exit code."""
    from .check import diagnose

    options = parse_subcommand(_check_parser(), argv)
    if isinstance(options, int):
        return options
    paths = options.paths or [_default_environment(env)]
    report = []
    code = 0
    for path in paths:
        try:
            problems = diagnose(path, run_python=not options.no_run)
        except RoostError as error:
            _log.error(str(error))
            code = 2
            report.append({"path": os.path.abspath(path), "healthy": False, "error": str(error), "problems": []})
            continue
        code = max(code, 1 if problems else 0)
        report.append({"path": os.path.abspath(path), "healthy": not problems, "problems": [each.to_dict() for each in problems]})
        if options.json:
            continue
        for problem in problems:
            sys.stdout.write(f"{_log.shown(path)}: {_log.shown(problem.message)} (fix: {_log.shown(problem.fix)})\n")
        if not problems:
            _log.result(f"{_log.shown(path)}: healthy")
    if options.json:
        import json

        sys.stdout.write(json.dumps(report, indent=2) + "\n")
    return code


def repair_main(argv: Sequence[str], env: Mapping[str, str]) -> int:
    """Run ``roost repair <argv>``; returns the exit code."""
    from ..appdata import AppData, default_root
    from .repair import repair

    options = parse_subcommand(_repair_parser(), argv)
    if isinstance(options, int):
        return options
    if options.python and not options.recreate:
        _log.info("-p without --recreate: the environment is pointed at that interpreter if it is the same minor version")
    root = os.path.expanduser(options.app_data) if options.app_data else default_root(env)
    # A RoostError from the repair itself is reported by roost's entry point, as for `roost DEST`.
    steps = repair(
        options.path, python=options.python, recreate=options.recreate, dry_run=options.dry_run, app_data=AppData(root), env=env
    )
    if not steps:
        _log.result(f"{options.path}: nothing to repair")
        return 0
    verb = "would" if options.dry_run else "did"
    _log.result(f"{options.path}: {verb}:")
    for step in steps:
        _log.result(f"  {step}")
    return 0


def _default_environment(env: Mapping[str, str]) -> str:
    """With no PATH: the active environment, else ``.venv`` here."""
    active = env.get("VIRTUAL_ENV")
    if active:
        return active
    if os.path.isfile(os.path.join(".venv", "pyvenv.cfg")):
        return ".venv"
    raise UsageError("roost check: no PATH given, no environment active and no .venv here", "give the environment's folder")


def _check_parser() -> argparse.ArgumentParser:
    parser = subcommand_parser(
        "roost check",
        "Diagnose environments without changing them: one line per problem, naming the command that repairs it."
        " Exit status 0: healthy; 1: a problem was found; 2: a PATH is not an environment.",
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="environments to check (default: the active one, or .venv)")
    parser.add_argument("--json", action="store_true", help="print the diagnoses as JSON")
    parser.add_argument(
        "--no-run", action="store_true", help="only check files: start no interpreter (fast, for many environments)"
    )
    return parser


def _repair_parser() -> argparse.ArgumentParser:
    parser = subcommand_parser(
        "roost repair",
        "Make a broken, upgraded or moved environment work again. In place when its Python minor version"
        " is unchanged; with --recreate, rebuilt beside the old one with its packages and swapped in atomically.",
    )
    parser.add_argument("path", metavar="PATH", help="the environment")
    parser.add_argument(
        "--recreate",
        action="store_true",
        help="rebuild it (for a new minor version or a removed base), reinstalling its packages; the old one is kept on failure",
    )
    parser.add_argument(
        "-p", "--python", action="append", default=[], metavar="SPEC", help="the interpreter to use (as roost -p)"
    )
    parser.add_argument("--dry-run", action="store_true", help="show what would be done; change nothing")
    parser.add_argument("--app-data", metavar="DIR", help="roost's cache folder (default: the user data dir)")
    return parser
