"""The app-data folder: roost's cache of interpreter facts, wheels and seed images.

Readers never lock: everything finished is published by an atomic rename, so a reader
either sees a complete entry or none.  Writers lock (with :mod:`filelock`, imported only
then) while they build something expensive, so two processes don't build it twice.
"""

from __future__ import annotations

import _thread  # not threading: same primitives, no ~1 ms import
import marshal
import os
import sys

from .errors import RoostError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~4 ms)
if TYPE_CHECKING:
    from collections.abc import Mapping

    from filelock import BaseFileLock

# Marks a folder as roost's own, so --reset-app-data only ever deletes what roost made.
MARKER = "ROOST_APP_DATA"
# Everything roost puts directly in an app-data folder (the seed index and the periodic
# update's state are named in roost.seed.wheels and roost.seed.periodic; a test keeps this
# list whole).  --reset-app-data deletes these and nothing else.
OWN_ENTRIES = (
    "images",
    "interpreters",
    "locks",
    "wheelhouse",
    "seed-index.store",
    "seed-index.json",  # format 1 of the seed index
    "periodic-update.json",
    "requirements-built.store",  # roost.seed.reqfetch: wheels pip built from verified sdists
    "requirements-checked.store",  # roost.seed.reqdeps: dependency checks that passed
    "resolutions.store",  # roost.seed.reqapi: pip's resolutions, re-used for the same inputs
    "plugins.store",  # roost.plugins: which entry points sys.path offers
)
_counter_lock = _thread.allocate_lock()
_counter = 0


def default_root(env: Mapping[str, str]) -> str:
    """Where app data lives unless the user says otherwise (XDG data dir on Linux)."""
    override = env.get("ROOST_OVERRIDE_APP_DATA") or env.get("VIRTUALENV_OVERRIDE_APP_DATA")
    if override:
        return override
    if sys.platform.startswith("linux"):
        # platformdirs gives the same answer; computing it here keeps the warm path free of it.
        base = env.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
        return os.path.join(base, "roost")
    import platformdirs

    return str(platformdirs.user_data_dir("roost", appauthor=False))


def unique_name(stem: str) -> str:
    """A name no other thread or process of this machine will pick at the same time."""
    global _counter
    with _counter_lock:
        _counter += 1
        count = _counter
    return f".{stem}.{os.getpid()}.{_thread.get_ident()}.{count}.tmp"


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write *data* to *path* so readers see the old file or the new one, never a part."""
    path = os.fspath(path)
    folder, name = os.path.split(path)
    temporary = os.path.join(folder, unique_name(name))
    try:
        write_new_file(temporary, data, make_folder=True)  # replaces a killed writer's leftover
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def write_new_file(path: str, data: bytes, mode: int = 0o666, replace: bool = True, make_folder: bool = False) -> None:
    """Make *path* a new file holding *data* (permissions *mode* less the umask).

    Whatever is at *path* already is removed first (*replace*) or left alone
    (FileExistsError), never written through: a symbolic link placed where roost writes a
    script cannot redirect the write elsewhere.  With *make_folder*, a missing folder is
    made, once the write found it missing (not checked before every write).
    """
    try:
        _write_exclusive(path, data, mode)
    except FileExistsError:
        if not replace:
            raise
        os.unlink(path)
        _write_exclusive(path, data, mode)
    except FileNotFoundError:
        if not make_folder:
            raise
        os.makedirs(os.path.dirname(path), exist_ok=True)
        write_new_file(path, data, mode, replace)


# Plain descriptors, not open(): a buffered file object costs three more system calls
# (fstat, ioctl, lseek) and its layers of Python, for files written once in one piece.
# O_BINARY: on Windows os.open defaults to text mode, which would turn \n into \r\n.
O_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


def _write_exclusive(path: str, data: bytes, mode: int) -> None:
    handle = os.open(path, O_NEW_FILE, mode)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(handle, view) :]
    except OSError as exc:  # a write (disk full): the error names the file, and no part of it stays
        os.close(handle)
        os.unlink(path)
        raise OSError(exc.errno, exc.strerror, path) from None
    os.close(handle)


class AppData:
    """One app-data root; ``read_only`` means nothing is ever written below it."""

    __slots__ = ("root", "read_only")

    def __init__(self, root: str | os.PathLike[str], read_only: bool = False) -> None:
        self.root = os.fspath(root)
        self.read_only = read_only

    def __repr__(self) -> str:
        return f"AppData({str(self.root)!r}, read_only={self.read_only})"

    @property
    def interpreters(self) -> str:
        """One file of facts per interpreter."""
        return os.path.join(self.root, "interpreters")

    @property
    def wheelhouse(self) -> str:
        """Downloaded and updated wheels."""
        return os.path.join(self.root, "wheelhouse")

    @property
    def images(self) -> str:
        """Unpacked, byte-compiled wheels, one folder per distribution, version and target."""
        return os.path.join(self.root, "images")

    @property
    def writable(self) -> bool:
        if self.read_only:
            return False
        probe = self.root
        while not os.path.exists(probe) and probe != os.path.dirname(probe):
            probe = os.path.dirname(probe)
        return os.access(probe, os.W_OK)

    def ensure(self) -> None:
        """Create the root and its marker (no-op when read-only)."""
        if self.read_only:
            return
        try:
            os.makedirs(self.root, exist_ok=True)
        except (FileExistsError, NotADirectoryError):
            raise RoostError(f"the app-data folder {self.root} is a file, or under one", "point --app-data at a folder") from None
        marker = os.path.join(self.root, MARKER)
        if not os.path.exists(marker) and set(os.listdir(self.root)) <= set(OWN_ENTRIES):
            # Only a folder that holds nothing but roost's own entries is marked: a folder of
            # the user's, named with --app-data, is used but never becomes resettable.
            atomic_write_bytes(marker, b"This folder is roost's app-data cache; roost may delete what it made here.\n")

    def lock(self, name: str) -> BaseFileLock:
        """An inter-process lock for building *name* (cold path only)."""
        from filelock import FileLock

        locks = os.path.join(self.root, "locks")
        os.makedirs(locks, exist_ok=True)
        return FileLock(os.path.join(locks, f"{name}.lock"))

    def reset(self) -> None:
        """Empty the cache (--reset-app-data): roost's own entries, in a folder roost marked.

        Anything else in the folder (a file the user keeps there) stays.
        """
        if not os.path.exists(self.root):
            return
        if self.read_only:
            raise RoostError(f"cannot reset read-only app data at {self.root}", "drop --read-only-app-data")
        if not os.path.isfile(os.path.join(self.root, MARKER)):
            raise RoostError(
                f"refusing to reset {self.root}: it is not roost's app-data folder (no {MARKER} file)",
                "point --app-data at a folder roost made, or delete its cache folders yourself",
            )
        from . import _log

        device = os.stat(self.root).st_dev
        doomed = []
        for name in os.listdir(self.root):
            if not _is_own_entry(name):
                continue
            # Moved aside first, so a concurrent reader sees a whole entry or none.
            path = os.path.join(self.root, name)
            aside = os.path.join(self.root, unique_name(name))
            try:
                os.rename(path, aside)
            except FileNotFoundError:  # another reset got there first
                continue
            except OSError as exc:  # a mount point (EBUSY, EXDEV): never emptied across it
                _log.warning(f"left {path} in place: {exc.strerror}")
                continue
            doomed.append(aside)
        points = mount_points()  # after the renames: a mount inside an entry moved with it
        skipped = [kept for aside in doomed for kept in remove_tree(aside, device, points)]
        if skipped:
            _log.warning(f"left {', '.join(skipped)} in place: another filesystem is mounted there")


def remove_tree(path: str, device: int, points: list[str] | None = None) -> list[str]:
    """Delete *path* and all below it, staying on filesystem *device*; returns what was left.

    A symbolic link is removed as a link, never followed.  A folder on another filesystem,
    or with anything mounted on it (a bind mount of a folder on the same filesystem has the
    same ``st_dev``, so the mount table is asked too), is neither entered nor removed: it
    is returned instead, so the caller can say what stayed.  Errors name their path.
    *points*: :func:`mount_points`, when the caller removes several trees.
    """
    real = os.path.realpath(path)
    points = mount_points() if points is None else points
    mounted = {os.path.join(path, os.path.relpath(point, real)) for point in points if point.startswith(real + os.sep)}
    return _remove_tree(path, device, mounted)


def _remove_tree(path: str, device: int, mounted: set[str]) -> list[str]:
    status = os.stat(path, follow_symlinks=False)
    if not _is_folder(status.st_mode):
        return _unlink_file(path)
    if status.st_dev != device or path in mounted:
        return [path]
    skipped: list[str] = []
    with os.scandir(path) as entries:
        children = list(entries)
    for entry in children:
        if entry.is_dir(follow_symlinks=False):
            skipped += _remove_tree(entry.path, device, mounted)
        else:
            skipped += _unlink_file(entry.path)
    if not skipped:
        os.rmdir(path)
    return skipped


def mount_points() -> list[str]:
    """Every mount point this process sees (Linux's mount table; elsewhere, none known)."""
    try:
        with open("/proc/self/mountinfo", "rb") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return []
    points = []
    for line in lines:
        fields = line.split(b" ")
        if len(fields) > 4:
            # Octal escapes for space, tab, newline and backslash (\040 ...).
            text = os.fsdecode(fields[4])
            if "\\" in text:
                text = _unescape_octal(text)
            points.append(text)
    return points


def _unescape_octal(text: str) -> str:
    parts = text.split("\\")
    out = [parts[0]]
    for part in parts[1:]:
        if len(part) >= 3 and all(c in "01234567" for c in part[:3]):
            out.append(chr(int(part[:3], 8)) + part[3:])
        else:
            out.append("\\" + part)
    return "".join(out)


def _unlink_file(path: str) -> list[str]:
    try:
        os.unlink(path)
    except OSError as exc:
        import errno

        if exc.errno == errno.EBUSY:  # a file bind-mounted over this one: not ours to remove
            return [path]
        raise
    return []


def _is_folder(mode: int) -> bool:
    return mode & 0o170000 == 0o040000  # stat.S_ISDIR, without importing stat


def _is_own_entry(name: str) -> bool:
    """One of :data:`OWN_ENTRIES`, or what a killed writer of one left (see :func:`unique_name`)."""
    if name in OWN_ENTRIES:
        return True
    return name.startswith(".") and name.endswith(".tmp") and name[1:].split(".", 1)[0] in _OWN_STEMS


_OWN_STEMS = {entry.split(".", 1)[0] for entry in OWN_ENTRIES}


# -- store files ---------------------------------------------------------------------------

# Small cache files of plain data (dicts, lists, str, int, float, bool, None) in app data.
#
# roost writes these and roost reads them, on every warm creation, so they are stored with
# :mod:`marshal`: built in, about ten times faster to load than JSON, and it keeps :mod:`json`
# (and with it :mod:`re`) out of the warm path.  Format 4 of plain values has not changed
# since Python 3.4, so every Python that runs roost reads what another one wrote.
#
# A file is the magic line followed by the marshalled value.  Anything else (a file of an
# older roost, a truncated or damaged one) loads as None: the caller treats it as a miss
# and writes a fresh one.  Files are published by an atomic rename, so readers never lock.

STORE_MAGIC = b"roost-store 1\n"
_MARSHAL_FORMAT = 4


def parse_store(content: bytes) -> object | None:
    """The value stored in *content*, or None if it is not a store file."""
    if not content.startswith(STORE_MAGIC):
        return None
    try:
        value: object = marshal.loads(memoryview(content)[len(STORE_MAGIC) :])
    except (EOFError, ValueError, TypeError):
        return None
    return value


def read_store(path: str | os.PathLike[str]) -> object | None:
    """The value stored at *path*, or None when it is missing or not a store file."""
    try:
        with open(path, "rb") as handle:
            content = handle.read()
    except OSError:
        return None
    return parse_store(content)


def store_bytes(value: object) -> bytes:
    """*value* as the bytes of a store file (plain data only)."""
    return STORE_MAGIC + marshal.dumps(value, _MARSHAL_FORMAT)  # type: ignore[arg-type]


def write_store(path: str | os.PathLike[str], value: object) -> None:
    """Store *value* at *path*, atomically."""
    atomic_write_bytes(path, store_bytes(value))
