"""Destination safety: what DEST may be, and clearing it without losing anything of the user's.

Rules (see README, "Existing destinations"):
- DEST must be non-empty text, free of the path-list separator, and encodable.
- DEST missing or an empty folder: create there.
- DEST is an environment (has ``pyvenv.cfg``): update it in place; ``--clear`` empties it first.
- DEST is a non-empty folder that is not an environment: refuse, unless ``--allow-existing``,
  which creates alongside the files there and overwrites none of them.
- DEST holds the marker a --clear leaves while it works (it was interrupted): the clear is
  finished, with or without --clear; the user had asked for it.
- DEST is a file, or a dangling symlink: refuse.  ``--clear`` never follows a symlink: a
  symlinked DEST is refused, and links inside DEST are removed, never their targets.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~4 ms)
if TYPE_CHECKING:
    from ..discovery.interpreter import Interpreter
    from ..errors import RoostError, UsageError
    from ..options import RedirectMode

MISSING, EMPTY, ENVIRONMENT, FOREIGN, CLEARING = "missing", "empty", "environment", "foreign", "clearing"
# Written into an environment before --clear removes its pyvenv.cfg, removed last: a folder
# holding it is what an interrupted --clear left, roost's own to finish emptying.
CLEARING_MARKER = ".roost-clearing"


def _refused(message: str, hint: str | None = None) -> RoostError:
    # The errors module loads only when there is an error to raise.
    from ..errors import RoostError

    return RoostError(message, hint)


def _unusable(message: str, hint: str) -> UsageError:
    from ..errors import UsageError

    return UsageError(message, hint)


def resolve_dest(raw: str, cwd: str | os.PathLike[str], interpreter: Interpreter) -> str:
    """The absolute DEST, or a UsageError saying why *raw* cannot be one (touches no disk)."""
    if not raw or not raw.strip():
        raise _unusable("DEST is empty", "name a folder, for example: roost .venv")
    if "\0" in raw:
        raise _unusable("DEST contains a NUL character", "choose another name")
    text = os.path.normpath(os.path.join(cwd, os.path.expanduser(raw)))
    separator = ";" if interpreter.is_windows else ":"
    if separator in text:
        raise _unusable(
            f"DEST {text!r} contains the path-list separator {separator!r}",
            "PATH could not hold its bin folder; choose a path without it",
        )
    encoding = interpreter.filesystem_encoding or "utf-8"
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        raise _unusable(
            f"DEST {text!r} cannot be encoded as {encoding}", "choose a path the target interpreter can encode"
        ) from None
    return text


def classify(dest: str) -> str:
    """MISSING, EMPTY, ENVIRONMENT or FOREIGN; raises RoostError for files and broken links."""
    if os.path.islink(dest) and not os.path.exists(dest):
        raise _refused(
            f"DEST {dest} is a symlink to {os.readlink(dest)}, which does not exist",
            "remove the link or choose another path (roost won't write through it)",
        )
    if not os.path.lexists(dest):
        return MISSING
    if not os.path.isdir(dest):
        raise _refused(f"DEST {dest} exists and is not a folder", "choose another path")
    if os.path.isfile(os.path.join(dest, "pyvenv.cfg")):
        return ENVIRONMENT
    if os.path.isfile(os.path.join(dest, CLEARING_MARKER)):
        return CLEARING
    try:
        with os.scandir(dest) as entries:
            return FOREIGN if any(True for _ in entries) else EMPTY
    except OSError as exc:
        raise _refused(f"cannot read DEST {dest}: {exc.strerror}") from None


def prepare(dest: str, clear: bool, allow_existing: bool) -> str:
    """Check DEST and clear it when asked and allowed; returns its classification."""
    kind = classify(dest)
    if kind == CLEARING:
        from .. import _log

        _log.info(f"finishing the --clear of {dest} that was interrupted")
        clear = True  # asked for by the run that was interrupted; the same checks apply
    if clear and kind != MISSING:
        if os.path.islink(dest):
            raise _refused(
                f"--clear: DEST {dest} is a symlink to {os.readlink(dest)}",
                "roost never clears through a symlink; pass the real path",
            )
        if kind == FOREIGN:
            raise _refused(
                f"--clear: {dest} is not an environment (no pyvenv.cfg), so roost won't empty it",
                "choose another path, or remove the files yourself",
            )
        if kind in (ENVIRONMENT, CLEARING):
            clear_environment(dest)
            return EMPTY
    if kind == FOREIGN and not allow_existing:
        raise _refused(
            f"DEST {dest} is a non-empty folder that is not an environment (no pyvenv.cfg)",
            "choose another path, or pass --allow-existing to create alongside its files (none is changed)",
        )
    _check_writable(dest)
    return kind


def clear_environment(dest: str) -> None:
    """Empty an environment's folder, keeping the folder itself, never following a link."""
    # The marker, then pyvenv.cfg: if we are interrupted, what remains no longer looks like
    # an env, and the next run knows to finish the job.
    from ..appdata import write_new_file

    marker = os.path.join(dest, CLEARING_MARKER)
    write_new_file(marker, b"")
    try:
        os.unlink(os.path.join(dest, "pyvenv.cfg"))
    except FileNotFoundError:
        pass
    remove_contents(dest, keep=CLEARING_MARKER)
    os.unlink(marker)


def remove_contents(dest: str, keep: str | None = None) -> None:
    """Delete everything inside *dest* but *keep*; links are removed as links, never followed."""
    import shutil

    with os.scandir(dest) as entries:
        for entry in list(entries):
            if entry.name == keep:
                continue
            if entry.is_dir(follow_symlinks=False):
                # rmtree removes links inside as links; it never descends into their targets.
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)


def _check_writable(dest: str) -> None:
    probe = dest
    while not os.path.lexists(probe):
        parent = os.path.dirname(probe)
        if parent == probe:
            break
        probe = parent
    if not os.path.isdir(probe):
        raise _refused(f"cannot create {dest}: {probe} is not a folder", "choose another path")
    if not os.access(probe, os.W_OK | os.X_OK):
        raise _refused(f"cannot create {dest}: {probe} is not writable", "choose a path you can write to")


# -- the PEP 832 .venv redirect (provisional; as virtualenv writes it) ----------------------


def point_venv_redirect(dest: str, mode: RedirectMode) -> None:
    """Point ``.venv`` beside *dest* at it: a file holding the folder's name (PEP 832).

    *mode* ``in-project`` (the default) claims ``.venv`` only in a project folder (a
    ``pyproject.toml`` beside DEST) that has none yet; ``always`` also outside one; ``never``
    never.  A ``.venv`` that is a folder or a link, or a file pointing at an environment
    neither roost nor virtualenv made, is left alone.
    """
    name = os.path.basename(dest)
    if mode == "never" or name == ".venv":
        return
    parent = os.path.dirname(dest)
    redirect = os.path.join(parent, ".venv")
    exists = os.path.lexists(redirect)
    if mode == "in-project" and (exists or not os.path.isfile(os.path.join(parent, "pyproject.toml"))):
        return
    if exists and (os.path.islink(redirect) or not os.path.isfile(redirect) or not _points_at_ours(redirect)):
        return
    from .. import _log

    if name != name.strip() or name.splitlines() != [name]:
        _log.warning(f"not pointing {redirect} at {dest}: the name has a line break or surrounding spaces")
        return
    from ..appdata import write_new_file

    try:
        write_new_file(redirect, f"{name}\n".encode())
    except OSError as exc:
        _log.warning(f"could not point {redirect} at {dest}: {exc.strerror}")
    else:
        _log.info(f"{redirect} points at {name}")


def _points_at_ours(redirect: str) -> bool:
    """The redirect file names an environment roost or virtualenv made (safe to repoint)."""
    try:
        with open(redirect, encoding="utf-8") as handle:
            line = handle.read().split("\n", 1)[0]
        if not line:
            return False
        with open(os.path.join(os.path.dirname(redirect), line, "pyvenv.cfg"), encoding="utf-8") as handle:
            keys = {text.partition("=")[0].strip() for text in handle}
    except (OSError, ValueError):
        return False
    return bool(keys & {"roost", "virtualenv"})
