"""The command line: argv + environment + config file -> :class:`Options`."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from ._version import __version__
from .config import collect_defaults, config_file_path
from .errors import UsageError
from .options import COUNT, FLAG, LIST, OPTIONS, Options

if TYPE_CHECKING:
    from typing import Any, Mapping, NoReturn, Sequence

_GROUP_TITLES = {
    "general": "general",
    "discovery": "interpreter discovery",
    "creator": "creator",
    "seeder": "seeder",
    "activators": "activators",
}


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error becomes one line (UsageError) instead of usage + exit."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message, "see roost --help")


def _help_text(option_help: str, value: Any, source: str | None) -> str:
    if source is None:
        return option_help
    shown = ",".join(value) if isinstance(value, list) else value
    # argparse %-formats help strings: escape the user's text.
    return f"{option_help} [default {shown!s} from {source}]".replace("%", "%%")


def build_parser(defaults: Mapping[str, Any], sources: Mapping[str, str], env: Mapping[str, str]) -> _Parser:
    """The argparse parser; help text says where each non-built-in default came from."""
    parser = _Parser(
        prog="roost",
        description="Create an isolated Python environment in DEST.",
        epilog=f"config file: {config_file_path(env)}; every option can also be set as ROOST_<NAME> (or VIRTUALENV_<NAME>).",
        allow_abbrev=False,
    )
    parser.add_argument("--version", action="version", version=f"roost {__version__}")
    groups = {key: parser.add_argument_group(title) for key, title in _GROUP_TITLES.items()}
    for option in OPTIONS:
        group = groups[option.group]
        help_text = _help_text(option.help, defaults.get(option.dest), sources.get(option.dest))
        # Every default is None here; the merge below applies env/file/built-in values, so a
        # repeated list option replaces (not extends) a default from the environment.
        if option.kind == FLAG:
            group.add_argument(*option.flags, dest=option.dest, action="store_const", const=True, default=None, help=help_text)
        elif option.kind == COUNT:
            group.add_argument(*option.flags, dest=option.dest, action="count", default=None, help=help_text)
        elif option.kind == LIST:
            group.add_argument(
                *option.flags, dest=option.dest, action="append", default=None, metavar=option.metavar, help=help_text
            )
        else:
            group.add_argument(
                *option.flags,
                dest=option.dest,
                default=None,
                choices=option.choices,
                metavar=option.metavar,
                help=help_text,
            )
    parser.add_argument("dest", metavar="DEST", help="the folder to create the environment in")
    return parser


def parse(argv: Sequence[str], env: Mapping[str, str], into: Options | None = None) -> Options:
    """Resolve every option: command line > ROOST_X > VIRTUALENV_X > config file > built-in."""
    defaults, sources = collect_defaults(env)
    parser = build_parser(defaults, sources, env)
    namespace = parser.parse_args(list(argv))
    options = into if into is not None else Options()
    for option in OPTIONS:
        given = getattr(namespace, option.dest)
        if given is not None:
            if option.kind == LIST:
                # --activators bash,fish and --activators bash --activators fish mean the same.
                given = [item for value in given for item in value.split(",") if item] if option.dest == "activators" else given
            setattr(options, option.dest, given)
            options.sources[option.dest] = "command line"
        elif option.dest in defaults:
            setattr(options, option.dest, defaults[option.dest])
            options.sources[option.dest] = sources[option.dest]
    options.dest = namespace.dest
    options.argv = list(argv)  # recorded in pyvenv.cfg's `command`
    _check_combinations(options)
    return options


_RANK = ("command line", "env var ROOST_", "env var VIRTUALENV_", "config file")


def _rank(source: str | None) -> int:
    return next((index for index, prefix in enumerate(_RANK) if source and source.startswith(prefix)), len(_RANK))


def _check_combinations(options: Options) -> None:
    """Opposite flags: the one from the stronger source wins; from the same source, an error."""
    for first, second, flags in (("copies", "symlinks", "--copies and --symlinks"), ("download", "no_download", "--download and --no-download")):
        if getattr(options, first) and getattr(options, second):
            first_rank, second_rank = _rank(options.sources.get(first)), _rank(options.sources.get(second))
            if first_rank == second_rank:
                raise UsageError(f"{flags} contradict each other", "pick one")
            setattr(options, second if first_rank < second_rank else first, False)
