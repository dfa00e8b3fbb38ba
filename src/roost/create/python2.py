"""Python 2 environments: the layout virtualenv 20.0-20.21 gave CPython 2.7 on POSIX.

Python 2 never reads ``pyvenv.cfg``.  It finds its prefix by looking, from its binary's
folder upwards, for ``lib/python2.7/os.py`` (``sys.prefix``) and
``lib/python2.7/lib-dynload`` (``sys.exec_prefix``), and it follows a symlinked binary
back to where the link points first.  So an environment gets:

* ``bin/python2.7``, always a copy (``python2`` and ``python`` link to it, or are copies
  with ``--copies``);
* those two landmarks in ``lib/python2.7``: links to the base's, or with ``--copies`` a
  copy of ``os.py`` and an empty ``lib-dynload`` (only its existence counts: site.py
  moves the entry to the base's);
* ``lib/python2.7/site.py``, roost's own (``python2_site.py.tmpl``), which reads
  ``pyvenv.cfg`` and hands over to the base's site.py, and beside it, in an environment
  without the system site-packages, ``no-global-site-packages.txt``: the marker of
  virtualenv before 20, which pip 19 and older read to refuse ``--user`` installs;
* ``include/python2.7`` and ``lib/python2.7/config/Makefile``, because Python 2's
  distutils looks for the headers and the Makefile under ``sys.prefix`` when it builds
  an extension.

Seeding and activation are the same as for Python 3.  Loaded only for Python 2
interpreters: nothing on the Python 3 path imports this module.
"""

from __future__ import annotations

import os

from .. import _log
from ..appdata import atomic_write_bytes
from .creator import Creator, _copy_file, _copy_origin_libraries, _link_or_copy, _make_room

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~4 ms)
if TYPE_CHECKING:
    from ..discovery.interpreter import Interpreter

_SITE_TEMPLATE = "python2_site.py.tmpl"


def unsupported_reason(interpreter: Interpreter) -> tuple[str, str] | None:
    """Why no Python 2 environment can be made for *interpreter* (message, hint), or None."""
    where = f"{interpreter.implementation} {interpreter.version_str} at {interpreter.system_executable}"
    if tuple(interpreter.version_info[:2]) != (2, 7):
        return f"{where} is too old: roost makes environments for Python 2.7 and 3.3 or newer", "use Python 2.7 or 3.x"
    if interpreter.implementation != "CPython":
        return f"{where}: roost makes Python 2 environments for CPython 2.7 only", "use virtualenv<20.22 for it"
    if interpreter.is_windows:
        return f"{where}: roost makes Python 2 environments on POSIX systems only", "use virtualenv<20.22 on Windows"
    if interpreter.config.get("PYTHONFRAMEWORK"):
        return f"{where} is a macOS framework build, which roost cannot copy", "use a non-framework build (pyenv's, for example)"
    return None


def _place(source: str, target: str, copy: bool) -> None:
    """*target* becomes a link to *source* (a copy with *copy*); a folder already there stays."""
    if os.path.isdir(target) and not os.path.islink(target):
        if copy and os.path.isdir(source):
            import shutil

            shutil.copytree(source, target, symlinks=True, dirs_exist_ok=True)
        return  # a real folder works as well as a link: never delete one on update
    _make_room(target)
    if not copy:
        os.symlink(source, target)
    elif os.path.isdir(source):
        import shutil

        shutil.copytree(source, target, symlinks=True)
    else:
        _copy_file(source, target)


class Python2Creator(Creator):
    """Lays out a CPython 2.7 environment (its interpreter finds it without pyvenv.cfg)."""

    name = "cpython2-posix"  # virtualenv's name for the same layout

    def install_interpreter(self) -> None:
        interpreter = self.interpreter
        layout = self.layout
        source = os.path.realpath(interpreter.system_executable)
        names = interpreter.executable_names()
        canonical = os.path.join(layout.bin_dir, names[0])
        _make_room(canonical)
        _copy_file(source, canonical)
        _copy_origin_libraries(interpreter, source, canonical)
        for name in names[1:]:
            alias = os.path.join(layout.bin_dir, name)
            _make_room(alias)
            if self.copies:
                _link_or_copy(canonical, alias)
            else:
                os.symlink(names[0], alias)
        self.install_landmarks()
        self.write_site()
        _log.debug(f"Python 2 interpreter: {', '.join(names)} and its landmarks in {self.stdlib_dir}")

    @property
    def stdlib_dir(self) -> str:
        """``lib/python2.7`` in the environment: where the landmarks and site.py go."""
        return os.path.join(self.layout.dest, self.interpreter.paths.get("stdlib") or "lib/python2.7")

    def install_landmarks(self) -> None:
        """os.py and lib-dynload (the prefix landmarks), the headers and the Makefile."""
        interpreter = self.interpreter
        # From base_prefix, not the probe's stdlib: that is an environment's when -p names one.
        base_stdlib = os.path.join(interpreter.base_prefix, interpreter.paths.get("stdlib") or "lib/python2.7")
        stdlib_dir = self.stdlib_dir
        # Python 2 accepts os.py or its bytecode as the landmark (some distributions ship only that).
        landmarks = [name for name in ("os.py", "os.pyc") if os.path.isfile(os.path.join(base_stdlib, name))]
        if not landmarks:
            from ..errors import RoostError

            raise RoostError(f"{interpreter.system_executable} has no os.py in {base_stdlib}", "install its standard library")
        _place(os.path.join(base_stdlib, landmarks[0]), os.path.join(stdlib_dir, landmarks[0]), self.copies)
        dynload = os.path.join(stdlib_dir, "lib-dynload")
        base_dynload = os.path.join(base_stdlib, "lib-dynload")
        if self.copies or not os.path.isdir(base_dynload):
            # Only its existence counts: site.py moves the sys.path entry to the base's.
            if os.path.islink(dynload):
                os.unlink(dynload)
            os.makedirs(dynload, exist_ok=True)
        else:
            _place(base_dynload, dynload, copy=False)
        include = interpreter.paths.get("include") or ""
        base_include = os.path.join(interpreter.base_prefix, include)
        if include and os.path.isfile(os.path.join(base_include, "Python.h")):
            _place(base_include, os.path.join(self.layout.dest, include), self.copies)
        makefile = os.path.join(str(interpreter.config.get("LIBPL") or ""), "Makefile")
        prefix = interpreter.base_prefix.rstrip(os.sep) + os.sep
        if os.path.isfile(makefile) and makefile.startswith(prefix):
            target = os.path.join(self.layout.dest, makefile[len(prefix) :])
            os.makedirs(os.path.dirname(target), exist_ok=True)
            _place(makefile, target, self.copies)

    def write_site(self) -> None:
        """roost's site.py, with the environment's site-packages relative to it."""
        from importlib.resources import files

        stdlib_dir = self.stdlib_dir
        relative = [os.path.relpath(folder, stdlib_dir) for folder in self.layout.site_packages]
        template = files(__package__).joinpath(_SITE_TEMPLATE).read_text(encoding="utf-8")
        text = template.replace("__ROOST_SITE_PACKAGES__", ascii(relative))
        atomic_write_bytes(os.path.join(stdlib_dir, "site.py"), text.encode("ascii"))
        # virtualenv's marker before 20: pip 19 and older refuse --user installs where it is.
        marker = os.path.join(stdlib_dir, "no-global-site-packages.txt")
        if not self.system_site_packages:
            atomic_write_bytes(marker, b"")
        elif os.path.lexists(marker):
            os.unlink(marker)
        compiled = os.path.join(stdlib_dir, "site.pyc")
        if os.path.lexists(compiled):
            os.unlink(compiled)  # the old text's bytecode: Python 2 compares mtimes by the second


def python2_creator_class(kind: str) -> type[Creator]:
    """The creator for ``--creator KIND`` on Python 2 (which has no stdlib venv)."""
    if kind == "venv":
        from ..errors import UsageError

        raise UsageError("--creator venv needs the target's venv module, which Python 2 does not have", "use --creator builtin")
    return Python2Creator
