"""Where seed wheels come from, and which one to use for a target interpreter.

Sources, searched together (on equal versions the earlier source wins):

1. ``--extra-search-dir`` folders, then the app-data wheelhouse (downloads and updates);
2. wheels already on the machine: the target's ensurepip wheels (its ``_bundled`` folder,
   or the folder a distribution points ensurepip at, such as Debian's
   ``/usr/share/python-wheels``), then those of the interpreter running roost, then those
   of the other interpreters discovery has seen (and pyenv's, which are cheap to list).
   Only CPython's own ``ensurepip/_bundled`` wheels are shared between interpreters: a
   distribution's folder holds wheels patched for its own Python (Debian's setuptools
   expects Debian's distutils and cannot build an sdist for a pyenv Python).

Of these, the newest final release whose tags and ``Requires-Python`` admit the target is
used (or exactly the pinned version).  Reading ``Requires-Python`` means opening the wheel,
so each wheel's metadata is remembered in ``seed-index.store`` in app data (a
:mod:`roost.appdata` store file), keyed by path, size and modification time, together with the
last choice made for each request: the warm path only stats the source folders and the
chosen file.  Wheel names and versions are parsed on the cold path only, so the warm
path imports neither :mod:`roost.pep440` nor :mod:`re`.
"""

from __future__ import annotations

import os
import time

from ..appdata import read_store, write_store

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any, TypedDict

    from ..appdata import AppData
    from ..discovery.interpreter import Interpreter
    from . import Request

    class WheelFacts(TypedDict, total=False):
        """What the index knows of one wheel file (read from it once, cold path)."""

        name: str
        version: str
        requires_python: str | None
        sha256: str
        released: float  # the newest time stamp inside the wheel
        size: int  # the file's size and mtime when read: a change means read again
        mtime: int

    class Choice(TypedDict):
        """The wheel last chosen for one request, valid while no searched folder changed."""

        dirs: list[list[Any]]  # [folder, mtime_ns or None] of every folder searched
        wheel: str
        origin: str
        recheck_after: float


INDEX_NAME = "seed-index.store"  # format 1 was seed-index.json
INDEX_FORMAT = 3  # 3: other interpreters' distribution wheel folders are no longer sources
# Rescan the machine now and then even if no known folder changed (new interpreters appear).
RESCAN_AFTER = 24 * 3600


class WheelFile:
    """One wheel on disk and the facts roost needs about it."""

    __slots__ = ("path", "name", "version", "requires_python", "sha256", "released", "origin")

    def __init__(self, path: str, facts: WheelFacts, origin: str) -> None:
        self.path = path
        self.name: str = facts["name"]
        self.version: str = facts["version"]
        self.requires_python: str | None = facts.get("requires_python")
        self.sha256: str = facts["sha256"]
        self.released: float = facts.get("released") or 0.0
        self.origin = origin

    def __repr__(self) -> str:
        return f"WheelFile({self.path!r})"


def running_wheel_dirs() -> list[str]:
    """The ensurepip wheel folder of the interpreter running roost (no sysconfig import)."""
    bundled = os.path.join(os.path.dirname(os.__file__), "ensurepip", "_bundled")
    return [bundled] if os.path.isdir(bundled) else []


def other_machine_dirs(app_data: AppData, env: dict[str, str] | None = None) -> list[str]:
    """Wheel folders of other interpreters on this machine (cold path: reads the discovery cache)."""
    import glob

    from ..discovery.cache import iter_cached_facts

    found: list[str] = []
    for facts in iter_cached_facts(app_data):
        if isinstance(facts.get("ensurepip_wheel_dirs"), list):
            # a distribution's own folder (/usr/share/python-wheels) is for its Python only
            found.extend(str(entry) for entry in facts["ensurepip_wheel_dirs"] if _is_pristine(str(entry)))
    from ..discovery.shims import pyenv_root

    patterns = [
        os.path.join(pyenv_root(os.environ if env is None else env), "versions", "*", "lib", "python3*", "ensurepip", "_bundled"),
        "/usr/lib/python3*/ensurepip/_bundled",
        "/usr/local/lib/python3*/ensurepip/_bundled",
    ]
    for pattern in patterns:
        found.extend(sorted(glob.glob(pattern), reverse=True))
    return found


def _is_pristine(folder: str) -> bool:
    """Whether *folder* is CPython's own ``ensurepip/_bundled`` (wheels as published, fit for any Python)."""
    parent, name = os.path.split(os.path.normpath(folder))
    return name == "_bundled" and os.path.basename(parent) == "ensurepip"


def _unique(entries: Iterable[str]) -> list[str]:
    seen: list[str] = []
    for entry in entries:
        normal = os.path.normpath(entry)
        if normal not in seen:
            seen.append(normal)
    return seen


def _mtime(path: str) -> int | None:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return None


def _load_index(path: str) -> dict[str, Any] | None:
    data = read_store(path)
    return data if isinstance(data, dict) and data.get("format") == INDEX_FORMAT else None


class WheelIndex:
    """``seed-index.store``: what a warm seeding run reads instead of looking (read every run, written cold).

    Three records share the file, each with one owner that reads and writes it:

    * the wheel index, :class:`WheelFinder`'s: the facts of each wheel seen (:attr:`wheels`),
      the last choice per request (:attr:`resolved`), and the folders of other interpreters
      (:attr:`machine_dirs`, looked for again a day after :attr:`scanned`);
    * :attr:`no_clone`, the linker's: device pairs between which a reflink clone failed, and
      when (:func:`roost.seed.linker.recall_no_clone` decides what is still believed);
    * :attr:`periodic_due`, the periodic update's: Python version -> when its update is next
      due (:func:`roost.seed.resolve._maybe_start_periodic`).

    One file, not three, because a warm run needs all three and each file is one more open
    and read.
    """

    __slots__ = ("path", "changed", "writable", "wheels", "resolved", "machine_dirs", "scanned", "no_clone", "periodic_due")

    def __init__(self, app_data: AppData, writable: bool) -> None:
        self.path = app_data.root + "/" + INDEX_NAME
        self.writable = writable
        self.changed = False
        data = _load_index(self.path) or {}
        self.wheels: dict[str, WheelFacts] = data.get("wheels", {})
        self.resolved: dict[str, Choice] = data.get("resolved", {})
        self.machine_dirs: list[str] = data.get("machine_dirs", [])
        self.scanned: float = data.get("scanned", 0.0)
        self.no_clone: list[tuple[int, int, float]] = [tuple(entry) for entry in data.get("no_clone", [])]
        self.periodic_due: dict[str, float] = data.get("periodic_due", {})

    def _stored(self) -> dict[str, object]:
        return {
            "format": INDEX_FORMAT,
            "wheels": self.wheels,
            "resolved": self.resolved,
            "machine_dirs": self.machine_dirs,
            "scanned": self.scanned,
            "no_clone": self.no_clone,
            "periodic_due": self.periodic_due,
        }

    def facts(self, path: str, size: int, mtime_ns: int) -> WheelFacts | None:
        """Known facts about the wheel at *path*, if it has not changed since."""
        known = self.wheels.get(path)
        if known and known.get("size") == size and known.get("mtime") == mtime_ns:
            return known
        return None

    def learn(self, path: str, size: int, mtime_ns: int, read_from: str | None = None) -> WheelFacts | None:
        """Open the wheel (at *read_from* if it is not at *path* yet) and remember its facts.

        Returns None if it is not a usable wheel.
        """
        import zipfile

        from .versions import WheelName, read_wheel_facts

        try:
            facts = read_wheel_facts(read_from or path)
            parsed = WheelName.parse(os.path.basename(path))
            if parsed is None:
                return None
            facts["name"], facts["version"] = parsed.name, parsed.version
        except (OSError, ValueError, KeyError, EOFError, RuntimeError, zipfile.BadZipFile):
            return None
        facts["size"], facts["mtime"] = size, mtime_ns
        self.wheels[path] = facts
        self.changed = True
        return facts

    def save(self, prune: bool = True) -> None:
        """Publish the index atomically (skipped when app data is read-only)."""
        if not (self.changed and self.writable):
            return
        # Keep what other processes learned meanwhile; forget wheels that disappeared.
        on_disk = _load_index(self.path)
        if on_disk is not None:
            self.wheels = {**on_disk.get("wheels", {}), **self.wheels}
        if prune:
            self.wheels = {path: facts for path, facts in self.wheels.items() if os.path.exists(path)}
        try:
            write_store(self.path, self._stored())
        except OSError:
            pass  # a cache we cannot write only costs speed
        self.changed = False


class WheelFinder:
    """Finds the wheel to seed for each request, for one target interpreter."""

    def __init__(
        self,
        app_data: AppData,
        interpreter: Interpreter,
        extra_dirs: Iterable[str],
        writable: bool,
        env: dict[str, str] | None = None,
    ) -> None:
        self.app_data = app_data
        self.interpreter = interpreter
        self.extra_dirs = _unique(os.path.abspath(os.fspath(entry)) for entry in extra_dirs)
        self.env = env
        self.index = WheelIndex(app_data, writable)
        self.target = tuple(interpreter.version_info[:3])
        self._mtimes: dict[str, int | None] = {}  # folder -> mtime, for this run's lookups

    # -- sources ---------------------------------------------------------------------------

    def _sources(self, with_wheelhouse: bool, machine_dirs: list[str]) -> list[tuple[str, str]]:
        sources = [(entry, "extra") for entry in self.extra_dirs]
        if with_wheelhouse:
            sources.append((str(self.app_data.wheelhouse), "wheelhouse"))
        machine = list(self.interpreter.ensurepip_wheel_dirs) + running_wheel_dirs() + machine_dirs
        sources.extend((entry, "machine") for entry in _unique(machine))
        seen: set[str] = set()
        unique = []
        for folder, origin in sources:
            normal = os.path.normpath(folder)
            if normal not in seen:
                seen.add(normal)
                unique.append((normal, origin))
        return unique

    def _key(self, request: Request) -> str:
        interp = self.interpreter
        return "|".join(
            [
                interp.implementation_tag,
                interp.version_str,
                interp.machine,
                str(interp.config.get("SOABI")),
                request.name,
                request.spec,
                *self.extra_dirs,
            ]
        )

    # -- warm path -------------------------------------------------------------------------

    def _remembered(self, key: str) -> WheelFile | None:
        entry = self.index.resolved.get(key)
        if not entry or time.time() >= entry.get("recheck_after", 0):
            return None
        seen = self._mtimes
        for folder, mtime in entry["dirs"]:
            if folder not in seen:
                seen[folder] = _mtime(folder)  # each request lists the same folders: stat once
            if seen[folder] != mtime:
                return None
        path = entry["wheel"]
        try:
            stat = os.stat(path)
        except OSError:
            return None
        facts = self.index.facts(path, stat.st_size, stat.st_mtime_ns)
        return WheelFile(path, facts, entry["origin"]) if facts else None

    # -- cold path -------------------------------------------------------------------------

    def find(self, request: Request, eligible: Any = None) -> WheelFile | None:
        """The wheel to install for *request*, or None if no source has a suitable one.

        *eligible* (wheelhouse file name -> (usable now?, time it becomes usable)) applies
        the periodic-update grace periods to wheelhouse wheels for unpinned requests.
        """
        key = self._key(request)
        remembered = self._remembered(key)
        if remembered is not None:
            return remembered
        sources = self._sources(request.spec != "embed", self._machine_dirs())
        best, recheck_after = self._newest(sources, request, eligible)
        if best is not None:
            self.index.resolved[key] = {
                "dirs": [[folder, _mtime(folder)] for folder, _ in sources],
                "wheel": best.path,
                "origin": best.origin,
                "recheck_after": recheck_after,
            }
            self.index.changed = True
        return best

    def _machine_dirs(self) -> list[str]:
        """Other interpreters' wheel folders, as remembered; looked for again once a day."""
        index = self.index
        if time.time() - index.scanned > RESCAN_AFTER or not index.machine_dirs:
            index.machine_dirs = _unique(other_machine_dirs(self.app_data, self.env))
            index.scanned = time.time()
            index.changed = True
        return index.machine_dirs

    def _newest(self, sources: list[tuple[str, str]], request: Request, eligible: Any) -> tuple[WheelFile | None, float]:
        """The newest suitable wheel in *sources* (on a tie, the earlier source), and when to look again.

        Looking again is due sooner than :data:`RESCAN_AFTER` when a wheelhouse wheel is still
        in its grace period.
        """
        from ..pep440 import version_key

        best: tuple[Any, WheelFile] | None = None
        recheck_after = time.time() + RESCAN_AFTER
        for rank, (folder, origin) in enumerate(sources):
            for filename, version in self._named_fits(folder, request):
                if origin == "wheelhouse" and not request.pinned and eligible is not None:
                    # Before opening anything: a fresh periodic download waits its grace period.
                    usable, usable_from = eligible(filename)
                    if not usable:
                        recheck_after = min(recheck_after, usable_from)
                        continue
                wheel = self._wheel_at(folder, filename, origin)
                sort_key = (version_key(version), -rank)
                if wheel is not None and (best is None or sort_key > best[0]):
                    best = (sort_key, wheel)
        return (best[1] if best else None), recheck_after

    def _named_fits(self, folder: str, request: Request) -> list[tuple[str, str]]:
        """(file name, version) of the wheels in *folder* whose names fit *request* and the target."""
        from ..pep440 import is_prerelease, version_key
        from .versions import WheelName

        try:
            names = sorted(os.listdir(folder))
        except OSError:
            return []
        fits = []
        for filename in names:
            parsed = WheelName.parse(filename)
            if parsed is None or parsed.name != request.name or not parsed.fits(self.interpreter):
                continue
            if request.pinned:
                if version_key(parsed.version) != version_key(request.spec):
                    continue
            elif is_prerelease(parsed.version):
                continue
            fits.append((filename, parsed.version))
        return fits

    def _wheel_at(self, folder: str, filename: str, origin: str) -> WheelFile | None:
        """The wheel *filename* in *folder* if its Requires-Python allows the target (opened once ever)."""
        from .versions import python_allowed

        path = os.path.join(folder, filename)
        try:
            stat = os.stat(path)
        except OSError:
            return None
        facts = self.index.facts(path, stat.st_size, stat.st_mtime_ns) or self.index.learn(path, stat.st_size, stat.st_mtime_ns)
        if facts is None or not python_allowed(facts.get("requires_python"), self.target):
            return None
        return WheelFile(path, facts, origin)

    def forget(self, request: Request) -> None:
        """Drop the remembered choice for *request* (after a download changed the picture)."""
        self._mtimes.clear()
        if self.index.resolved.pop(self._key(request), None) is not None:
            self.index.changed = True

    def save(self) -> None:
        self.index.save()


def describe_sources(finder: WheelFinder) -> str:
    """The folders searched, briefly, for an error message."""
    folders = [folder for folder, _ in finder._sources(True, finder.index.machine_dirs)]
    if len(folders) > 3:
        return f"{', '.join(folders[:3])} and {len(folders) - 3} more folders"
    return ", ".join(folders) if folders else "no folders"
