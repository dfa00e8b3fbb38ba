"""The built-in activators, each with its own quoting: the POSIX family, csh, fish, nushell,
xonsh, ``activate_this.py``, PowerShell and cmd.exe.

PowerShell and cmd do not run here, so their output is checked against golden files; the
quoting rules below are the documented ones of each shell.
"""

from __future__ import annotations

from . import ActivationContext, Activator, UnsafeValue, common_values


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
        """A raw string ``r#'...'#`` with more ``#`` than the value can end it with.

        Nothing inside a raw string is special; it ends only at ``'`` followed by its own
        number of ``#``.  nu also reads ``#`` right after the opening quote as part of the
        opening (``r#'#a'#`` does not parse), so the count is one more than both the longest
        ``'#...`` run in the value and the ``#`` it starts with.
        """
        # Each ' and the #s after it (what "'(#*)" finds); no re on the warm path.
        longest = max((len(after) - len(after.lstrip("#")) for after in value.split("'")[1:]), default=0)
        leading = len(value) - len(value.lstrip("#"))
        hashes = "#" * (max(longest, leading) + 1)
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


# -- activate_this.py ------------------------------------------------------------


class PythonActivator(Activator):
    """Writes ``activate_this.py``, whose paths are relative to its own folder where they can be."""

    name = "python"
    templates = (("activate_this.py.tmpl", "activate_this.py"),)

    def quote(self, value: str) -> str:
        """An ASCII-only Python string literal, so the file reads the same under any source encoding."""
        return ascii(value)

    def values(self, ctx: ActivationContext) -> dict[str, str]:
        """The up-path and the prompt; the site-packages tuple is added in :meth:`quoted_values`."""
        common = common_values(ctx)
        return {"UP": common["UP"], "PROMPT": ctx.prompt}

    def quoted_values(self, ctx: ActivationContext) -> dict[str, str]:
        """As the base class, plus ``SITE_PACKAGES``: a tuple literal of paths relative to the env root."""
        quoted = super().quoted_values(ctx)
        libs = tuple(dict.fromkeys(_under(path, ctx) for path in ctx.site_packages))
        quoted["SITE_PACKAGES"] = ascii(libs)
        return quoted


def _under(path: str, ctx: ActivationContext) -> str:
    # relative when inside the env (so the env may move); absolute otherwise,
    # which os.path.join in the script keeps as it is
    pathmod = ctx.pathmod
    try:
        inside = pathmod.relpath(path, ctx.dest)
    except ValueError:  # another drive
        return path
    return path if inside.split(pathmod.sep, 1)[0] == pathmod.pardir else str(inside)


# -- PowerShell and cmd.exe -----------------------------------------------------

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


#: Every built-in activator by name (the keys are :data:`roost.activation.NAMES`).
BUILT_IN: dict[str, type[Activator]] = {
    cls.name: cls
    for cls in (
        BashActivator,
        BatchActivator,
        CShellActivator,
        FishActivator,
        NushellActivator,
        PowerShellActivator,
        PythonActivator,
        XonshActivator,
    )
}
