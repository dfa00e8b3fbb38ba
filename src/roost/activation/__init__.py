"""Activation scripts: one per shell, every value quoted for that shell.

Each activator reads its template (package data in ``templates/``), quotes
the environment's values with its own ``quote()`` and substitutes them in a
single pass, so a value that looks like a placeholder stays data.  A value a
shell cannot hold safely leaves that one script out, with a warning on the
``roost`` logger; an unsafe script is never written.  This module holds what
they share (the context, the substitution, the writer) and the registry; the
activators themselves are in :mod:`roost.activation.shells`.

What every script does: set ``VIRTUAL_ENV`` and ``VIRTUAL_ENV_PROMPT`` (the
bare prompt text), put the environment's scripts folder first on PATH, unset
``PYTHONHOME``, show ``(prompt) `` in the prompt unless
``VIRTUAL_ENV_DISABLE_PROMPT`` is non-empty, define ``pydoc`` and
``deactivate``.  ``deactivate`` puts PATH, the prompt and each of those
variables back exactly as they were (unset included) and removes itself.
Activating again first undoes the earlier activation, so activating twice and
deactivating once leaves the shell as it was.

Shell notes:

* sh family (``activate``): bash (``BASH_SOURCE``), zsh (``%x``) and ksh93
  (``.sh.file``) find the script's own folder, so a moved or copied
  environment activates at its new place; that folder counts only when it is
  in an environment (has ``../pyvenv.cfg``), so a link to the script, a pipe
  or ``eval`` use the written path.  **dash, mksh and other POSIX shells
  cannot know the path of a sourced file**: they use the path written at
  creation.  The prompt text never enters PS1 where any prompt option, now or
  turned on later, could read it as code: zsh shows it from ``psvar`` (``%9v``);
  bash with promptvars, ksh93 (``!`` doubled), dash and mksh get a reference to
  ``VIRTUAL_ENV_PROMPT``; bash without promptvars gets the text escaped for
  both passes.  What deactivate restores is kept in venv's ``_OLD_VIRTUAL_*``
  names, so a venv or virtualenv script sourced on top undoes roost's first
  (fish likewise).  A dash older than 0.5.11 does not expand PS1 and shows the
  reference itself.
* fish: fish 3.5 or later (the ``path`` builtin) finds the script's folder
  via ``status filename``; older fish uses the written path.
* csh/tcsh: **cannot know the path of a sourced file**; the written path is
  used.  A value with a line break cannot be held, so ``activate.csh`` is left
  out for it.  tcsh prompt escapes (``% ! ^ \\``) in the prompt text are
  made literal.
* nushell: used as an overlay (``overlay use activate.nu``); ``deactivate``
  hides it and nushell restores everything.  ``$env.FILE_PWD`` gives the
  folder.
* xonsh: ``__file__`` gives the folder; xonsh draws the prompt itself from
  ``VIRTUAL_ENV_PROMPT`` in its ``{env_name}`` field.
* PowerShell: ``$PSScriptRoot`` gives the folder.  cmd: ``%~dp0`` does;
  a value with ``"`` or a line break leaves the ``.bat`` scripts out.  cmd
  sessions with delayed expansion on keep the prompt text intact, but
  ``!`` elsewhere in their PATH is mangled by cmd itself.
* ``activate_this.py``: paths relative to its own ``__file__``.
* A scripts folder whose path contains the PATH separator (``:``, or ``;`` on
  Windows) would split into two PATH entries: every script is left out.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence
    from types import ModuleType
    from typing import ClassVar

__all__ = [
    "ACTIVATORS",
    "NAMES",
    "ActivationContext",
    "Activator",
    "UnsafeValue",
    "default_activator_names",
    "generate_all",
    "select_activators",
]


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
    #: Where the templates are: None for roost's own; a plugin's activator names its folder.
    template_dir: ClassVar[str | None] = None

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
        from ..appdata import write_new_file

        written = []
        for name, data in files:
            target = os.path.join(ctx.bin_dir, name)
            write_new_file(target, data)  # replaces a file (or link) of an earlier run
            written.append(target)
        return written

    def render_files(self, ctx: ActivationContext) -> list[tuple[str, bytes]]:
        """What :meth:`generate` writes, without writing: (file name, bytes) pairs.

        Raises :class:`UnsafeValue` when a value cannot be held safely.
        """
        values = self.quoted_values(ctx)
        return [(out, self.encode(render(read_template(tpl, self.template_dir), values))) for tpl, out in self.templates]

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


def read_template(name: str, folder: str | None = None) -> str:
    """The text of one template shipped in ``roost/activation/templates`` (or in *folder*)."""
    # A plain file read: importlib.resources pulls in zipfile and tempfile (~5 ms) to support
    # zip imports, and roost is always installed unpacked.
    with open(os.path.join(folder or _TEMPLATES, name), encoding="utf-8") as handle:
        return handle.read()


# The built-in activators, by the name ``--activators`` uses (virtualenv's names), in the
# order help lists them.  Their classes live in :mod:`.shells`, imported on first use.
NAMES = ("bash", "batch", "cshell", "fish", "nushell", "powershell", "python", "xonsh")

# csh and fish do not run on Windows; cmd runs nowhere else.  bash stays on
# Windows for Git Bash and MSYS, where BASH_SOURCE finds the environment.
_NOT_ON_WINDOWS = frozenset({"cshell", "fish"})
_ONLY_ON_WINDOWS = frozenset({"batch"})

#: Built-in activator classes by name (imports :mod:`.shells`; see :func:`__getattr__`).
ACTIVATORS: dict[str, type[Activator]]


def activator_class(name: str) -> type[Activator]:
    """The built-in activator called *name* (one of :data:`NAMES`)."""
    from .shells import BUILT_IN

    return BUILT_IN[name]


def __getattr__(name: str) -> object:
    if name == "ACTIVATORS":
        from .shells import BUILT_IN

        globals()["ACTIVATORS"] = BUILT_IN  # the same dict from now on
        return BUILT_IN
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def default_activator_names(windows: bool) -> list[str]:
    """The activators written when the user chose none: every one that fits the platform."""
    left_out = _NOT_ON_WINDOWS if windows else _ONLY_ON_WINDOWS
    return [name for name in NAMES if name not in left_out]


def select_activators(names: Sequence[str] | None, windows: bool) -> list[Activator]:
    """Activator instances for ``names`` (``None``: the platform's defaults).

    Entries may themselves hold comma-separated names; repeats count once.
    An unknown name raises :class:`~roost.errors.UsageError`.
    """
    if names is None:
        chosen: Iterable[str] = default_activator_names(windows)
    else:
        chosen = [part.strip() for entry in names for part in entry.split(",") if part.strip()]
    unique = list(dict.fromkeys(chosen))
    for name in unique:
        if name not in NAMES:
            from ..errors import UsageError

            raise UsageError(f"unknown activator {name!r}", hint="choose from: " + ", ".join(NAMES))
    return [activator_class(name)() for name in unique]


def generate_all(activators: Iterable[Activator], ctx: ActivationContext) -> list[str]:
    """Write every activator's scripts into ``ctx.bin_dir``; return all paths written."""
    written: list[str] = []
    for activator in activators:
        written.extend(activator.generate(ctx))
    return written
