"""``roost`` and ``python -m roost``: run, turn failures into one line and an exit code."""

from __future__ import annotations

import os
import sys

from .errors import RoostError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~4 ms)
if TYPE_CHECKING:
    import signal as _signal
else:
    import _signal  # not signal: that one imports enum (~2 ms); the handlers are the same
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import NoReturn


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns (and exits with) the exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        command = _subcommand(args)
        if command is not None:
            import importlib

            module_name, function_name = command
            handler = getattr(importlib.import_module(module_name), function_name)
            return int(handler(args[1:], dict(os.environ)))
        from .session import cli_run

        cli_run(args)
    except KeyboardInterrupt as exc:
        if _wants_traceback(args):
            raise
        from . import _log

        signum = getattr(exc, "signum", _signal.SIGINT)
        _log.error("interrupted" if signum == _signal.SIGINT else f"stopped by signal {signum}")
        return 128 + signum
    except RoostError as exc:
        if _wants_traceback(args):
            raise
        from . import _log

        _log.error(str(exc))
        return exc.exit_code
    except OSError as exc:
        if _wants_traceback(args):
            raise
        from . import _log

        # Anything the filesystem refused that no check foresaw: still one line.  Any other
        # exception is a bug and keeps its traceback.
        where = f" {exc.filename}" if exc.filename else ""
        hint = ": check its owner and permissions" if isinstance(exc, PermissionError) else ""
        _log.error(f"{exc.strerror or exc}:{where}{hint}")
        return 1
    return 0


# Subcommands, by their first word: (module, function), called as ``function(rest_of_args, env)``
# and returning the exit code.
# The first word only names a subcommand when it is one of these (``python`` only before
# ``list``/``find``); any other first word is DEST, as in virtualenv, and a folder that
# shares a subcommand's name is still reachable as ``./check``.
_SUBCOMMANDS = {
    "python": ("roost.discovery.commands", "main"),
    "check": ("roost.health.cli", "check_main"),
    "repair": ("roost.health.cli", "repair_main"),
    "home": ("roost.home.cli", "home_main"),
    "shell-init": ("roost.home.cli", "shell_init_main"),
}


def _subcommand(args: Sequence[str]) -> tuple[str, str] | None:
    """The module that handles *args*, or None for a plain ``roost [options] DEST``."""
    if not args or args[0] not in _SUBCOMMANDS:
        return None
    if args[0] == "python" and (len(args) < 2 or args[1] not in ("list", "find")):
        return None
    return _SUBCOMMANDS[args[0]]


class Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP arrived: unwound like Ctrl-C, so a failed run's clean-up runs."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _stop(signum: int, frame: object) -> None:
    # Once: a second signal must not cut the clean-up of the first short.
    for other in _STOP_SIGNALS:
        _signal.signal(other, _signal.SIG_IGN)
    raise Stopped(signum)


_STOP_SIGNALS = [number for number in (getattr(_signal, "SIGTERM", None), getattr(_signal, "SIGHUP", None)) if number]


def run() -> NoReturn:
    """The console script (and ``python -m roost``): :func:`main`, then a quick exit.

    SIGTERM and SIGHUP stop a run as Ctrl-C does: what it made is taken back, the lock on
    DEST let go, a compiling subprocess killed; one line, exit status 128 + the signal.

    The cycle collector is off for the run: a warm creation makes no cyclic garbage worth
    collecting, yet the collections its imports and manifests trigger took 1.2-1.6 ms of a
    ~35 ms run.  The process is short-lived, so nothing piles up; the API (``cli_run`` in a
    caller's process) leaves the caller's collector alone.
    """
    for number in _STOP_SIGNALS:
        if _signal.getsignal(number) == _signal.SIG_DFL:  # an inherited "ignore" (nohup) stays
            _signal.signal(number, _stop)
    import gc

    gc.disable()
    _exit(main())


def _exit(code: int) -> NoReturn:
    """Exit with *code* without tearing the interpreter down, when nothing needs it.

    Teardown frees every module and object one by one (thousands, with the image
    manifests' file names) and took ~3 ms here, more than writing pyvenv.cfg.  roost needs
    none of it: its files are closed and its threads joined by now.  So once stdout and
    stderr are flushed, ``os._exit`` ends the process, unless someone registered an exit
    handler (logging, coverage, a caller's ``atexit``), which then gets the normal exit.
    """
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:  # None when the descriptor was closed at startup (or pythonw)
            try:
                stream.flush()
            except (OSError, ValueError):  # a closed pipe: the message is lost, the result stands
                pass
    import atexit

    pending = getattr(atexit, "_ncallbacks", None)  # CPython's count of registered handlers
    if pending is None or pending():
        sys.exit(code)
    os._exit(code)


def _wants_traceback(args: Sequence[str]) -> bool:
    """--with-traceback on the command line, or from ROOST_/VIRTUALENV_WITH_TRACEBACK.

    Asked only once something failed, so success pays nothing; read straight from argv and
    the environment because a failure may come before (or from) parsing the options.
    """
    if "--with-traceback" in args:
        return True
    from .cli import env_flag

    return env_flag(os.environ, "with_traceback")


if __name__ == "__main__":
    run()
