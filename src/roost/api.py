"""The Python API, as virtualenv's: ``cli_run`` creates, ``session_via_cli`` describes."""

from __future__ import annotations

import os

from . import _log

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~4 ms)
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from .options import Options
    from .session import Session


def session_via_cli(
    args: Sequence[str],
    options: Options | None = None,
    setup_logging: bool = True,
    env: Mapping[str, str] | None = None,
) -> Session:
    """Parse *args* (as the command line would) and resolve a Session without creating anything.

    *options*, when given, is filled with the parsed values.  *env* replaces ``os.environ``
    for ROOST_*/VIRTUALENV_* defaults and discovery.  With *setup_logging* false, roost's
    messages go to the ``roost`` logger instead of the console.  Safe to call from many
    threads at once: no process-wide state is changed.
    """
    from .cli import parse
    from .session import build_session

    environment = dict(os.environ) if env is None else dict(env)
    parsed = parse(args, environment, into=options)
    _log.set_thread_level(parsed.verbosity, use_logging=not setup_logging)
    return build_session(parsed, environment, os.getcwd())


def cli_run(
    args: Sequence[str],
    options: Options | None = None,
    setup_logging: bool = True,
    env: Mapping[str, str] | None = None,
) -> Session:
    """Create the environment *args* describe and return its Session."""
    session = session_via_cli(args, options, setup_logging, env)
    session.run()
    return session
