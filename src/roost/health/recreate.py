"""``roost repair --recreate``: rebuild an environment for a new interpreter, keeping its packages.

The steps, each leaving the old environment untouched until the last:

1. record what is installed (names, versions, editable projects and their folders);
2. build a new environment in a hidden folder beside the old one (same parent, so the
   swap is a rename on one filesystem), with roost's own session;
3. reinstall, offline first: pure-Python distributions are packed back into wheels from
   the old environment's own files, and pip looks in those, roost's wheel cache and pip's
   wheel cache; what is still missing comes from pip's configured index;
4. point the new environment's paths at the old one's place (:func:`roost.relocate.rewrite_paths`);
5. exchange the two folders in one atomic rename (``renameat2(RENAME_EXCHANGE)`` on Linux,
   ``renamex_np(RENAME_SWAP)`` on macOS), then delete the old one.

A failure or a kill before step 5 leaves the old environment as it was (and a hidden
folder that the next run clears); after it the new one is complete.
"""

from __future__ import annotations

import os
import shutil

from .. import _log
from ..errors import RoostError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

    from ..appdata import AppData
    from ..discovery.interpreter import Interpreter
    from ..envreader import Distribution, Environment

__all__ = ["exchange", "recreate", "reinstall_plan"]

# Inside a folder that roost may delete: the half-built new environment, or the old one
# after the exchange.  A hidden sibling without it is never deleted.
_MARKER = ".roost-recreate"
_PROOF = (_MARKER, "pyvenv.cfg")


def _work_prefix(root: str) -> str:
    return os.path.join(os.path.dirname(root), f".{os.path.basename(root)}.roost-recreate-")


def recreate(
    old: Environment, interpreter: Interpreter, app_data: AppData, environ: Mapping[str, str], *, dry_run: bool = False
) -> list[str]:
    """Rebuild *old* for *interpreter* with its packages, swapping it in atomically; returns the steps."""
    if os.path.islink(old.root.rstrip(os.sep)):
        # The swap exchanges two directory entries: through a link it would replace the
        # link and leave the folder it points at behind, emptied.
        target = os.path.realpath(old.root)
        raise RoostError(
            f"cannot recreate {old.root}: it is a symbolic link to {target}",
            f"recreate the folder itself: roost repair --recreate {target} (the link keeps pointing at it)",
        )
    # pip comes with the new environment (seeded, as any roost environment)
    dists = [dist for dist in old.distributions() if dist.key != "pip"]
    plan = reinstall_plan(old, interpreter, dists)
    if dry_run:
        return plan
    missing = [dist for dist in dists if dist.editable and not (dist.source and os.path.isdir(dist.source))]
    if missing:
        names = ", ".join(f"{dist.name} ({dist.source})" for dist in missing)
        raise RoostError(f"cannot recreate {old.root}: editable projects whose folders are gone: {names}", "restore them first")
    _clear_leftovers(old.root)
    import tempfile

    prefix = _work_prefix(old.root)
    work = tempfile.mkdtemp(prefix=os.path.basename(prefix), dir=os.path.dirname(prefix))
    os.chmod(work, os.stat(old.root).st_mode & 0o7777)  # mkdtemp's 0700 would shut out a shared env's users
    try:
        _build(old, interpreter, work, app_data, environ)
        _reinstall(work, old, dists, app_data, environ)
        from ..relocate import rewrite_paths

        rewrite_paths(work, work, old.root)
        from ..create.destination import write_record

        # the new environment keeps the names that were the user's before roost first wrote
        # there, so that after the swap they are moved into it and a later --clear keeps them
        write_record(work, _kept(old.root), finished=True)
        os.unlink(os.path.join(work, _MARKER))
        exchange(work, old.root)
    except BaseException:
        _remove_tree(work)  # the new environment: the old one never moved
        raise
    # `work` now holds the old environment (a kill from here on leaves it for the next run to clear)
    _return_kept(work, old.root)
    _remove_tree(work)
    return plan


def reinstall_plan(old: Environment, interpreter: Interpreter, dists: list[Distribution]) -> list[str]:
    """What :func:`recreate` will do, one line per step (``--dry-run``)."""
    steps = [
        f"build a new environment for {interpreter.implementation} {interpreter.version_str}"
        f" ({interpreter.system_executable}) beside {old.root}"
    ]
    for dist in dists:
        if dist.editable:
            steps.append(f"install {dist.name} editable from {dist.source}")
        else:
            where = "from the old environment's files" if dist.pure else "from roost's or pip's cache, else the index"
            steps.append(f"install {dist.requirement} {where}")
    steps += [f"keep {name} (yours) in the new environment" for name in _kept(old.root)]
    steps.append(f"swap the new environment into {old.root} and delete the old one")
    return steps


def _clear_leftovers(root: str) -> None:
    """Delete what an interrupted earlier run left beside *root*.

    Only folders with this run's hidden name that are provably roost's work: marked, or an
    environment (the new one before the exchange or the old one after it), or empty.
    """
    prefix = _work_prefix(root)
    parent = os.path.dirname(root)
    for name in os.listdir(parent):
        path = os.path.join(parent, name)
        if not path.startswith(prefix) or os.path.islink(path) or not os.path.isdir(path):
            continue
        if any(os.path.isfile(os.path.join(path, mark)) for mark in _PROOF):
            _return_kept(path, root)  # a run killed just after the swap: the user's files go home first
            _remove_tree(path)
        elif not os.listdir(path):
            os.rmdir(path)


def _kept(root: str) -> list[str]:
    """The user's names in *root*: those its record says were there before roost first wrote,
    and any other name at the top that is not part of an environment (a folder of the user's
    kept inside it, say)."""
    from ..create.destination import ENVIRONMENT_TOP, kept_names, read_record

    recorded = [name for name in kept_names(read_record(root)) if name not in (".", "..") and os.sep not in name]
    try:
        others = [name for name in os.listdir(root) if name not in ENVIRONMENT_TOP and not name.startswith(".roost")]
    except OSError:
        others = []
    return [
        name for name in dict.fromkeys([*recorded, *others]) if name not in _PROOF and os.path.lexists(os.path.join(root, name))
    ]


def _return_kept(folder: str, root: str) -> None:
    """Move the user's names of the environment in *folder* (the old one) into *root* (the new one)."""
    for name in _kept(folder):
        if not os.path.lexists(os.path.join(root, name)):
            try:
                os.rename(os.path.join(folder, name), os.path.join(root, name))
            except OSError:
                pass  # a mount point cannot move: it stays in the old folder, and roost says so


def _remove_tree(path: str) -> None:
    """Delete *path*, the files that prove it is roost's to delete last (a kill midway keeps them).

    The user's names (:func:`_kept`) stay, and nothing is deleted through a mount point or on
    another filesystem: then the folder stays, still marked, and roost says what it left.
    """
    from ..appdata import mount_points, remove_tree

    device, points = os.lstat(path).st_dev, mount_points()
    left = _kept(path)
    for entry in os.scandir(path):
        if entry.name not in _PROOF and entry.name not in left:
            left += remove_tree(entry.path, device, points)
    if left:
        _log.warning(f"left {', '.join(left)} in {path}: yours, or another filesystem is mounted there")
        return
    for name in _PROOF:
        if os.path.lexists(os.path.join(path, name)):
            os.unlink(os.path.join(path, name))
    os.rmdir(path)


def _build(old: Environment, interpreter: Interpreter, work: str, app_data: AppData, environ: Mapping[str, str]) -> None:
    with open(os.path.join(work, _MARKER), "w"):
        pass
    from ..session import cli_run

    args = [work, "-p", interpreter.system_executable, "--app-data", app_data.root, "--no-vcs-ignore", "--no-venv-redirect", "-q"]
    if old.copies:
        args.append("--copies")
    if old.system_site_packages:
        args.append("--system-site-packages")
    if old.prompt:  # else the default, the folder's name, comes with the activation scripts written for old.root
        args += ["--prompt", old.prompt]
    if old.relocatable:
        args.append("--relocatable")
    # the folder holds only the marker; roost builds inside it
    try:
        cli_run(["--allow-existing", *args], env=dict(environ))
    finally:
        _log.set_thread_level(None, None)  # cli_run's -q was for the build only
    for name in (".gitignore", "CACHEDIR.TAG"):
        if (
            name not in _kept(old.root)
            and os.path.exists(os.path.join(old.root, name))
            and not os.path.exists(os.path.join(work, name))
        ):
            shutil.copy2(os.path.join(old.root, name), os.path.join(work, name))


# -- reinstalling ----------------------------------------------------------------------------


def _reinstall(work: str, old: Environment, dists: list[Distribution], app_data: AppData, environ: Mapping[str, str]) -> None:
    from ..envreader import read_environment

    present = {dist.key: dist.version for dist in read_environment(work).distributions()}
    # a seed package the new environment already has stays at the version roost seeded
    wanted = [dist for dist in dists if not dist.editable and dist.key not in present]
    editables = [dist for dist in dists if dist.editable]
    wheelhouse = os.path.join(work, ".roost-wheels")
    os.mkdir(wheelhouse)
    for dist in wanted:
        if dist.pure:
            try:
                pack_wheel(dist, wheelhouse)
            except (OSError, ValueError) as exc:
                _log.info(f"{dist.name} cannot be packed from the old environment ({exc}): pip will look for it")
    links = [wheelhouse, app_data.wheelhouse, *_pip_cache_wheel_dirs(environ)]
    python = os.path.join(work, "bin", "python")
    failed = []
    if wanted:
        # read from METADATA: after "--", a crafted name (--log=FILE, --target=DIR) is no option
        requirements = ["--", *(dist.requirement for dist in wanted)]
        if not _pip(python, ["install", "--no-deps", *requirements], links, environ, offline=True):
            for requirement in requirements[1:]:
                if not _pip(python, ["install", "--no-deps", "--", requirement], links, environ, offline=True) and not _pip(
                    python, ["install", "--no-deps", "--", requirement], links, environ, offline=False
                ):
                    failed.append(requirement)
    for dist in editables:
        source = dist.source or ""
        if (source + os.sep).startswith(old.root + os.sep):
            # a project kept inside the environment (env/src/...) moves with it
            inside = os.path.join(work, os.path.relpath(source, old.root))
            if not os.path.exists(inside):
                shutil.copytree(source, inside, symlinks=True)
            source = inside
        arguments = ["install", "--no-deps", "-e", source]
        if not _pip(python, [*arguments[:2], "--no-build-isolation", *arguments[2:]], links, environ, offline=True) and not _pip(
            python, arguments, links, environ, offline=False
        ):
            failed.append(f"{dist.name} (editable, {source})")
    shutil.rmtree(wheelhouse, ignore_errors=True)
    if failed:
        raise RoostError(
            f"cannot recreate {old.root}: could not reinstall {', '.join(failed)}; the old environment is unchanged",
            "make them available to pip (an index, or wheels in PIP_FIND_LINKS) and run again",
        )


def _pip(python: str, arguments: list[str], links: list[str], environ: Mapping[str, str], *, offline: bool) -> bool:
    import subprocess

    # the options go right after the verb: *arguments* may end with "--" and requirements
    command = [python, "-m", "pip", "--disable-pip-version-check", "-q", arguments[0]]
    for folder in links:
        if os.path.isdir(folder):
            command += ["--find-links", folder]
    if offline:
        command.append("--no-index")
    command += arguments[1:]
    env = {key: value for key, value in environ.items() if not key.startswith("PYTHON") and key != "VIRTUAL_ENV"}
    _log.info(f"pip {' '.join(arguments)}{' (offline)' if offline else ''}")
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode:
        _log.debug(done.stdout + done.stderr)
    return done.returncode == 0


def _pip_cache_wheel_dirs(environ: Mapping[str, str]) -> list[str]:
    """Folders of pip's wheel cache that hold wheels (pip keeps one folder per link)."""
    cache = environ.get("PIP_CACHE_DIR") or os.path.join(environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "pip")
    found = []
    for folder, _, files in os.walk(os.path.join(cache, "wheels")):
        if any(name.endswith(".whl") for name in files):
            found.append(folder)
    return found


def pack_wheel(dist: Distribution, folder: str) -> str:
    """Pack a pure-Python *dist* back into a wheel in *folder*, from its installed files.

    Only files under site-packages that RECORD lists are packed (not bytecode, not the
    scripts pip generates from entry points, not INSTALLER/REQUESTED/direct_url.json);
    RECORD is written again with each file's hash.  Returns the wheel's path.
    """
    import zipfile

    from ..seed.scripts import record_line

    site = os.path.realpath(dist.site_dir)
    info_name = os.path.basename(dist.metadata_dir)
    if not info_name.endswith(".dist-info"):
        raise ValueError("not a wheel installation (.egg-info)")
    skip = {f"{info_name}/{name}" for name in ("RECORD", "INSTALLER", "REQUESTED", "direct_url.json")}
    stem = f"{info_name[: -len('.dist-info')]}"
    target = os.path.join(folder, f"{stem}-py3-none-any.whl")
    rows = []
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for relative in dist.record():
            path = os.path.realpath(os.path.join(dist.site_dir, relative))
            inside = path.startswith(site + os.sep)
            if not inside or relative in skip or "__pycache__" in relative or relative.endswith(".pyc"):
                continue
            with open(path, "rb") as handle:
                data = handle.read()
            name = os.path.relpath(path, site).replace(os.sep, "/")
            archive.writestr(name, data)
            rows.append(record_line(name, data))
        rows.append(f"{info_name}/RECORD,,")
        archive.writestr(f"{info_name}/RECORD", "\n".join(rows) + "\n")
    return target


# -- the swap ----------------------------------------------------------------------------------


def exchange(one: str, other: str) -> None:
    """Swap the folders *one* and *other* in one atomic step (each ends up at the other's path).

    Raises :class:`RoostError` where the system has no atomic exchange (then nothing moved).
    """
    import ctypes
    import sys

    libc = ctypes.CDLL(None, use_errno=True)
    if sys.platform.startswith("linux") and hasattr(libc, "renameat2"):
        at_fdcwd, rename_exchange = -100, 2
        result = libc.renameat2(at_fdcwd, os.fsencode(one), at_fdcwd, os.fsencode(other), rename_exchange)
    elif sys.platform == "darwin" and hasattr(libc, "renamex_np"):
        rename_swap = 2
        result = libc.renamex_np(os.fsencode(one), os.fsencode(other), rename_swap)
    else:
        raise RoostError("this system cannot swap two folders atomically", "recreate the environment with roost --clear")
    if result != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, os.strerror(errno), other)
