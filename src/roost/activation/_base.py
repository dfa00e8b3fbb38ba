"""What every activator shares: the context, the one-pass substitution, the writer."""

from __future__ import annotations

import os

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Mapping
    from types import ModuleType
    from typing import ClassVar

_TEMPLATES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates")

# Placeholders look like __ROOST_NAME__ (NAME: capital words joined by single underscores);
# every template uses only this form.
_PLACEHOLDER_START = "__ROOST_"
_PLACEHOLDER_END = "__"
_CAPITALS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")

# What each value is called in a warning, so the user knows which input to change.
_LABELS = {
    "VIRTUAL_ENV": "the environment's path",
    "BIN_NAME": "the scripts folder name",
    "UP": "the scripts folder's place in the environment",
    "PROMPT": "the prompt",
}


class ActivationContext:
    """Everything the activation scripts need to know about one environment.

    ``dest`` and ``bin_dir`` are absolute; ``prompt`` is the bare text shown as
    ``(prompt) `` (the session passes the folder name when the user gave none);
    ``site_packages`` are the absolute, deduplicated purelib/platlib folders;
    ``windows`` selects the Windows layout (``Scripts``, ``;`` between PATH
    entries, the ``.bat`` family).

    Paths may be given as ``str`` or path objects and are kept as ``str``.  ``pathmod`` is
    the ``os.path`` of their flavour: a ``PureWindowsPath`` layout (how the tests render
    Windows scripts on any host) is taken apart with ``ntpath`` wherever it runs.
    ``bin_name`` is ``bin_dir`` relative to ``dest`` and ``up`` the way back (``..``).
    """

    # A plain slotted class, not a dataclass: `dataclasses` imports `inspect` (~10 ms) and
    # this sits on every creation's path.
    __slots__ = ("dest", "bin_dir", "prompt", "site_packages", "windows", "pathmod", "bin_name", "up")

    def __init__(
        self,
        dest: str | os.PathLike[str],
        bin_dir: str | os.PathLike[str],
        prompt: str,
        site_packages: tuple[str | os.PathLike[str], ...],
        windows: bool = False,
    ) -> None:
        self.pathmod = _flavour(dest)
        self.dest = os.fspath(dest)
        self.bin_dir = os.fspath(bin_dir)
        self.prompt = prompt
        self.site_packages = tuple(os.fspath(path) for path in site_packages)
        self.windows = windows
        # Every activator needs these two: computed once, not once per script.
        self.bin_name = relative(self.bin_dir, self.dest, self.pathmod)
        self.up = relative(self.dest, self.bin_dir, self.pathmod)

    def __repr__(self) -> str:
        return f"ActivationContext(dest={self.dest!r}, bin_dir={self.bin_dir!r}, prompt={self.prompt!r})"

    @property
    def path_separator(self) -> str:
        """The separator of PATH entries on the environment's platform."""
        return ";" if self.windows else ":"


def _flavour(path: str | os.PathLike[str]) -> ModuleType:
    """``os.path`` for text; for a path object, the path module of its own flavour."""
    if isinstance(path, str):
        return os.path
    import pathlib  # whoever made the path object has imported it already

    if isinstance(path, pathlib.PureWindowsPath):
        import ntpath

        return ntpath
    import posixpath

    return posixpath


class UnsafeValue(Exception):
    """A value that one shell cannot hold safely; that shell's script is left out."""


class Activator:
    """Writes one shell's activation script(s) into the environment's bin folder.

    A subclass names its templates and quotes values for its shell; the base
    class substitutes them in one pass and writes the files.  If any value
    cannot be held safely, no file of that activator is written and one
    warning names the script and the reason.
    """

    name: ClassVar[str]
    #: (template file in ``templates/``, file name written into the bin folder)
    templates: ClassVar[tuple[tuple[str, str], ...]]
    #: Written as bytes exactly like this: ``"\n"`` or ``"\r\n"``.
    newline: ClassVar[str] = "\n"
    #: Prefix a UTF-8 byte order mark (PowerShell 5 reads BOM-less files as ANSI).
    bom: ClassVar[bool] = False

    def generate(self, ctx: ActivationContext) -> list[str]:
        """Write this activator's scripts into ``ctx.bin_dir``; return the paths written.

        Returns an empty list (after logging a warning) when a value cannot be
        held safely by this shell.
        """
        try:
            files = self.render_files(ctx)
        except UnsafeValue as exc:
            from .. import _log

            _log.warning(f"{self.templates[0][1]} left out: {exc}")
            return []
        written = []
        for name, data in files:
            target = os.path.join(ctx.bin_dir, name)
            with open(target, "wb") as handle:
                handle.write(data)
            written.append(target)
        return written

    def render_files(self, ctx: ActivationContext) -> list[tuple[str, bytes]]:
        """What :meth:`generate` writes, without writing: (file name, bytes) pairs.

        Raises :class:`UnsafeValue` when a value cannot be held safely.
        """
        values = self.quoted_values(ctx)
        return [(out, self.encode(render(read_template(tpl), values))) for tpl, out in self.templates]

    # -- what subclasses provide -------------------------------------------------

    def quote(self, value: str) -> str:
        """Return ``value`` as a literal of this shell, or raise :class:`UnsafeValue`."""
        raise NotImplementedError

    def values(self, ctx: ActivationContext) -> dict[str, str]:
        """The raw (unquoted) values the templates refer to, by placeholder name."""
        return common_values(ctx)

    def quoted_values(self, ctx: ActivationContext) -> dict[str, str]:
        """Placeholder name to the exact text that replaces it."""
        check_path_list(ctx)
        quoted = {}
        for key, raw in self.values(ctx).items():
            if "\0" in raw:
                raise UnsafeValue(f"{label(key)} contains a NUL character")
            try:
                quoted[key] = self.quote(raw)
            except UnsafeValue as exc:
                raise UnsafeValue(f"{label(key)} {exc}") from None
        return quoted

    def encode(self, text: str) -> bytes:
        """The file's bytes: this activator's newline and BOM, UTF-8."""
        if self.newline != "\n":
            text = text.replace("\n", self.newline)
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError:
            raise UnsafeValue("a value is not valid text (undecodable bytes in a path)") from None
        return b"\xef\xbb\xbf" + data if self.bom else data


def label(key: str) -> str:
    """How a placeholder's value is named in a warning."""
    return _LABELS.get(key, _LABELS["PROMPT"] if key.startswith("PROMPT") else key.lower())


def common_values(ctx: ActivationContext) -> dict[str, str]:
    """The values most templates use.

    ``UP`` leads from the bin folder back to the environment root (normally
    ``..``); scripts that know their own place use it to find a moved env.
    """
    return {
        "VIRTUAL_ENV": ctx.dest,
        "BIN_NAME": ctx.bin_name,
        "UP": ctx.up,
        "PROMPT": ctx.prompt,
    }


def relative(path: str, start: str, pathmod: ModuleType = os.path) -> str:
    """``path`` relative to ``start``, with ``..`` for each step up, in the paths' flavour.

    *pathmod* is ``os.path``, or ``ntpath``/``posixpath`` for a layout of the other
    platform, so that a Windows layout renders the same on any host.
    """
    result: str = pathmod.relpath(path, start)
    return result


def check_path_list(ctx: ActivationContext) -> None:
    """Refuse a bin folder whose path contains the PATH separator.

    Such a folder would be split into two PATH entries, one of which the name
    of the environment chose: that is an injection, not a cosmetic problem.
    """
    if ctx.path_separator in str(ctx.bin_dir):
        raise UnsafeValue(f"the environment's path contains {ctx.path_separator!r}, which would split PATH into two entries")


def render(template: str, values: Mapping[str, str]) -> str:
    """Replace every placeholder in one pass: substituted text is never scanned again.

    Scans for ``__ROOST_NAME__`` by hand rather than with :mod:`re` (a ~7 ms import on the
    warm path).  A ``__ROOST_`` that starts no valid placeholder is kept as text and the
    scan moves on by one character, as a regular expression search would.
    """
    pieces = []
    done = 0  # template[:done] is in pieces
    start = template.find(_PLACEHOLDER_START)
    while start != -1:
        name_start = start + len(_PLACEHOLDER_START)
        name_end = _name_end(template, name_start)
        if name_end is not None and template.startswith(_PLACEHOLDER_END, name_end):
            pieces.append(template[done:start])
            pieces.append(values[template[name_start:name_end]])
            done = name_end + len(_PLACEHOLDER_END)
            start = template.find(_PLACEHOLDER_START, done)
        else:
            start = template.find(_PLACEHOLDER_START, start + 1)
    pieces.append(template[done:])
    return "".join(pieces)


def _name_end(text: str, index: int) -> int | None:
    """Where a NAME (``[A-Z]+(?:_[A-Z]+)*``) starting at *index* ends; None if none starts there."""
    end = index
    while end < len(text) and text[end] in _CAPITALS:
        end += 1
    if end == index:
        return None
    # Further words, each "_" + capitals; a "_" not followed by a capital ends the name.
    while end + 1 < len(text) and text[end] == "_" and text[end + 1] in _CAPITALS:
        end += 2
        while end < len(text) and text[end] in _CAPITALS:
            end += 1
    return end


def read_template(name: str) -> str:
    """The text of one template shipped in ``roost/activation/templates``."""
    # A plain file read: importlib.resources pulls in zipfile and tempfile (~5 ms) to support
    # zip imports, and roost is always installed unpacked.
    with open(os.path.join(_TEMPLATES, name), encoding="utf-8") as handle:
        return handle.read()
