"""Activators for the POSIX family, csh, fish, nushell and xonsh: each with its own quoting."""

from __future__ import annotations

from ._base import ActivationContext, Activator, UnsafeValue, common_values


class BashActivator(Activator):
    """``activate`` for sh, bash, zsh, ksh, dash and mksh."""

    name = "bash"
    templates = (("activate.sh", "activate"),)

    def quote(self, value: str) -> str:
        """A single-quoted word: nothing is special inside but ``'`` itself.

        ``'`` becomes ``'\\''``: close the quotes, an escaped quote, reopen.  Every
        shell of the family reads that alike (``''`` would not: zsh's RC_QUOTES).
        """
        return "'" + value.replace("'", "'\\''") + "'"


class FishActivator(Activator):
    """``activate.fish``."""

    name = "fish"
    templates = (("activate.fish", "activate.fish"),)

    def quote(self, value: str) -> str:
        r"""A single-quoted fish string, where ``\'`` and ``\\`` are escapes.

        POSIX quoting is wrong here: fish would read the ``\'`` in ``'\''`` as an
        escaped quote and keep the string open.
        """
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


class CShellActivator(Activator):
    """``activate.csh`` for csh and tcsh."""

    name = "cshell"
    templates = (("activate.csh", "activate.csh"),)

    def quote(self, value: str) -> str:
        r"""A single-quoted csh word.

        csh substitutes history (``!``) even inside single quotes, so ``!`` is
        written ``\!``; a newline or carriage return cannot be held in a word
        at all, so such a value leaves the script out.
        """
        if "\n" in value or "\r" in value:
            raise UnsafeValue("contains a line break, which csh cannot hold in a word")
        return "'" + value.replace("!", "\\!").replace("'", "'\\''") + "'"

    def values(self, ctx: ActivationContext) -> dict[str, str]:
        """Adds ``PROMPT_SHOWN``: ``(prompt) `` with tcsh's prompt escapes made literal."""
        values = common_values(ctx)
        values["PROMPT_SHOWN"] = "(" + "".join("\\" + c if c in "\\!^%" else c for c in ctx.prompt) + ") "
        return values


class NushellActivator(Activator):
    """``activate.nu``, used as an overlay."""

    name = "nushell"
    templates = (("activate.nu", "activate.nu"),)

    def quote(self, value: str) -> str:
        """A raw string ``r#'...'#`` with more ``#`` than any ``'#...`` run in the value.

        Nothing inside a raw string is special; it ends only at ``'`` followed by
        its own number of ``#``, so one more than the longest such run in the
        value keeps every value whole.
        """
        # Each ' and the #s after it (what "'(#*)" finds); no re on the warm path.
        longest = max((len(after) - len(after.lstrip("#")) for after in value.split("'")[1:]), default=0)
        hashes = "#" * (longest + 1)
        return f"r{hashes}'{value}'{hashes}"


class XonshActivator(Activator):
    """``activate.xsh``."""

    name = "xonsh"
    templates = (("activate.xsh", "activate.xsh"),)

    def quote(self, value: str) -> str:
        """A Python string literal: ``repr`` escapes quotes, backslashes and control characters."""
        return repr(value)

    def values(self, ctx: ActivationContext) -> dict[str, str]:
        """As for every shell, after checking that xonsh would keep the PATH entry as it is.

        With ``$EXPAND_ENV_VARS`` (on by default) xonsh expands ``$NAME``,
        ``${'NAME'}`` and a ``~`` after ``=`` inside every PATH entry each time
        it reads PATH: such a folder would be looked up somewhere else.
        """
        if _xonsh_expands(ctx.bin_dir):
            raise UnsafeValue("the environment's path has '$' before a name (or '=~'), which xonsh expands inside PATH entries")
        return common_values(ctx)


def _xonsh_expands(text: str) -> bool:
    """Whether *text* has what xonsh expands: ``$`` before a word character or ``{``, or ``=~``.

    (The regular expression ``\\$[\\w{]|=~``, without importing :mod:`re`; ``\\w`` is a letter,
    digit or ``_`` of any script, which is ``str.isalnum()`` or ``_``.)
    """
    if "=~" in text:
        return True
    for before, after in zip(text, text[1:]):
        if before == "$" and (after.isalnum() or after in "_{"):
            return True
    return False
