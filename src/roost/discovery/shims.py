"""Version managers (pyenv, asdf, mise): read their version files instead of running their shims.

A pyenv shim is a bash script that starts ``pyenv exec`` (tens of milliseconds, and it may
print errors); asdf's and mise's shims are similar.  Their choice is plain data, though:
``PYENV_VERSION`` or the nearest ``.python-version`` or ``$PYENV_ROOT/version`` for pyenv,
``.tool-versions`` for asdf, ``mise.toml``/``.tool-versions`` for mise.  This module reads
that data and maps a shim to the real executable it would start, without running anything.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from .hints import Hint, version_dir_hint

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence

VERSION_FILE = ".python-version"
_PRERELEASE = r"(?:a|b|rc)\d|-dev|-src|-latest"


def parents(start: Path) -> Iterator[Path]:
    """*start* and each of its parents, nearest first."""
    yield start
    yield from start.parents


def find_upwards(start: Path, names: Sequence[str]) -> Path | None:
    """The nearest file called one of *names* in *start* or a parent."""
    for folder in parents(start):
        for name in names:
            candidate = folder / name
            if candidate.is_file():
                return candidate
    return None


def read_version_words(path: Path) -> list[str]:
    """The versions a pyenv-style file names: the first word of each line, comments skipped."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    words = []
    for line in text.splitlines():
        fields = line.split()
        if fields and not fields[0].startswith("#"):
            words.append(fields[0])
    return words


def natural_key(name: str) -> list[tuple[int, object]]:
    """Sort key that orders ``3.9`` before ``3.13``."""
    return [(0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"(\d+)", name) if part]


def resolve_version_dir(versions: Path, name: str) -> Path | None:
    """The install folder *name* selects: exact, else the newest final release it prefixes
    (``3.12`` -> ``3.12.1``), as ``pyenv latest`` and mise's fuzzy versions do."""
    if not name or name == "system" or name in (".", "..") or "/" in name or "\\" in name:
        return None
    exact = versions / name
    if exact.is_dir():
        return exact
    try:
        entries = os.listdir(versions)
    except OSError:
        return None
    matching = [
        entry
        for entry in entries
        if entry.startswith((name + ".", name + "-")) and not re.search(_PRERELEASE, entry[len(name) :], re.IGNORECASE)
    ]
    if not matching:
        return None
    return versions / max(matching, key=natural_key)


def home_folder(env: Mapping[str, str]) -> Path:
    """The user's home folder as *env* says (HOME, or USERPROFILE on Windows)."""
    return Path(env.get("HOME") or env.get("USERPROFILE") or os.path.expanduser("~"))


def pyenv_root(env: Mapping[str, str]) -> Path:
    """``$PYENV_ROOT``, or ``~/.pyenv`` as pyenv itself defaults."""
    return Path(env.get("PYENV_ROOT") or home_folder(env) / ".pyenv")


class ShimResolver:
    """Maps the shims of pyenv/asdf/mise to real executables, using only their data files."""

    __slots__ = ("env", "cwd", "_kinds", "_active")

    def __init__(self, env: Mapping[str, str], cwd: Path) -> None:
        self.env = env
        self.cwd = cwd
        self._kinds: dict[str, str | None] = {}
        self._active: dict[str, list[Path]] = {}

    def kind(self, folder: str) -> str | None:
        """``"pyenv"``, ``"asdf"``, ``"mise"`` when *folder* holds that manager's shims, else None."""
        if folder not in self._kinds:
            self._kinds[folder] = _shim_kind(folder)
        return self._kinds[folder]

    def resolve(self, shim: str) -> tuple[str, Hint | None] | None:
        """The executable *shim* would run and what its install folder says; None when the
        manager's current choice has no such executable (the shim would fall through)."""
        folder, name = os.path.split(shim)
        kind = self.kind(folder)
        if kind is None:
            return None
        for install in self.active_installs(kind, Path(folder).parent):
            for candidate in (install / "bin" / name, install / name):
                if candidate.is_file():
                    return str(candidate), version_dir_hint(install.name)
        return None

    def active_installs(self, kind: str, root: Path) -> list[Path]:
        """The install folders a manager rooted at *root* currently selects, in its order."""
        cache_key = f"{kind}:{root}"
        if cache_key not in self._active:
            if kind == "pyenv":
                versions = root / "versions"
                names = self.pyenv_versions(root)
            else:
                versions = root / "installs" / "python"
                names = self.tool_versions(kind)
            found = [resolve_version_dir(versions, name) for name in names]
            self._active[cache_key] = [path for path in found if path is not None]
        return self._active[cache_key]

    def pyenv_versions(self, root: Path) -> list[str]:
        """pyenv's current versions: ``PYENV_VERSION``, else the nearest .python-version, else the global file."""
        chosen = self.env.get("PYENV_VERSION")
        if chosen:
            return [word for word in chosen.split(":") if word]
        starts = [Path(self.env["PYENV_DIR"])] if self.env.get("PYENV_DIR") else []
        for start in starts + [self.cwd]:
            local = find_upwards(start, [VERSION_FILE])
            if local is not None:
                words = read_version_words(local)
                if words:
                    return words
        return read_version_words(root / "version")

    def tool_versions(self, kind: str) -> list[str]:
        """asdf's or mise's current python versions (env var, then the nearest config file, then global)."""
        variable = "ASDF_PYTHON_VERSION" if kind == "asdf" else "MISE_PYTHON_VERSION"
        chosen = self.env.get(variable)
        if chosen:
            return chosen.split()
        names = [".tool-versions"] if kind == "asdf" else ["mise.local.toml", "mise.toml", ".mise.toml", ".tool-versions"]
        home = home_folder(self.env)
        globals_ = (
            [home / ".tool-versions"]
            if kind == "asdf"
            else [
                Path(self.env.get("XDG_CONFIG_HOME") or home / ".config") / "mise" / "config.toml",
                home / ".tool-versions",
            ]
        )
        for folder in parents(self.cwd):
            for name in names:
                words = _python_versions_in(folder / name)
                if words:
                    return words
        for path in globals_:
            words = _python_versions_in(path)
            if words:
                return words
        return []


def _python_versions_in(path: Path) -> list[str]:
    """Python versions named in a ``.tool-versions`` or mise TOML file (empty when none)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    if path.suffix == ".toml":
        # A [tools] table entry: python = "3.12" or python = ["3.12", "3.11"]; a regex keeps
        # tomllib (3.11+ only) out of this path.
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


def _shim_kind(folder: str) -> str | None:
    if os.path.basename(folder) != "shims":
        return None
    root = os.path.dirname(folder)
    if os.path.isdir(os.path.join(root, "versions")):
        return "pyenv"
    if os.path.isdir(os.path.join(root, "installs")):
        return "mise" if "mise" in os.path.basename(root).lower() else "asdf"
    return None


def version_file_specs(path: Path, pyenv_root: Path) -> list[str]:
    """The ``-p`` values a ``.python-version`` file stands for, in its order.

    Entries are pyenv names (``3.12.1``, ``pypy3.10-7.3.12``, a pyenv-virtualenv name) or
    uv requests (``3.12``, ``cpython@3.12``, ``3.13t``).  A name pyenv has installed becomes
    the path of that install's interpreter; ``system`` is skipped (it means "whatever PATH
    has", which the search covers anyway); others pass through as specs, with a pyenv
    build suffix (``-7.3.12``, ``-dev``) dropped so ``pypy3.10-7.3.12`` asks for PyPy 3.10.
    """
    specs = []
    for word in read_version_words(path):
        if word == "system":
            continue
        installed = resolve_version_dir(pyenv_root / "versions", word) if "@" not in word else None
        if installed is not None and installed.name == word:
            specs.append(str(installed))
            continue
        match = re.fullmatch(r"((?:[a-z]+)?\d+(?:\.\d+)*t?)-[\w.]+", word, re.IGNORECASE)
        specs.append(match.group(1) if match else word)
    return specs
