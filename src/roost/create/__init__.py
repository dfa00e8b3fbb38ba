"""Create: lay an environment out on disk from an interpreter's facts.

Public face: :func:`build_creator`, :class:`Creator`, :class:`Layout`.
"""

from __future__ import annotations

import os
import sys

from .creator import Creator, Layout
from .destination import resolve_dest

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~4 ms)
if TYPE_CHECKING:
    from ..discovery.interpreter import Interpreter
    from ..options import Options

__all__ = ["Creator", "Layout", "build_creator"]


def check_supported(interpreter: Interpreter) -> None:
    """One clear line for interpreters no PEP 405 environment can be made for."""
    too_old = interpreter.version_info[0] < 3 or tuple(interpreter.version_info[:2]) < (3, 3)
    other_os = interpreter.is_windows != (os.name == "nt")
    if not (too_old or other_os):
        return
    from ..errors import RoostError  # only now: the warm path never loads it

    if too_old:
        raise RoostError(
            f"{interpreter.implementation} {interpreter.version_str} at {interpreter.system_executable} is too old:"
            " roost makes PEP 405 environments (pyvenv.cfg), which need Python 3.3 or newer",
            "use virtualenv<20.22 for Python 2.7",
        )
    raise RoostError(f"{interpreter.system_executable} is for another operating system")


def build_creator(options: Options, interpreter: Interpreter, cwd: str | os.PathLike[str]) -> Creator:
    """The creator the options ask for, bound to its destination (nothing written yet)."""
    check_supported(interpreter)
    dest = resolve_dest(options.dest or "", cwd, interpreter)
    prompt_given = bool(options.prompt)  # --prompt '' means the default, as in virtualenv
    prompt = options.prompt if prompt_given else os.path.basename(dest)
    if prompt == ".":
        prompt = os.path.basename(os.fspath(cwd))
    kind = options.creator_kind
    if kind == "venv":
        from .venv import VenvCreator

        creator_class: type[Creator] = VenvCreator
    else:
        creator_class = Creator
    command = [sys.executable, "-m", "roost", *getattr(options, "argv", [options.dest or ""])]
    return creator_class(
        interpreter,
        dest,
        prompt=prompt,
        prompt_given=prompt_given,
        copies=not options.use_symlinks,
        system_site_packages=bool(options.system_site_packages),
        clear=bool(options.clear),
        allow_existing=bool(options.allow_existing),
        vcs_ignore=not options.no_vcs_ignore,
        command=command,
        relocatable=bool(options.relocatable),
    )
