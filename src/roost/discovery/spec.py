"""The ``-p`` spec grammar: parse what the user asked for, and say whether an interpreter fits.

Accepted forms (virtualenv's, plus a few of uv's):

* a path, absolute or relative (``/usr/bin/python3``, ``./bin/python``, ``~/py/bin/python``);
* ``[impl][version][t][-32|-64][-arch]``: impl ``python``/``py`` (any implementation),
  ``cpython``/``cp``, ``pypy``/``pp``, ``graalpy``, ...; version ``3``, ``3.12``, ``3.12.1``
  or ``312``; ``t`` (or ``+freethreaded``) for a free-threaded build; architecture names
  normalised (``amd64`` = ``x86_64``, ``arm64`` = ``aarch64``).  ``impl@version`` works too;
* PEP 440 specifiers with an optional impl: ``>=3.10``, ``cpython>=3.10,<3.13``;
* any other bare word is the name of an executable on PATH (``python3-dbg``, ``mypython``).

A version without ``t`` asks for a build with the GIL, as in virtualenv and uv; a spec with
no version at all (``python``, ``pypy``) accepts either.
Parsing never touches the disk.  Specifiers are evaluated by :mod:`.versions`; only a clause
outside what interpreter versions use (post/dev/local releases) brings in :mod:`packaging`.
The common forms (``3.12``, ``python3.12``, ``pypy3``, ``313t``, a path) are read by hand;
:mod:`re` is imported only for the rest (``-64``, ``-arm64``, ``@``, ``+freethreaded``,
specifiers).
"""

from __future__ import annotations

import os

from ..errors import UsageError
from .hints import MACHINES, normalise_machine, release_digits

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from typing import Callable

    from .hints import Hint
    from .interpreter import Interpreter

# Spellings of each implementation, mapped to the canonical tag (Interpreter.implementation_tag).
# ``None`` means "any implementation".
_IMPLEMENTATIONS: dict[str, str | None] = {
    "python": None,
    "py": None,
    "cpython": "cpython",
    "cp": "cpython",
    "pypy": "pypy",
    "pp": "pypy",
    "graalpy": "graalpy",
    "graalpython": "graalpy",
    "graalvm": "graalpy",
    "gp": "graalpy",
    "jython": "jython",
    "ironpython": "ironpython",
    "pyston": "pyston",
    "stackless": "stackless",
}
# Patterns for the less common forms, compiled on first use (re caches them).  They match
# lowercased text: IGNORECASE makes compiling several times slower.
_GRAMMAR = (
    r"(?P<impl>[a-z]+?)?@?"
    r"(?:(?P<version>\d+(?:\.\d+){0,2})(?P<threaded>t|\+freethreaded)?)?"
    r"(?:-(?P<bits>32|64))?"
    r"(?:-(?P<machine>[a-z][a-z0-9_]*))?"
)
_SPECIFIER = r"(?:(?P<impl>[a-z]+)@?\s*)?(?P<clauses>(?:===|==|~=|!=|<=|>=|<|>).*)"
_RELEASE_LEVELS = {"alpha": "a", "beta": "b", "candidate": "rc"}
_LOWER_ASCII = "abcdefghijklmnopqrstuvwxyz"
_SIMPLE_CHARACTERS = frozenset(_LOWER_ASCII + "0123456789.")


def _letters_and_release(lowered: str, most: int) -> tuple[str, str, bool] | None:
    """``python3.12t`` -> ``("python", "3.12", True)``: leading ASCII letters, then a release of
    up to *most* parts with an optional ``t``; None when *lowered* is not of that form."""
    letters = len(lowered) - len(lowered.lstrip(_LOWER_ASCII))
    rest = lowered[letters:]
    threaded = rest.endswith("t")  # never the last letter of a name: the letters took that
    if threaded:
        rest = rest[:-1]
    if rest and not release_digits(rest, most):
        return None
    return lowered[:letters], rest, threaded


def pep440_version(version_info: tuple[object, ...]) -> str:
    """``(3, 13, 0, "candidate", 2)`` -> ``"3.13.0rc2"``: the form specifiers compare."""
    text = ".".join(str(part) for part in version_info[:3])
    level = _RELEASE_LEVELS.get(str(version_info[3])) if len(version_info) > 3 else None
    return f"{text}{level}{version_info[4]}" if level and len(version_info) > 4 else text


class PythonSpec:
    """One parsed ``-p`` value.  Exactly one of three kinds:

    * ``path``: an interpreter file (as typed; relative paths resolve against the cwd);
    * ``name``: an executable to look up on PATH, whatever it turns out to be;
    * a description: ``implementation``/``major``/``minor``/``micro``/``free_threaded``/
      ``architecture``/``machine`` and/or a PEP 440 ``specifier`` (its text, normalised).
    """

    __slots__ = (
        "text",
        "path",
        "name",
        "implementation",
        "major",
        "minor",
        "micro",
        "free_threaded",
        "architecture",
        "machine",
        "specifier",
        "_version_test",
    )

    def __init__(
        self,
        text: str,
        *,
        path: str | None = None,
        name: str | None = None,
        implementation: str | None = None,
        major: int | None = None,
        minor: int | None = None,
        micro: int | None = None,
        free_threaded: bool = False,
        architecture: int | None = None,
        machine: str | None = None,
        specifier: str | None = None,
    ) -> None:
        self.text = text
        self.path = path
        self.name = name
        self.implementation = implementation
        self.major = major
        self.minor = minor
        self.micro = micro
        self.free_threaded = free_threaded
        self.architecture = architecture
        self.machine = machine
        self.specifier = specifier
        self._version_test: Callable[[str], bool] | None = None

    # -- identity ---------------------------------------------------------------------------

    def _key(self) -> tuple[object, ...]:
        return (
            self.path,
            self.name,
            self.implementation,
            self.major,
            self.minor,
            self.micro,
            self.free_threaded,
            self.architecture,
            self.machine,
            self.specifier,
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PythonSpec):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"PythonSpec({str(self)!r})"

    def __str__(self) -> str:
        """The canonical spelling; parsing it gives an equal spec."""
        if self.path is not None:
            return self.path
        if self.name is not None:
            return self.name
        implementation = self.implementation or ""
        if self.specifier is not None:
            return f"{implementation}{self.specifier}"
        version = ".".join(str(part) for part in (self.major, self.minor, self.micro) if part is not None)
        text = (implementation or "python") + version
        if self.free_threaded:
            text += "t"
        if self.architecture:
            text += f"-{self.architecture}"
        if self.machine:
            text += f"-{self.machine}"
        return text

    # -- what kind ------------------------------------------------------------------------------

    @property
    def is_description(self) -> bool:
        """True unless the spec is a path or an executable name."""
        return self.path is None and self.name is None

    @property
    def version(self) -> tuple[int, ...]:
        """The version parts given, as a (possibly empty or partial) tuple."""
        parts = (self.major, self.minor, self.micro)
        given = []
        for part in parts:
            if part is None:
                break
            given.append(part)
        return tuple(given)

    @property
    def constrains_threading(self) -> bool:
        """Whether the GIL/free-threaded choice matters: yes once a version or ``t`` is given."""
        return self.free_threaded or self.major is not None or self.specifier is not None

    @property
    def exact_name(self) -> str | None:
        """An executable name the spec spells out (``python3.12``, ``pypy3``), looked up first on PATH."""
        if self.name is not None:
            return self.name
        text = self.text.strip()
        if self.is_description and self.specifier is None and self.architecture is None and self.machine is None:
            # The form [a-z]+ or [a-z]+X[.Y...][t]: a name a file on PATH may have.
            lowered = text.lower()
            if lowered and lowered[0] in _LOWER_ASCII and _letters_and_release(lowered, len(lowered)) is not None:
                return text
        return None

    # -- matching ------------------------------------------------------------------------------

    def matches(self, interpreter: Interpreter) -> bool:
        """Whether *interpreter* satisfies this spec (paths and names: always; the finder chose it)."""
        if not self.is_description:
            return True
        if self.implementation is not None and self.implementation != interpreter.implementation_tag:
            return False
        if self.constrains_threading and self.free_threaded != bool(interpreter.free_threaded):
            return False
        if self.architecture is not None and self.architecture != interpreter.architecture:
            return False
        if self.machine is not None and self.machine != normalise_machine(interpreter.machine or ""):
            return False
        actual = interpreter.version_info
        for wanted, have in zip((self.major, self.minor, self.micro), actual[:3]):
            if wanted is not None and wanted != have:
                return False
        if self.specifier is not None:
            return self._specifier_test()(pep440_version(tuple(actual)))
        return True

    def could_match(self, hint: Hint | None) -> bool:
        """Cheap pre-filter: False only when *hint* proves no interpreter behind it can match."""
        if hint is None or not self.is_description:
            return True
        if self.implementation is not None and hint.implementation not in (None, self.implementation):
            return False
        if self.constrains_threading and hint.free_threaded is not None and hint.free_threaded != self.free_threaded:
            return False
        if self.machine is not None and hint.machine is not None and hint.machine != self.machine:
            return False
        if self.architecture is not None and hint.architecture is not None and hint.architecture != self.architecture:
            return False
        for wanted, have in zip(self.version, hint.version):
            if wanted != have:
                return False
        if self.specifier is not None and len(hint.version) >= 2:
            # A name like python3.11 stands for every 3.11.x: keep it if any plausible micro fits.
            test = self._specifier_test()
            if len(hint.version) >= 3:
                return test(".".join(map(str, hint.version[:3])))
            base = f"{hint.version[0]}.{hint.version[1]}"
            return any(test(f"{base}.{micro}") for micro in range(40))
        return True

    def _specifier_test(self) -> Callable[[str], bool]:
        if self._version_test is None:
            self._version_test = _compile_specifier(self.text, self.specifier or "")[1]
        return self._version_test


def _looks_like_path(text: str) -> bool:
    if text.startswith("~") and not text.startswith("~="):
        return True
    return text in (".", "..") or "/" in text or "\\" in text or os.path.isabs(text)


def parse_spec(text: str) -> PythonSpec:
    """Parse one ``-p`` value; raises :class:`UsageError` (one line) when it cannot mean anything."""
    stripped = text.strip()
    if not stripped:
        raise UsageError("empty python spec", "give a version like 3.12, a name like python3.12 or a path")
    if _looks_like_path(stripped):
        return PythonSpec(stripped, path=stripped)
    lowered = stripped.lower()
    simple = _letters_and_release(lowered, 3) if set(lowered) <= _SIMPLE_CHARACTERS else None
    if simple is not None:  # [impl][X[.Y[.Z]]][t]: the grammar's common forms, read by hand
        impl, version, threaded = simple
        spec = _from_grammar(stripped, impl or None, version or None, "t" if threaded else None, None, None)
        if spec is not None:
            return spec
    elif set(lowered) - _SIMPLE_CHARACTERS:
        import re

        operator = None
        if any(char in stripped for char in "<>=!~"):
            operator = re.fullmatch(_SPECIFIER, lowered, re.DOTALL)
        if operator:
            return _parse_specifier(stripped, operator.group("impl"), operator.group("clauses"))
        grammar = re.fullmatch(_GRAMMAR, lowered)
        if grammar and grammar.group(0):
            spec = _from_grammar(stripped, *grammar.group("impl", "version", "threaded", "bits", "machine"))
            if spec is not None:
                return spec
    if stripped[0].isdigit() or any(char.isspace() for char in stripped) or "\0" in stripped:
        raise UsageError(f"invalid python spec {stripped!r}", "give a version like 3.12, a name like python3.12 or a path")
    return PythonSpec(stripped, name=stripped)


def _implementation(word: str | None) -> tuple[bool, str | None]:
    """(known, canonical tag) for an implementation word."""
    if not word:
        return True, None
    lowered = word.lower()
    if lowered in _IMPLEMENTATIONS:
        return True, _IMPLEMENTATIONS[lowered]
    return False, None


def _from_grammar(
    text: str, impl: str | None, version: str | None, threaded: str | None, bits: str | None, machine: str | None
) -> PythonSpec | None:
    """The description the grammar's parts spell, or None when they name no known implementation."""
    known, implementation = _implementation(impl)
    if not known:
        return None  # mypython, python-dbg: an executable name, not a description
    if "@" in text and not (impl and version):
        return None
    major = minor = micro = None
    if version:
        if "." in version:
            parts = [int(part) for part in version.split(".")]
            major, minor, micro = (parts + [None, None])[:3]
        elif len(version) == 1:
            major = int(version)
        elif len(version) <= 3:
            major, minor = int(version[0]), int(version[1:])  # 312 -> 3.12, 27 -> 2.7
        else:
            return None
    if machine is not None:
        if machine.lower() not in MACHINES:
            return None
        machine = normalise_machine(machine)
    return PythonSpec(
        text,
        implementation=implementation,
        major=major,
        minor=minor,
        micro=micro,
        free_threaded=bool(threaded),
        architecture=int(bits) if bits else None,
        machine=machine,
    )


def _parse_specifier(text: str, word: str | None, clauses: str) -> PythonSpec:
    known, implementation = _implementation(word)
    if not known:
        raise UsageError(f"unknown python implementation {word!r} in {text!r}", "use cpython, pypy, graalpy or python (any)")
    normalised, test = _compile_specifier(text, clauses)
    spec = PythonSpec(text, implementation=implementation, specifier=normalised)
    spec._version_test = test
    return spec


def _compile_specifier(text: str, clauses: str) -> tuple[str, Callable[[str], bool]]:
    """(normalised specifier text, version test) for the PEP 440 clauses in *clauses*."""
    from .versions import SpecifierError, contains, parse_clauses

    problem = UsageError(f"invalid version specifier {text!r}", "write it like >=3.10 or cpython>=3.10,<3.13")
    try:
        parsed = parse_clauses(clauses)
    except SpecifierError:
        raise problem from None
    if parsed is not None:
        return ",".join(sorted(str(clause) for clause in parsed)), lambda version: contains(parsed, version)
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        specifiers = SpecifierSet(clauses)
    except InvalidSpecifier:
        raise problem from None
    return str(specifiers), lambda version: specifiers.contains(version, prereleases=True)
