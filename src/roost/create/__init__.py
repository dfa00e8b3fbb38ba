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
    """One clear line for interpreters roost cannot make an environment for."""
    version = tuple(interpreter.version_info[:2])
    too_old = version < (2, 7) or (3, 0) <= version < (3, 3)
    other_os = interpreter.is_windows != (os.name == "nt")
    if not (too_old or other_os or version[0] == 2):
        return
    from ..errors import RoostError  # only now: the warm path never loads it

    if too_old:
        raise RoostError(
            f"{interpreter.implementation} {interpreter.version_str} at {interpreter.system_executable} is too old:"
            " roost makes environments for Python 2.7 and 3.3 or newer",
            "use Python 2.7 or 3.3+",
        )
    if other_os:
        raise RoostError(f"{interpreter.system_executable} is for another operating system")
    from .python2 import unsupported_reason  # Python 2 only: never loaded for Python 3

    reason = unsupported_reason(interpreter)
    if reason is not None:
        raise RoostError(*reason)


def build_creator(
    options: Options, interpreter: Interpreter, cwd: str | os.PathLike[str], plugin_class: type[Creator] | None = None
) -> Creator:
    """The creator the options ask for, bound to its destination (nothing written yet).

    *plugin_class* is the class of the roost.create plugin ``--creator`` names.
    """
    check_supported(interpreter)
    dest = resolve_dest(options.dest or "", cwd, interpreter)
    prompt_given = bool(options.prompt)  # --prompt '' means the default, as in virtualenv
    prompt = options.prompt if prompt_given else os.path.basename(dest)
    if prompt == ".":
        prompt = os.path.basename(os.fspath(cwd))
    kind = options.creator_kind
    if interpreter.version_info[0] == 2:
        from .python2 import python2_creator_class

        creator_class: type[Creator] = python2_creator_class(kind)
    elif kind == "venv":
        from .venv import VenvCreator

        creator_class = VenvCreator
    else:
        creator_class = Creator
    if plugin_class is not None:
        creator_class = plugin_class
    command = [sys.executable, "-m", "roost", *absolute_dest_argv(getattr(options, "argv", [options.dest or ""]), dest)]
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
    )


def absolute_dest_argv(argv: list[str], dest: str) -> list[str]:
    """*argv* with its DEST argument made absolute, so pyvenv.cfg's ``command`` reproduces the
    environment from any folder (venv and virtualenv record it so too)."""
    from ..options import COUNT, FLAG, OPTIONS_BY_SPELLING

    result = list(argv)
    takes_value = False
    for index, token in enumerate(argv):
        if takes_value:
            takes_value = False
        elif token == "--":
            if index + 1 < len(argv):
                result[index + 1] = dest
            break
        elif token.startswith("-") and token != "-":
            flag, has_inline, _ = token.partition("=")
            option = OPTIONS_BY_SPELLING.get(flag.lstrip("-").replace("-", "_").lower())
            if option is None and flag.startswith("--"):  # an abbreviation, as argparse allows: --prom
                wanted = flag[2:].replace("-", "_").lower()
                matches = {found for name, found in OPTIONS_BY_SPELLING.items() if len(name) > 1 and name.startswith(wanted)}
                option = matches.pop() if len(matches) == 1 else None
            # "--python=3.12" and "-p3.12" carry their value; "-p 3.12" takes the next token.
            attached = bool(has_inline) or (not flag.startswith("--") and len(flag) > 2)
            takes_value = option is not None and option.kind not in (FLAG, COUNT) and not attached
        else:
            result[index] = dest
            break
    return result
