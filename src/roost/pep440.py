"""PEP 440 versions and specifier clauses, without :mod:`packaging`.

Both places that judge versions sit on fast paths: ``-p '>=3.10'`` in discovery and the
choice of a seed wheel (its order by version, its ``Requires-Python``).  Importing
:mod:`packaging` there would cost more than the work itself (``packaging.specifiers``
pulls in ``packaging.tags`` and with it :mod:`subprocess`, :mod:`logging` and
:mod:`sysconfig`, ~25 ms), so this module holds the one version grammar and the one clause
evaluator both use.  What each caller does with a clause it cannot judge differs (discovery
hands it to :mod:`packaging`, seeding ignores it as pip does), so that stays with them.

Clauses are evaluated with pre-releases admitted (packaging's ``prereleases=True``): the
caller decides whether a pre-release is wanted at all.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from typing import Any

    VersionKey = tuple[Any, ...]

__all__ = ["Clause", "SpecifierError", "Version", "is_prerelease", "parse_clause", "parse_version", "version_key"]

_VERSION_PATTERN = r"""^\s*v?
    (?:(?P<epoch>\d+)!)?
    (?P<release>\d+(?:\.\d+)*)
    (?:[-_.]?(?P<pre_l>a|b|c|rc|alpha|beta|pre|preview)[-_.]?(?P<pre_n>\d+)?)?
    (?:-(?P<post_n1>\d+)|[-_.]?(?P<post_l>post|rev|r)[-_.]?(?P<post_n2>\d+)?)?
    (?:[-_.]?(?P<dev_l>dev)[-_.]?(?P<dev_n>\d+)?)?
    (?:\+(?P<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?
    \s*$"""
# ``,`` ``;`` and ``)`` end a version, as in packaging's grammar (the next clause or a marker follows).
_CLAUSE_PATTERN = r"\s*(===|==|~=|!=|<=|>=|<|>)\s*([^\s,;)]+)\s*"
_compiled: dict[str, re.Pattern[str]] = {}


def _regex(name: str) -> re.Pattern[str]:
    # Compiled on first use: a warm run that judges no version never pays for it.
    pattern = _compiled.get(name)
    if pattern is None:
        if name == "version":
            pattern = re.compile(_VERSION_PATTERN, re.VERBOSE | re.IGNORECASE)
        else:
            pattern = re.compile(_CLAUSE_PATTERN)
        _compiled[name] = pattern
    return pattern


_PRE_NAMES = {"a": "a", "alpha": "a", "b": "b", "beta": "b", "c": "rc", "rc": "rc", "pre": "rc", "preview": "rc"}
# Order of pre-release kinds; a final release sorts after all of them.
_PRE_ORDER = {"a": 0, "b": 1, "rc": 2}


class Version:
    """One parsed PEP 440 version; :attr:`key` orders versions as PEP 440 does."""

    __slots__ = ("text", "epoch", "release", "pre", "post", "dev", "local", "key")

    def __init__(
        self,
        text: str,
        epoch: int,
        release: tuple[int, ...],
        pre: tuple[str, int] | None,
        post: int | None,
        dev: int | None,
        local: str | None,
    ) -> None:
        self.text = text
        self.epoch = epoch
        self.release = release  # as written: (3, 12, 0) stays three parts
        self.pre = pre  # ("a" | "b" | "rc", number)
        self.post = post
        self.dev = dev
        self.local = local  # lowercase, parts joined by "."
        self.key = _sort_key(self)

    @property
    def is_prerelease(self) -> bool:
        """True for alpha/beta/rc and dev releases."""
        return self.pre is not None or self.dev is not None

    def __str__(self) -> str:
        text = f"{self.epoch}!" if self.epoch else ""
        text += ".".join(map(str, self.release))
        if self.pre is not None:
            text += f"{self.pre[0]}{self.pre[1]}"
        if self.post is not None:
            text += f".post{self.post}"
        if self.dev is not None:
            text += f".dev{self.dev}"
        return text + (f"+{self.local}" if self.local else "")


def _sort_key(version: Version) -> VersionKey:
    release = version.release
    while len(release) > 1 and release[-1] == 0:
        release = release[:-1]  # 3.12.0 == 3.12
    if version.pre is not None:
        pre: tuple[int, ...] = (1, _PRE_ORDER[version.pre[0]], version.pre[1])
    elif version.dev is not None and version.post is None:
        pre = (0,)  # 1.0.dev1 sorts before 1.0a1
    else:
        pre = (2,)
    post = (1, version.post) if version.post is not None else (0,)
    dev = (0, version.dev) if version.dev is not None else (1,)
    # Local labels: numeric parts sort after alphanumeric ones, and a longer label after its prefix.
    parts = version.local.split(".") if version.local else []
    local = tuple((1, int(part), "") if part.isdigit() else (0, 0, part) for part in parts)
    return (version.epoch, release, pre, post, dev, local)


def parse_version(text: str) -> Version | None:
    """The PEP 440 version *text* (``"3.13.0rc2"``, ``"1!2.0.post1+local"``), or None."""
    match = _regex("version").match(text)
    if match is None:
        return None
    pre_l, post_n = match.group("pre_l"), match.group("post_n1") or match.group("post_n2")
    has_post = match.group("post_n1") is not None or match.group("post_l") is not None
    local = match.group("local")
    return Version(
        text.strip(),
        int(match.group("epoch") or 0),
        tuple(int(part) for part in match.group("release").split(".")),
        (_PRE_NAMES[pre_l.lower()], int(match.group("pre_n") or 0)) if pre_l else None,
        int(post_n or 0) if has_post else None,
        int(match.group("dev_n") or 0) if match.group("dev_l") else None,
        re.sub(r"[-_]", ".", local.lower()) if local else None,
    )


def version_key(text: str) -> VersionKey | None:
    """A sort key that orders versions as PEP 440 does, or None if *text* is not a version."""
    version = parse_version(text)
    return None if version is None else version.key


def is_prerelease(text: str) -> bool:
    """True for alpha/beta/rc and dev releases (False for text that is no version)."""
    version = parse_version(text)
    return version is not None and version.is_prerelease


class SpecifierError(ValueError):
    """A clause that is not a valid PEP 440 specifier."""


class Clause:
    """One ``<operator><version>`` of a specifier set; :meth:`allows` evaluates it."""

    __slots__ = ("operator", "version", "wildcard", "text")

    def __init__(self, operator: str, version: Version | None, wildcard: bool, text: str) -> None:
        self.operator = operator
        self.version = version  # None only for ``===``, which compares text
        self.wildcard = wildcard  # ``==3.12.*`` / ``!=3.12.*``
        self.text = text  # the version as written, lowercase

    def __str__(self) -> str:
        if self.version is None:
            return f"{self.operator}{self.text}"
        return f"{self.operator}{self.version}{'.*' if self.wildcard else ''}"

    def allows(self, candidate: Version) -> bool:
        """Whether *candidate* satisfies this clause (pre-releases admitted).

        Candidates roost has are releases, perhaps with a pre-release tag (an interpreter's
        version, a target Python); for those the answer is packaging's, which the tests check.
        """
        operator, spec = self.operator, self.version
        if spec is None:
            return candidate.text.lower() == self.text
        if self.wildcard:
            same = _same_prefix(candidate, spec.epoch, spec.release)
            return same if operator == "==" else not same
        mine, theirs = candidate.key, spec.key
        if operator in ("==", "!="):
            # Without a local label in the clause, the candidate's own label does not count.
            equal = mine[:5] == theirs[:5] and (spec.local is None or mine[5] == theirs[5])
            return equal if operator == "==" else not equal
        # Ordered comparisons look at the candidate's public version (clauses have no local label).
        mine, theirs = mine[:5], theirs[:5]
        if operator == ">=":
            return mine >= theirs
        if operator == "<=":
            return mine <= theirs
        same_base = mine[:2] == theirs[:2]
        if operator == ">":
            # PEP 440: >3.12 admits neither 3.12's post-releases (unless it names one) nor its local versions.
            return mine > theirs and not (same_base and ((candidate.post is not None and spec.post is None) or candidate.local))
        if operator == "<":
            # <3.13 does not admit 3.13's own pre-releases unless it names one itself.
            return mine < theirs and not (same_base and candidate.is_prerelease and not spec.is_prerelease)
        # ~=: at least this version, and the same release up to the last component given
        return mine >= theirs and _same_prefix(candidate, spec.epoch, spec.release[:-1])


def _same_prefix(candidate: Version, epoch: int, prefix: tuple[int, ...]) -> bool:
    padded = candidate.release + (0,) * (len(prefix) - len(candidate.release))
    return candidate.epoch == epoch and padded[: len(prefix)] == prefix


def parse_clause(text: str) -> Clause:
    """One clause such as ``>=3.10`` or ``==3.12.*`` (no commas); raises :class:`SpecifierError`."""
    match = _regex("clause").fullmatch(text)
    if match is None:
        raise SpecifierError(text.strip() or "(empty)")
    operator, version_text = match.group(1), match.group(2).lower()
    if operator == "===":
        return Clause(operator, None, False, version_text)
    wildcard = version_text.endswith(".*")
    version = parse_version(version_text[:-2] if wildcard else version_text)
    if version is None:
        raise SpecifierError(text.strip())
    bare = version.pre is None and version.post is None and version.dev is None and version.local is None
    if wildcard and (operator not in ("==", "!=") or not bare):
        raise SpecifierError(text.strip())  # a prefix is a release (after any epoch), nothing more
    if version.local and operator not in ("==", "!="):
        raise SpecifierError(text.strip())  # local labels belong to exact (in)equality only
    if operator == "~=" and len(version.release) < 2:
        raise SpecifierError(text.strip())
    return Clause(operator, version, wildcard, version_text)
