"""Hints: what an executable's name or install folder says about it, before anyone runs it.

``python3.12`` is some 3.12; ``pypy3.10-7.3.12`` is PyPy 3.10; uv's
``cpython-3.13.0+freethreaded-linux-aarch64-gnu`` is a free-threaded CPython 3.13.0 for
arm64.  Discovery uses hints only to rule candidates out cheaply; the probe has the last word.
"""

from __future__ import annotations

import re

# Spellings of each CPU architecture, mapped to one name (the probe normalises the same way).
MACHINES = {
    "x86_64": "x86_64",
    "amd64": "x86_64",
    "x64": "x86_64",
    "aarch64": "aarch64",
    "arm64": "aarch64",
    "x86": "x86",
    "i386": "x86",
    "i486": "x86",
    "i586": "x86",
    "i686": "x86",
    "arm": "arm",
    "armv6l": "armv6l",
    "armv7l": "armv7l",
    "ppc64": "ppc64",
    "ppc64le": "ppc64le",
    "s390x": "s390x",
    "riscv64": "riscv64",
    "loongarch64": "loongarch64",
}


def normalise_machine(machine: str) -> str:
    """One name per CPU architecture: ``amd64`` -> ``x86_64``, ``arm64`` -> ``aarch64``."""
    lowered = machine.lower()
    return MACHINES.get(lowered, lowered)


class Hint:
    """What an executable's name or folder says about it before anyone runs it.

    Each field is ``None`` when the name does not tell; ``version`` may be partial: ``(3,)``.
    """

    __slots__ = ("implementation", "version", "free_threaded", "machine", "architecture")

    def __init__(
        self,
        implementation: str | None = None,
        version: tuple[int, ...] = (),
        free_threaded: bool | None = None,
        machine: str | None = None,
        architecture: int | None = None,
    ) -> None:
        self.implementation = implementation
        self.version = version
        self.free_threaded = free_threaded
        self.machine = machine
        self.architecture = architecture

    def __repr__(self) -> str:
        return f"Hint({self.implementation}, {self.version}, t={self.free_threaded}, {self.machine}, {self.architecture})"


# Patterns are compiled on first use (re caches them): importing this module stays cheap.  They
# match lowercased text: IGNORECASE makes compiling several times slower.
_EXECUTABLE_NAME = r"(?P<impl>python|pypy|graalpy)(?P<version>\d+(?:\.\d+)?)?(?P<threaded>t)?(?:\.exe)?"


def executable_hint(name: str) -> Hint | None:
    """What ``python3.12``/``pypy3``/``python3.13t`` says; None when *name* is no interpreter name."""
    match = re.fullmatch(_EXECUTABLE_NAME, name.lower())
    if match is None:
        return None
    implementation = match.group("impl").lower()
    version = tuple(int(part) for part in match.group("version").split(".")) if match.group("version") else ()
    # "python" names say nothing of the implementation: a PyPy venv has bin/python too.
    return Hint(
        None if implementation == "python" else implementation,
        version,
        True if match.group("threaded") else None,
    )


_VERSION_DIR = r"(?:(?P<impl>pypy|graalpy|cpython)-?)?(?P<version>\d+\.\d+(?:\.\d+)?)?(?P<rest>.*)"


def version_dir_hint(name: str) -> Hint | None:
    """What a pyenv/asdf/mise/uv install folder name says: ``3.12.1``, ``3.13.0t``, ``pypy3.10-7.3.12``,
    ``cpython-3.13.0+freethreaded-linux-x86_64-gnu``; None for names that say nothing (``myenv``)."""
    match = re.fullmatch(_VERSION_DIR, name.lower())
    if match is None or not match.group("version"):
        if name.lower().startswith("graalpy"):
            return Hint("graalpy")
        return None
    implementation = (match.group("impl") or "cpython").lower()
    version = tuple(int(part) for part in match.group("version").split("."))
    rest = match.group("rest").lower()
    threaded = rest.startswith("t") or "freethreaded" in rest
    if implementation == "graalpy":
        version = ()  # pyenv names GraalPy by its own release, not the Python version
    machine = None
    for part in re.split(r"[-+]", rest):
        if part in MACHINES:
            machine = MACHINES[part]
    return Hint(implementation, version, True if threaded else None, machine)
