"""``cp SRC DEST`` and ``mv SRC DEST``: the result works at its new place.

Both reserve DEST first (so a name is never taken twice), put the environment there, then
rewrite every path that still points at the old place with :func:`roost.relocate.rewrite_paths`
(shebangs, activation scripts, ``.pth`` files, RECORD, ...).  A copy is made and pointed at
DEST in a hidden folder of the home and renamed onto DEST once complete, so an interrupted
copy never leaves a half environment (or one still running the source's python) under the
name; if rewriting fails, the copy is removed again.
"""

from __future__ import annotations

import os

from ..errors import RoostError, UsageError
from .hooks import run_hook
from .store import COPYING, Home, is_environment, remove_tree

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence


def _source(home: Home, given: str) -> str:
    """SRC: a name in the home, or the path of an environment elsewhere (only read)."""
    if os.sep in given or (os.altsep and os.altsep in given):
        path = os.path.abspath(os.path.expanduser(given))
        if not os.path.isfile(os.path.join(path, "pyvenv.cfg")):
            raise RoostError(f"{path} is not an environment (no pyvenv.cfg)", hint="name an environment to copy")
        return path
    return home.existing(given)


def _names(verb: str, args: Sequence[str]) -> tuple[str, str | None]:
    if len(args) not in (1, 2):
        raise UsageError(f"{verb} needs SRC and DEST", hint=f"roost home {verb} SRC DEST")
    return args[0], args[1] if len(args) == 2 else None


def cp(home: Home, args: Sequence[str]) -> int:
    """``cp SRC [DEST]``: copy; DEST defaults to SRC's folder name (importing an environment from elsewhere)."""
    import shutil

    given, dest_name = _names("cp", args)
    source = _source(home, given)
    dest_name = dest_name or os.path.basename(source)
    dest = home.reserve(dest_name)
    print(f"Copying {os.path.basename(source)} as {dest_name}...")
    from ..appdata import unique_name

    staging = os.path.join(home.root, COPYING + unique_name(dest_name).lstrip("."))
    try:
        # links stay links (bin/python names the base; lib64 -> lib); nothing is followed out
        try:
            shutil.copytree(source, staging, symlinks=True)
        except shutil.Error as exc:  # its text is every failed file: say the first, and how many
            failures = exc.args[0] if exc.args and isinstance(exc.args[0], list) else []
            if not failures:
                raise
            more = f" (and {len(failures) - 1} more)" if len(failures) > 1 else ""
            raise RoostError(
                f"cannot copy {failures[0][0]}: {failures[0][2]}{more}", hint="the source changed or is unreadable; try again"
            ) from None
        # pointed at DEST while still hidden: a kill never leaves a copy under the name whose
        # scripts still run the source's python (and pip installs into the source)
        _relocate(staging, source, dest)
        os.rename(staging, dest)  # onto the empty reserved folder: the copy appears whole
    except BaseException:
        for leftover in (staging, dest):
            if os.path.isdir(leftover) and not os.path.islink(leftover):
                remove_tree(leftover)
        raise
    run_hook(home, "precpvirtualenv", source, dest_name)
    run_hook(home, "premkvirtualenv", dest_name)
    return 0


def mv(home: Home, args: Sequence[str]) -> int:
    """``mv SRC DEST``: rename an environment of the home and rewrite its paths."""
    given, dest_name = _names("mv", args)
    if dest_name is None:
        raise UsageError("mv needs SRC and DEST", hint="roost home mv SRC DEST")
    source = home.existing(given)
    if os.path.islink(source) or not os.path.isfile(os.path.join(source, "pyvenv.cfg")):
        raise RoostError(f"{source} is not an environment roost can move (a link, or no pyvenv.cfg)")
    if home.is_active(source):
        raise RoostError(f"cannot move the active environment {given!r}", hint="run `deactivate` first")
    dest = home.reserve(dest_name)
    try:
        os.rename(source, dest)  # one file system (one home): atomic
    except OSError:
        os.rmdir(dest)  # the name this run reserved (a mount point cannot be renamed: EBUSY)
        raise
    try:
        _relocate(dest, source, dest)
    except BaseException:
        os.rename(dest, source)  # back where it was: its paths still point there
        raise
    print(f"Moved {given} to {dest_name}")
    return 0


def _relocate(root: str, old_root: str, new_root: str) -> None:
    from ..relocate import rewrite_paths

    rewrite_paths(root, old_root, new_root)
    if not is_environment(root):
        raise RoostError(f"{root} is not an environment after the copy", hint="check the source with `roost check`")
