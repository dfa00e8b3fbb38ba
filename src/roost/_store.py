"""Small cache files of plain data (dicts, lists, str, int, float, bool, None) in app data.

roost writes these and roost reads them, on every warm creation, so they are stored with
:mod:`marshal`: built in, about ten times faster to load than JSON, and it keeps :mod:`json`
(and with it :mod:`re`) out of the warm path.  Format 4 of plain values has not changed
since Python 3.4, so every Python that runs roost reads what another one wrote.

A file is the magic line followed by the marshalled value.  Anything else (a file of an
older roost, a truncated or damaged one) loads as None: the caller treats it as a miss
and writes a fresh one.  Files are published by an atomic rename, so readers never lock.
"""

from __future__ import annotations

import marshal

from .appdata import atomic_write_bytes

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    import os

MAGIC = b"roost-store 1\n"
_MARSHAL_FORMAT = 4


def loads(content: bytes) -> object | None:
    """The value stored in *content*, or None if it is not a store file."""
    if not content.startswith(MAGIC):
        return None
    try:
        value: object = marshal.loads(memoryview(content)[len(MAGIC) :])
    except (EOFError, ValueError, TypeError):
        return None
    return value


def load(path: str | os.PathLike[str]) -> object | None:
    """The value stored at *path*, or None when it is missing or not a store file."""
    try:
        with open(path, "rb") as handle:
            content = handle.read()
    except OSError:
        return None
    return loads(content)


def dumps(value: object) -> bytes:
    """*value* as the bytes of a store file (plain data only)."""
    return MAGIC + marshal.dumps(value, _MARSHAL_FORMAT)  # type: ignore[arg-type]


def dump(path: str | os.PathLike[str], value: object) -> None:
    """Store *value* at *path*, atomically."""
    atomic_write_bytes(path, dumps(value))
