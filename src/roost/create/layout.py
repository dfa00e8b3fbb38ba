"""Layout: where each part of an environment lives, computed from the interpreter's rules.

Pure: computing a layout touches no disk.  The creator, seeder and activators all read
paths from here so they never disagree about them.
"""

from __future__ import annotations

from pathlib import Path

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~4 ms)
if TYPE_CHECKING:
    from ..discovery.interpreter import Interpreter


class Layout:
    """The paths of one environment at *dest* for *interpreter*."""

    __slots__ = ("dest", "interpreter", "bin_dir", "purelib", "platlib", "include", "exe", "pyvenv_cfg")

    def __init__(self, dest: Path, interpreter: Interpreter) -> None:
        self.dest = dest
        self.interpreter = interpreter
        self.bin_dir = (
            interpreter.scheme_path("scripts", dest)
            if interpreter.paths.get("scripts")
            else dest / ("Scripts" if interpreter.is_windows else "bin")
        )
        self.purelib = interpreter.scheme_path("purelib", dest)
        self.platlib = interpreter.scheme_path("platlib", dest)
        self.include = dest / "include"
        self.exe = self.bin_dir / interpreter.executable_names()[-1 if not interpreter.is_windows else 0]
        if not interpreter.is_windows:
            self.exe = self.bin_dir / "python"
        self.pyvenv_cfg = dest / "pyvenv.cfg"

    @property
    def script_dir(self) -> Path:
        """Where console scripts go (the bin dir, as in virtualenv)."""
        return self.bin_dir

    @property
    def site_packages(self) -> tuple[Path, ...]:
        """purelib and platlib, without repeats."""
        return (self.purelib,) if self.purelib == self.platlib else (self.purelib, self.platlib)

    @property
    def lib_dir(self) -> Path:
        """The top ``lib`` folder (``lib/`` on POSIX, ``Lib/`` on Windows)."""
        relative = Path(self.interpreter.paths.get("purelib", "lib"))
        return self.dest / relative.parts[0]

    def __repr__(self) -> str:
        return f"Layout({str(self.dest)!r})"
