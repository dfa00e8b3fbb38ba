"""Seeding: put pip (and any chosen packages) into a new environment.

Public face: :class:`Seeder` (``seed(layout)``, ``describe()``), :func:`build_seeder` and
:func:`upgrade_embed_wheels`.  Seeders: ``app-data`` (:class:`AppDataSeeder`, the
default: links pre-compiled images from app data, no subprocess once they exist), ``pip``
(:class:`PipSeeder`: runs pip inside the new environment with the same wheels), both
:class:`WheelSeeder` s, and :class:`NoSeeder` (``--no-seed``).

Where wheels come from is documented in :mod:`roost.seed.wheels`;
images in :mod:`roost.seed.image`, link modes in :mod:`roost.seed.linker`; the
periodic update in :mod:`roost.seed.periodic`.

Which distributions to seed, and which version of each (:func:`plan`):

Defaults follow virtualenv 21 (before it dropped Python 3.8):

=============  =====================================================================
distribution   seeded by default
=============  =====================================================================
pip            always
setuptools     for Python 3.11 and older (venv stopped installing it in 3.12)
wheel          for Python 3.8 and older (setuptools builds wheels itself since 70.1)
=============  =====================================================================

``--pip/--setuptools/--wheel`` take ``bundle`` (the newest suitable wheel roost can find,
including downloaded and periodically updated ones; the default), ``embed`` (only wheels
already on the machine or in ``--extra-search-dir``), ``none`` (don't install) or an exact
version.  Giving any of them a value other than ``none`` seeds it on every Python version;
``--no-pip/--no-setuptools/--no-wheel`` always win.  ``--seed-packages NAME[==VERSION]``
adds more wheels (their dependencies are not resolved: name them too).

A default package that cannot be found without the network is left out with a warning
(pip excepted); a package the user asked for by name or version is an error if missing.
"""

from __future__ import annotations

from ..errors import UsageError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    from ..appdata import AppData
    from ..create import Layout
    from ..discovery.interpreter import Interpreter
    from ..options import Options
    from .resolve import Resolution

__all__ = ["AppDataSeeder", "NoSeeder", "PipSeeder", "Seeder", "WheelSeeder", "build_seeder", "upgrade_embed_wheels"]


# -- the plan: which distributions, which versions ----------------------------------------

EMBED_DISTRIBUTIONS = ("pip", "setuptools", "wheel")
_KEYWORDS = ("bundle", "embed", "none")
_REQUIREMENT = r"^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:==\s*([^\s=,;]+))?\s*$"


class Request:
    """One distribution to seed: *spec* is ``bundle``, ``embed`` or an exact version."""

    __slots__ = ("name", "spec", "explicit")

    def __init__(self, name: str, spec: str, explicit: bool) -> None:
        self.name = name
        self.spec = spec
        self.explicit = explicit

    @property
    def pinned(self) -> bool:
        return self.spec not in ("bundle", "embed")

    def __repr__(self) -> str:
        return f"Request({self.name}={self.spec}{'' if self.explicit else ', default'})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Request) and (self.name, self.spec, self.explicit) == (other.name, other.spec, other.explicit)

    def __hash__(self) -> int:
        return hash((self.name, self.spec))


def default_on(distribution: str, version_info: tuple[Any, ...]) -> bool:
    """Is *distribution* seeded by default for a Python of *version_info*?"""
    if distribution == "setuptools":
        return tuple(version_info[:2]) < (3, 12)
    if distribution == "wheel":
        return tuple(version_info[:2]) < (3, 9)
    return True


def _check_spec(flag: str, value: str) -> str:
    value = value.strip()
    if value.lower() in _KEYWORDS:
        return value.lower()
    from ..pep440 import version_key  # only for a version given by hand: keeps re off the warm path

    if version_key(value) is None:
        raise UsageError(f"{flag} {value!r} is not a version, 'bundle', 'embed' or 'none'", f"for example {flag} 24.2")
    return value


def parse_seed_package(text: str) -> tuple[str, str]:
    """``NAME`` or ``NAME==VERSION`` -> (canonical name, spec)."""
    import re

    from ..pep440 import version_key
    from .versions import canonical_name

    match = re.match(_REQUIREMENT, text)
    if match is None or (match.group(2) and version_key(match.group(2)) is None):
        raise UsageError(f"--seed-packages {text!r} is not NAME or NAME==VERSION", "for example --seed-packages attrs==23.2.0")
    return canonical_name(match.group(1)), match.group(2) or "bundle"


def plan(options: Options, interpreter: Interpreter) -> list[Request]:
    """The distributions to seed into an environment of *interpreter*, in install order."""
    if options.no_seed:
        return []
    requests: dict[str, Request] = {}
    for name in EMBED_DISTRIBUTIONS:
        raw = getattr(options, name)
        if getattr(options, f"no_{name}"):
            continue
        if raw is None:
            if default_on(name, interpreter.version_info):
                requests[name] = Request(name, "bundle", explicit=name == "pip")
            continue
        spec = _check_spec(f"--{name}", str(raw))
        if spec != "none":
            requests[name] = Request(name, spec, explicit=True)
    for text in options.seed_packages or ():
        for part in str(text).replace(",", " ").split():
            name, spec = parse_seed_package(part)
            if name in EMBED_DISTRIBUTIONS and getattr(options, f"no_{name}"):
                continue
            requests[name] = Request(name, spec, explicit=True)
    return list(requests.values())


# -- seeders ------------------------------------------------------------------------------


class Seeder:
    """Installs the seed packages into an environment laid out by the creator."""

    name = "none"
    # True: the session writes pyvenv.cfg before seed() because the env's python must run.
    needs_working_env = False
    # True: seed() does nothing, so the session overlaps nothing with it.
    installs_nothing = False

    def seed(self, layout: Layout) -> None:
        """Install into the environment at *layout* (raises RoostError with one clear line)."""
        raise NotImplementedError

    def finish(self, layout: Layout) -> None:
        """Work that needs the finished environment (pyvenv.cfg written): nothing by default."""

    def describe(self) -> str:
        """One line for the summary, e.g. ``pip 24.2 (app-data, hardlink)``."""
        raise NotImplementedError

    def commit(self) -> None:
        """The run succeeded: drop what :meth:`rollback` would have restored."""

    def rollback(self) -> None:
        """The run failed: put back the seed packages an update in place replaced."""


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
    installs_nothing = True

    def seed(self, layout: Layout) -> None:
        """Nothing to seed."""

    def describe(self) -> str:
        return "no seed packages"


def build_seeder(options: Options, interpreter: Interpreter, app_data: AppData, env: Mapping[str, str]) -> Seeder:
    """The seeder the options ask for (checks the seed options; raises UsageError)."""
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
