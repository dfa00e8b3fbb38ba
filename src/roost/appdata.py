"""The app-data folder: roost's cache of interpreter facts, wheels and seed images.

Readers never lock: everything finished is published by an atomic rename, so a reader
either sees a complete entry or none.  Writers lock (with :mod:`filelock`, imported only
then) while they build something expensive, so two processes don't build it twice.
"""

from __future__ import annotations

import _thread  # not threading: same primitives, no ~1 ms import
import os
import sys
from pathlib import Path

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~4 ms)
if TYPE_CHECKING:
    from collections.abc import Mapping

    from filelock import BaseFileLock

# Marks a folder as roost's own, so --reset-app-data only ever deletes what roost made.
MARKER = "ROOST_APP_DATA"
_counter_lock = _thread.allocate_lock()
_counter = 0


def default_root(env: Mapping[str, str]) -> Path:
    """Where app data lives unless the user says otherwise (XDG data dir on Linux)."""
    override = env.get("ROOST_OVERRIDE_APP_DATA") or env.get("VIRTUALENV_OVERRIDE_APP_DATA")
    if override:
        return Path(override)
    if sys.platform.startswith("linux"):
        # platformdirs gives the same answer; computing it here keeps the warm path free of it.
        base = env.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
        return Path(base) / "roost"
    import platformdirs

    return Path(platformdirs.user_data_dir("roost", appauthor=False))


def unique_name(stem: str) -> str:
    """A name no other thread or process of this machine will pick at the same time."""
    global _counter
    with _counter_lock:
        _counter += 1
        count = _counter
    return f".{stem}.{os.getpid()}.{_thread.get_ident()}.{count}.tmp"


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write *data* to *path* so readers see the old file or the new one, never a part."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.parent / unique_name(path.name)
    try:
        with open(temporary, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


class AppData:
    """One app-data root; ``read_only`` means nothing is ever written below it."""

    __slots__ = ("root", "read_only")

    def __init__(self, root: Path, read_only: bool = False) -> None:
        self.root = root
        self.read_only = read_only

    def __repr__(self) -> str:
        return f"AppData({str(self.root)!r}, read_only={self.read_only})"

    @property
    def interpreters(self) -> Path:
        """One JSON file of facts per interpreter."""
        return self.root / "interpreters"

    @property
    def wheelhouse(self) -> Path:
        """Downloaded and updated wheels."""
        return self.root / "wheelhouse"

    @property
    def images(self) -> Path:
        """Unpacked, byte-compiled wheels, one folder per distribution, version and target."""
        return self.root / "images"

    @property
    def writable(self) -> bool:
        if self.read_only:
            return False
        probe = self.root if self.root.exists() else self.root.parent
        while not probe.exists() and probe != probe.parent:
            probe = probe.parent
        return os.access(probe, os.W_OK)

    def ensure(self) -> None:
        """Create the root and its marker (no-op when read-only)."""
        if self.read_only:
            return
        self.root.mkdir(parents=True, exist_ok=True)
        marker = self.root / MARKER
        if not marker.exists():
            atomic_write_bytes(marker, b"This folder is roost's app-data cache; roost may delete it.\n")

    def lock(self, name: str) -> BaseFileLock:
        """An inter-process lock for building *name* (cold path only)."""
        from filelock import FileLock

        locks = self.root / "locks"
        locks.mkdir(parents=True, exist_ok=True)
        return FileLock(str(locks / f"{name}.lock"))

    def reset(self) -> None:
        """Delete the cache (--reset-app-data), but only a folder roost marked as its own."""
        from .errors import RoostError

        if not self.root.exists():
            return
        if self.read_only:
            raise RoostError(f"cannot reset read-only app data at {self.root}", "drop --read-only-app-data")
        if not (self.root / MARKER).is_file():
            raise RoostError(
                f"refusing to reset {self.root}: it is not roost's app-data folder (no {MARKER} file)",
                "point --app-data at a folder roost made, or delete it yourself",
            )
        import shutil

        # Move it aside first so a concurrent reader never sees a half-deleted cache.
        doomed = self.root.parent / unique_name(self.root.name)
        os.rename(self.root, doomed)
        shutil.rmtree(doomed, ignore_errors=True)
