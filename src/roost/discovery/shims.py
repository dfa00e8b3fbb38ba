"""Version managers (pyenv, asdf, mise): read their version files instead of running their shims.

A pyenv shim is a bash script that starts ``pyenv exec`` (tens of milliseconds, and it may
print errors); asdf's and mise's shims are similar.  Their choice is plain data, though:
``PYENV_VERSION`` or the nearest ``.python-version`` or ``$PYENV_ROOT/version`` for pyenv,
``.tool-versions`` for asdf, ``mise.toml``/``.tool-versions`` for mise.  This module reads
that data and maps a shim to the real executable it would start, without running anything.

Paths are plain strings and names are read by hand: a pyenv shim on PATH is common, and
resolving one must not cost the import of :mod:`pathlib` or :mod:`re` (mise's TOML, rarer,
still uses :mod:`re`).
"""

from __future__ import annotations

import os

from . import VERSION_FILE, clean_path, find_upwards, parents
from .hints import Hint, version_dir_hint

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Mapping

_PRERELEASE_WORDS = ("-dev", "-src", "-latest")


def read_text(path: str | os.PathLike[str]) -> str | None:
    """The text of a small data file (UTF-8, damage replaced), or None when it cannot be read."""
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read()
    except OSError:
        return None


def read_version_words(path: str | os.PathLike[str]) -> list[str]:
    """The versions a pyenv-style file names: the first word of each line, comments skipped."""
    words = []
    for line in (read_text(path) or "").splitlines():
        fields = line.split()
        if fields and not fields[0].startswith("#"):
            words.append(fields[0])
    return words


def natural_key(name: str) -> list[tuple[int, object]]:
    """Sort key that orders ``3.9`` before ``3.13``: runs of digits compare as numbers."""
    key: list[tuple[int, object]] = []
    part = ""
    digits = False  # whether *part* is a run of digits
    for char in name:
        if char.isdecimal() == digits:
            part += char
            continue
        if part:
            key.append((0, int(part)) if digits else (1, part))
        part, digits = char, not digits
    if part:
        key.append((0, int(part)) if digits else (1, part))
    return key


def _is_prerelease(suffix: str) -> bool:
    """Whether a version's tail names a pre-release or a development build (``rc1``, ``-dev``)."""
    lowered = suffix.lower()
    if any(word in lowered for word in _PRERELEASE_WORDS):
        return True
    for index in range(1, len(lowered)):
        if lowered[index].isdecimal() and (lowered[index - 1] in "ab" or (index >= 2 and lowered[index - 2 : index] == "rc")):
            return True
    return False


def resolve_version_dir(versions: str | os.PathLike[str], name: str) -> str | None:
    """The install folder *name* selects: exact, else the newest final release it prefixes
    (``3.12`` -> ``3.12.1``), as ``pyenv latest`` and mise's fuzzy versions do."""
    if not name or name == "system" or name in (".", "..") or "/" in name or "\\" in name:
        return None
    folder = os.fspath(versions)
    exact = os.path.join(folder, name)
    if os.path.isdir(exact):
        return exact
    try:
        entries = os.listdir(folder)
    except OSError:
        return None
    matching = [
        entry for entry in entries if entry.startswith((name + ".", name + "-")) and not _is_prerelease(entry[len(name) :])
    ]
    if not matching:
        return None
    return os.path.join(folder, max(matching, key=natural_key))


def home_folder(env: Mapping[str, str]) -> str:
    """The user's home folder as *env* says (HOME, or USERPROFILE on Windows)."""
    return clean_path(env.get("HOME") or env.get("USERPROFILE") or os.path.expanduser("~"))


def pyenv_root(env: Mapping[str, str]) -> str:
    """``$PYENV_ROOT``, or ``~/.pyenv`` as pyenv itself defaults."""
    root = env.get("PYENV_ROOT")
    return clean_path(root) if root else os.path.join(home_folder(env), ".pyenv")


class ShimResolver:
    """Maps the shims of pyenv/asdf/mise to real executables, using only their data files."""

    __slots__ = ("env", "cwd", "_kinds", "_active")

    def __init__(self, env: Mapping[str, str], cwd: str | os.PathLike[str]) -> None:
        self.env = env
        self.cwd = os.fspath(cwd)
        self._kinds: dict[str, str | None] = {}
        self._active: dict[str, list[str]] = {}

    def kind(self, folder: str) -> str | None:
        """``"pyenv"``, ``"asdf"``, ``"mise"`` when *folder* holds that manager's shims, else None."""
        if folder not in self._kinds:
            self._kinds[folder] = shim_kind(folder)
        return self._kinds[folder]

    def resolve(self, shim: str) -> tuple[str, Hint | None] | None:
        """The executable *shim* would run and what its install folder says; None when the
        manager's current choice has no such executable (the shim would fall through)."""
        folder, name = os.path.split(shim)
        kind = self.kind(folder)
        if kind is None:
            return None
        for install in self.active_installs(kind, os.path.dirname(folder)):
            for candidate in (os.path.join(install, "bin", name), os.path.join(install, name)):
                if os.path.isfile(candidate):
                    return candidate, version_dir_hint(os.path.basename(install))
        return None

    def active_installs(self, kind: str, root: str) -> list[str]:
        """The install folders a manager rooted at *root* currently selects, in its order."""
        cache_key = f"{kind}:{root}"
        if cache_key not in self._active:
            if kind == "pyenv":
                versions = os.path.join(root, "versions")
                names = self.pyenv_versions(root)
            else:
                versions = os.path.join(root, "installs", "python")
                names = self.tool_versions(kind)
            found = [resolve_version_dir(versions, name) for name in names]
            self._active[cache_key] = [path for path in found if path is not None]
        return self._active[cache_key]

    def pyenv_versions(self, root: str) -> list[str]:
        """pyenv's current versions: ``PYENV_VERSION``, else the nearest .python-version, else the global file."""
        chosen = self.env.get("PYENV_VERSION")
        if chosen:
            return [word for word in chosen.split(":") if word]
        starts = [self.env["PYENV_DIR"]] if self.env.get("PYENV_DIR") else []
        for start in starts + [self.cwd]:
            local = find_upwards(start, [VERSION_FILE])
            if local is not None:
                words = read_version_words(local)
                if words:
                    return words
        return read_version_words(os.path.join(root, "version"))

    def tool_versions(self, kind: str) -> list[str]:
        """asdf's or mise's current python versions (env var, then the nearest config file, then global)."""
        variable = "ASDF_PYTHON_VERSION" if kind == "asdf" else "MISE_PYTHON_VERSION"
        chosen = self.env.get(variable)
        if chosen:
            return chosen.split()
        names = [".tool-versions"] if kind == "asdf" else ["mise.local.toml", "mise.toml", ".mise.toml", ".tool-versions"]
        home = home_folder(self.env)
        globals_ = (
            [os.path.join(home, ".tool-versions")]
            if kind == "asdf"
            else [
                os.path.join(self.env.get("XDG_CONFIG_HOME") or os.path.join(home, ".config"), "mise", "config.toml"),
                os.path.join(home, ".tool-versions"),
            ]
        )
        for folder in parents(self.cwd):
            for name in names:
                words = _python_versions_in(os.path.join(folder, name))
                if words:
                    return words
        for path in globals_:
            words = _python_versions_in(path)
            if words:
                return words
        return []


def _python_versions_in(path: str) -> list[str]:
    """Python versions named in a ``.tool-versions`` or mise TOML file (empty when none)."""
    text = read_text(path)
    if text is None:
        return []
    if path.endswith(".toml"):
        # A [tools] table entry: python = "3.12" or python = ["3.12", "3.11"]; a regex keeps
        # tomllib (3.11+ only) out of this path.
        import re

        section = re.search(r"^\[tools\]\s*$(.*?)(?=^\[|\Z)", text, re.MULTILINE | re.DOTALL)
        if not section:
            return []
        entry = re.search(r"^\s*[\"']?python[\"']?\s*=\s*(.+)$", section.group(1), re.MULTILINE)
        return re.findall(r"[\"']([^\"']+)[\"']", entry.group(1)) if entry else []
    for line in text.splitlines():
        fields = line.split("#", 1)[0].split()
        if fields and fields[0] == "python":
            return fields[1:]
    return []


def shim_kind(folder: str) -> str | None:
    """``"pyenv"``, ``"asdf"``, ``"mise"`` when *folder* is that manager's shims folder, else None."""
    if os.path.basename(folder) != "shims":
        return None
    root = os.path.dirname(folder)
    if os.path.isdir(os.path.join(root, "versions")):
        return "pyenv"
    if os.path.isdir(os.path.join(root, "installs")):
        return "mise" if "mise" in os.path.basename(root).lower() else "asdf"
    return None


def _strip_build(word: str) -> str:
    """``pypy3.10-7.3.12`` -> ``pypy3.10``, ``3.12-dev`` -> ``3.12``: a pyenv build suffix dropped.

    The word must be ``[letters]X[.Y...][t]-<word characters and dots>``; others stay as they are.
    """
    head, dash, tail = word.partition("-")
    if not dash or not tail or not all(char.isalnum() or char in "_." for char in tail):
        return word
    letters = len(head) - len(head.lstrip("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    version = head[letters:]
    if version.endswith(("t", "T")):
        version = version[:-1]
    if not all(part.isdecimal() for part in version.split(".")):
        return word
    return head


def version_file_specs(path: str | os.PathLike[str], pyenv_root: str | os.PathLike[str]) -> list[str]:
    """The ``-p`` values a ``.python-version`` file stands for, in its order.

    Entries are pyenv names (``3.12.1``, ``pypy3.10-7.3.12``, a pyenv-virtualenv name) or
    uv requests (``3.12``, ``cpython@3.12``, ``3.13t``).  A name pyenv has installed becomes
    the path of that install's interpreter; ``system`` is skipped (it means "whatever PATH
    has", which the search covers anyway); others pass through as specs, with a pyenv
    build suffix (``-7.3.12``, ``-dev``) dropped so ``pypy3.10-7.3.12`` asks for PyPy 3.10.
    """
    versions = os.path.join(os.fspath(pyenv_root), "versions")
    specs = []
    for word in read_version_words(path):
        if word == "system":
            continue
        installed = resolve_version_dir(versions, word) if "@" not in word else None
        if installed is not None and os.path.basename(installed) == word:
            specs.append(installed)
            continue
        specs.append(_strip_build(word))
    return specs
