"""RECORD lines (PEP 376/427): ``path,sha256=<urlsafe base64>,size`` with CSV quoting.

One place for the format, used when an image is built (every file of the wheel) and when
an environment gets its own files (console scripts, ``.data`` files).  Warm-path cheap:
the C sha256 module and binascii, never hashlib (which loads OpenSSL, ~3 ms).
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from typing import Callable


def _sha256() -> Callable[[bytes], object]:
    # The C module alone loads in ~0.3 ms; hashlib pulls in OpenSSL (~3 ms).
    try:
        from _sha2 import sha256  # type: ignore[import-not-found,unused-ignore]  # Python 3.12+
    except ImportError:
        try:
            from _sha256 import sha256  # type: ignore[import-not-found,no-redef,unused-ignore]
        except ImportError:
            from hashlib import sha256  # type: ignore[assignment,unused-ignore]
    return sha256  # type: ignore[no-any-return]


def record_hash(data: bytes) -> str:
    """``sha256=<urlsafe base64, no padding>`` as RECORD wants it."""
    import binascii

    digest = _sha256()(data).digest()  # type: ignore[attr-defined]
    encoded = binascii.b2a_base64(digest, newline=False).rstrip(b"=")
    return "sha256=" + encoded.translate(bytes.maketrans(b"+/", b"-_")).decode("ascii")


def csv_field(value: str) -> str:
    """Quote a RECORD path the way the csv module would (commas, quotes, new lines)."""
    if any(char in value for char in ',"\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


def record_line(relative: str, data: bytes) -> str:
    """The RECORD line of a file at *relative* (to site-packages) holding *data*."""
    return f"{csv_field(relative)},{record_hash(data)},{len(data)}"
