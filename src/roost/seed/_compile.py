# -*- coding: utf-8 -*-
# ruff: noqa: UP009, UP031  (Python 2.7 must run this file)
"""Byte-compile every ``.py`` file under a folder, run by the TARGET interpreter.

Usage: ``python _compile.py FOLDER [INDEX COUNT [PARENT]]``; with INDEX and COUNT, only every
COUNT-th file from the INDEX-th on (in a fixed order), so COUNT processes share the work;
PARENT is roost's process id: once that is not our parent any more, roost is gone and we stop.

Writes the bytecode pip would write when installing (the plain level, timestamp-checked,
in ``__pycache__`` with the interpreter's cache tag), so an image's ``.pyc`` files are
valid inside every environment it is linked into.  Files that do not compile are skipped,
as pip does.  Standard library only; valid on Python 2.7 and 3.6+.  Prints the number of
files compiled.
"""

import os
import py_compile
import sys
import warnings


def _cache_path(source):
    # type: (str) -> str
    try:
        import importlib.util

        return importlib.util.cache_from_source(source)
    except (ImportError, AttributeError):  # Python 2
        return source + "c"


def _die_with_parent():
    # type: () -> None
    """Linux: the kernel kills us the moment roost dies (SIGKILL gives roost no time to)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL(None).prctl(1, 9)  # PR_SET_PDEATHSIG, SIGKILL
    except Exception:  # noqa: BLE001 - no ctypes, no prctl: the parent check below still stops us
        pass


def _cache_folder_made(source):
    # type: (str) -> bool
    """Make the folder *source*'s .pyc goes in without making any other: False once the
    source's folder is gone.

    py_compile makes every missing folder on the way to the .pyc, so writing after the next
    run removed this killed build's folder would bring a piece of it back, for good.
    """
    cache = os.path.dirname(_cache_path(source))
    if cache == os.path.dirname(source):  # Python 2: beside the source
        return os.path.isdir(cache)
    try:
        os.mkdir(cache)
    except OSError:
        return os.path.isdir(cache)
    return True


def main(folder, index=0, count=1, parent=0):
    # type: (str, int, int, int) -> None
    # roost waits for us; if it was killed we are reparented: stop rather than go on
    # writing into a folder nobody will publish (the next build of the image removes it).
    # The parent's id comes from roost itself: read here, it would already be init's when
    # roost died before we got this far.
    parent = parent or os.getppid()
    _die_with_parent()
    if os.getppid() != parent:
        sys.exit(3)
    options = {}  # type: dict[str, object]
    if hasattr(py_compile, "PycInvalidationMode"):
        # Explicit, so SOURCE_DATE_EPOCH in the environment cannot switch to hash-based pycs.
        options["invalidation_mode"] = py_compile.PycInvalidationMode.TIMESTAMP
    compiled = 0
    seen = -1
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for root, dirs, files in os.walk(folder):
            dirs.sort()
            for name in sorted(files):
                if not name.endswith(".py"):
                    continue
                seen += 1
                if seen % count != index:
                    continue
                source = os.path.join(root, name)
                if os.getppid() != parent or not _cache_folder_made(source):
                    sys.exit(3)
                relative = os.path.relpath(source, folder).replace(os.sep, "/")
                try:
                    py_compile.compile(source, cfile=_cache_path(source), dfile=relative, doraise=True, **options)  # type: ignore[arg-type]
                    compiled += 1
                except (py_compile.PyCompileError, SyntaxError, UnicodeError, ValueError):
                    pass
    sys.stdout.write("%d\n" % compiled)


if __name__ == "__main__":
    if len(sys.argv) > 4:
        main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
    elif len(sys.argv) > 3:
        main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
    else:
        main(sys.argv[1])
