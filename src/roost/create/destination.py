"""Destination safety: what DEST may be, one run at a time on it, and never losing the user's files.

Rules (see README, "Existing destinations"):
- DEST must be non-empty text, free of the path-list separator, and encodable.
- One run at a time: a run takes an exclusive lock (``flock`` on ``DEST/.roost.lock``)
  before it looks at DEST, and lets go however it ends; a second run waits.
- DEST missing or an empty folder: create there.
- DEST is an environment (has ``pyvenv.cfg``): update it in place; ``--clear`` empties it first.
- DEST is a non-empty folder that is not an environment: refuse, unless ``--allow-existing``
  (or it holds only tox's own entries), which creates alongside the files there.  The
  names found there are recorded (:data:`RECORD`); a later ``--clear`` keeps them.
- DEST holds roost's record, proven to be for this very folder, and no ``pyvenv.cfg``: a
  creation or a ``--clear`` was interrupted there.  The next run finishes it: everything
  but the recorded names is removed, then the environment is made.  A record that does not
  name this folder (a copy, a clone) proves nothing: the folder is the user's.
- DEST is a file, or a dangling symlink: refuse.  ``--clear`` never follows a symlink: a
  symlinked DEST is refused, and links inside DEST are removed, never their targets.
  Nothing is deleted across a filesystem boundary (a mount point inside DEST stays).
"""

from __future__ import annotations

import os

from ..appdata import mount_points, read_store, remove_tree, store_bytes, write_new_file
from ..errors import RoostError, UsageError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~4 ms)
if TYPE_CHECKING:
    from typing import Literal

    from ..discovery.interpreter import Interpreter
    from ..options import RedirectMode

    # What DEST was when this run took it (``unfinished``: roost's own interrupted work).
    DestState = Literal["missing", "empty", "environment", "foreign", "unfinished"]
    # What to do with a DEST that already has something in it, decided once from the flags
    # (as uv's OnExisting): refuse a folder of the user's, create alongside it, or --clear.
    OnExisting = Literal["fail", "allow", "remove"]

# Held (flock) for the whole run; stays in an environment, as uv's ``.lock`` does.
LOCK = ".roost.lock"
# roost's record of its work in a folder: the folder it is for, the names that were there
# before roost wrote anything (the user's, kept by --clear), and whether the run finished.
# Written before the first change, it outlives the run: unfinished and with no pyvenv.cfg
# beside it, it marks roost's interrupted work, which the next run finishes.  Finished, the
# folder is an environment even if someone deleted its pyvenv.cfg since: updated, never emptied.
RECORD = ".roost-dest"
_OWN = (LOCK, RECORD)
# tox makes these in an env folder before it asks for the environment (as virtualenv allows).
_TOX_ENTRIES = frozenset({"log", "tmp", ".tox-info.json"})


def on_existing(clear: bool, allow_existing: bool) -> OnExisting:
    """The one decision --clear and --allow-existing make (--clear wins)."""
    return "remove" if clear else "allow" if allow_existing else "fail"


def resolve_dest(raw: str, cwd: str | os.PathLike[str], interpreter: Interpreter) -> str:
    """The absolute DEST, or a UsageError saying why *raw* cannot be one (touches no disk)."""
    if not raw or not raw.strip():
        raise UsageError("DEST is empty", "name a folder, for example: roost .venv")
    if "\0" in raw:
        raise UsageError("DEST contains a NUL character", "choose another name")
    text = os.path.normpath(os.path.join(cwd, os.path.expanduser(raw)))
    separator = ";" if interpreter.is_windows else ":"
    if separator in text:
        raise UsageError(
            f"DEST {text!r} contains the path-list separator {separator!r}",
            "PATH could not hold its bin folder; choose a path without it",
        )
    encoding = interpreter.filesystem_encoding or "utf-8"
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        raise UsageError(
            f"DEST {text!r} cannot be encoded as {encoding}", "choose a path the target interpreter can encode"
        ) from None
    return text


def contained(root: str, relative: str) -> str | None:
    """The path *relative* (read from a file: RECORD, a manifest, a wheel) names inside *root*.

    None when it would leave *root*: absolute, a drive, ``..`` above *root*, or through a
    symbolic link to a folder outside it.  The one check every delete or write by a path
    read from a file goes through.
    """
    if not relative or "\0" in relative or os.path.isabs(relative) or (os.sep == "\\" and ":" in relative):
        return None
    root = os.path.normpath(root)
    path = os.path.normpath(os.path.join(root, relative))
    if not path.startswith(root + os.sep):
        return None
    real_root = os.path.realpath(root)
    parent = os.path.realpath(os.path.dirname(path))
    if parent != real_root and not parent.startswith(real_root + os.sep):
        return None
    return path


# -- the lock: one run on a DEST at a time ---------------------------------------------------


class Claim:
    """This run's hold on DEST: the lock, what DEST was, what this run made.

    Used as a context manager around the whole run: :meth:`acquire` makes DEST (and its
    missing parents, noted in :attr:`made`) and waits for the lock; leaving releases it.
    """

    __slots__ = ("dest", "made", "_handle")

    def __init__(self, dest: str) -> None:
        self.dest = dest
        self.made: list[str] = []  # folders this run created, DEST last
        self._handle = -1

    def __enter__(self) -> Claim:
        self.acquire()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.release()

    def acquire(self) -> None:
        """Make DEST if missing, then lock it (waiting for another run on it to end)."""
        if os.path.islink(self.dest) and not os.path.exists(self.dest):
            raise RoostError(
                f"DEST {self.dest} is a symlink to {os.readlink(self.dest)}, which does not exist",
                "remove the link or choose another path (roost won't write through it)",
            )
        if os.path.lexists(self.dest) and not os.path.isdir(self.dest):
            raise RoostError(f"DEST {self.dest} exists and is not a folder", "choose another path")
        waited = False
        while True:
            self._make_folders()
            path = os.path.join(self.dest, LOCK)
            try:
                handle = os.open(path, _LOCK_FLAGS, 0o644)
            except FileNotFoundError:
                continue  # a failed run removed DEST after we made it: make it again
            except OSError as exc:
                raise RoostError(
                    f"cannot lock DEST: {exc.strerror}: {path}", "check the folder's owner and permissions"
                ) from None
            try:
                waited = _lock(handle, self.dest, waited)
            except BaseException:
                os.close(handle)
                raise
            # The lock counts only if the file is still DEST's: the run we waited for may
            # have removed it (with DEST) before letting go.
            held = os.fstat(handle)
            try:
                now = os.stat(path, follow_symlinks=False)
            except FileNotFoundError:
                now = None
            if now is not None and (now.st_ino, now.st_dev) == (held.st_ino, held.st_dev):
                self._handle = handle
                return
            os.close(handle)

    def _make_folders(self) -> None:
        missing = []
        folder = self.dest
        while not os.path.isdir(folder):
            if os.path.lexists(folder):
                raise RoostError(f"cannot create {self.dest}: {folder} is not a folder", "choose another path")
            missing.append(folder)
            parent = os.path.dirname(folder)
            if parent == folder:
                break
            folder = parent
        for folder in reversed(missing):
            try:
                os.mkdir(folder)
            except FileExistsError:
                continue  # made by another run at the same moment: theirs, not ours
            except OSError as exc:
                raise RoostError(
                    f"cannot create {self.dest}: {exc.strerror}: {folder}", "choose a path you can write to"
                ) from None
            self.made.append(folder)

    def release(self) -> None:
        """Let go of the lock; outside a finished environment, remove the lock file first."""
        if self._handle < 0:
            return
        handle, self._handle = self._handle, -1
        try:
            if not os.path.isfile(os.path.join(self.dest, "pyvenv.cfg")):
                # Removed while still held: a waiting run then sees its file is gone and retries.
                try:
                    os.unlink(os.path.join(self.dest, LOCK))
                except OSError:
                    pass
                self._remove_made()
        finally:
            os.close(handle)

    def _remove_made(self) -> None:
        """Remove the folders this run made, where nothing is left in them."""
        for folder in reversed(self.made):
            try:
                os.rmdir(folder)
            except OSError:
                break  # not empty: something of this run's stays (or someone else's)
        self.made = []


_LOCK_FLAGS = os.O_RDONLY | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


def _lock(handle: int, dest: str, waited: bool) -> bool:
    """Take the exclusive lock on *handle*, waiting (and saying so once) while another run holds it."""
    try:
        import fcntl  # already loaded on most runs: the linker's clone ioctl lives there too
    except ImportError:  # Windows: no flock; runs on one DEST are not serialised there
        return waited
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return waited
    except BlockingIOError:
        pass
    if not waited:
        from .. import _log

        _log.info(f"waiting for another roost run on {dest} to finish")
    fcntl.flock(handle, fcntl.LOCK_EX)
    return True


# -- what DEST is, and making it ready -------------------------------------------------------


def read_record(dest: str) -> dict[str, object] | None:
    """roost's record in *dest* (see :data:`RECORD`), or None."""
    value = read_store(os.path.join(dest, RECORD))
    if isinstance(value, dict) and isinstance(value.get("keep"), list):
        return value
    return None


def _identity(dest: str) -> list[object]:
    status = os.stat(dest)
    return [os.path.realpath(dest), status.st_dev, status.st_ino]


def _proven(record: dict[str, object] | None, dest: str) -> bool:
    """The record was written by roost for this very folder (not carried in by a copy)."""
    return record is not None and record.get("for") == _identity(dest)


def kept_names(record: dict[str, object] | None) -> list[str]:
    """The names a record says were the user's before roost wrote there."""
    keep = record.get("keep") if record else None
    return [name for name in keep if isinstance(name, str)] if isinstance(keep, list) else []


def write_record(dest: str, keep: list[str], finished: bool = False) -> None:
    """Record, before the first change, that roost works in *dest* and which names to keep;
    with *finished*, after the last one (pyvenv.cfg is there)."""
    data = store_bytes({"roost": 1, "for": _identity(dest), "keep": sorted(keep), "finished": finished})
    write_new_file(os.path.join(dest, RECORD), data, 0o644)


def classify(dest: str) -> tuple[DestState, list[str]]:
    """What DEST is, and the names in it that are the user's (``foreign``) or to keep."""
    if _looks_like_environment(dest):
        return "environment", kept_names(read_record(dest))
    try:
        with os.scandir(dest) as entries:
            names = [entry.name for entry in entries if entry.name not in _OWN]
    except FileNotFoundError:
        return "missing", []
    except OSError as exc:
        raise RoostError(f"cannot read DEST {dest}: {exc.strerror}") from None
    if os.path.lexists(os.path.join(dest, RECORD)):
        record = read_record(dest)
        if _proven(record, dest):
            assert record is not None
            # finished: an environment whose pyvenv.cfg someone removed, not roost's leftovers
            return ("environment" if record.get("finished") is True else "unfinished"), kept_names(record)
        names.append(RECORD)  # not roost's: a file of the user's like any other
    return ("foreign" if names else "empty"), names


def read_pyvenv_cfg(path: str) -> dict[str, str]:
    """``key = value`` lines of a pyvenv.cfg (keys lower-cased, as CPython's site.py reads them)."""
    values: dict[str, str] = {}
    with open(path, encoding="utf-8", errors="surrogateescape") as handle:
        for line in handle:
            key, equals, value = line.partition("=")
            if equals:
                values[key.strip().lower()] = value.strip()
    return values


def _looks_like_environment(dest: str) -> bool:
    """A ``pyvenv.cfg`` naming a ``home``, beside a bin (or Scripts) folder: what every tool makes.

    A bare or stray ``pyvenv.cfg`` (copied in, or an empty file) does not make a folder of the
    user's an environment that ``--clear`` may empty or an update may write into.
    """
    try:
        has_home = "home" in read_pyvenv_cfg(os.path.join(dest, "pyvenv.cfg"))
    except OSError:
        return False
    return has_home and (os.path.isdir(os.path.join(dest, "bin")) or os.path.isdir(os.path.join(dest, "Scripts")))


# What may stand at the top of an environment (any tool's, and what packages install there).
ENVIRONMENT_TOP = frozenset(
    {"bin", "Scripts", "lib", "Lib", "lib64", "include", "Include", "share", "etc", "man", "pyvenv.cfg", ".gitignore"}
    | {"CACHEDIR.TAG", ".lock", LOCK, RECORD}
)


def _roosts_own(name: str) -> bool:
    """A hidden name of roost's work: ``.roost-*``, or an atomic write's ``.NAME.PID.THREAD.N.tmp``."""
    if name.startswith(".roost"):
        return True
    parts = name.split(".")  # ["", stem..., pid, thread, count, "tmp"]; no `re` on the warm path
    return len(parts) >= 6 and parts[0] == "" and parts[-1] == "tmp" and all(part.isdigit() for part in parts[-4:-1])


def _names(dest: str) -> list[str]:
    try:
        return os.listdir(dest)
    except OSError:
        return []


def prepare(dest: str, decision: OnExisting) -> tuple[DestState, list[str]]:
    """Check DEST (locked by this run) and clear it when asked and allowed.

    Returns what DEST was and the names that stay the user's whatever happens.
    """
    from .. import _log

    kind, keep = classify(dest)
    if kind == "unfinished":
        _log.info(f"finishing the work roost left unfinished in {dest}")
        if decision != "remove":
            # A killed run wrote only an environment's own names: anything else at the top
            # came later, from the user, and stays theirs (an explicit --clear empties it).
            later = [name for name in _names(dest) if name not in ENVIRONMENT_TOP and not _roosts_own(name)]
            keep = [*keep, *(name for name in later if name not in keep)]
    if kind in ("environment", "unfinished") and (decision == "remove" or kind == "unfinished"):
        if os.path.islink(dest):
            raise RoostError(
                f"--clear: DEST {dest} is a symlink to {os.readlink(dest)}",
                "roost never clears through a symlink; pass the real path",
            )
        clear_environment(dest, keep)
        return "unfinished", keep
    if kind == "foreign":
        if decision == "remove":
            raise RoostError(
                f"--clear: {dest} is not an environment (no pyvenv.cfg naming a home beside bin/), so roost won't empty it",
                "choose another path, or remove the files yourself",
            )
        if decision == "fail" and not set(keep) <= _TOX_ENTRIES:
            raise RoostError(
                f"DEST {dest} is a non-empty folder that is not an environment (no pyvenv.cfg naming a home beside bin/)",
                "choose another path, or pass --allow-existing to create alongside its files (none is changed)",
            )
    if kind == "environment":
        refuse_links_out(dest)
    else:
        write_record(dest, keep)
    return kind, keep


# The folders an update in place writes into (interpreter links, scripts, seed packages).
_WRITTEN = ("bin", "Scripts", "include", "Include", "lib", "Lib", "lib64", "lib/*", "lib/*/site-packages", "Lib/site-packages")


def refuse_links_out(dest: str) -> None:
    """Refuse to update the environment at *dest* when a folder it writes into is a link out of it.

    Writing there would replace the files of a folder that is not the environment's
    (``bin -> ~/bin``: its ``python`` and ``activate``).  A link inside (``lib64 -> lib``) is fine.
    """
    import glob

    real = os.path.realpath(dest)
    device = os.stat(dest).st_dev
    points = set(mount_points())
    for pattern in _WRITTEN:
        for path in glob.glob(os.path.join(glob.escape(dest), pattern)):
            _refuse_foreign_folder(path, real, device, points)
    # The seed packages' own folders are replaced file by file: none may lead out either.
    for site in glob.glob(os.path.join(glob.escape(dest), "lib", "*", "site-packages")):
        for name in _SEED_FOLDERS:
            top = os.path.join(site, name)
            if os.path.isdir(top):
                _refuse_foreign_folder(top, real, device, points)
                if not os.path.islink(top):
                    _refuse_foreign_below(top, real + top[len(dest) :], real, device, points)


def _refuse_foreign_below(folder: str, real_folder: str, real_dest: str, device: int, points: set[str]) -> None:
    """:func:`_refuse_foreign_folder` for every folder below *folder* (a real folder at *real_folder*).

    Only a link costs a realpath; a plain folder is checked by its device and its place.
    """
    stack = [(folder, real_folder)]
    while stack:
        here, real_here = stack.pop()
        with os.scandir(here) as entries:
            for entry in entries:
                if entry.is_symlink():
                    _refuse_foreign_folder(entry.path, real_dest, device, points)
                elif entry.is_dir(follow_symlinks=False):
                    real_entry = real_here + os.sep + entry.name
                    if entry.stat(follow_symlinks=False).st_dev != device or real_entry in points:
                        raise _mounted(entry.path)
                    stack.append((entry.path, real_entry))


def _in_an_image(target: str) -> bool:
    """Is *target* inside one of roost's images (``--symlink-app-data`` links there)?

    Such a link is replaced as a whole by an update, never written through.
    """
    folder, parent = target, os.path.dirname(target)
    while parent != folder:  # <images>/<key>/site/<package>/<any depth>
        folder, parent = parent, os.path.dirname(parent)
        if os.path.isfile(os.path.join(folder, "image.store")):
            return True
    return False


# The top-level folders of the seed packages an update replaces.
_SEED_FOLDERS = ("pip", "setuptools", "pkg_resources", "_distutils_hack", "wheel")


def _refuse_foreign_folder(path: str, real_dest: str, device: int, points: set[str]) -> None:
    """Refuse when writing into *path* would write outside the environment: a link out, or a mount."""
    target = os.path.realpath(path)
    if target != real_dest and not target.startswith(real_dest + os.sep) and not _in_an_image(target):
        raise RoostError(
            f"{path} leads to {target}, outside the environment, so roost won't write there",
            "remove the link, or pass --clear to make the environment again",
        )
    try:
        mounted = os.stat(path).st_dev != device or target in points
    except OSError:
        return
    if mounted:
        raise _mounted(path)


def _mounted(path: str) -> RoostError:
    return RoostError(
        f"{path} is another filesystem mounted in the environment, so roost won't write there",
        "unmount it, or choose another path",
    )


def clear_environment(dest: str, keep: list[str]) -> None:
    """Empty an environment's folder but for *keep*, never following a link or crossing a mount."""
    # The record first, then pyvenv.cfg: if we are interrupted, what remains no longer looks
    # like an environment, and the next run knows it as roost's own to finish.
    write_record(dest, keep)
    try:
        os.unlink(os.path.join(dest, "pyvenv.cfg"))
    except FileNotFoundError:
        pass
    remove_contents(dest, keep=(*keep, *_OWN))


def remove_contents(dest: str, keep: tuple[str, ...] | list[str] = ()) -> None:
    """Delete everything inside *dest* but *keep*: links as links, nothing on another filesystem."""
    device = os.stat(dest).st_dev
    with os.scandir(dest) as entries:
        doomed = [entry.path for entry in entries if entry.name not in keep]
    skipped: list[str] = []
    points = mount_points()
    for path in doomed:
        skipped += remove_tree(path, device, points)
    if skipped:
        from .. import _log

        _log.warning(f"left {', '.join(skipped)} in place: another filesystem is mounted there")


# -- the PEP 832 .venv redirect (provisional; as virtualenv writes it) ----------------------


def point_venv_redirect(dest: str, mode: RedirectMode) -> None:
    """Point ``.venv`` beside *dest* at it: a file holding the folder's name (PEP 832).

    *mode* ``in-project`` (the default) claims ``.venv`` only in a project folder (a
    ``pyproject.toml`` beside DEST) that has none yet; ``always`` also outside one; ``never``
    never.  A ``.venv`` that is a folder or a link, or a file pointing at an environment
    neither roost nor virtualenv made, is left alone.
    """
    name = os.path.basename(dest)
    if mode == "never" or name == ".venv":
        return
    parent = os.path.dirname(dest)
    redirect = os.path.join(parent, ".venv")
    exists = os.path.lexists(redirect)
    if mode == "in-project" and (exists or not os.path.isfile(os.path.join(parent, "pyproject.toml"))):
        return
    if exists and (os.path.islink(redirect) or not os.path.isfile(redirect) or not _points_at_ours(redirect)):
        return
    from .. import _log

    if name != name.strip() or name.splitlines() != [name]:
        _log.warning(f"not pointing {redirect} at {dest}: the name has a line break or surrounding spaces")
        return
    from ..appdata import write_new_file

    try:
        write_new_file(redirect, f"{name}\n".encode())
    except OSError as exc:
        _log.warning(f"could not point {redirect} at {dest}: {exc.strerror}")
    else:
        _log.info(f"{redirect} points at {name}")


def _points_at_ours(redirect: str) -> bool:
    """The redirect file names an environment roost or virtualenv made (safe to repoint)."""
    try:
        with open(redirect, encoding="utf-8") as handle:
            line = handle.read().split("\n", 1)[0]
        if not line:
            return False
        with open(os.path.join(os.path.dirname(redirect), line, "pyvenv.cfg"), encoding="utf-8") as handle:
            keys = {text.partition("=")[0].strip() for text in handle}
    except (OSError, ValueError):
        return False
    return bool(keys & {"roost", "virtualenv"})
