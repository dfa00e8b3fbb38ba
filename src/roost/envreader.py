"""Read an existing environment from its files, without starting any interpreter.

One reader serves ``roost check``, ``roost repair``, relocation, recreation and the named
environments of ``roost home``: :func:`read_environment` turns a folder into an
:class:`Environment` (its ``pyvenv.cfg``, interpreter links, base, version, site-packages,
installed distributions and the place it was made at).  It understands environments made
by roost, stdlib venv, virtualenv and uv: they share PEP 405's layout and differ only in
which ``pyvenv.cfg`` keys they write and how their scripts name the interpreter.
"""

from __future__ import annotations

import os
import re

from .create.destination import read_pyvenv_cfg  # one reader, kept where creation needs it without `re`
from .errors import RoostError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["Distribution", "Environment", "InterpreterLink", "read_environment", "read_pyvenv_cfg"]

_LIB_PYTHON = re.compile(r"^(python|pypy)(\d+)\.(\d+)t?$")
BIN_PYTHON = re.compile(r"^(python|pypy)(\d+(\.\d+)?)?$")
# The interpreter a console script names: its shebang, or the exec line of pip's /bin/sh
# trampoline for paths with spaces (``'''exec' "/path/bin/python" "$0" "$@"``).
_TRAMPOLINE = re.compile(rb"^'''exec' \"((?:[^\"\\]|\\.)*)\" \"\$0\" \"\$@\"$")


class InterpreterLink:
    """One ``bin/python*`` entry: a symlink (``target`` as written) or a copied binary."""

    __slots__ = ("path", "name", "is_link", "target", "resolved", "exists")

    def __init__(self, path: str) -> None:
        self.path = path
        self.name = os.path.basename(path)
        self.is_link = os.path.islink(path)
        self.target = os.readlink(path) if self.is_link else None
        self.resolved = os.path.realpath(path)
        self.exists = os.path.exists(path)

    @property
    def dangling(self) -> bool:
        """A link whose final target is gone."""
        return self.is_link and not self.exists

    def __repr__(self) -> str:
        return f"InterpreterLink({self.name!r} -> {self.target!r})" if self.is_link else f"InterpreterLink({self.name!r}, copy)"


class Distribution:
    """One installed distribution (a ``.dist-info`` or ``.egg-info`` folder)."""

    __slots__ = ("name", "version", "metadata_dir", "site_dir", "editable", "source", "installer", "requested", "pure")

    def __init__(self, metadata_dir: str, site_dir: str) -> None:
        self.metadata_dir = metadata_dir
        self.site_dir = site_dir
        headers = _metadata_headers(metadata_dir)
        self.name = headers.get("name", os.path.basename(metadata_dir).split("-")[0])
        self.version = headers.get("version", "")
        self.installer = _read_text(os.path.join(metadata_dir, "INSTALLER")).strip()
        self.requested = os.path.exists(os.path.join(metadata_dir, "REQUESTED"))
        self.editable, self.source = _editable_source(metadata_dir)
        wheel = _read_text(os.path.join(metadata_dir, "WHEEL"))
        self.pure = "root-is-purelib: true" in wheel.lower()

    @property
    def requirement(self) -> str:
        """``name==version``, what reinstalling it asks for."""
        return f"{self.name}=={self.version}" if self.version else self.name

    @property
    def key(self) -> str:
        """The normalised name (PEP 503), for comparing names."""
        return re.sub(r"[-_.]+", "-", self.name).lower()

    def record(self) -> list[str]:
        """The paths listed in RECORD, as written (relative to site-packages, or absolute)."""
        text = _read_text(os.path.join(self.metadata_dir, "RECORD"))
        if not text:
            return []
        import csv

        return [row[0] for row in csv.reader(text.splitlines()) if row]

    def __repr__(self) -> str:
        return f"Distribution({self.name!r}, {self.version!r}{', editable' if self.editable else ''})"


class Environment:
    """What an environment's files say about it (see :func:`read_environment`)."""

    def __init__(self, root: str, config: dict[str, str]) -> None:
        self.root = root
        self.config = config
        self.bin_dir = os.path.join(root, "Scripts" if os.name == "nt" else "bin")
        self.interpreters = [InterpreterLink(path) for path in _interpreter_paths(self.bin_dir)]
        self.lib_versions = _lib_versions(root)
        self.site_packages = [
            os.path.join(root, "lib", f"{kind}{major}.{minor}", "site-packages")
            for kind, major, minor in self.lib_versions
            if os.path.isdir(os.path.join(root, "lib", f"{kind}{major}.{minor}", "site-packages"))
        ]
        if os.path.isdir(os.path.join(root, "Lib", "site-packages")):
            self.site_packages.append(os.path.join(root, "Lib", "site-packages"))
        self.made_at, self.made_at_source = _made_at(self.bin_dir, root)

    # -- pyvenv.cfg, with the spellings each tool uses ---------------------------------------
    @property
    def home(self) -> str | None:
        """The base interpreter's folder (``home``)."""
        return self.config.get("home") or None

    @property
    def version(self) -> tuple[int, ...] | None:
        """The base's version as written: ``version_info`` (virtualenv, uv, roost) or ``version`` (venv)."""
        text = self.config.get("version_info") or self.config.get("version") or ""
        numbers = re.match(r"^(\d+)\.(\d+)(?:\.(\d+))?", text)
        if not numbers:
            return None
        return tuple(int(part) for part in numbers.groups() if part is not None)

    @property
    def major_minor(self) -> str | None:
        """``3.12``, from pyvenv.cfg; else from the one ``lib/pythonX.Y`` folder."""
        if self.version and len(self.version) >= 2:
            return f"{self.version[0]}.{self.version[1]}"
        if len(self.lib_versions) == 1:
            return f"{self.lib_versions[0][1]}.{self.lib_versions[0][2]}"
        return None

    @property
    def implementation(self) -> str:
        """``CPython``, ``PyPy``... (venv does not write it: then guessed from the lib folder)."""
        written = self.config.get("implementation")
        if written:
            return written
        return "PyPy" if any(kind == "pypy" for kind, _, _ in self.lib_versions) else "CPython"

    @property
    def base_executable(self) -> str | None:
        """The base interpreter as written (``base-executable``/``executable``), else found in ``home``."""
        for key in ("base-executable", "executable"):
            if self.config.get(key):
                return self.config[key]
        home, major_minor = self.home, self.major_minor
        if not home or not major_minor:
            return None
        for name in (f"python{major_minor}", f"python{major_minor.split('.')[0]}", "python"):
            candidate = os.path.join(home, name)
            if os.path.lexists(candidate):
                return candidate
        return os.path.join(home, f"python{major_minor}")

    @property
    def made_by(self) -> str:
        """``roost``, ``virtualenv``, ``uv`` or ``venv``: the tool whose key pyvenv.cfg carries."""
        for tool in ("roost", "uv", "virtualenv"):
            if tool in self.config:
                return tool
        return "venv"

    @property
    def relocatable(self) -> bool:
        """``relocatable = true``, as uv and roost write it."""
        return self.config.get("relocatable", "").lower() == "true"

    @property
    def system_site_packages(self) -> bool:
        """``include-system-site-packages = true``: the base's site-packages is visible."""
        return self.config.get("include-system-site-packages", "false").lower() == "true"

    @property
    def prompt(self) -> str | None:
        """The prompt given at creation (``prompt``), or None for the folder's name."""
        return self.config.get("prompt") or None

    @property
    def copies(self) -> bool:
        """The interpreter was copied, not linked (``--copies``)."""
        return any(not link.is_link and link.exists for link in self.interpreters)

    @property
    def moved(self) -> bool:
        """Its scripts or activation name another folder: moved or copied since it was made."""
        if self.made_at is None or _same_place(self.made_at, self.root):
            return False
        # A relocatable environment's activation finds its folder at run time: only a
        # script pip wrote with an absolute path (after creation) counts.
        return not (self.relocatable and self.made_at_source == "activation")

    @property
    def pyvenv_cfg(self) -> str:
        """The path of its ``pyvenv.cfg``."""
        return os.path.join(self.root, "pyvenv.cfg")

    def site_packages_for(self, major_minor: str) -> str:
        """``lib/pythonX.Y/site-packages`` of this environment for *major_minor*."""
        kind = "pypy" if self.implementation.lower() == "pypy" else "python"
        return os.path.join(self.root, "lib", f"{kind}{major_minor}", "site-packages")

    def distributions(self) -> list[Distribution]:
        """Every distribution installed in this environment's site-packages, by name."""
        found = []
        for site_dir in self.site_packages:
            for entry in _scandir(site_dir):
                if entry.name.endswith((".dist-info", ".egg-info")) and entry.is_dir():
                    found.append(Distribution(entry.path, site_dir))
        return sorted(found, key=lambda dist: dist.key)

    def __repr__(self) -> str:
        return f"Environment({self.root!r}, {self.made_by}, {self.implementation} {self.major_minor})"


def read_environment(path: str) -> Environment:
    """The environment at *path*, read from its files (no subprocess).

    Raises :class:`RoostError` when *path* is not an environment (no ``pyvenv.cfg``).
    """
    root = os.path.abspath(path)
    cfg = os.path.join(root, "pyvenv.cfg")
    if not os.path.isdir(root):
        raise RoostError(f"{path} is not an environment: no such folder", "give the folder that holds pyvenv.cfg")
    try:
        config = read_pyvenv_cfg(cfg)
    except FileNotFoundError:
        raise RoostError(f"{path} is not an environment: it has no pyvenv.cfg", "give the folder that holds pyvenv.cfg") from None
    except (OSError, UnicodeError) as exc:
        raise RoostError(f"cannot read {cfg}: {getattr(exc, 'strerror', None) or exc}") from None
    return Environment(root, config)


# -- helpers --------------------------------------------------------------------------------


def _scandir(folder: str) -> Iterator[os.DirEntry[str]]:
    try:
        with os.scandir(folder) as entries:
            yield from entries
    except OSError:
        return


def _read_text(path: str) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read()
    except OSError:
        return ""


def _metadata_headers(metadata_dir: str) -> dict[str, str]:
    """``name`` and ``version`` from METADATA (PKG-INFO for .egg-info): the header block only."""
    headers: dict[str, str] = {}
    for file_name in ("METADATA", "PKG-INFO"):
        path = os.path.join(metadata_dir, file_name)
        if not os.path.isfile(path):
            continue
        with open(path, encoding="utf-8", errors="replace") as handle:
            for line in handle:
                if not line.strip():
                    break
                key, colon, value = line.partition(":")
                if colon and key.lower() in ("name", "version") and key.lower() not in headers:
                    headers[key.lower()] = value.strip()
        break
    return headers


def _editable_source(metadata_dir: str) -> tuple[bool, str | None]:
    """(editable, source folder) from PEP 610's direct_url.json."""
    text = _read_text(os.path.join(metadata_dir, "direct_url.json"))
    if not text:
        return False, None
    import json

    try:
        data = json.loads(text)
    except ValueError:
        return False, None
    if not isinstance(data, dict):
        return False, None
    dir_info = data.get("dir_info")
    editable = isinstance(dir_info, dict) and bool(dir_info.get("editable"))
    url = data.get("url")
    source = file_url_path(url) if isinstance(url, str) else None
    return editable, source


def file_url_path(url: str) -> str | None:
    """The local path of a ``file://`` URL, else None."""
    if not url.startswith("file:"):
        return None
    from urllib.parse import unquote, urlsplit

    return unquote(urlsplit(url).path) or None


def _interpreter_paths(bin_dir: str) -> list[str]:
    names = sorted(entry.name for entry in _scandir(bin_dir) if BIN_PYTHON.match(entry.name))
    return [os.path.join(bin_dir, name) for name in names]


def _lib_versions(root: str) -> list[tuple[str, int, int]]:
    versions = []
    for entry in _scandir(os.path.join(root, "lib")):
        match = _LIB_PYTHON.match(entry.name)
        if match and entry.is_dir():
            versions.append((match.group(1), int(match.group(2)), int(match.group(3))))
    return sorted(versions)


def script_interpreter(head: bytes) -> str | None:
    """The interpreter path a script's first lines name (shebang or pip's trampoline), else None."""
    lines = head.split(b"\n", 3)
    first = lines[0].rstrip(b"\r")
    if not first.startswith(b"#!"):
        return None
    if first.strip() == b"#!/bin/sh" and len(lines) > 1:
        match = _TRAMPOLINE.match(lines[1].rstrip(b"\r"))
        if not match:
            return None
        return os.fsdecode(re.sub(rb"\\(.)", rb"\1", match.group(1)))
    command = first[2:].strip()
    if b" " in command:
        command = command.split(b" ", 1)[0]
    return os.fsdecode(command)


def _made_at(bin_dir: str, root: str) -> tuple[str | None, str]:
    """The folder the environment was made at, as its console scripts name it.

    A script whose shebang names ``<somewhere>/bin/python*`` says the environment was at
    ``<somewhere>``.  Every script is read, and the activation script too (venv, virtualenv,
    uv and roost all write the path into it): a place other than *root* named by any of them
    decides, so one script pip wrote after a move, or a repair stopped half-way, cannot hide
    the others.  Scripts that name another interpreter (a system tool's) and relocatable
    trampolines name no place.  Returns the place and which kind of file named it
    (``scripts`` or ``activation``).
    """
    bin_name = os.path.basename(bin_dir)
    named_here: str | None = None
    for entry in sorted(_scandir(bin_dir), key=lambda entry: entry.name):
        if BIN_PYTHON.match(entry.name) or entry.name.startswith("activate") or not entry.is_file():
            continue
        try:
            with open(entry.path, "rb") as handle:
                head = handle.read(4096)
        except OSError:
            continue
        interpreter = script_interpreter(head)
        if interpreter and BIN_PYTHON.match(os.path.basename(interpreter)):
            folder = os.path.dirname(interpreter)
            if os.path.basename(folder) == bin_name:
                place = os.path.dirname(folder)
                if not _same_place(place, root):
                    return place, "scripts"
                named_here = place
    activation = _activation_path(os.path.join(bin_dir, "activate"))
    if activation is not None and not _same_place(activation, root):
        return activation, "activation"
    if named_here is not None:
        return named_here, "scripts"
    return activation, "activation"


# The written path in each tool's activate: roost ``_roost_env='...'``, virtualenv
# ``VIRTUAL_ENV=/path`` or ``'/path'``, venv ``VIRTUAL_ENV="/path"``, uv ``VIRTUAL_ENV='/path'``.
_ACTIVATE_PATH = re.compile(r"""^\s*(?:export\s+)?(?:_roost_env|VIRTUAL_ENV)=(['"]?)(/[^'"$`\n]*)\1\s*$""", re.M)


def _activation_path(activate: str) -> str | None:
    match = _ACTIVATE_PATH.search(_read_text(activate))
    return match.group(2) if match else None


def _same_place(one: str, other: str) -> bool:
    try:
        return os.path.samefile(one, other)
    except OSError:
        return os.path.normpath(one) == os.path.normpath(other)
