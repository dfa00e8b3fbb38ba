"""Seeding: put pip (and any chosen packages) into a new environment.

Public face: :class:`Seeder` (``seed(layout)``, ``describe()``), :func:`build_seeder` and
:func:`upgrade_embed_wheels`.  Seeders: ``app-data`` (:class:`AppDataSeeder`, the
default: links pre-compiled images from app data, no subprocess once they exist), ``pip``
(:class:`PipSeeder`: runs pip inside the new environment with the same wheels), both
:class:`WheelSeeder` s, and :class:`NoSeeder` (``--no-seed``).

Which packages are seeded by default, and what ``--pip/--setuptools/--wheel`` accept, is
documented in :mod:`roost.seed.plan`; where wheels come from in :mod:`roost.seed.wheels`;
images in :mod:`roost.seed.image`, link modes in :mod:`roost.seed.linker`; the
periodic update in :mod:`roost.seed.periodic`.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any, Callable

    from ..appdata import AppData
    from ..create.layout import Layout
    from ..discovery.interpreter import Interpreter
    from ..options import Options
    from .plan import Request
    from .resolve import Resolution

__all__ = ["AppDataSeeder", "NoSeeder", "PipSeeder", "Seeder", "WheelSeeder", "build_seeder", "upgrade_embed_wheels"]


class Seeder:
    """Installs the seed packages into an environment laid out by the creator."""

    name = "none"
    # True: the session writes pyvenv.cfg before seed() because the env's python must run.
    needs_working_env = False

    def seed(self, layout: Layout, meanwhile: Callable[[], None] | None = None) -> None:
        """Install into the environment at *layout* (raises RoostError with one clear line).

        *meanwhile* (other work of the same run that needs no seeded file, such as writing
        the activation scripts) is called exactly once, while the seeder's own kernel-bound
        work goes on in another thread where it can; errors it raises come out of seed().
        """
        raise NotImplementedError

    def describe(self) -> str:
        """One line for the summary, e.g. ``pip 24.2 (app-data, hardlink)``."""
        raise NotImplementedError


class WheelSeeder(Seeder):
    """A seeder that installs the wheels found for the plan's requests (app-data and pip share this)."""

    def __init__(
        self, options: Options, interpreter: Interpreter, app_data: AppData, env: Mapping[str, str], requests: list[Request]
    ) -> None:
        self.options = options
        self.interpreter = interpreter
        self.app_data = app_data
        self.env = env
        self.requests = requests

    def resolve_wheels(self, writable: bool) -> Resolution:
        """The wheel for each request, preparing app data first when it may be written."""
        from .resolve import resolve

        if writable:
            self.app_data.ensure()
        return resolve(self.options, self.interpreter, self.app_data, self.env, self.requests, writable)


class NoSeeder(Seeder):
    """``--no-seed``: installs nothing."""

    name = "none"

    def seed(self, layout: Layout, meanwhile: Callable[[], None] | None = None) -> None:
        """Nothing to seed: only *meanwhile*."""
        if meanwhile is not None:
            meanwhile()

    def describe(self) -> str:
        return "no seed packages"


def build_seeder(options: Options, interpreter: Interpreter, app_data: AppData, env: Mapping[str, str]) -> Seeder:
    """The seeder the options ask for (checks the seed options; raises UsageError)."""
    from .plan import plan

    requests = plan(options, interpreter)
    if not requests:
        return NoSeeder()
    if options.seeder == "pip":
        from .via_pip import PipSeeder

        return PipSeeder(options, interpreter, app_data, env, requests)
    from .via_app_data import AppDataSeeder

    return AppDataSeeder(options, interpreter, app_data, env, requests)


def upgrade_embed_wheels(options: Options, app_data: AppData, env: Mapping[str, str]) -> None:
    """``--upgrade-embed-wheels``: fetch the newest pip/setuptools/wheel now (usable at once)."""
    from .resolve import upgrade_now

    upgrade_now(options, app_data, env)


def __getattr__(name: str) -> Any:
    # The concrete seeders load only when asked for, keeping ``import roost.seed`` cheap.
    if name == "AppDataSeeder":
        from .via_app_data import AppDataSeeder

        return AppDataSeeder
    if name == "PipSeeder":
        from .via_pip import PipSeeder

        return PipSeeder
    raise AttributeError(name)
