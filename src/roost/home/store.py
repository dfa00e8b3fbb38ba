"""The home: names to folders under ``WORKON_HOME``, and the only ways its entries change.

Every path a command touches comes from :meth:`Home.path` (a validated name joined to the
home) or is the active environment (``VIRTUAL_ENV``), so nothing outside the home is written
or deleted by name.  Removal (:meth:`Home.remove`) takes only environments (``pyvenv.cfg``
present), removes a symbolic link as a link, and renames the folder out of sight first, so
an interrupted removal never leaves a half environment under the name.
"""

from __future__ import annotations

import os

from ..errors import RoostError, UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

#: Characters a name may not hold: path separators, the PATH separators of both platforms
#: (activation would split PATH), and what shells or the list output would misread.
_FORBIDDEN = frozenset("/\\:;\0")
PROJECT_FILE_DEFAULT = ".project"
PATH_EXTENSIONS = "_virtualenv_path_extensions.pth"
# Renamed to this (plus a unique tail) before removal: hidden, and not a valid name.
_REMOVING = ".roost-removing-"
# What a killed run leaves in the home: a folder being removed, or a copy not yet in place.
COPYING = ".roost-copying-"
_LEFTOVERS = (_REMOVING, COPYING)


def validate_name(name: str) -> str:
    """Return *name* if it can name an environment; otherwise a UsageError saying why."""
    why = None
    if not name:
        why = "is empty"
    elif name in (".", ".."):
        why = "is a path, not a name"
    elif any(char in _FORBIDDEN for char in name):
        # before the '.' test: '../../x' is a path, and saying "starts with '.'" would hide that
        why = "is not a plain name: it contains a path separator, ':' or ';'"
    elif name.startswith("-"):
        why = "starts with '-' and would read as an option"
    elif name.startswith("."):
        why = "starts with '.' (hidden names are left to the tools that keep files in the home)"
    elif any(ord(char) < 32 or ord(char) == 127 for char in name):
        why = "contains a control character"
    elif name != name.strip():
        why = "starts or ends with white space"
    if why is not None:
        raise UsageError(f"environment name {name!r} {why}", hint="use letters, digits, '-', '_' and '.'")
    return name


def derive_workon_home(env: Mapping[str, str]) -> str:
    """The home's folder as virtualenvwrapper derives it (``virtualenvwrapper_derive_workon_home``).

    Unset or empty is ``$HOME/.virtualenvs``; ``~`` and ``~user`` are expanded; any other
    relative value is taken from ``$HOME`` (not the current folder, so every shell and every
    folder agree on one home, and a literal ``~`` is never made in the current folder); the
    result is normalised (no trailing or doubled ``/``), as the shell-init scripts export it.
    virtualenvwrapper also expands ``$VARS`` in it; roost does not (a shell has done that
    already for any value a user typed).
    """
    home = env.get("HOME") or os.path.expanduser("~")
    raw = env.get("WORKON_HOME") or os.path.join(home, ".virtualenvs")
    if raw == "~" or raw.startswith("~/"):
        raw = home + raw[1:]  # this env's HOME, which the shells use too
    elif raw.startswith("~"):
        raw = os.path.expanduser(raw)  # ~user; an unknown user stays as it is (relative)
    if not os.path.isabs(raw):
        raw = os.path.join(home, raw)
    return os.path.normpath(raw)


def is_environment(path: str) -> bool:
    """Whether *path* holds an environment a user would list: ``pyvenv.cfg`` or ``bin/activate``."""
    return os.path.isfile(os.path.join(path, "pyvenv.cfg")) or os.path.isfile(os.path.join(path, "bin", "activate"))


def site_packages(env_path: str) -> str:
    """The environment's site-packages folder (the newest, when an upgrade left an old one)."""
    from ..envreader import read_environment

    folders = read_environment(env_path).site_packages
    if not folders:
        raise RoostError(f"{env_path} has no site-packages folder", hint="`roost check` tells what is wrong")
    return folders[-1]


class Home:
    """One ``WORKON_HOME`` with its hook folder and project home, read from *env*."""

    __slots__ = ("root", "hook_dir", "project_home", "project_file", "env")

    def __init__(self, env: Mapping[str, str]) -> None:
        self.env = env
        self.root = derive_workon_home(env)
        self.hook_dir = os.path.abspath(env.get("VIRTUALENVWRAPPER_HOOK_DIR") or self.root)
        project = env.get("PROJECT_HOME")
        self.project_home = os.path.abspath(project) if project else None
        self.project_file = env.get("VIRTUALENVWRAPPER_PROJECT_FILENAME") or PROJECT_FILE_DEFAULT

    def __repr__(self) -> str:
        return f"Home({self.root!r})"

    def path(self, name: str) -> str:
        """The folder of the environment called *name* (validated; it need not exist)."""
        return os.path.join(self.root, validate_name(name))

    def ensure(self) -> None:
        """Create the home folder if it is missing."""
        os.makedirs(self.root, exist_ok=True)

    def names(self) -> list[str]:
        """The environments in the home, sorted; hidden entries and plain folders are skipped."""
        try:
            entries = os.listdir(self.root)
        except FileNotFoundError:
            return []
        return sorted(n for n in entries if not n.startswith(".") and is_environment(os.path.join(self.root, n)))

    def existing(self, name: str) -> str:
        """The folder of an existing environment *name*, or a RoostError naming the fix."""
        path = self.path(name)
        if not is_environment(path):
            raise RoostError(f"no environment {name!r} in {self.root}", hint=f"create it with `roost home new {name}`")
        return path

    def target(self, name_or_active: str) -> str:
        """An existing environment by name, or the active one given as its path (``$VIRTUAL_ENV``).

        The shell functions that act on "the current environment" pass ``$VIRTUAL_ENV``;
        no other path is accepted, so a typo can never point a command outside the home.
        """
        active = self.env.get("VIRTUAL_ENV")
        if active and name_or_active == active and is_environment(active):
            return active
        return self.existing(name_or_active)

    def active_name(self) -> str | None:
        """The name of the active environment when it lives in this home."""
        active = self.env.get("VIRTUAL_ENV")
        if active and os.path.dirname(os.path.abspath(active)) == self.root:
            return os.path.basename(active)
        return None

    def is_active(self, path: str) -> bool:
        """Whether *path* is the active environment, also through a link in the home.

        Real paths are compared: ``workon lnk`` activates the environment a link points at,
        whose activate script sets VIRTUAL_ENV to the real folder, not to the link.
        """
        active = self.env.get("VIRTUAL_ENV")
        return active is not None and active != "" and os.path.realpath(active) == os.path.realpath(path)

    def reserve(self, name: str) -> str:
        """Create the empty folder for a new environment; a clear error if the name is taken.

        ``mkdir`` is atomic, so of two ``new`` runs for one name exactly one gets the folder.
        """
        path = self.path(name)
        self.ensure()
        self.sweep_leftovers()
        try:
            os.mkdir(path)
        except FileExistsError:
            raise RoostError(
                f"environment {name!r} already exists in {self.root} (or is being created)",
                hint=f"use it with `workon {name}`, or pick another name",
            ) from None
        return path

    def sweep_leftovers(self) -> None:
        """Finish removing what a killed ``rm`` or ``cp`` left: hidden folders whose run has ended.

        Their names end in the pid of the run that made them (:func:`~roost.appdata.unique_name`);
        a folder whose run is still alive here is left alone.  Each is claimed by a rename
        before removal, so two sweeps never remove the same folder.  Best effort: an error
        (or a mount inside) leaves the hidden folder for a later sweep.
        """
        if os.name != "posix":  # os.kill(pid, 0) is the liveness test; on Windows it would kill
            return
        try:
            entries = os.listdir(self.root)
        except OSError:
            return
        from ..appdata import remove_tree as remove_staying_on
        from ..appdata import unique_name

        for entry in entries:
            if not entry.startswith(_LEFTOVERS) or _run_alive(entry):
                continue
            claimed = os.path.join(self.root, _REMOVING + unique_name("swept").lstrip("."))
            try:
                os.rename(os.path.join(self.root, entry), claimed)
                remove_staying_on(claimed, os.lstat(claimed).st_dev)
            except OSError:
                continue

    def check_removable(self, name: str) -> str:
        """The path of *name* if :meth:`remove` may delete it; otherwise a RoostError saying why."""
        path = self.path(name)
        if os.path.islink(path):
            # a link is the home's to remove only when it stands for an environment; a link to
            # any other folder (or to nothing) is refused as that folder itself would be
            if not os.path.isfile(os.path.join(path, "pyvenv.cfg")):
                raise RoostError(
                    f"{path} is a link to {os.readlink(path)}, which is not an environment (no pyvenv.cfg), "
                    "so roost won't remove it",
                    hint="remove the link yourself if you are sure",
                )
            return path
        if not os.path.isdir(path):
            raise RoostError(f"no environment {name!r} in {self.root}", hint="`roost home ls` lists them")
        if not os.path.isfile(os.path.join(path, "pyvenv.cfg")):
            raise RoostError(
                f"{path} is not an environment (no pyvenv.cfg), so roost won't delete it",
                hint="remove it yourself if you are sure",
            )
        from ..appdata import mount_points

        real = os.path.realpath(path)
        mounted = [point for point in mount_points() if point == real or point.startswith(real + os.sep)]
        if mounted:
            raise RoostError(
                f"{mounted[0]} is another file system mounted inside {path}, so roost won't delete it",
                hint="unmount it first",
            )
        return path

    def remove(self, name: str) -> str:
        """Delete the environment *name*; a link is removed as a link.  Returns what was removed."""
        path = self.check_removable(name)
        if os.path.islink(path):
            os.unlink(path)  # the link is the home's; what it points at is not
            return f"the link {path}"
        from ..appdata import unique_name

        hidden = os.path.join(self.root, _REMOVING + unique_name(name).lstrip("."))
        os.rename(path, hidden)  # the name is free at once; a crash leaves only a hidden folder
        remove_tree(hidden)
        return path


def _run_alive(leftover: str) -> bool:
    """Whether the run named in *leftover* (``...<pid>.<thread>.<count>.tmp``) is still running here."""
    parts = leftover.rsplit(".", 4)
    if len(parts) != 5 or parts[-1] != "tmp" or not parts[1].isdigit():
        return True  # not a name roost made: never touched
    try:
        os.kill(int(parts[1]), 0)
    except ProcessLookupError:
        return False
    except (OSError, OverflowError):  # EPERM: alive, another user's
        return True
    return True


def remove_tree(path: str) -> None:
    """Delete the folder *path*, removing links inside as links and never crossing a mount point.

    A mount point (another file system, or a bind mount of the same one: the mount table
    tells) is neither entered nor removed; then a RoostError names what stayed.
    """
    from ..appdata import remove_tree as remove_staying_on

    left = remove_staying_on(path, os.lstat(path).st_dev)
    if left:
        raise RoostError(f"left {', '.join(left)} in place: another file system is mounted there", hint="unmount it first")


def read_project(env_path: str, project_file: str = PROJECT_FILE_DEFAULT) -> str | None:
    """The project folder an environment's ``.project`` names, or None."""
    try:
        with open(os.path.join(env_path, project_file), encoding="utf-8") as handle:
            return handle.read().strip() or None
    except (FileNotFoundError, NotADirectoryError):
        return None
