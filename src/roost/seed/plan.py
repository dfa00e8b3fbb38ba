"""Which distributions to seed, and which version of each, from the options.

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
    from typing import Any

    from ..discovery.interpreter import Interpreter
    from ..options import Options

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
