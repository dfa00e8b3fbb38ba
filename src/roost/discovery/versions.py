"""PEP 440 version specifiers, for the versions Python interpreters have.

An interpreter's version is a release (``3.12.1``) with perhaps a pre-release tag
(``3.14.0a1``); specifiers users write for them use the same pieces, and :mod:`roost.pep440`
evaluates those.  A clause outside that subset (post/dev/local versions, epochs) returns None
from :func:`parse_clauses`, and the caller falls back to :mod:`packaging`, so exotic
specifiers keep packaging's exact judgement while ``-p '>=3.10'`` never imports it.

Pre-releases are always admitted (packaging's ``prereleases=True``): when asked for
``>=3.13`` and only 3.14.0a1 is installed, that is the interpreter the user has.
"""

from __future__ import annotations

import re

from ..pep440 import Clause, SpecifierError, Version, parse_clause, parse_version

__all__ = ["Clause", "SpecifierError", "contains", "parse_clauses", "version_parts"]


def parse_clauses(text: str) -> list[Clause] | None:
    """The clauses of a comma-separated specifier set; None when one needs :mod:`packaging`.

    Raises :class:`SpecifierError` for text that is no specifier at all.
    """
    clauses = []
    for part in text.split(","):
        try:
            clause = parse_clause(part)
        except SpecifierError:
            if _left_to_packaging(part):
                return None
            raise
        if clause.version is not None and not _interpreter_like(clause.version):
            return None  # post/dev/local/epoch: valid PEP 440, let packaging judge
        clauses.append(clause)
    return clauses


def _interpreter_like(version: Version) -> bool:
    # Any written epoch counts, even ``0!``: packaging judges those as before.
    return "!" not in version.text and version.post is None and version.dev is None and version.local is None


def _left_to_packaging(part: str) -> bool:
    """A clause roost rejects whose version is outside the interpreter subset but might be PEP 440."""
    match = re.fullmatch(r"\s*(===|==|~=|!=|<=|>=|<|>)\s*(\S+?)\s*", part)
    if match is None or match.group(1) == "===":
        return False
    version_text = match.group(2).lower()
    version = parse_version(version_text[:-2] if version_text.endswith(".*") else version_text)
    if version is not None and _interpreter_like(version):
        return False  # in the subset, so roost's verdict stands
    return bool(re.search(r"[a-z0-9]", version_text) and re.fullmatch(r"[a-z0-9.+!_*-]+", version_text))


def version_parts(text: str) -> tuple[tuple[int, ...], tuple[str, int] | None]:
    """``"3.13.0rc2"`` -> ``((3, 13, 0), ("rc", 2))``."""
    version = _interpreter_version(text)
    return version.release, version.pre


def _interpreter_version(text: str) -> Version:
    version = parse_version(text)
    if version is None or not _interpreter_like(version) or text != text.strip():
        raise ValueError(f"not a release version: {text!r}")
    return version


def contains(clauses: list[Clause], text: str) -> bool:
    """Whether version *text* (``3.12.1``, ``3.14.0a1``) satisfies every clause."""
    version = _interpreter_version(text)
    return all(clause.allows(version) for clause in clauses)
