"""Activators for PowerShell and cmd.exe.

Neither interpreter runs here, so their output is checked against golden
files; the quoting rules below are the documented ones of each shell.
"""

from __future__ import annotations

from ._base import ActivationContext, Activator, UnsafeValue, common_values

# PowerShell reads these four as single quotes inside a single-quoted string.
_PS_QUOTES = "'\u2018\u2019\u201a\u201b"


class PowerShellActivator(Activator):
    """``activate.ps1``: UTF-8 with a byte order mark, which Windows PowerShell 5.1 needs."""

    name = "powershell"
    templates = (("activate.ps1", "activate.ps1"),)
    bom = True

    def quote(self, value: str) -> str:
        """A single-quoted string with every kind of single quote doubled."""
        return "'" + "".join(c * 2 if c in _PS_QUOTES else c for c in value) + "'"


class BatchActivator(Activator):
    """``activate.bat``, ``deactivate.bat`` and ``pydoc.bat``, with CRLF line ends."""

    name = "batch"
    templates = (
        ("activate.bat", "activate.bat"),
        ("deactivate.bat", "deactivate.bat"),
        ("pydoc.bat", "pydoc.bat"),
    )
    newline = "\r\n"

    def quote(self, value: str) -> str:
        """Text for inside ``set "NAME=..."``, where ``&|<>()^`` are plain characters.

        ``%`` is doubled: cmd expands ``%...%`` before it parses a line.  A ``"``
        would end the quoting and hand the rest of the line to the parser, and
        a line break cannot be held at all: such a value leaves the scripts out.
        """
        for bad, what in (('"', "a double quote"), ("\n", "a line break"), ("\r", "a line break")):
            if bad in value:
                raise UnsafeValue(f"contains {what}, which cmd cannot hold safely")
        return value.replace("%", "%%")

    def values(self, ctx: ActivationContext) -> dict[str, str]:
        """The prompt in four forms: as data and as PROMPT text, each also for delayed expansion.

        The environment's path is not among them: ``%~dp0`` always knows it.
        """
        common = common_values(ctx)
        shown = ctx.prompt.replace("$", "$$")  # $ starts a code in PROMPT
        return {
            "BIN_NAME": common["BIN_NAME"],
            "UP": common["UP"],
            "PROMPT": ctx.prompt,
            "PROMPT_DE": _for_delayed_expansion(ctx.prompt),
            "PROMPT_SHOWN": shown,
            "PROMPT_SHOWN_DE": _for_delayed_expansion(shown),
        }


def _for_delayed_expansion(value: str) -> str:
    """The form a ``cmd /V:ON`` session needs.

    With delayed expansion on, a token that holds a ``!`` is scanned once more
    after parsing: ``!NAME!`` expands and ``^`` escapes the next character.
    Escaping both keeps the text as it is; a token without ``!`` is left alone,
    so then nothing may change.
    """
    if "!" not in value:
        return value
    return value.replace("^", "^^").replace("!", "^!")
