"""PEP 440 version specifiers, for the versions Python interpreters have.

An interpreter's version is a release (``3.12.1``) with perhaps a pre-release tag
(``3.14.0a1``); specifiers users write for them use the same pieces.  Evaluating that subset
here keeps ``-p '>=3.10'`` free of :mod:`packaging.specifiers`, which pulls in
``packaging.tags`` and with it :mod:`subprocess`, :mod:`logging` and :mod:`sysconfig`
(~25 ms).  A clause outside the subset (post/dev/local versions, epochs) returns None from
:func:`parse_clauses`, and the caller falls back to :mod:`packaging`.

Pre-releases are always admitted (packaging's ``prereleases=True``): when asked for
``>=3.13`` and only 3.14.0a1 is installed, that is the interpreter the user has.
"""

from __future__ import annotations

import re

_CLAUSE = re.compile(r"\s*(===|==|~=|!=|<=|>=|<|>)\s*(\S+?)\s*")
_VERSION = re.compile(r"v?(\d+(?:\.\d+)*)(?:[-_.]?(a|alpha|b|beta|c|rc|pre|preview)[-_.]?(\d*))?(\.\*)?")
_PRE_NAMES = {"a": "a", "alpha": "a", "b": "b", "beta": "b", "c": "rc", "rc": "rc", "pre": "rc", "preview": "rc"}
# Order of pre-release kinds; a final release sorts after all of them.
_PRE_ORDER = {"a": 0, "b": 1, "rc": 2}


class Clause:
    """One ``<op><version>`` of a specifier set."""

    __slots__ = ("operator", "release", "pre", "wildcard", "text")

    def __init__(self, operator: str, release: tuple[int, ...], pre: tuple[str, int] | None, wildcard: bool, text: str):
        self.operator = operator
        self.release = release
        self.pre = pre
        self.wildcard = wildcard
        self.text = text

    def __str__(self) -> str:
        if self.operator == "===":
            return f"==={self.text}"
        version = ".".join(map(str, self.release))
        if self.pre:
            version += f"{self.pre[0]}{self.pre[1]}"
        return f"{self.operator}{version}{'.*' if self.wildcard else ''}"


class SpecifierError(ValueError):
    """A clause that is not a valid PEP 440 specifier."""


def parse_clauses(text: str) -> list[Clause] | None:
    """The clauses of a comma-separated specifier set; None when one needs :mod:`packaging`.

    Raises :class:`SpecifierError` for text that is no specifier at all.
    """
    clauses = []
    for part in text.split(","):
        match = _CLAUSE.fullmatch(part)
        if match is None:
            raise SpecifierError(part.strip() or "(empty)")
        operator, version_text = match.group(1), match.group(2).lower()
        if operator == "===":
            clauses.append(Clause(operator, (), None, False, version_text))
            continue
        version = _VERSION.fullmatch(version_text)
        if version is None:
            if re.search(r"[a-z0-9]", version_text) and re.fullmatch(r"[a-z0-9.+!_*-]+", version_text):
                return None  # post/dev/local/epoch: valid PEP 440 maybe, let packaging judge
            raise SpecifierError(part.strip())
        release = tuple(int(number) for number in version.group(1).split("."))
        pre = (_PRE_NAMES[version.group(2)], int(version.group(3) or 0)) if version.group(2) else None
        wildcard = bool(version.group(4))
        if wildcard and (operator not in ("==", "!=") or pre):
            raise SpecifierError(part.strip())
        if operator == "~=" and len(release) < 2:
            raise SpecifierError(part.strip())
        clauses.append(Clause(operator, release, pre, wildcard, version_text))
    return clauses


def _padded(release: tuple[int, ...], length: int) -> tuple[int, ...]:
    return release + (0,) * (length - len(release))


def _key(release: tuple[int, ...], pre: tuple[str, int] | None, length: int) -> tuple[object, ...]:
    return (_padded(release, length), (_PRE_ORDER[pre[0]], pre[1]) if pre else (3, 0))


def clause_contains(clause: Clause, release: tuple[int, ...], pre: tuple[str, int] | None, text: str) -> bool:
    """Whether version *release*/*pre* (printed as *text*) satisfies *clause*."""
    operator = clause.operator
    if operator == "===":
        return text == clause.text
    if clause.wildcard:
        prefix = _padded(release, len(clause.release))[: len(clause.release)] == clause.release
        return prefix if operator == "==" else not prefix
    length = max(len(release), len(clause.release))
    mine, theirs = _key(release, pre, length), _key(clause.release, clause.pre, length)
    if operator == "==":
        return mine == theirs
    if operator == "!=":
        return mine != theirs
    if operator == ">=":
        return mine >= theirs
    if operator == "<=":
        return mine <= theirs
    if operator == ">":
        return mine > theirs
    if operator == "<":
        # PEP 440: <3.13 does not admit 3.13's own pre-releases unless it names one itself.
        same_release = _padded(release, length) == _padded(clause.release, length)
        return mine < theirs and not (same_release and pre and not clause.pre)
    # ~=: at least this version, and the same release up to the last component given
    head = clause.release[:-1]
    return mine >= theirs and _padded(release, len(head))[: len(head)] == head


def version_parts(text: str) -> tuple[tuple[int, ...], tuple[str, int] | None]:
    """``"3.13.0rc2"`` -> ``((3, 13, 0), ("rc", 2))``."""
    match = _VERSION.fullmatch(text.lower())
    if match is None or match.group(4):
        raise ValueError(f"not a release version: {text!r}")
    release = tuple(int(number) for number in match.group(1).split("."))
    pre = (_PRE_NAMES[match.group(2)], int(match.group(3) or 0)) if match.group(2) else None
    return release, pre


def contains(clauses: list[Clause], text: str) -> bool:
    """Whether version *text* (``3.12.1``, ``3.14.0a1``) satisfies every clause."""
    release, pre = version_parts(text)
    return all(clause_contains(clause, release, pre, text) for clause in clauses)
