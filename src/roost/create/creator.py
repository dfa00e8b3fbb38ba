"""Creators lay out an environment; ``builtin`` is roost's own, ``venv`` asks the stdlib.

A creator's :meth:`Creator.create` is a short list of named steps.  It never writes
``pyvenv.cfg``: the session does that last (:meth:`Creator.write_pyvenv_cfg`) so an
interrupted run never leaves something that looks like a finished environment.

Also here: :class:`Layout` (where each part of an environment lives), the text of
``pyvenv.cfg``, and putting the interpreter into the bin folder.
"""

from __future__ import annotations

import os

from .. import __version__, _log
from ..appdata import atomic_write_bytes, write_new_file
from . import destination

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~4 ms)
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from pathlib import Path
    from typing import Callable

    from ..discovery.interpreter import Interpreter
    from .destination import DestState, OnExisting

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
        configured_prompt: str | None,
        copies: bool,
        system_site_packages: bool,
        on_existing: OnExisting,
        vcs_ignore: bool,
        command: Sequence[str],
        env: Mapping[str, str] | None = None,
        relocatable: bool = False,
    ) -> None:
        self.interpreter = interpreter
        self.layout = Layout(dest, interpreter)
        self.prompt = prompt  # shown while active
        self.configured_prompt = configured_prompt  # --prompt as given (pyvenv.cfg's prompt), None for the default
        self.copies = copies
        self.system_site_packages = system_site_packages
        self.on_existing: OnExisting = on_existing
        self.vcs_ignore = vcs_ignore
        self.command = list(command)
        self.env = os.environ if env is None else env  # for the processes a creator starts
        self.relocatable = relocatable
        self.claim = destination.Claim(self.layout.dest)  # the lock on DEST: held by Session.run
        self.state: DestState | None = None  # what DEST was, once create() looked
        self.keep: list[str] = []  # names in DEST that are the user's: never touched
        self.interpreter_pending = False  # lay_out() held the interpreter back for write_pyvenv_cfg()

    @property
    def clear(self) -> bool:
        """--clear (virtualenv's attribute)."""
        return self.on_existing == "remove"

    @property
    def allow_existing(self) -> bool:
        """--allow-existing (virtualenv's attribute)."""
        return self.on_existing == "allow"

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
    def env_name(self) -> str:
        """The environment folder's name, as virtualenv gives it."""
        return os.path.basename(os.path.normpath(self.layout.dest))

    @property
    def libs(self) -> list[Path]:
        """purelib, and platlib where it differs (virtualenv's ``libs``)."""
        return [_path(folder) for folder in dict.fromkeys((self.layout.purelib, self.layout.platlib))]

    @property
    def stdlib(self) -> Path:
        """Where the environment's standard library folder would be (``lib/python3.12``)."""
        return _path(_under(self.layout.dest, self.interpreter.paths.get("stdlib") or ""))

    @property
    def stdlib_platform(self) -> Path:
        """The platform-specific standard library folder (virtualenv's ``stdlib_platform``)."""
        paths = self.interpreter.paths
        return _path(_under(self.layout.dest, paths.get("platstdlib") or paths.get("stdlib") or ""))

    @property
    def symlinks(self) -> bool:
        """The interpreter is symlinked, not copied."""
        return not self.copies

    @property
    def enable_system_site_package(self) -> bool:
        """``--system-site-packages`` (virtualenv's name for it)."""
        return self.system_site_packages

    @property
    def no_vcs_ignore(self) -> bool:
        """``--no-vcs-ignore``."""
        return not self.vcs_ignore

    @property
    def mode(self) -> str:
        return f"{self.name}, {'copies' if self.copies else 'symlinks'}"

    def create(self) -> None:
        """Lay out the environment (everything but pyvenv.cfg); DEST is locked by the caller."""
        self.state, self.keep = destination.prepare(self.layout.dest, self.on_existing)
        if self.state == "environment":
            self.refuse_another_minor_version()
        if self.state == "foreign":
            self.refuse_conflicts()
        self.lay_out()
        self.write_vcs_ignore()

    def lay_out(self) -> None:
        """The folders now, the interpreter with pyvenv.cfg: the step another creator does its own way.

        Why the interpreter waits: until pyvenv.cfg exists, a ``bin/python`` in DEST is the
        base interpreter under another name (its ``sys.prefix`` is the base's), so the
        ``bin/pip`` of a run killed while seeding would install into the base Python.
        Without ``bin/python`` the scripts of such a half folder do not start at all.
        """
        self.ensure_dirs()
        self.interpreter_pending = True

    def mark_finished(self) -> None:
        """After the last write: roost's record says this run finished (destination.RECORD).

        From then on the folder is an environment, even if its pyvenv.cfg is deleted later:
        never taken for interrupted work and emptied.  An update in place wrote no record.
        """
        if self.state not in (None, "environment"):
            destination.write_record(self.layout.dest, self.keep, finished=True)

    def discard_partial(self) -> None:
        """Undo a failed run: take back everything it wrote, and nothing of the user's.

        DEST that was missing is removed (with the parent folders this run made, when the
        lock is let go); an empty folder is emptied again; a folder of the user's keeps
        exactly the names it had (a ``pyvenv.cfg`` written early goes too).  An environment
        being updated is left to the seeder's rollback.  Work that replaced an environment
        (``--clear``, or finishing interrupted work) keeps roost's record, so the next run
        knows the folder as its own and finishes it.
        """
        dest = self.layout.dest
        if self.state in (None, "environment") or not os.path.isdir(dest):
            return
        keep = [*self.keep, destination.LOCK]
        if self.state == "unfinished":
            keep.append(destination.RECORD)
        try:
            destination.remove_contents(dest, keep)
        except OSError as exc:
            _log.warning(f"could not remove the partial environment at {dest}: {exc.strerror}: {exc.filename}")

    def refuse_another_minor_version(self) -> None:
        """An environment is updated in place only by its own minor version.

        Another one would leave everything installed in ``lib/python3.X`` behind, unused
        (what re-running virtualenv across versions does); ``--clear`` or ``roost repair
        --recreate`` are the ways to change it.
        """
        try:
            values = destination.read_pyvenv_cfg(self.layout.pyvenv_cfg)
        except OSError:
            return
        recorded = values.get("version_info") or values.get("version") or ""
        had = ".".join(recorded.split(".")[:2])
        interpreter = self.interpreter
        now = f"{interpreter.version_info[0]}.{interpreter.version_info[1]}"
        if not had or had == now:
            return
        from ..errors import UsageError

        dest = self.layout.dest
        raise UsageError(
            f"{dest} is a Python {had} environment; updating it in place with {interpreter.implementation}"
            f" {interpreter.version_str} would strand what is installed for {had}",
            f"pass -p {had} to update it, --clear to start again with {now},"
            f" or `roost repair --recreate -p {now} {dest}` to carry its packages over",
        )

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
            try:
                write_new_file(os.path.join(self.layout.dest, name), text.encode("utf-8"), replace=False)
            except FileExistsError:
                pass  # a file (or link) the user put there stays as it is

    def render_pyvenv_cfg(self) -> str:
        """The text of this environment's pyvenv.cfg."""
        return render_pyvenv_cfg(
            self.interpreter, self.system_site_packages, self.configured_prompt, self.command, self.relocatable
        )

    def write_pyvenv_cfg(self) -> None:
        """The interpreter (when :meth:`lay_out` held it back), then pyvenv.cfg, atomically:
        the step that makes the folder an environment."""
        if self.interpreter_pending:
            self.interpreter_pending = False
            self.install_interpreter()
        atomic_write_bytes(self.layout.pyvenv_cfg, self.render_pyvenv_cfg().encode("utf-8"))


def _path(text: str) -> Path:
    from pathlib import Path

    return Path(text)


# -- Layout: pure, computing one touches no disk -------------------------------------------

# The creator, seeder and activators all read paths from here so they never disagree about
# them.  Paths are text (``os.path``): pathlib costs ~5 ms of imports on the warm path;
# :class:`Creator` hands out ``pathlib.Path`` objects to API users.


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


# -- pyvenv.cfg: what makes a folder an environment (PEP 405) ------------------------------


def one_line(value: str) -> str:
    """Keep a value on its line: a newline in a prompt or path must not add a key."""
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r") if any(c in value for c in "\r\n") else value


def render_pyvenv_cfg(
    interpreter: Interpreter,
    system_site_packages: bool,
    prompt: str | None,
    command: Sequence[str],
    relocatable: bool = False,
) -> str:
    """The text of pyvenv.cfg, in the key order venv and virtualenv use."""
    real_executable = os.path.realpath(interpreter.system_executable)
    major, minor, micro, level, serial = interpreter.version_info
    entries = [
        ("home", os.path.dirname(real_executable)),
        ("implementation", interpreter.implementation),
        ("python-version", f"{major}.{minor}"),  # PEP 838 (provisional), as virtualenv writes it
        ("version_info", f"{major}.{minor}.{micro}.{level}.{serial}"),
        ("version", interpreter.version_str),
    ]
    # before `command`, which may hold --prompt=TEXT: xonsh takes the first "prompt = " it finds
    if prompt is not None:
        entries.append(("prompt", prompt))
    entries += [
        ("executable", real_executable),
        ("command", " ".join(_quote(part) for part in command)),
        ("roost", __version__),
        ("include-system-site-packages", "true" if system_site_packages else "false"),
        ("base-prefix", interpreter.base_prefix),
        ("base-exec-prefix", interpreter.base_exec_prefix),
        ("base-executable", real_executable),
    ]
    if relocatable:
        entries.append(("relocatable", "true"))  # as uv writes it: uv keeps installs into it relocatable
    return "".join(f"{key} = {one_line(value)}\n" for key, value in entries)


def _quote(part: str) -> str:
    if part and all(c.isalnum() or c in "@%+=:,./-_" for c in part):
        return part
    return "'" + part.replace("'", "'\"'\"'") + "'"


# -- the interpreter in the bin folder: symlinks or real copies ----------------------------

# A copied interpreter built as a shared library must still find that library: when the
# binary looks for it relative to itself (an ``$ORIGIN`` run path) and the base keeps it
# there, the library is copied to the same relative place in the environment.


def _make_room(path: str) -> None:
    """Remove whatever is at *path*: a previous run's link or copy, replaced on update."""
    if os.path.lexists(path):
        os.unlink(path)


def _place(path: str, make: Callable[[str], None]) -> None:
    """Make *path* with *make*; a previous run's link or copy is replaced in one rename, so
    an update interrupted here never leaves the environment without its interpreter."""
    if not os.path.lexists(path):
        make(path)
        return
    from ..appdata import unique_name

    temporary = os.path.join(os.path.dirname(path), unique_name(os.path.basename(path)))
    make(temporary)
    try:
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def link_interpreter(interpreter: Interpreter, bin_dir: str, copies: bool) -> list[str]:
    """Make every interpreter name in *bin_dir*; returns the paths made, canonical first."""
    source = os.path.realpath(interpreter.system_executable)
    names = interpreter.executable_names()
    canonical = os.path.join(bin_dir, names[0])
    made = [canonical]

    def canonical_made(target: str) -> None:
        if copies:
            _copy_file(source, target)
        else:
            os.symlink(source, target)

    def alias_made(target: str) -> None:
        if copies:  # hard links between the copies cost no space; copy where the filesystem refuses
            _link_or_copy(canonical, target)
        else:
            os.symlink(names[0], target)

    _place(canonical, canonical_made)
    for name in names[1:]:
        alias = os.path.join(bin_dir, name)
        _place(alias, alias_made)
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
