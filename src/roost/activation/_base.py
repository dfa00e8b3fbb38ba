"""What every activator shares: the context, the one-pass substitution, the writer."""

from __future__ import annotations

import os
import re
from pathlib import Path, PurePath

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import ClassVar

_TEMPLATES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates")

# Placeholders look like __ROOST_NAME__; every template uses only this form.
_PLACEHOLDER = re.compile(r"__ROOST_([A-Z]+(?:_[A-Z]+)*)__")

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
    ``(prompt) `` (the session passes ``dest.name`` when the user gave none);
    ``site_packages`` are the absolute, deduplicated purelib/platlib folders;
    ``windows`` selects the Windows layout (``Scripts``, ``;`` between PATH
    entries, the ``.bat`` family).
    """

    # A plain slotted class, not a dataclass: `dataclasses` imports `inspect` (~10 ms) and
    # this sits on every creation's path.
    __slots__ = ("dest", "bin_dir", "prompt", "site_packages", "windows")

    def __init__(self, dest: Path, bin_dir: Path, prompt: str, site_packages: tuple[Path, ...], windows: bool = False) -> None:
        self.dest = dest
        self.bin_dir = bin_dir
        self.prompt = prompt
        self.site_packages = tuple(site_packages)
        self.windows = windows

    def __repr__(self) -> str:
        return f"ActivationContext(dest={self.dest!r}, bin_dir={self.bin_dir!r}, prompt={self.prompt!r})"

    @property
    def path_separator(self) -> str:
        """The separator of PATH entries on the environment's platform."""
        return ";" if self.windows else ":"


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

    def generate(self, ctx: ActivationContext) -> list[Path]:
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
            target = ctx.bin_dir / name
            target.write_bytes(data)
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
        "VIRTUAL_ENV": str(ctx.dest),
        "BIN_NAME": relative(ctx.bin_dir, ctx.dest),
        "UP": relative(ctx.dest, ctx.bin_dir),
        "PROMPT": ctx.prompt,
    }


def relative(path: PurePath, start: PurePath) -> str:
    """``path`` relative to ``start`` in the paths' own flavour, with ``..`` for each step up.

    Works on the path objects rather than ``os.path`` so that a Windows layout
    described by ``PureWindowsPath`` renders the same on any host.
    """
    try:
        return str(path.relative_to(start))
    except ValueError:
        pass
    try:
        steps = len(start.relative_to(path).parts)
    except ValueError:
        return os.path.relpath(str(path), str(start))
    return str(type(path)(*([".."] * steps)))


def check_path_list(ctx: ActivationContext) -> None:
    """Refuse a bin folder whose path contains the PATH separator.

    Such a folder would be split into two PATH entries, one of which the name
    of the environment chose: that is an injection, not a cosmetic problem.
    """
    if ctx.path_separator in str(ctx.bin_dir):
        raise UnsafeValue(f"the environment's path contains {ctx.path_separator!r}, which would split PATH into two entries")


def render(template: str, values: Mapping[str, str]) -> str:
    """Replace every placeholder in one pass: substituted text is never scanned again."""
    return _PLACEHOLDER.sub(lambda match: values[match.group(1)], template)


def read_template(name: str) -> str:
    """The text of one template shipped in ``roost/activation/templates``."""
    # A plain file read: importlib.resources pulls in zipfile and tempfile (~5 ms) to support
    # zip imports, and roost is always installed unpacked.
    with open(os.path.join(_TEMPLATES, name), encoding="utf-8") as handle:
        return handle.read()
