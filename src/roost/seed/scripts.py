"""Console scripts and RECORD lines, written per environment with that environment's interpreter.

The shebang follows pip's rule: ``#!/path/to/python`` when the path has no space and the
line fits the kernel's limit (127 bytes on Linux, 512 on macOS); otherwise a ``/bin/sh``
trampoline that is also valid Python::

    #!/bin/sh
    '''exec' "/path with space/bin/python" "$0" "$@"
    ' '''

The shell runs the ``exec`` line; Python sees a string literal and goes on.

RECORD lines (PEP 376/427) are ``path,sha256=<urlsafe base64>,size`` with CSV quoting,
made here for every file of an image when it is built (stored as one text in its
manifest) and for an environment's own files (console scripts, ``.data`` files).  Warm-path
cheap: the C sha256 module alone, never hashlib (which loads OpenSSL, ~3 ms), and base64
done here rather than by importing binascii.
"""

from __future__ import annotations

import os
import sys

from ..errors import RoostError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any, Callable

_TEMPLATE = """# -*- coding: utf-8 -*-
import sys
from {module} import {head}
if __name__ == "__main__":
    if sys.argv[0].endswith(".exe"):
        sys.argv[0] = sys.argv[0][:-4]
    sys.exit({call}())
"""


def shebang(executable: str, python2: bool = False) -> bytes:
    """The first line(s) of a script run by *executable* (pip's rule).

    Python 2 reads a file's encoding only from its first two lines and refuses a line
    that is not ASCII before it: for a *python2* interpreter whose path is not ASCII the
    trampoline is used, with ``# -*- coding: utf-8 -*-`` as its second line.
    """
    raw = os.fsencode(executable)
    if b"\n" in raw or b"\r" in raw:
        raise RoostError(f"cannot write scripts for an interpreter whose path has a line break: {executable!r}")
    limit = 512 if sys.platform == "darwin" else 127
    ascii_path = raw.isascii()
    if b" " not in raw and len(raw) + 3 <= limit and (ascii_path or not python2):
        return b"#!" + raw + b"\n"
    # Inside double quotes the shell still expands these four; escape them.
    quoted = raw
    for char in (b"\\", b'"', b"$", b"`"):
        quoted = quoted.replace(char, b"\\" + char)
    coding = b"" if ascii_path else b"# -*- coding: utf-8 -*-\n"
    return b"#!/bin/sh\n" + coding + b"'''exec' \"" + quoted + b'" "$0" "$@"\n' + b"' '''\n"


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


# -- RECORD lines ---------------------------------------------------------------------------

_URLSAFE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def _sha256() -> Callable[[bytes], object]:
    # The C module alone loads in ~0.2 ms; hashlib pulls in OpenSSL (~3 ms).  Named by
    # version: a failed import searches sys.path, which costs as much as a found one.
    try:
        if sys.version_info >= (3, 12):
            from _sha2 import sha256  # type: ignore[import-not-found,unused-ignore]
        else:
            from _sha256 import sha256  # type: ignore[import-not-found,no-redef,unused-ignore]
    except ImportError:  # interpreters built without it
        from hashlib import sha256  # type: ignore[assignment,unused-ignore]
    return sha256  # type: ignore[no-any-return]


def urlsafe_b64(raw: bytes) -> str:
    """*raw* in urlsafe base64 without padding (as ``base64.urlsafe_b64encode(raw).rstrip(b"=")``)."""
    bits = len(raw) * 8
    spare = -bits % 6  # zero bits that complete the last character
    number = int.from_bytes(raw, "big") << spare
    return "".join([_URLSAFE[(number >> shift) & 63] for shift in range(bits + spare - 6, -6, -6)])


def record_hash(data: bytes) -> str:
    """``sha256=<urlsafe base64, no padding>`` as RECORD wants it."""
    return "sha256=" + urlsafe_b64(_sha256()(data).digest())  # type: ignore[attr-defined]


def csv_field(value: str) -> str:
    """Quote a RECORD path the way the csv module would (commas, quotes, new lines)."""
    if any(char in value for char in ',"\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


def record_line(relative: str, data: bytes, hashes: dict[bytes, str] | None = None) -> str:
    """The RECORD line of a file at *relative* (to site-packages) holding *data*.

    *hashes* (content -> hash) saves hashing the same text twice (pip, pip3 and pip3.X).
    """
    digest = None if hashes is None else hashes.get(data)
    if digest is None:
        digest = record_hash(data)
        if hashes is not None:
            hashes[data] = digest
    return f"{csv_field(relative)},{digest},{len(data)}"
