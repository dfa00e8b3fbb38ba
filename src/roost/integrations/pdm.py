"""pdm plugin: the ``roost`` virtualenv backend (``pdm config venv.backend roost``).

pdm calls :func:`register` at start-up for every ``pdm`` entry point.  The backend is
pdm's virtualenv backend with ``python -m roost`` in place of ``python -m virtualenv``:
the same arguments, the same folder, and pdm's own interpreter choice (``-p``).
"""

from __future__ import annotations

import sys
from typing import Any


def register(core: Any) -> None:
    """Add ``roost`` to pdm's virtualenv backends."""
    from pdm.cli.commands.venv.backends import BACKENDS, VirtualenvBackend

    class RoostBackend(VirtualenvBackend):  # type: ignore[misc]
        """pdm's virtualenv backend, creating with roost."""

        def perform_create(self, location: Any, args: tuple[str, ...], prompt: str | None = None) -> None:
            prompt_option = (f"--prompt={prompt}",) if prompt else ()
            command = [sys.executable, "-m", "roost", str(location), "-p", str(self._resolved_interpreter.executable)]
            self.subprocess_call([*command, *prompt_option, *args])

    BACKENDS["roost"] = RoostBackend  # pdm keeps its backends in this dict, by config name
