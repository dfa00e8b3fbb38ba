"""Putting the interpreter into an environment's bin folder: symlinks or real copies.

A copied interpreter built as a shared library must still find that library: when the
binary looks for it relative to itself (an ``$ORIGIN`` run path) and the base keeps it
there, the library is copied to the same relative place in the environment.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~4 ms)
if TYPE_CHECKING:
    from ..discovery.interpreter import Interpreter


def _make_room(path: str) -> None:
    """Remove whatever is at *path*: a previous run's link or copy, replaced on update."""
    if os.path.lexists(path):
        os.unlink(path)


def link_interpreter(interpreter: Interpreter, bin_dir: str, copies: bool) -> list[str]:
    """Make every interpreter name in *bin_dir*; returns the paths made, canonical first."""
    source = os.path.realpath(interpreter.system_executable)
    names = interpreter.executable_names()
    canonical = os.path.join(bin_dir, names[0])
    made = [canonical]
    _make_room(canonical)
    if copies:
        _copy_file(source, canonical)
    else:
        os.symlink(source, canonical)
    for name in names[1:]:
        alias = os.path.join(bin_dir, name)
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


def _copy_file(source: str, target: str) -> None:
    import shutil

    shutil.copy2(source, target)


def _link_or_copy(source: str, target: str) -> None:
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


def _copy_origin_libraries(interpreter: Interpreter, source: str, copied: str) -> list[str]:
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
    import re  # only for --copies of a shared-library build: not on the common path

    copied_libraries = []
    for match in set(re.findall(rb"\$ORIGIN[^\x00:]*", head)):
        relative = os.fsdecode(match)[len("$ORIGIN") :].lstrip("/")
        for name in _shared_library_names(interpreter):
            library = os.path.join(os.path.dirname(source), relative, name)
            if os.path.isfile(library):
                target = os.path.join(os.path.dirname(copied), relative, name)
                os.makedirs(os.path.dirname(target), exist_ok=True)
                if not os.path.exists(target):
                    _copy_file(os.path.realpath(library), target)
                copied_libraries.append(target)
    return copied_libraries
