"""``roost`` and ``python -m roost``: run, turn failures into one line and an exit code."""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~4 ms)
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import NoReturn


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns (and exits with) the exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if len(args) >= 2 and args[0] == "python" and args[1] in ("list", "find"):
            from .discovery.commands import main as python_command

            return python_command(args[1:], dict(os.environ))
        from .session import cli_run

        cli_run(args)
    except KeyboardInterrupt:
        if _wants_traceback(args):
            raise
        from . import _log

        _log.error("interrupted")
        return 130
    except Exception as exc:
        # Sorted here rather than by `except RoostError`: a run that succeeds never loads
        # roost.errors.  Anything else is a bug and keeps its traceback.
        from . import _log
        from .errors import RoostError

        if not isinstance(exc, (RoostError, OSError)) or _wants_traceback(args):
            raise
        if isinstance(exc, RoostError):
            _log.error(str(exc))
            return exc.exit_code
        # Anything the filesystem refused that no check foresaw: still one line.
        where = f" {exc.filename}" if exc.filename else ""
        hint = ": check its owner and permissions" if isinstance(exc, PermissionError) else ""
        _log.error(f"{exc.strerror or exc}:{where}{hint}")
        return 1
    return 0


def run() -> NoReturn:
    """The console script (and ``python -m roost``): :func:`main`, then a quick exit.

    The cycle collector is off for the run: a warm creation makes no cyclic garbage worth
    collecting, yet the collections its imports and manifests trigger took 1.2-1.6 ms of a
    ~35 ms run.  The process is short-lived, so nothing piles up; the API (``cli_run`` in a
    caller's process) leaves the caller's collector alone.
    """
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
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:  # None when the descriptor was closed at startup (or pythonw)
                stream.flush()
    except (OSError, ValueError):  # a closed or broken stream: let the normal exit report it
        sys.exit(code)
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
