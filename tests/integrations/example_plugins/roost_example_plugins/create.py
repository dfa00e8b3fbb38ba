"""A creator: roost's own, plus a ``.python-version`` file so pyenv/uv in that folder pick the same interpreter."""

from __future__ import annotations

import os

from roost.create import Creator


class PythonVersionCreator(Creator):
    """The builtin layout and ``DEST/.python-version`` naming the interpreter's version."""

    roost_plugin_api = 1
    name = "pyversion"

    def create(self) -> None:
        super().create()
        with open(os.path.join(self.layout.dest, ".python-version"), "w", encoding="utf-8") as handle:
            handle.write(self.interpreter.version_str + "\n")
