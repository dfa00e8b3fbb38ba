"""How one image file enters an environment: reflink clone, hard link or copy.

Link modes (``--link-mode``):

* ``clone``: a copy-on-write copy (``FICLONE``; Btrfs, XFS, bcachefs...): independent
  files at the cost of a link;
* ``hardlink``: the env's files are the image's files (same inode); needs app data on the
  same filesystem;
* ``copy``: plain copies;
* ``auto`` (default): clone, else hardlink, else copy; the first failure of a kind is
  remembered per device for the rest of the process;
* ``symlink``: see :mod:`roost.seed.install`.

An explicit ``clone`` or ``hardlink`` that the filesystem cannot do falls back to copying,
with a warning.  Copies keep the image's modification times, so the image's timestamp-based
``.pyc`` files stay valid.
"""

from __future__ import annotations

import os

from .. import _log
from ..errors import RoostError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Callable

FICLONE = 0x40049409  # _IOW(0x94, 9, int) on Linux
_O_READ = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0)
_O_WRITE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
# (source, target) devices between which a way of linking failed: each failure is paid once
# per process (and, for clones, remembered in app data by the caller).
_no_clone: set[tuple[int, int]] = set()
_no_hardlink: set[tuple[int, int]] = set()


class ImageDamaged(Exception):
    """A file the manifest lists is missing from the image."""


# -- one file ------------------------------------------------------------------------------


def _copy_file(src: str, dst: str, size: int, mtime_ns: int, mode: int, clone: bool) -> None:
    """Copy (or reflink-clone) *src* to a new *dst*, keeping the modification time."""
    source = os.open(src, _O_READ)
    try:
        target = os.open(dst, _O_WRITE, mode | 0o200)
        try:
            if clone:
                import fcntl

                fcntl.ioctl(target, FICLONE, source)
            else:
                _copy_data(source, target, size)
            os.utime(target, ns=(mtime_ns, mtime_ns))
        except BaseException:
            os.close(target)
            os.unlink(dst)
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

    def __init__(self, mode: str, no_clone: Iterable[tuple[int, int]] = ()) -> None:
        self.requested = mode
        self.used: set[str] = set()
        self.no_clone = set(no_clone) | _no_clone
        self.learned = False  # a new pair of devices that cannot clone

    def _replace(self, dst: str, action: Callable[[], None]) -> None:
        try:
            action()
        except FileExistsError:
            # Re-seeding an existing environment: the new file replaces the old one.
            os.unlink(dst)
            action()

    def place(self, src: str, dst: str, size: int, mtime_ns: int, mode: int, src_dev: int, dst_dev: int) -> None:
        """Put one image file at *dst* (raises ImageDamaged if *src* is gone)."""
        want = self.requested
        pair = (src_dev, dst_dev)
        try:
            if want in ("auto", "clone") and pair not in self.no_clone:
                try:
                    self._replace(dst, lambda: _copy_file(src, dst, size, mtime_ns, mode, clone=True))
                    self.used.add("clone")
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
                    self.used.add("hardlink")
                    return
                except FileNotFoundError:
                    raise
                except OSError:
                    _no_hardlink.add(pair)
                    if want == "hardlink" and "copy" not in self.used:
                        _log.warning("cannot hard-link from app data into the environment (another filesystem?); copying instead")
            self._replace(dst, lambda: _copy_file(src, dst, size, mtime_ns, mode, clone=False))
            self.used.add("copy")
        except FileNotFoundError as exc:
            if not os.path.exists(src):
                raise ImageDamaged(src) from None
            raise RoostError(f"cannot write {dst}: {exc.strerror}") from None

    @property
    def describe(self) -> str:
        order = [mode for mode in ("clone", "hardlink", "copy", "symlink") if mode in self.used]
        return "+".join(order) or self.requested
