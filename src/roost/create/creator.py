"""Creators lay out an environment; ``builtin`` is roost's own, ``venv`` asks the stdlib.

A creator's :meth:`Creator.create` is a short list of named steps.  It never writes
``pyvenv.cfg``: the session does that last (:meth:`Creator.write_pyvenv_cfg`) so an
interrupted run never leaves something that looks like a finished environment.
"""

from __future__ import annotations

import os

from .. import _log
from ..appdata import atomic_write_bytes
from . import destination, pyvenv_cfg
from .executables import link_interpreter
from .layout import Layout

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~4 ms)
if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from ..discovery.interpreter import Interpreter

_GITIGNORE = "# created by roost automatically\n*\n"
# https://bford.info/cachedir/: backup tools skip folders holding this tag.
_CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by roost.\n"
    "# For information about cache directory tags, see https://bford.info/cachedir/\n"
)


class Creator:
    """roost's own creator: lays the environment out itself, with no subprocess."""

    name = "builtin"

    def __init__(
        self,
        interpreter: Interpreter,
        dest: str | os.PathLike[str],
        *,
        prompt: str,
        prompt_given: bool,
        copies: bool,
        system_site_packages: bool,
        clear: bool,
        allow_existing: bool,
        vcs_ignore: bool,
        command: Sequence[str],
    ) -> None:
        self.interpreter = interpreter
        self.layout = Layout(dest, interpreter)
        self.prompt = prompt
        self.prompt_given = prompt_given
        self.copies = copies
        self.system_site_packages = system_site_packages
        self.clear = clear
        self.allow_existing = allow_existing
        self.vcs_ignore = vcs_ignore
        self.command = list(command)
        self.state: str | None = None

    # virtualenv's Creator attributes, for API users: pathlib.Path objects, made on demand so
    # the command line never imports pathlib (~5 ms).  roost itself reads ``self.layout``.
    @property
    def dest(self) -> Path:
        return _path(self.layout.dest)

    @property
    def exe(self) -> Path:
        return _path(self.layout.exe)

    @property
    def bin_dir(self) -> Path:
        return _path(self.layout.bin_dir)

    @property
    def script_dir(self) -> Path:
        return _path(self.layout.script_dir)

    @property
    def purelib(self) -> Path:
        return _path(self.layout.purelib)

    @property
    def platlib(self) -> Path:
        return _path(self.layout.platlib)

    @property
    def pyvenv_cfg(self) -> Path:
        return _path(self.layout.pyvenv_cfg)

    @property
    def mode(self) -> str:
        return f"{self.name}, {'copies' if self.copies else 'symlinks'}"

    def create(self) -> None:
        """Lay out the environment (everything but pyvenv.cfg)."""
        self.state = destination.prepare(self.layout.dest, self.clear, self.allow_existing)
        if self.state == destination.FOREIGN:
            self.refuse_conflicts()
        self.ensure_dirs()
        self.install_interpreter()
        self.write_vcs_ignore()

    def discard_partial(self) -> None:
        """Undo a failed run, but only where everything in DEST is this run's own work.

        DEST that was missing is removed; DEST that was an empty folder is emptied again.
        An existing environment or a folder with the user's files is left as it is (without
        a new pyvenv.cfg, a fresh one never looks finished).
        """
        dest = self.layout.dest
        if self.state not in (destination.MISSING, destination.EMPTY) or not os.path.isdir(dest):
            return
        try:
            destination.remove_contents(dest)
            if self.state == destination.MISSING:
                os.rmdir(dest)
        except OSError as exc:
            _log.warning(f"could not remove the partial environment at {dest}: {exc.strerror}")

    def refuse_conflicts(self) -> None:
        """With --allow-existing: stop before touching a bin or lib folder the user already has."""
        for folder in (self.layout.bin_dir, self.layout.lib_dir):
            is_dir = os.path.isdir(folder)
            if is_dir and any(True for _ in os.scandir(folder)) or (os.path.lexists(folder) and not is_dir):
                from ..errors import RoostError

                raise RoostError(
                    f"--allow-existing: {folder} already exists in DEST and roost would write into it",
                    "choose another path; roost keeps every file there as it is",
                )

    def ensure_dirs(self) -> None:
        layout = self.layout
        for folder in dict.fromkeys((layout.bin_dir, layout.purelib, layout.platlib, layout.include)):
            os.makedirs(folder, exist_ok=True)
        self._link_lib64()

    def _link_lib64(self) -> None:
        # As venv does on 64-bit POSIX (not macOS): some tools look for lib64/.
        interpreter = self.interpreter
        if interpreter.os != "posix" or interpreter.platform == "darwin" or interpreter.architecture != 64:
            return
        if "lib64" in interpreter.paths.get("purelib", "lib").split("/"):
            return
        link = os.path.join(self.layout.dest, "lib64")
        if not os.path.lexists(link):
            os.symlink("lib", link)

    def install_interpreter(self) -> None:
        made = link_interpreter(self.interpreter, self.layout.bin_dir, self.copies)
        _log.debug(f"interpreter: {', '.join(os.path.basename(path) for path in made)}")

    def write_vcs_ignore(self) -> None:
        if not self.vcs_ignore:
            return
        for name, text in ((".gitignore", _GITIGNORE), ("CACHEDIR.TAG", _CACHEDIR_TAG)):
            path = os.path.join(self.layout.dest, name)
            # A file the user put there stays as it is.
            if not os.path.lexists(path):
                with open(path, "w", encoding="utf-8") as handle:
                    handle.write(text)

    def write_pyvenv_cfg(self) -> None:
        """Write pyvenv.cfg atomically: the step that makes the folder an environment."""
        text = pyvenv_cfg.render(
            self.interpreter,
            self.system_site_packages,
            self.prompt if self.prompt_given else None,
            self.command,
        )
        atomic_write_bytes(self.layout.pyvenv_cfg, text.encode("utf-8"))


def _path(text: str) -> Path:
    from pathlib import Path

    return Path(text)
