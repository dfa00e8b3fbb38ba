"""hatch plugin: the ``roost`` environment type (``[tool.hatch.envs.NAME] type = "roost"``).

It is hatch's ``virtual`` environment type with one change: the environment is made by
roost (in-process, with the arguments hatch gives virtualenv) instead of virtualenv or
``uv venv``.  Every ``virtual`` option (``python``, ``system-packages``, ``installer``,
``path``, dependencies, scripts) works unchanged.
"""

from __future__ import annotations

from typing import Any

from hatchling.plugin import hookimpl


def _environment_class() -> type:
    from functools import cached_property

    from hatch.env.virtual import VirtualEnvironment
    from hatch.venv.core import VirtualEnv

    class RoostVirtualEnv(VirtualEnv):  # type: ignore[misc]
        """hatch's virtual environment, created by roost."""

        def create(self, python: str, *, allow_system_packages: bool = False) -> None:
            from hatch.env.utils import add_verbosity_flag

            from roost import cli_run

            self.directory.ensure_parent_dir_exists()
            command = [str(self.directory), "--no-download", "--no-periodic-update", "--python", python]
            if allow_system_packages:
                command.append("--system-site-packages")
            add_verbosity_flag(command, self.verbosity, adjustment=-1)  # as hatch asks virtualenv
            cli_run(command)

    class RoostEnvironment(VirtualEnvironment):  # type: ignore[misc]
        """``type = "roost"``: hatch's virtual environments, made by roost."""

        PLUGIN_NAME = "roost"

        @cached_property
        def virtual_env_cls(self) -> type:
            return RoostVirtualEnv

    return RoostEnvironment


@hookimpl  # type: ignore[untyped-decorator]
def hatch_register_environment() -> list[Any]:
    """hatch's hook: the environment types this plugin offers."""
    return [_environment_class()]
