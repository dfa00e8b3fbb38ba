"""Hints: what an executable's name or install folder says about it, before anyone runs it.

``python3.12`` is some 3.12; ``pypy3.10-7.3.12`` is PyPy 3.10; uv's
``cpython-3.13.0+freethreaded-linux-aarch64-gnu`` is a free-threaded CPython 3.13.0 for
arm64.  Discovery uses hints only to rule candidates out cheaply; the probe has the last word.
A :class:`Candidate` is a file with its hint, as the finders yield them; the running
interpreter's candidate is here too, so trying it first needs no finder.

The names are read by hand rather than with :mod:`re`: every search reads a few, and
importing and compiling the patterns would cost more than the rest of a warm search.
"""

from __future__ import annotations

import sys

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


def running_hint() -> Hint:
    """What roost knows about its own interpreter without importing sysconfig or platform."""
    implementation = sys.implementation.name
    threaded = "t" in getattr(sys, "abiflags", "")
    return Hint(implementation, tuple(sys.version_info[:3]), True if threaded else None)


class Candidate:
    """A file that may be an interpreter, where it was found, and what its name promises.

    ``explicit``: the user named this very file, so a failure is reported rather than skipped.
    ``current``: the interpreter running roost (described in-process, never probed).
    """

    __slots__ = ("path", "found_by", "hint", "explicit", "current")

    def __init__(self, path: str, found_by: str, hint: Hint | None = None, explicit: bool = False, current: bool = False) -> None:
        self.path = path
        self.found_by = found_by
        self.hint = hint
        self.explicit = explicit
        self.current = current

    def __repr__(self) -> str:
        return f"Candidate({self.path!r}, {self.found_by!r}, {self.hint!r})"


def running_candidate() -> Candidate:
    """The interpreter running roost, as a candidate of any search."""
    return Candidate(sys.executable, "running roost", running_hint(), current=True)


_IMPLEMENTATION_PREFIXES = ("python", "pypy", "graalpy")


def _digits(text: str) -> bool:
    return text.isdecimal()  # what a pattern's \d matches; int() reads all of them


def release_digits(text: str, most: int) -> bool:
    """Whether *text* is 1 to *most* dot-separated runs of digits (``3``, ``3.12``, ``3.12.1``)."""
    parts = text.split(".")
    return len(parts) <= most and all(_digits(part) for part in parts)


def executable_hint(name: str) -> Hint | None:
    """What ``python3.12``/``pypy3``/``python3.13t`` says; None when *name* is no interpreter name.

    The names: ``(python|pypy|graalpy)[X[.Y]][t][.exe]``, in any case.
    """
    lowered = name.lower()
    if lowered.endswith(".exe"):
        lowered = lowered[:-4]
    implementation = next((prefix for prefix in _IMPLEMENTATION_PREFIXES if lowered.startswith(prefix)), None)
    if implementation is None:
        return None
    rest = lowered[len(implementation) :]
    threaded = rest.endswith("t")
    if threaded:
        rest = rest[:-1]
    if rest and not release_digits(rest, 2):
        return None
    version = tuple(int(part) for part in rest.split(".")) if rest else ()
    # "python" names say nothing of the implementation: a PyPy venv has bin/python too.
    return Hint(None if implementation == "python" else implementation, version, True if threaded else None)


_DIR_IMPLEMENTATIONS = ("pypy", "graalpy", "cpython")


def version_dir_hint(name: str) -> Hint | None:
    """What a pyenv/asdf/mise/uv install folder name says: ``3.12.1``, ``3.13.0t``, ``pypy3.10-7.3.12``,
    ``cpython-3.13.0+freethreaded-linux-x86_64-gnu``; None for names that say nothing (``myenv``).

    The names: ``[(pypy|graalpy|cpython)[-]]X.Y[.Z]<rest>``, in any case; the rest may say
    ``t`` (first), ``freethreaded`` and a machine between ``-`` or ``+``.
    """
    lowered = name.lower()
    implementation = next((prefix for prefix in _DIR_IMPLEMENTATIONS if lowered.startswith(prefix)), None)
    rest = lowered
    if implementation is not None:
        rest = rest[len(implementation) :]
        if rest.startswith("-"):
            rest = rest[1:]
    # The version: the longest X.Y or X.Y.Z of digit runs at the start.
    end = 0
    while end < len(rest) and (rest[end].isdecimal() or rest[end] == "."):
        end += 1
    parts = rest[:end].split(".")
    if len(parts) >= 2 and all(_digits(part) for part in parts[:2]):
        count = 3 if len(parts) >= 3 and _digits(parts[2]) else 2
        version_text = ".".join(parts[:count])
    else:
        version_text = ""
    if not version_text or "\n" in name:
        if lowered.startswith("graalpy"):
            return Hint("graalpy")
        return None
    version = tuple(int(part) for part in version_text.split("."))
    rest = rest[len(version_text) :]
    threaded = rest.startswith("t") or "freethreaded" in rest
    if implementation == "graalpy":
        version = ()  # pyenv names GraalPy by its own release, not the Python version
    machine = None
    for part in rest.replace("+", "-").split("-"):
        if part in MACHINES:
            machine = MACHINES[part]
    return Hint(implementation or "cpython", version, True if threaded else None, machine)
