"""Layout: where each part of an environment lives, computed from the interpreter's rules.

Pure: computing a layout touches no disk.  The creator, seeder and activators all read
paths from here so they never disagree about them.  Paths are text (``os.path``): pathlib
costs ~5 ms of imports on the warm path; :class:`~roost.create.creator.Creator` hands out
``pathlib.Path`` objects to API users.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~4 ms)
if TYPE_CHECKING:
    from ..discovery.interpreter import Interpreter


def _under(dest: str, relative: str) -> str:
    # normpath: the same text pathlib's `dest / relative` gave (one separator kind, no "."
    # parts), whatever separators the probe reported.
    return os.path.normpath(os.path.join(dest, relative)) if relative else dest


class Layout:
    """The paths of one environment at *dest* for *interpreter* (absolute ``str`` paths)."""

    __slots__ = ("dest", "interpreter", "bin_dir", "purelib", "platlib", "include", "exe", "pyvenv_cfg")

    def __init__(self, dest: str | os.PathLike[str], interpreter: Interpreter) -> None:
        dest = os.fspath(dest)
        paths = interpreter.paths
        windows = interpreter.is_windows
        self.dest = dest
        self.interpreter = interpreter
        self.bin_dir = _under(dest, paths.get("scripts") or ("Scripts" if windows else "bin"))
        self.purelib = _under(dest, paths.get("purelib") or "")
        self.platlib = _under(dest, paths.get("platlib") or "")
        self.include = os.path.join(dest, "include")
        self.exe = os.path.join(self.bin_dir, interpreter.executable_names()[0] if windows else "python")
        self.pyvenv_cfg = os.path.join(dest, "pyvenv.cfg")

    @property
    def script_dir(self) -> str:
        """Where console scripts go (the bin dir, as in virtualenv)."""
        return self.bin_dir

    @property
    def site_packages(self) -> tuple[str, ...]:
        """purelib and platlib, without repeats."""
        return (self.purelib,) if self.purelib == self.platlib else (self.purelib, self.platlib)

    @property
    def lib_dir(self) -> str:
        """The top ``lib`` folder (``lib/`` on POSIX, ``Lib/`` on Windows)."""
        relative = os.path.normpath(self.interpreter.paths.get("purelib", "lib"))
        return os.path.join(self.dest, relative.split(os.sep, 1)[0])

    def __repr__(self) -> str:
        return f"Layout({self.dest!r})"
