"""The hook tox calls at start-up: register roost's environment types and make ``roost`` the default runner."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tox.plugin import impl

from .environments import RoostCmdBuilder, RoostPep517Packager, RoostRunner

if TYPE_CHECKING:
    from tox.tox_env.register import ToxEnvRegister


@impl
def tox_register_tox_env(register: ToxEnvRegister) -> None:
    """Add the ``roost`` runner and its package environments; installing the plugin makes it the default."""
    register.add_run_env(RoostRunner)
    register.add_package_env(RoostPep517Packager)
    register.add_package_env(RoostCmdBuilder)
    register.default_env_runner = RoostRunner.id()


__all__ = ["tox_register_tox_env"]
