"""Defaults from the environment (``ROOST_*``, ``VIRTUALENV_*``) and the config file.

The config file is an ini file, compatible with ``virtualenv.ini``: keys are long option
names with ``_`` for ``-`` (``python``, ``no_vcs_ignore``), in a ``[roost]`` section (a
``[virtualenv]`` section is read too, so an existing virtualenv.ini can be pointed at;
``[roost]`` wins).  It lives at ``$XDG_CONFIG_HOME/roost/roost.ini`` (the platform's user
config dir elsewhere); ``ROOST_CONFIG_FILE`` or ``VIRTUALENV_CONFIG_FILE`` names another.

Precedence, highest first: command line, ``ROOST_X``, ``VIRTUALENV_X``, config file, built-in.
"""

from __future__ import annotations

import os
import sys

from .options import COUNT, FLAG, LIST, OPTIONS, OPTIONS_BY_DEST

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~4 ms)
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    from .errors import UsageError
    from .options import Option

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}
ENV_PREFIXES = ("ROOST_", "VIRTUALENV_")


def config_file_path(env: Mapping[str, str]) -> str:
    """The config file roost reads (it need not exist)."""
    for name in ("ROOST_CONFIG_FILE", "VIRTUALENV_CONFIG_FILE"):
        if env.get(name):
            return env[name]
    if sys.platform.startswith("linux"):
        # Same answer as platformdirs on Linux, without importing it on the warm path.
        base = env.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
        return os.path.join(base, "roost", "roost.ini")
    import platformdirs

    return os.path.join(platformdirs.user_config_dir("roost", appauthor=False), "roost.ini")


def _usage_error(message: str, hint: str | None = None) -> UsageError:
    # The errors module loads only when there is an error to raise: `raise _usage_error(...)`.
    from .errors import UsageError

    return UsageError(message, hint)


def convert(option: Option, raw: str, source: str) -> Any:
    """Turn the text of an env var or config value into the option's type."""
    text = raw.strip()
    if option.kind == FLAG:
        lowered = text.lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise _usage_error(f"{source}: {raw!r} is not a boolean", "use 1/0, true/false, yes/no or on/off")
    if option.kind == COUNT:
        try:
            return int(text)
        except ValueError:
            raise _usage_error(f"{source}: {raw!r} is not a whole number", "use 0, 1, 2, ...") from None
    if option.kind == LIST:
        # virtualenv's convention: one item per line, or comma separated.
        return [item.strip() for line in text.splitlines() for item in line.split(",") if item.strip()]
    if option.choices and text not in option.choices:
        raise _usage_error(f"{source}: {text!r} is not one of {', '.join(option.choices)}")
    return text


def env_flag(env: Mapping[str, str], dest: str) -> bool:
    """The on/off option *dest* as ROOST_X or VIRTUALENV_X set it; False when unset or not a boolean."""
    from .errors import UsageError  # asked only once something failed

    option = OPTIONS_BY_DEST[dest]
    for prefix in ENV_PREFIXES:
        name = prefix + option.env_suffix
        if name in env:
            try:
                return bool(convert(option, env[name], f"env var {name}"))
            except UsageError:
                return False
    return False


def _read_config_file(path: str) -> dict[str, str]:
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise _usage_error(f"cannot read config file {path}: {exc}", "fix or remove it") from None
    import configparser

    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text, source=path)
    except configparser.Error as exc:
        first_line = str(exc).splitlines()[0]
        raise _usage_error(f"config file {path} is not valid ini: {first_line}", "fix or remove it") from None
    merged: dict[str, str] = {}
    for section in ("virtualenv", "roost"):  # later wins
        if parser.has_section(section):
            merged.update({key.lower().replace("-", "_"): value for key, value in parser.items(section)})
    return merged


def collect_defaults(env: Mapping[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """Option values from env vars and the config file, and where each came from."""
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    path = config_file_path(env)
    from_file = _read_config_file(path) if os.path.isfile(path) else {}
    if not from_file and not any(key.startswith(ENV_PREFIXES) for key in env):
        return values, sources  # the common case: no config file, no ROOST_*/VIRTUALENV_* variable
    known_keys = {option.ini_key for option in OPTIONS}
    unknown = sorted(set(from_file) - known_keys)
    if unknown:
        raise _usage_error(f"config file {path} has unknown key {unknown[0]!r}", "see roost --help for option names")
    for option in OPTIONS:
        for prefix in ENV_PREFIXES:
            name = prefix + option.env_suffix
            if name in env:
                source = f"env var {name}"
                values[option.dest] = convert(option, env[name], source)
                sources[option.dest] = source
                break
        else:
            if option.ini_key in from_file:
                source = f"config file {path}"
                values[option.dest] = convert(option, from_file[option.ini_key], source)
                sources[option.dest] = source
    return values, sources
