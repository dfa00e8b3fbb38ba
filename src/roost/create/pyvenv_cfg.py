"""pyvenv.cfg: what makes a folder an environment (PEP 405), and roost's record of it."""

from __future__ import annotations

import os

from .. import __version__

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~4 ms)
if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..discovery.interpreter import Interpreter


def one_line(value: str) -> str:
    """Keep a value on its line: a newline in a prompt or path must not add a key."""
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r") if any(c in value for c in "\r\n") else value


def render(
    interpreter: Interpreter,
    system_site_packages: bool,
    prompt: str | None,
    command: Sequence[str],
) -> str:
    """The text of pyvenv.cfg, in the key order venv and virtualenv use."""
    real_executable = os.path.realpath(interpreter.system_executable)
    major, minor, micro, level, serial = interpreter.version_info
    entries = [
        ("home", os.path.dirname(real_executable)),
        ("implementation", interpreter.implementation),
        ("version_info", f"{major}.{minor}.{micro}.{level}.{serial}"),
        ("version", interpreter.version_str),
        ("executable", real_executable),
        ("command", " ".join(_quote(part) for part in command)),
        ("roost", __version__),
        ("include-system-site-packages", "true" if system_site_packages else "false"),
        ("base-prefix", interpreter.base_prefix),
        ("base-exec-prefix", interpreter.base_exec_prefix),
        ("base-executable", real_executable),
    ]
    if prompt is not None:
        entries.append(("prompt", prompt))
    return "".join(f"{key} = {one_line(value)}\n" for key, value in entries)


def _quote(part: str) -> str:
    if part and all(c.isalnum() or c in "@%+=:,./-_" for c in part):
        return part
    return "'" + part.replace("'", "'\"'\"'") + "'"
