"""Errors that reach the user as one clear line (what is wrong, what to do)."""

from __future__ import annotations


class RoostError(RuntimeError):
    """A failure the user can act on: shown as one line, exit code 1, no traceback.

    ``hint`` says what to do about it; it is printed after the message on the same line.
    A RuntimeError, as virtualenv's failures are: API callers (tox skipping a missing
    interpreter) catch that.
    """

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}: {self.hint}" if self.hint else self.message


class UsageError(RoostError):
    """The command line, an environment variable or the config file is wrong: exit code 2."""

    exit_code = 2
