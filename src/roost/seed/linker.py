"""How image files enter an environment: reflink clone, hard link or copy, on two threads.

Link modes (``--link-mode``):

* ``clone``: a copy-on-write copy (``FICLONE``; Btrfs, XFS, bcachefs...): independent
  files at the cost of a link;
* ``hardlink``: the env's files are the image's files (same inode); needs app data on the
  same filesystem;
* ``copy``: plain copies;
* ``auto`` (default): clone, else hardlink, else copy; the first failure of a kind is
  remembered per device for the rest of the process;
* ``symlink``: see :mod:`roost.seed.via_app_data`.

An explicit ``clone`` or ``hardlink`` that the filesystem cannot do falls back to copying,
with a warning.  Copies keep the image's modification times, so the image's timestamp-based
``.pyc`` files stay valid.

A warm seed is nearly all ``mkdir`` and ``link`` calls (~220 and ~1500 for pip and
setuptools), kernel work that a second core halves: :func:`fill` makes the folders an
image's parts hang from, then a second thread (:func:`roost.session.in_parallel`) and this thread
take parts from one shared queue, heaviest first, this thread after writing the run's other
files.  A shared queue rather than fixed halves: how long a mkdir or a new file takes
varies tenfold with the disk's state, and no fixed split stays even.  Hard links go folder
by folder, by name from an open handle on each side (``linkat``), so the kernel does not
walk both long paths again for every file (about a tenth of the linking time).  The quick
way (no checks) stops at the first error; whatever is left, this thread finishes with
:meth:`Linker.place`, which replaces existing files, falls back, warns and reports damaged
images, so every message and decision stays on the caller's thread.  Each image file is
checked to have the one modification time its image recorded (:class:`ImageChanged`).

One module of a little over 400 lines rather than two (one file / many files): every
seeded run loads both halves, and a second module would cost every run its import.
"""

from __future__ import annotations

import os

from .. import _log
from ..appdata import O_NEW_FILE
from ..errors import RoostError
from ..session import in_parallel

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from typing import Callable

    from ..options import LinkMode

    Group = tuple[str, Sequence[str]]  # a folder ("" or ending in "/") and names of files in it
    Part = tuple[int, Sequence[str], Sequence[Group]]  # weight, folders, files by folder

FICLONE = 0x40049409  # _IOW(0x94, 9, int) on Linux
_O_READ = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
# A folder opened only to name files relative to it (O_PATH: no read permission needed).
_O_FOLDER = getattr(os, "O_PATH", os.O_RDONLY) | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)
_LINK_AT = os.link in os.supports_dir_fd and os.stat in os.supports_dir_fd and hasattr(os, "O_DIRECTORY")
# Fewer files than this in a folder go in by full path: opening and closing the folder on
# both sides costs more than the path walks it saves.
FOLDER_OPEN_MIN = 6
# (source, target) devices between which a way of linking failed: each failure is paid once
# per process (and, for clones, remembered in app data by the caller).
_no_clone: set[tuple[int, int]] = set()
_no_hardlink: set[tuple[int, int]] = set()


# How long "these devices cannot clone" is believed (device numbers can be reused).
NO_CLONE_MEMORY = 7 * 24 * 3600


def recall_no_clone(memory: Iterable[tuple[int, int, float]], now: float) -> set[tuple[int, int]]:
    """The device pairs of *memory* (:attr:`~roost.seed.wheels.WheelIndex.no_clone`) still believed."""
    return {(int(source), int(target)) for source, target, when in memory if now - when < NO_CLONE_MEMORY}


class ImageDamaged(Exception):
    """A file the manifest lists is missing from the image (the message is its path)."""

    @property
    def problem(self) -> str:
        """What is wrong, for a message."""
        return f"{self} is missing"


class ImageChanged(ImageDamaged):
    """An image file's modification time is not the one every file got when it was built.

    Any write into a file (``write``, ``truncate``, a shared ``mmap``) sets its mtime, so
    an edit made in place, through a hard link from an environment, shows here; only a
    deliberate ``utime`` back to the image's time hides one.
    """

    @property
    def problem(self) -> str:
        return f"{self} was changed after the image was built"


# -- one file ------------------------------------------------------------------------------


def _copy_file(src: str, dst: str, clone: bool, mtime: int | None = None) -> None:
    """Copy (or reflink-clone) *src* to a new *dst*, keeping its mode and modification time.

    Raises ImageChanged if *mtime* is given and is not *src*'s (an image file was changed).
    """
    source = os.open(src, _O_READ)
    try:
        info = os.fstat(source)
        size, mtime_ns = info.st_size, info.st_mtime_ns
        if mtime is not None and mtime_ns != mtime:
            raise ImageChanged(src)
        target = os.open(dst, O_NEW_FILE, (info.st_mode & 0o7777) | 0o200)
        try:
            if clone:
                import fcntl

                fcntl.ioctl(target, FICLONE, source)
            else:
                _copy_data(source, target, size)
            os.utime(target, ns=(mtime_ns, mtime_ns))
        except BaseException as exc:
            os.close(target)
            os.unlink(dst)
            if isinstance(exc, OSError) and exc.filename is None:  # a write: say which file (disk full)
                raise OSError(exc.errno, exc.strerror, dst) from None
            raise
        os.close(target)
    finally:
        os.close(source)


def _copy_data(source: int, target: int, size: int) -> None:
    copy_range = getattr(os, "copy_file_range", None)
    left = size
    try:
        while left > 0:
            done = copy_range(source, target, left) if copy_range else os.sendfile(target, source, None, left)
            if done == 0:
                break
            left -= done
        if left <= 0:
            return
    except OSError:
        pass
    # Filesystems without in-kernel copies: plain reads and writes from where we are.
    os.lseek(source, size - left, os.SEEK_SET)
    while True:
        block = os.read(source, 1 << 20)
        if not block:
            return
        os.write(target, block)


class Linker:
    """Brings image files into an environment with one link mode, falling back as needed."""

    def __init__(self, mode: LinkMode, no_clone: Iterable[tuple[int, int]] = ()) -> None:
        self.requested = mode
        self.used: set[str] = set()
        self.no_clone = set(no_clone) | _no_clone
        self.learned = False  # a new pair of devices that cannot clone
        self.method: dict[tuple[int, int], str] = {}  # device pair -> the way that worked there

    def _replace(self, dst: str, action: Callable[[], None]) -> None:
        try:
            action()
        except FileExistsError:
            # Re-seeding an existing environment: the new file replaces the old one.
            os.unlink(dst)
            action()

    def _worked(self, pair: tuple[int, int], method: str) -> None:
        self.used.add(method)
        self.method[pair] = method

    def place(self, src: str, dst: str, src_dev: int, dst_dev: int, mtime: int | None = None) -> None:
        """Put one image file at *dst* (raises ImageDamaged if *src* is gone, or is not of *mtime*)."""
        want = self.requested
        pair = (src_dev, dst_dev)
        try:
            if mtime is not None and os.stat(src, follow_symlinks=False).st_mtime_ns != mtime:
                raise ImageChanged(src)
            if want in ("auto", "clone") and pair not in self.no_clone:
                try:
                    self._replace(dst, lambda: _copy_file(src, dst, clone=True))
                    self._worked(pair, "clone")
                    return
                except FileNotFoundError:
                    raise
                except OSError:
                    _no_clone.add(pair)
                    self.no_clone.add(pair)
                    self.learned = True
            if want == "clone" and "copy" not in self.used:
                _log.warning("this filesystem cannot clone files; copying the seed packages instead")
            if want in ("auto", "hardlink") and pair not in _no_hardlink:
                try:
                    self._replace(dst, lambda: os.link(src, dst))
                    self._worked(pair, "hardlink")
                    return
                except FileNotFoundError:
                    raise
                except OSError:
                    _no_hardlink.add(pair)
                    if want == "hardlink" and "copy" not in self.used:
                        _log.warning("cannot hard-link from app data into the environment (another filesystem?); copying instead")
            self._replace(dst, lambda: _copy_file(src, dst, clone=False))
            self._worked(pair, "copy")
        except FileNotFoundError as exc:
            if not os.path.exists(src):
                raise ImageDamaged(src) from None
            raise RoostError(f"cannot write {dst}: {exc.strerror}") from None

    def fast_method(self, pair: tuple[int, int]) -> str | None:
        """The way every file between these devices can go in without checks, if known yet."""
        known = self.method.get(pair)
        if known is not None or self.requested == "copy":
            return known or "copy"
        if pair in _no_hardlink:
            return None
        if self.requested == "hardlink" or (self.requested == "auto" and pair in self.no_clone):
            return "hardlink"
        return None  # clone untried between these devices: the first file finds out

    def no_clone_memory(self, now: float) -> list[tuple[int, int, float]]:
        """What to remember in app data: every pair known not to clone, as learned *now*."""
        return [(source, target, now) for source, target in sorted(self.no_clone)]

    @property
    def describe(self) -> str:
        order = [mode for mode in ("clone", "hardlink", "copy", "symlink") if mode in self.used]
        return "+".join(order) or self.requested


# -- many files: trees, shared between two threads -----------------------------------------

# Below this much work (in hard links, as the image weighs its parts) a second thread costs
# more than it saves.
THREAD_MIN_WEIGHT = 300
# One thread links besides the caller's: the win on two cores; two or three more measured
# the same within noise (the work is kernel time), so the simplest count stays.


class Tree:
    """An image's ``site`` folder going into a site-packages folder (paths end in ``/``)."""

    __slots__ = ("src", "dst", "spine", "parts", "pair", "mtime")

    def __init__(
        self, src: str, dst: str, spine: Sequence[str], parts: Sequence[Part], pair: tuple[int, int], mtime: int | None = None
    ) -> None:
        self.src = src
        self.dst = dst
        self.spine = spine
        self.parts = parts
        self.pair = pair
        self.mtime = mtime  # every image file's st_mtime_ns (None: not checked)


class _Job:
    """One part of a tree to fill, and how far filling it got."""

    __slots__ = ("tree", "dirs", "groups", "weight", "method", "dirs_made", "group", "name")

    def __init__(self, tree: Tree, weight: int, dirs: Sequence[str], groups: Sequence[Group]) -> None:
        self.tree = tree
        self.weight = weight  # the work, in hard links (from the image's manifest)
        self.dirs = dirs
        self.groups = groups
        self.method: str | None = None  # hardlink, clone or copy: how the quick way puts files
        self.dirs_made = False
        # Files before groups[group][1][name] are in place.
        self.group = 0
        self.name = 0

    @property
    def done(self) -> bool:
        return self.group >= len(self.groups)

    def advance(self, group: int, name: int) -> None:
        """Record that every file before ``groups[group][1][name]`` is in place."""
        groups = self.groups
        while group < len(groups) and name >= len(groups[group][1]):
            group, name = group + 1, 0
        self.group, self.name = group, name

    def remaining(self) -> Iterable[tuple[int, int, str]]:
        """(group, index, path relative to the tree) of every file not yet in place."""
        for group in range(self.group, len(self.groups)):
            folder, names = self.groups[group]
            for index in range(self.name if group == self.group else 0, len(names)):
                yield group, index, folder + names[index]


def _run(queue: list[_Job], stop: list[bool]) -> None:
    """Take jobs from the end of *queue* and fill them the quick way, until it is empty.

    Both threads take from the same queue (``list.pop`` is atomic), so neither waits while
    the other has work left, however slow the disk makes one kind of operation.  Stops at
    the first error (the caller finishes the rest).  Runs in either thread, so it never logs
    and never decides anything: whatever fails (an existing file, a missing one, another
    filesystem) is left to :meth:`Linker.place`.
    """
    mkdir = os.mkdir
    while not stop[0]:
        try:
            job = queue.pop()
        except IndexError:
            return
        if job.method is None:
            continue  # the way in is not known yet: the caller's checked pass does it
        dst = job.tree.dst
        if not job.dirs_made:
            try:
                for folder in job.dirs:
                    try:
                        mkdir(dst + folder)
                    except FileExistsError:
                        pass
            except OSError:
                return
            job.dirs_made = True
        if not _fill_files(job):
            return


def _fill_files(job: _Job) -> bool:
    """Put *job*'s files in the quick way; False (progress recorded) at the first error."""
    src, dst, groups, mtime = job.tree.src, job.tree.dst, job.groups, job.tree.mtime
    group, index = job.group, job.name
    by_path: Callable[[str, str, bool], None]
    if job.method == "hardlink":

        def by_path(source: str, target: str, check: bool) -> None:
            if check and stat(source, follow_symlinks=False).st_mtime_ns != mtime:
                raise ImageChanged(source)
            link(source, target)

    else:
        clone = job.method == "clone"

        def by_path(source: str, target: str, check: bool) -> None:
            _copy_file(source, target, clone, mtime)  # checked for free: it reads the source's times

    by_name = job.method == "hardlink" and _LINK_AT
    link, stat, open_folder, close = os.link, os.stat, os.open, os.close
    # A changed image file stops the quick way (Linker.place then reports it).  Hard links
    # cost one more fstatat per file, by name on the folder already open, in the same
    # threads: for pip + setuptools (1332 files), +2.4 to 3.4 ms wall (+4 ms CPU) checking
    # every file, +1.1 to 1.4 ms (+2 ms CPU) skipping __pycache__/, as here (measured under
    # load on 2 cores, fill() alone, 80 rounds; a warm creation makes 689 more fstatat
    # calls under strace -c -f; hyperfine, both commands one after the other under load:
    # 151 -> 162 ms mean (sd 14), min 129 -> 128 ms).
    # Bytecode is written whole by compilers and replaced, never edited in place, and an
    # edited source makes Python ignore its .pyc.
    try:
        while group < len(groups):
            folder, names = groups[group]
            check = mtime is not None and not folder.endswith("__pycache__/")
            # Opening and closing the folder on both sides is four calls: worth it for a few files.
            if by_name and len(names) - index >= FOLDER_OPEN_MIN:
                source = open_folder(src + folder, _O_FOLDER)
                try:
                    target = open_folder(dst + folder, _O_FOLDER)
                    try:
                        while index < len(names):
                            name = names[index]
                            if check and stat(name, dir_fd=source, follow_symlinks=False).st_mtime_ns != mtime:
                                raise ImageChanged(src + folder + name)
                            link(name, name, src_dir_fd=source, dst_dir_fd=target, follow_symlinks=False)
                            index += 1
                    finally:
                        close(target)
                finally:
                    close(source)
            else:
                while index < len(names):
                    relative = folder + names[index]
                    by_path(src + relative, dst + relative, check)
                    index += 1
            group, index = group + 1, 0
    except (OSError, ImageDamaged):
        job.advance(group, index)
        return False
    job.advance(group, index)
    return True


def _run_slowly(job: _Job, linker: Linker, limit: int | None = None) -> None:
    """Go on with *job* one checked file at a time (replacing files, falling back, reporting)."""
    tree = job.tree
    if not job.dirs_made:
        for folder in job.dirs:
            os.makedirs(tree.dst + folder, exist_ok=True)
        job.dirs_made = True
    src_dev, dst_dev = tree.pair
    placed = 0
    for group, index, relative in job.remaining():
        if limit is not None and placed >= limit:
            return
        linker.place(tree.src + relative, tree.dst + relative, src_dev, dst_dev, tree.mtime)
        job.advance(group, index + 1)
        placed += 1


def _in_parallel(queue: list[_Job], meanwhile: Callable[[], None]) -> None:
    """Fill *queue*'s jobs from a second thread and this one, which calls *meanwhile* first."""
    stop = [False]

    def here() -> None:
        meanwhile()
        _run(queue, stop)

    def halt() -> None:
        stop[0] = True

    in_parallel(here, lambda: _run(queue, stop), stop=halt)


def _nothing() -> None:
    pass


def cores() -> int:
    """How many CPUs this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def fill(trees: Sequence[Tree], linker: Linker, meanwhile: Callable[[], None] = _nothing) -> None:
    """Make every tree's folders and files; two threads share the work when it is big enough.

    Each tree's ``dst`` folder must exist.  *meanwhile* is called once the spine folders
    exist, while the second thread (if any) links: other work of the same run that needs no
    linked file (the seeder's console scripts and RECORD).
    Raises ImageDamaged (a file the manifest lists is missing), RoostError, or what
    *meanwhile* raised.
    """
    jobs: list[_Job] = []
    for tree in trees:
        for folder in tree.spine:
            try:
                os.mkdir(tree.dst + folder)
            except FileExistsError:
                pass
        own = [_Job(tree, weight, dirs, groups) for weight, dirs, groups in tree.parts]
        method = linker.fast_method(tree.pair)
        if method is None:
            # Clone untried here: the first file tries it, and the way it went in is the way.
            first = next((job for job in own if job.groups), None)
            if first is not None:
                _run_slowly(first, linker, limit=1)
            method = linker.method.get(tree.pair)
        for job in own:
            job.method = method
        jobs.extend(own)
    # Lightest first: pop() takes the heaviest jobs first, so the last ones to finish are small.
    queue = sorted(jobs, key=lambda job: job.weight)
    if sum(job.weight for job in jobs) >= THREAD_MIN_WEIGHT and cores() > 1:
        _in_parallel(queue, meanwhile)
    else:
        meanwhile()
        _run(queue, [False])
    for job in jobs:
        if (job.group or job.name) and job.method is not None:
            linker.used.add(job.method)
        if not job.dirs_made or not job.done:
            _run_slowly(job, linker)
