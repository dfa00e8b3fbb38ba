"""A discovery: the interpreter a ``.python-interpreter`` file names, in the folder or a parent."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence


class PinFileDiscovery:
    """Reads the first line of the nearest ``.python-interpreter`` file (a path); -p values are ignored."""

    roost_plugin_api = 1
    name = "pinfile"

    def find(self, specs: Sequence[str], env: Mapping[str, str], cwd: str) -> str | None:
        folder = os.path.abspath(cwd)
        while True:
            candidate = os.path.join(folder, ".python-interpreter")
            if os.path.isfile(candidate):
                with open(candidate, encoding="utf-8") as handle:
                    return handle.readline().strip() or None
            parent = os.path.dirname(folder)
            if parent == folder:
                return None
            folder = parent
