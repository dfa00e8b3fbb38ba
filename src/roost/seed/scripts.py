"""Console scripts, written per environment with that environment's interpreter.

The shebang follows pip's rule: ``#!/path/to/python`` when the path has no space and the
line fits the kernel's limit (127 bytes on Linux, 512 on macOS); otherwise a ``/bin/sh``
trampoline that is also valid Python::

    #!/bin/sh
    '''exec' "/path with space/bin/python" "$0" "$@"
    ' '''

The shell runs the ``exec`` line; Python sees a string literal and goes on.
"""

from __future__ import annotations

import os
import sys

from ..errors import RoostError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any

_TEMPLATE = """# -*- coding: utf-8 -*-
import sys
from {module} import {head}
if __name__ == "__main__":
    if sys.argv[0].endswith(".exe"):
        sys.argv[0] = sys.argv[0][:-4]
    sys.exit({call}())
"""


def shebang(executable: str) -> bytes:
    """The first line(s) of a script run by *executable* (pip's rule)."""
    raw = os.fsencode(executable)
    if b"\n" in raw or b"\r" in raw:
        raise RoostError(f"cannot write scripts for an interpreter whose path has a line break: {executable!r}")
    limit = 512 if sys.platform == "darwin" else 127
    if b" " not in raw and len(raw) + 3 <= limit:
        return b"#!" + raw + b"\n"
    # Inside double quotes the shell still expands these four; escape them.
    quoted = raw
    for char in (b"\\", b'"', b"$", b"`"):
        quoted = quoted.replace(char, b"\\" + char)
    return b"#!/bin/sh\n'''exec' \"" + quoted + b'" "$0" "$@"\n' + b"' '''\n"


def script_body(module: str, attr: str) -> bytes:
    """The Python text of a console script calling ``module:attr``."""
    if not attr:
        # ``name = module`` (no attribute) runs the module's main(), as pip does.
        attr = "main"
    head = attr.split(".")[0]
    return _TEMPLATE.format(module=module, head=head, call=attr).encode("utf-8")


def pip_script_names(names: Iterable[str], version_info: tuple[Any, ...]) -> list[str]:
    """Entry-point names as pip installs them: ``pip3.12`` etc. follow the target, not the wheel."""
    major, minor = version_info[0], version_info[1]
    result: list[str] = []
    for name in names:
        if name == "pip":
            result += ["pip", f"pip{major}", f"pip{major}.{minor}"]
        elif name == "easy_install":
            result += ["easy_install", f"easy_install-{major}.{minor}"]
        elif _versioned(name, "pip") or _versioned(name, "easy_install"):
            continue  # named after the Python that built the wheel: replaced above
        else:
            result.append(name)
    unique: list[str] = []
    for name in result:
        if name not in unique:
            unique.append(name)
    return unique


def _versioned(name: str, base: str) -> bool:
    if not name.startswith(base) or name == base:
        return False
    rest = name[len(base) :].lstrip("-")
    return bool(rest) and all(part.isdigit() for part in rest.split("."))


def console_scripts(entries: Iterable[list[str]], version_info: tuple[Any, ...]) -> list[tuple[str, str, str]]:
    """(script name, module, attribute) for every script to write, pip's renames applied."""
    by_name = {name: (module, attr) for name, module, attr in entries}
    result = []
    for name in pip_script_names(list(by_name), version_info):
        source = name
        if name not in by_name:
            source = "pip" if name.startswith("pip") else "easy_install"
        module, attr = by_name[source]
        result.append((name, module, attr))
    return result
