"""Console messages, without importing :mod:`logging` on the warm path (~8 ms).

roost speaks through four calls: :func:`warning`, :func:`info`, :func:`debug` and
:func:`result`.  The command line sets the verbosity once; API callers that pass
``setup_logging=False`` get every message routed to the ``roost`` logger of the standard
:mod:`logging` module instead, so their own logging configuration decides.
"""

from __future__ import annotations

# _thread, not threading: the same primitives without threading's ~1 ms import.
import _thread
import sys

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~4 ms)
if TYPE_CHECKING:
    from typing import TextIO

# Verbosity levels, as in virtualenv: -q lowers, -v raises; 2 is the default.
QUIET, WARNING, RESULT, INFO, DEBUG = 0, 1, 2, 3, 4

_state = _thread._local()
_default_level = RESULT
_use_logging = False
_write_lock = _thread.allocate_lock()


def configure(level: int, use_logging: bool = False) -> None:
    """Set the process-wide verbosity (called by the command line and :func:`roost.cli_run`)."""
    global _default_level, _use_logging
    _default_level = level
    _use_logging = use_logging


def set_thread_level(level: int | None, use_logging: bool | None = None) -> None:
    """Give the calling thread its own verbosity, and choose console or :mod:`logging` for it.

    Threads are independent, so eight API calls at once don't fight over settings.
    """
    _state.level = level
    _state.use_logging = use_logging


def _routed_to_logging() -> bool:
    own = getattr(_state, "use_logging", None)
    return _use_logging if own is None else own


def level() -> int:
    own = getattr(_state, "level", None)
    return _default_level if own is None else own


def shown(text: str) -> str:
    """*text* safe for a terminal: control characters (an ESC sequence that retitles the
    window or moves the cursor, a BEL, a line break) and unprintable ones become escapes."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape", "backslashreplace").decode("ascii") for c in text)


def _write(stream: TextIO | None, line: str) -> None:
    # None: the descriptor was closed before start (`roost x >&-`); a write that fails (a
    # closed pipe) loses the message, never the run that made the environment.
    if stream is None:
        return
    with _write_lock:
        try:
            stream.write(line)
        except (OSError, ValueError):
            pass


def _emit(needed: int, message: str, logging_level: int, console_prefix: str = "") -> None:
    message = shown(message)
    if _routed_to_logging():
        import logging

        logging.getLogger("roost").log(logging_level, message)
        return
    if level() >= needed:
        _write(sys.stdout if needed == RESULT else sys.stderr, f"{console_prefix}{message}\n")


def warning(message: str) -> None:
    """Something the user should know that did not stop the work."""
    _emit(WARNING, message, 30, console_prefix="roost: warning: ")


def result(message: str) -> None:
    """The one success line (stdout)."""
    _emit(RESULT, message, 20)


def info(message: str) -> None:
    """Detail shown with -v."""
    _emit(INFO, message, 20)


def debug(message: str) -> None:
    """Detail shown with -vv."""
    _emit(DEBUG, message, 10)


def error(message: str) -> None:
    """A failure line (always shown unless -q -q)."""
    message = shown(message)
    if _routed_to_logging():
        import logging

        logging.getLogger("roost").error(message)
    elif level() > QUIET:
        _write(sys.stderr, f"roost: error: {message}\n")
