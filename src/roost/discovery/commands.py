"""``roost python list`` and ``roost python find``: discovery as commands.

``list`` shows every interpreter roost can find (implementation, version, architecture,
path, where it was found), as a table or ``--json``.  ``find SPEC...`` prints the
interpreter that ``-p SPEC`` would use, or says in one line why there is none; the path
printed is the one environments are built from (for a venv's python, its base interpreter).
"""

from __future__ import annotations

import os
import sys

from .. import _log
from ..cli import parse_subcommand, subcommand_parser
from ..errors import RoostError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    import argparse
    from collections.abc import Mapping, Sequence
    from typing import Any

    from ..appdata import AppData
    from .interpreter import Interpreter


def main(argv: Sequence[str], env: Mapping[str, str]) -> int:
    """Run ``roost python <argv>``; returns the exit code (errors are printed as one line)."""
    options = parse_subcommand(_parser(), argv)
    if isinstance(options, int):
        return options
    try:
        if options.command == "list":
            return _list(options, env)
        return _find(options, env)
    except RoostError as error:
        _log.error(str(error))
        return error.exit_code


def _parser() -> argparse.ArgumentParser:
    parser = subcommand_parser("roost python", "Find the interpreters roost can use.")
    commands = parser.add_subparsers(dest="command", metavar="{list,find}", parser_class=type(parser))
    commands.required = True
    listing = commands.add_parser("list", help="every interpreter found, and where")
    listing.add_argument("--json", action="store_true", help="print JSON instead of a table")
    finding = commands.add_parser("find", help="the interpreter -p SPEC would use")
    finding.add_argument("specs", nargs="*", metavar="SPEC", help="as for -p; several: the first that matches wins")
    finding.add_argument("--try-first-with", action="append", default=[], metavar="PATH", help="try this interpreter first")
    finding.add_argument("--no-python-version-file", action="store_true", help="with no SPEC, ignore .python-version files")
    finding.add_argument("--json", action="store_true", help="print the interpreter's facts as JSON")
    for each in (listing, finding):
        each.add_argument("--app-data", metavar="DIR", help="roost's cache folder (default: the user data dir)")
        each.add_argument("--read-only-app-data", action="store_true", help="read the cache but never write it")
        each.add_argument("-v", "--verbose", action="count", default=0, help="say more (repeat for more)")
        each.add_argument("-q", "--quiet", action="count", default=0, help="say less")
    return parser


def _app_data(options: argparse.Namespace, env: Mapping[str, str]) -> AppData:
    from ..appdata import AppData, default_root

    root = os.path.expanduser(options.app_data) if options.app_data else default_root(env)
    return AppData(root, read_only=options.read_only_app_data)


def summary(interpreter: Interpreter) -> dict[str, Any]:
    """The facts ``python list --json`` shows for one interpreter."""
    return {
        "implementation": interpreter.implementation,
        "version": interpreter.version_str,
        "free_threaded": bool(interpreter.free_threaded),
        "architecture": interpreter.architecture,
        "machine": interpreter.machine,
        "path": interpreter.executable,
        "system_executable": interpreter.system_executable,
        "found_by": interpreter.found_by,
    }


def _list(options: argparse.Namespace, env: Mapping[str, str]) -> int:
    from . import list_interpreters

    found = list_interpreters(_app_data(options, env), env, os.getcwd())
    if options.json:
        import json

        sys.stdout.write(json.dumps([summary(each) for each in found], indent=2) + "\n")
        return 0
    rows = [("IMPLEMENTATION", "VERSION", "ARCH", "PATH", "FOUND BY")]
    for each in found:
        version = each.version_str + ("t" if each.free_threaded else "")
        rows.append((each.implementation, version, f"{each.machine} {each.architecture}-bit", each.executable, each.found_by))
    widths = [max(len(row[column]) for row in rows) for column in range(4)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths)] + [row[4]]
        sys.stdout.write("  ".join(cells).rstrip() + "\n")
    return 0


def _find(options: argparse.Namespace, env: Mapping[str, str]) -> int:
    from . import discover

    interpreter = discover(
        options.specs,
        options.try_first_with,
        _app_data(options, env),
        env,
        os.getcwd(),
        use_version_file=not options.no_python_version_file,
    )
    if options.json:
        import json

        sys.stdout.write(json.dumps(summary(interpreter), indent=2) + "\n")
    else:
        sys.stdout.write(interpreter.system_executable + "\n")
    return 0
