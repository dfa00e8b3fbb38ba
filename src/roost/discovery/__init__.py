"""Discovery: turn the user's ``-p`` specs into one :class:`Interpreter`.

Public face: :func:`discover` and :func:`current_interpreter`.
(Minimal first version; the discovery issue fills in the spec grammar, finders and cache.)
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import RoostError
from .interpreter import Interpreter

if TYPE_CHECKING:
    from typing import Mapping, Sequence

    from ..appdata import AppData

__all__ = ["Interpreter", "current_interpreter", "discover"]

_current: Interpreter | None = None


def current_interpreter() -> Interpreter:
    """Facts about the interpreter running roost, gathered in-process (no subprocess)."""
    global _current
    if _current is None:
        from . import _probe

        _current = Interpreter(_probe.collect(), "running roost")
    return _current


def _probe_path(executable: str) -> Interpreter:
    import subprocess

    script = Path(__file__).with_name("_probe.py")
    try:
        done = subprocess.run([executable, str(script)], capture_output=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise RoostError(f"could not run {executable}: {exc}") from None
    if done.returncode:
        raise RoostError(f"{executable} failed to describe itself (exit {done.returncode})")
    return Interpreter(json.loads(done.stdout), "path")


def discover(
    specs: Sequence[str],
    try_first_with: Sequence[str],
    app_data: AppData,
    env: Mapping[str, str],
    cwd: Path,
    use_version_file: bool = True,
) -> Interpreter:
    """The first interpreter that satisfies one of *specs* (in order), or the running one."""
    for spec in list(try_first_with) + list(specs):
        candidate = spec if os.sep in spec else None
        if candidate is None:
            import shutil

            candidate = shutil.which(spec, path=env.get("PATH"))
        if candidate and os.path.isfile(candidate):
            return _probe_path(candidate)
    if specs:
        raise RoostError(f"no interpreter matches {', '.join(specs)}")
    return current_interpreter()
