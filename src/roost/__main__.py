"""``roost`` and ``python -m roost``: run, turn failures into one line and an exit code."""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~4 ms)
if TYPE_CHECKING:
    from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns (and exits with) the exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    with_traceback = "--with-traceback" in args or os.environ.get("ROOST_WITH_TRACEBACK", "").lower() in (
        "1",
        "true",
        "yes",
        "on",
    )
    from . import _log
    from .errors import RoostError

    try:
        if len(args) >= 2 and args[0] == "python" and args[1] in ("list", "find"):
            from .discovery.commands import main as python_command

            return python_command(args[1:], dict(os.environ))
        from .api import cli_run

        cli_run(args)
    except RoostError as exc:
        if with_traceback:
            raise
        _log.error(str(exc))
        return exc.exit_code
    except KeyboardInterrupt:
        if with_traceback:
            raise
        _log.error("interrupted")
        return 130
    except OSError as exc:
        # Anything the filesystem refused that no check foresaw: still one line.
        if with_traceback:
            raise
        where = f" {exc.filename}" if exc.filename else ""
        _log.error(f"{exc.strerror or exc}:{where}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
