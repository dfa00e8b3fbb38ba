"""A seeder that installs no package: a .pth file puts the folders of ``$ROOST_EXAMPLE_PTH`` on sys.path."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any

from roost.seed import Seeder


class PthSeeder(Seeder):
    """Writes ``roost_example.pth`` into site-packages with each folder of ``ROOST_EXAMPLE_PTH``."""

    roost_plugin_api = 1
    name = "pth"

    def __init__(self, options: Any, interpreter: Any, app_data: Any, env: Mapping[str, str]) -> None:
        self.folders = [folder for folder in env.get("ROOST_EXAMPLE_PTH", "").split(os.pathsep) if folder]

    def seed(self, layout: Any, meanwhile: Callable[[], None] | None = None) -> None:
        if meanwhile is not None:
            meanwhile()
        with open(os.path.join(layout.purelib, "roost_example.pth"), "w", encoding="utf-8") as handle:
            handle.writelines(os.path.abspath(folder) + "\n" for folder in self.folders)

    def describe(self) -> str:
        return f"{len(self.folders)} folder(s) through roost_example.pth"
