"""Putting the interpreter into an environment's bin folder: symlinks or real copies.

A copied interpreter built as a shared library must still find that library: when the
binary looks for it relative to itself (an ``$ORIGIN`` run path) and the base keeps it
there, the library is copied to the same relative place in the environment.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~4 ms)
if TYPE_CHECKING:
    from ..discovery.interpreter import Interpreter

_ORIGIN_PATHS = re.compile(rb"\$ORIGIN[^\x00:]*")


def _make_room(path: Path) -> None:
    """Remove whatever is at *path*: a previous run's link or copy, replaced on update."""
    if os.path.lexists(path):
        os.unlink(path)


def link_interpreter(interpreter: Interpreter, bin_dir: Path, copies: bool) -> list[Path]:
    """Make every interpreter name in *bin_dir*; returns the paths made, canonical first."""
    source = Path(os.path.realpath(interpreter.system_executable))
    names = interpreter.executable_names()
    canonical = bin_dir / names[0]
    made = [canonical]
    _make_room(canonical)
    if copies:
        _copy_file(source, canonical)
    else:
        os.symlink(source, canonical)
    for name in names[1:]:
        alias = bin_dir / name
        _make_room(alias)
        if copies:
            # Hard links between the copies cost no space; copy where the filesystem refuses.
            _link_or_copy(canonical, alias)
        else:
            os.symlink(names[0], alias)
        made.append(alias)
    if copies:
        _copy_origin_libraries(interpreter, source, canonical)
    return made


def _copy_file(source: Path, target: Path) -> None:
    import shutil

    shutil.copy2(source, target)


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        _copy_file(source, target)


def _shared_library_names(interpreter: Interpreter) -> list[str]:
    config = interpreter.config
    names = [str(config[key]) for key in ("INSTSONAME", "LDLIBRARY") if config.get(key)]
    if interpreter.is_pypy:
        names += [f"libpypy{interpreter.major_minor}-c.so", "libpypy3-c.so", "libpypy-c.so"]
    return list(dict.fromkeys(names))


def _copy_origin_libraries(interpreter: Interpreter, source: Path, copied: Path) -> list[Path]:
    """Copy the shared libraries a copied binary finds through ``$ORIGIN``."""
    if not interpreter.shared_library:
        return []
    try:
        with open(source, "rb") as handle:
            head = handle.read(4 * 1024 * 1024)
    except OSError:
        return []
    if not head.startswith(b"\x7fELF"):
        return []
    copied_libraries = []
    for match in set(_ORIGIN_PATHS.findall(head)):
        relative = os.fsdecode(match)[len("$ORIGIN") :].lstrip("/")
        for name in _shared_library_names(interpreter):
            library = source.parent / relative / name
            if library.is_file():
                target = copied.parent / relative / name
                target.parent.mkdir(parents=True, exist_ok=True)
                if not target.exists():
                    _copy_file(library.resolve(), target)
                copied_libraries.append(target)
    return copied_libraries
