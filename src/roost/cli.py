"""The command line: argv + environment + config file -> :class:`Options`."""

from __future__ import annotations

from . import __version__
from .config import collect_defaults, config_file_path
from .options import COUNT, FLAG, LIST, OPTIONS, Options

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~4 ms)
if TYPE_CHECKING:
    import argparse
    from collections.abc import Mapping, Sequence
    from typing import Any, NoReturn

_GROUP_TITLES = {
    "general": "general",
    "discovery": "interpreter discovery",
    "creator": "creator",
    "seeder": "seeder",
    "activators": "activators",
}


def _parser_class() -> type:
    import argparse

    from .errors import UsageError

    class Parser(argparse.ArgumentParser):
        """argparse, but a usage error becomes one line (UsageError) instead of usage + exit."""

        def error(self, message: str) -> NoReturn:
            raise UsageError(message, "see roost --help")

    return Parser


def _help_text(option_help: str, value: Any, source: str | None) -> str:
    if source is None:
        return option_help
    shown = ",".join(value) if isinstance(value, list) else value
    # argparse %-formats help strings: escape the user's text.
    return f"{option_help} [default {shown!s} from {source}]".replace("%", "%%")


def build_parser(defaults: Mapping[str, Any], sources: Mapping[str, str], env: Mapping[str, str]) -> argparse.ArgumentParser:
    """The argparse parser; help text says where each non-built-in default came from."""
    parser: argparse.ArgumentParser = _parser_class()(
        prog="roost",
        description="Create an isolated Python environment in DEST.",
        epilog=(
            f"config file: {config_file_path(env)}; every option can also be set as ROOST_<NAME> (or VIRTUALENV_<NAME>)."
            " Interpreters: `roost python list [--json]` shows what roost finds, `roost python find SPEC` which -p SPEC picks."
        ),
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


_FLAG_TABLE = {flag: option for option in OPTIONS for flag in option.flags}


def _fast_parse(argv: Sequence[str]) -> dict[str, Any] | None:
    """Parse the common command lines without argparse (which costs ~10 ms to import and
    compile its patterns).  Returns None for anything unusual — help, version, errors,
    values that look like flags — which argparse then handles with its exact semantics."""
    given: dict[str, Any] = {}
    tokens = list(argv)
    index = 0
    while index < len(tokens):
        token = tokens[index]
        index += 1
        if token == "--" or not token.startswith("-") or token == "-":
            if token == "--":
                rest = tokens[index:]
                index = len(tokens)
            else:
                rest = [token]
            for positional in rest:
                if "dest" in given:
                    return None
                given["dest"] = positional
            continue
        name, has_value, inline = token.partition("=")
        if not name.startswith("--") and len(name) > 2:
            if set(name[1:]) <= {"v"} or set(name[1:]) <= {"q"}:  # -vv, -qq
                counter = _FLAG_TABLE[name[:2]]
                given[counter.dest] = given.get(counter.dest, 0) + len(name) - 1
                continue
            name, has_value, inline = name[:2], "=", token[2:]
        option = _FLAG_TABLE.get(name)
        if option is None:
            return None
        if option.kind in (FLAG, COUNT):
            if has_value:
                return None
            given[option.dest] = given.get(option.dest, 0) + 1 if option.kind == COUNT else True
            continue
        if has_value:
            value = inline
        elif index < len(tokens):
            value = tokens[index]
            index += 1
        else:
            return None
        if value.startswith("-") or (option.choices and value not in option.choices):
            return None
        if option.kind == LIST:
            given.setdefault(option.dest, []).append(value)
        else:
            given[option.dest] = value
    return given if "dest" in given else None


def _argparse_parse(
    argv: Sequence[str], defaults: Mapping[str, Any], sources: Mapping[str, str], env: Mapping[str, str]
) -> dict[str, Any]:
    namespace = build_parser(defaults, sources, env).parse_args(list(argv))
    return {key: value for key, value in vars(namespace).items() if value is not None}


def parse(argv: Sequence[str], env: Mapping[str, str], into: Options | None = None) -> Options:
    """Resolve every option: command line > ROOST_X > VIRTUALENV_X > config file > built-in."""
    defaults, sources = collect_defaults(env)
    given = _fast_parse(argv)
    if given is None:
        given = _argparse_parse(argv, defaults, sources, env)
    options = into if into is not None else Options()
    for option in OPTIONS:
        value = given.get(option.dest)
        if value is not None:
            if option.dest == "activators":
                # --activators bash,fish and --activators bash --activators fish mean the same.
                value = [item for part in value for item in part.split(",") if item]
            setattr(options, option.dest, value)
            options.sources[option.dest] = "command line"
        elif option.dest in defaults:
            setattr(options, option.dest, defaults[option.dest])
            options.sources[option.dest] = sources[option.dest]
    options.dest = given["dest"]
    options.argv = list(argv)  # recorded in pyvenv.cfg's `command`
    _check_combinations(options)
    return options


_RANK = ("command line", "env var ROOST_", "env var VIRTUALENV_", "config file")


def _rank(source: str | None) -> int:
    return next((index for index, prefix in enumerate(_RANK) if source and source.startswith(prefix)), len(_RANK))


def _check_combinations(options: Options) -> None:
    """Opposite flags: the one from the stronger source wins; from the same source, an error."""
    for first, second, flags in (
        ("copies", "symlinks", "--copies and --symlinks"),
        ("download", "no_download", "--download and --no-download"),
    ):
        if getattr(options, first) and getattr(options, second):
            first_rank, second_rank = _rank(options.sources.get(first)), _rank(options.sources.get(second))
            if first_rank == second_rank:
                from .errors import UsageError

                raise UsageError(f"{flags} contradict each other", "pick one")
            setattr(options, second if first_rank < second_rank else first, False)
