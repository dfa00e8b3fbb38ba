"""The command line: argv + environment + config file -> :class:`Options`.

Defaults come from the environment (``ROOST_*``, ``VIRTUALENV_*``) and the config file, an
ini file compatible with ``virtualenv.ini`` (see :func:`collect_defaults`).
"""

from __future__ import annotations

import os
import sys

from . import __version__
from .errors import UsageError
from .options import COUNT, FLAG, LIST, OPTIONS, OPTIONS_BY_DEST, OPTIONS_BY_SPELLING, Options

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~4 ms)
if TYPE_CHECKING:
    import argparse
    from collections.abc import Mapping, Sequence
    from typing import Any, NoReturn

    from .options import Option

_GROUP_TITLES = {
    "general": "general",
    "discovery": "interpreter discovery",
    "creator": "creator",
    "seeder": "seeder",
    "activators": "activators",
}


def _parser_class() -> type[argparse.ArgumentParser]:
    """argparse's parser, but a usage error becomes one line (UsageError) instead of usage + exit.

    Shared by the main command line and every subcommand (``roost python``, ``check``,
    ``repair``): a subcommand's errors name it (``roost check: ...``).
    """
    import argparse

    class Parser(argparse.ArgumentParser):
        def error(self, message: str) -> NoReturn:
            if self.prog == "roost":
                raise UsageError(message, "see roost --help")
            raise UsageError(f"{self.prog}: {message}", f"see {self.prog} --help")

    return Parser


def subcommand_parser(prog: str, description: str) -> argparse.ArgumentParser:
    """The parser of subcommand *prog* (``roost check``), with -v/-q, its errors one line."""
    parser = _parser_class()(prog=prog, description=description)
    parser.add_argument("-v", "--verbose", action="count", default=0, help="say more (repeat for more)")
    parser.add_argument("-q", "--quiet", action="count", default=0, help="say less")
    return parser


def parse_subcommand(parser: argparse.ArgumentParser, argv: Sequence[str]) -> argparse.Namespace | int:
    """*argv* parsed by *parser* with the console's level set from -v/-q; or, when parsing
    ended the run, its exit code (0 after --help; a usage error's, after its one line)."""
    from . import _log

    try:
        options = parser.parse_args(list(argv))
    except SystemExit as exit_:  # --help, --version
        return int(exit_.code or 0)
    except UsageError as error:
        _log.error(str(error))
        return error.exit_code
    _log.configure(_log.RESULT + options.verbose - options.quiet)
    return options


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
        allow_abbrev=True,  # as virtualenv: --system-site for --system-site-packages
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
    argv = arguments(argv)
    for name in SECONDS_VARIABLES:
        if env.get(name):
            positive_seconds(name, env[name])
    warnings: list[str] = []
    defaults, sources = collect_defaults(env, warnings)
    given = _fast_parse(argv)
    if given is None:
        given = _argparse_parse(argv, defaults, sources, env)
    options = into if into is not None else Options()
    for option in OPTIONS:
        value = given.get(option.dest)
        if value is not None:
            if option.dest == "activators":
                # --activators bash,fish and --activators bash --activators fish mean the same
                # (env vars and the config file are split by convert()): the only split.
                value = [item.strip() for part in value for item in part.split(",") if item.strip()]
            setattr(options, option.dest, value)
            options.sources[option.dest] = "command line"
        elif option.dest in defaults:
            setattr(options, option.dest, defaults[option.dest])
            options.sources[option.dest] = sources[option.dest]
    options.dest = given["dest"]
    options.argv = list(argv)  # recorded in pyvenv.cfg's `command`
    options.warnings = warnings
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
        ("venv_redirect", "no_venv_redirect", "--venv-redirect and --no-venv-redirect"),
    ):
        if getattr(options, first) and getattr(options, second):
            first_rank, second_rank = _rank(options.sources.get(first)), _rank(options.sources.get(second))
            if first_rank == second_rank:
                raise UsageError(f"{flags} contradict each other", "pick one")
            setattr(options, second if first_rank < second_rank else first, False)


# -- defaults from the environment and the config file -------------------------------------

# Defaults from the environment (``ROOST_*``, ``VIRTUALENV_*``) and the config file.
#
# The config file is an ini file, compatible with ``virtualenv.ini``: keys are option names
# with ``_`` for ``-``, any spelling of the flag (``python`` or ``p``, ``copies`` or
# ``always_copy``), in a ``[roost]`` section; a ``[virtualenv]`` section is read too, so an
# existing virtualenv.ini works unchanged (``[roost]`` wins).  It lives at
# ``$XDG_CONFIG_HOME/roost/roost.ini`` (the platform's user config dir elsewhere), or
# virtualenv's ``virtualenv.ini`` there when roost has none; ``ROOST_CONFIG_FILE`` or
# ``VIRTUALENV_CONFIG_FILE`` names another.  Environment variables take the same spellings
# in upper case after ``ROOST_`` or ``VIRTUALENV_``.
#
# Precedence, highest first: command line, ``ROOST_X``, ``VIRTUALENV_X``, config file, built-in.


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}
ENV_PREFIXES = ("ROOST_", "VIRTUALENV_")


def config_file_path(env: Mapping[str, str]) -> str:
    """The config file roost reads (it need not exist).

    ``roost.ini`` in the user config folder; where there is none but virtualenv's
    ``virtualenv/virtualenv.ini`` exists, that one, so switching from virtualenv keeps its
    settings.
    """
    for name in ("ROOST_CONFIG_FILE", "VIRTUALENV_CONFIG_FILE"):
        if env.get(name):
            return env[name]
    if sys.platform.startswith("linux"):
        # Same answer as platformdirs on Linux, without importing it on the warm path.
        base = env.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
        own, virtualenv = os.path.join(base, "roost", "roost.ini"), os.path.join(base, "virtualenv", "virtualenv.ini")
    else:
        import platformdirs

        own = os.path.join(platformdirs.user_config_dir("roost", appauthor=False), "roost.ini")
        virtualenv = os.path.join(platformdirs.user_config_dir("virtualenv", appauthor=False), "virtualenv.ini")
    if not os.path.exists(own) and os.path.isfile(virtualenv):
        return virtualenv
    return own


def convert(option: Option, raw: str, source: str) -> Any:
    """Turn the text of an env var or config value into the option's type."""
    text = raw.strip()
    if option.kind == FLAG:
        lowered = text.lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise UsageError(f"{source}: {raw!r} is not a boolean", "use 1/0, true/false, yes/no or on/off")
    if option.kind == COUNT:
        try:
            return int(text)
        except ValueError:
            raise UsageError(f"{source}: {raw!r} is not a whole number", "use 0, 1, 2, ...") from None
    if option.kind == LIST:
        # virtualenv's convention: one item per line, or comma separated; each item may be a
        # list of paths joined like PATH (/a:/b).
        lines = text.splitlines()
        items = lines if len(lines) > 1 else _split_commas(text, option.dest == "python")
        return [part.strip() for item in items for part in item.split(os.pathsep) if part.strip()]
    if option.choices and text not in option.choices:
        raise UsageError(f"{source}: {text!r} is not one of {', '.join(option.choices)}")
    return text


# Environment variables holding a number of seconds, checked on every run (not only when used).
SECONDS_VARIABLES = ("ROOST_PROBE_TIMEOUT",)
MAX_SECONDS = 86400.0  # a wait longer than a day is a mistake, and 1e300 overflows the clock


def arguments(argv: Sequence[object]) -> list[str]:
    """*argv* as text: paths (``os.PathLike``) are accepted as virtualenv accepts them."""
    if isinstance(argv, (str, bytes)):
        raise UsageError(f"the arguments must be a list, not the string {argv!r}", f"pass [{argv!r}]")
    try:
        items = list(argv)
    except TypeError:
        raise UsageError(f"the arguments must be a list, not {type(argv).__name__}", "pass a list such as ['.venv']") from None
    texts = []
    for arg in items:
        if isinstance(arg, str):
            texts.append(arg)
        elif isinstance(arg, os.PathLike):
            texts.append(os.fsdecode(os.fspath(arg)))
        else:
            raise UsageError(f"argument {arg!r} is a {type(arg).__name__}", "pass text or a path (os.PathLike)")
    return texts


def positive_seconds(name: str, raw: str) -> float:
    """A number of seconds from the environment variable *name*: finite and above zero.

    ``inf`` and ``1e300`` (a subprocess timeout cannot hold them), ``nan``, ``0``, ``-5`` and
    ``abc`` are usage errors, never silently the default.
    """
    try:
        value = float(raw.strip())
    except ValueError:
        value = -1.0
    if not 0 < value <= MAX_SECONDS:  # also false for nan
        raise UsageError(f"{name}={raw!r} is not a number of seconds above zero (at most a day)", "set it like 15 or 2.5")
    return value


def _split_commas(text: str, specs: bool) -> list[str]:
    """Comma separated items; for interpreter *specs*, a part that starts with a comparison
    (``<3.13`` in ``cpython>=3.12,<3.13``) is the previous spec's next clause, not a spec."""
    items: list[str] = []
    for part in text.split(","):
        if specs and items and part.strip()[:1] in ("<", ">", "=", "!", "~"):
            items[-1] += "," + part
        else:
            items.append(part)
    return items


def env_flag(env: Mapping[str, str], dest: str) -> bool:
    """The on/off option *dest* as ROOST_X or VIRTUALENV_X set it; False when unset or not a boolean."""
    option = OPTIONS_BY_DEST[dest]
    for prefix in ENV_PREFIXES:
        for spelling in option.spellings:
            name = prefix + spelling.upper()
            if env.get(name):
                try:
                    return bool(convert(option, env[name], f"env var {name}"))
                except UsageError:
                    return False
    return False


def _read_config_file(path: str) -> dict[str, dict[str, str]]:
    """The ``[roost]`` and ``[virtualenv]`` sections of the config file (keys normalised)."""
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read config file {path}: {exc}", "fix or remove it") from None
    import configparser

    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text, source=path)
    except configparser.Error as exc:
        first_line = str(exc).splitlines()[0]
        raise UsageError(f"config file {path} is not valid ini: {first_line}", "fix or remove it") from None
    return {
        section: {key.lower().replace("-", "_"): value for key, value in parser.items(section)}
        for section in ("roost", "virtualenv")
        if parser.has_section(section)
    }


def collect_defaults(env: Mapping[str, str], warnings: list[str] | None = None) -> tuple[dict[str, Any], dict[str, str]]:
    """Option values from env vars and the config file, and where each came from.

    An empty variable counts as unset, as in virtualenv.  Keys of the config file's
    ``[roost]`` section that name no option are reported in *warnings*; a
    ``[virtualenv]`` section may hold options only virtualenv has, so its are ignored.
    """
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    path = config_file_path(env)
    sections = _read_config_file(path) if os.path.isfile(path) else {}
    prefixed = [name for name in env if name.startswith(ENV_PREFIXES) and env[name]]
    if not sections and not prefixed:
        return values, sources  # the common case: no config file, no ROOST_*/VIRTUALENV_* variable
    unknown = sorted(set(sections.get("roost", ())) - set(OPTIONS_BY_SPELLING))
    if unknown and warnings is not None:
        names = ", ".join(repr(key) for key in unknown)
        warnings.append(f"config file {path}: ignoring {names} (no such option; see roost --help)")
    # Which variable sets each option: looked up from the few variables set, not by trying
    # every spelling with both prefixes for every option (this saves ~0.3 ms a run).
    from_env: dict[str, tuple[int, str]] = {}  # dest -> (rank, variable): the lowest rank wins
    for variable in prefixed:
        prefix_rank = 0 if variable.startswith(ENV_PREFIXES[0]) else 1
        spelling = variable[len(ENV_PREFIXES[prefix_rank]) :].lower()
        found = OPTIONS_BY_SPELLING.get(spelling)
        if found is None:
            continue
        # ROOST_X over VIRTUALENV_X; then the long name over other spellings, in flag order.
        rank = prefix_rank * 100 + found.spellings.index(spelling)
        if found.dest not in from_env or rank < from_env[found.dest][0]:
            from_env[found.dest] = (rank, variable)
    for option in OPTIONS:
        chosen = from_env.get(option.dest)
        if chosen is not None:
            name = chosen[1]
            source = f"env var {name}"
            values[option.dest] = convert(option, env[name], source)
            sources[option.dest] = source
            continue
        for section in sections.values():  # [roost] first: it wins
            key = next((spelling for spelling in option.spellings if spelling in section), None)
            if key is not None:
                source = f"config file {path}"
                values[option.dest] = convert(option, section[key], source)
                sources[option.dest] = source
                break
    return values, sources
