"""roost.pep440 orders versions and evaluates specifier clauses as packaging does."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from packaging.specifiers import InvalidSpecifier, Specifier
from packaging.version import Version

from roost.pep440 import SpecifierError, is_prerelease, parse_clause, parse_version, version_key

_versions = st.builds(
    lambda epoch, release, pre, post, dev: (
        (f"{epoch}!" if epoch else "")
        + ".".join(map(str, release))
        + (f"{pre[0]}{pre[1]}" if pre else "")
        + (f".post{post}" if post is not None else "")
        + (f".dev{dev}" if dev is not None else "")
    ),
    st.integers(0, 2),
    st.lists(st.integers(0, 12), min_size=1, max_size=4),
    st.one_of(st.none(), st.tuples(st.sampled_from(["a", "b", "rc"]), st.integers(0, 3))),
    st.one_of(st.none(), st.integers(0, 3)),
    st.one_of(st.none(), st.integers(0, 3)),
)


@settings(max_examples=300, deadline=None)
@given(_versions, _versions)
def test_version_order_matches_packaging(left: str, right: str) -> None:
    ours = (version_key(left) > version_key(right)) - (version_key(left) < version_key(right))  # type: ignore[operator]
    theirs = (Version(left) > Version(right)) - (Version(left) < Version(right))
    assert ours == theirs, (left, right)
    assert is_prerelease(left) == Version(left).is_prerelease


# Clause versions near the candidates (few numbers), so that the edges matter: the same
# release with a pre/post/dev/local part, trailing zeros, epochs.
def _spell(epoch: int, release: list[int], pre: tuple[str, int] | None, post: int | None, dev: int | None, local: str) -> str:
    return (
        (f"{epoch}!" if epoch else "")
        + ".".join(map(str, release))
        + (f"{pre[0]}{pre[1]}" if pre else "")
        + (f".post{post}" if post is not None else "")
        + (f".dev{dev}" if dev is not None else "")
        + (f"+{local}" if local else "")
    )


_release = st.lists(st.integers(0, 2), min_size=1, max_size=3)
_pre = st.one_of(st.none(), st.tuples(st.sampled_from(["a", "b", "rc"]), st.integers(0, 1)))
_maybe = st.one_of(st.none(), st.integers(0, 1))
_any_version = st.builds(
    _spell, st.sampled_from([0, 0, 0, 1]), _release, _pre, _maybe, _maybe, st.sampled_from(["", "", "loc", "1.x"])
)
_interpreter_version = st.builds(_spell, st.just(0), _release, _pre, st.none(), st.none(), st.just(""))
# (clause version, candidate) as roost meets them: Requires-Python (any clause) against a
# target Python's release, and -p specifiers (the interpreter subset) against interpreter
# versions, which may be pre-releases.
_pairs = st.one_of(
    st.tuples(_any_version, st.builds(_spell, st.just(0), _release, st.none(), st.none(), st.none(), st.just(""))),
    st.tuples(_interpreter_version, _interpreter_version),
)
_operators = st.sampled_from(["==", "!=", "<=", ">=", "<", ">", "~=", "==="])


@settings(max_examples=1000, deadline=None)
@given(_operators, _pairs, st.booleans())
def test_clauses_agree_with_packaging(operator: str, pair: tuple[str, str], wildcard: bool) -> None:
    version, candidate = pair
    text = f"{operator}{version}{'.*' if wildcard else ''}"
    try:
        clause = parse_clause(text)
    except SpecifierError:
        with pytest.raises(InvalidSpecifier):
            Specifier(text)
        return
    expected = Specifier(text).contains(candidate, prereleases=True)
    parsed = parse_version(candidate)
    assert parsed is not None
    assert clause.allows(parsed) == expected, (text, candidate)


@pytest.mark.parametrize(
    ("specifier", "version", "expected"),
    [
        (">=3.10", "3.12.1", True),
        (">=3.10,<3.13", "3.13.0", False),
        ("<3.13", "3.13.0rc1", False),
        ("<3.13rc2", "3.13.0rc1", True),
        ("~=3.12.0", "3.12.7", True),
        ("~=3.12.0", "3.13.0", False),
        ("==3.12", "3.12.0", True),
        ("==3.12.*", "3.12.0a1", True),
        ("!=3.12.*", "3.11.9", True),
        ("===3.12.1", "3.12.1", True),
        ("===3.12", "3.12.0", False),
        (">3.12", "3.12.post1", False),
        (">3.12", "3.12+local", False),
        ("==3.12", "3.12+local", True),
        ("==3.12+local", "3.12", False),
    ],
)
def test_table(specifier: str, version: str, expected: bool) -> None:
    candidate = parse_version(version)
    assert candidate is not None
    assert all(parse_clause(part).allows(candidate) for part in specifier.split(",")) is expected


@pytest.mark.parametrize(
    "bad", ["", ">=", "=>3", ">=3.*", "~=3", "3.10", ">=3.10+local", "==3.0a1.*", "==3.*.*", "===3.12;", ">=3.x"]
)
def test_rejects_non_clauses(bad: str) -> None:
    with pytest.raises(SpecifierError):
        parse_clause(bad)


def test_clauses_print_normalised() -> None:
    assert str(parse_clause(" ~= V3.12.0-RC2 ")) == "~=3.12.0rc2"
    assert str(parse_clause("==1!2.0.POST1.dev0+Ubuntu-1")) == "==1!2.0.post1.dev0+ubuntu.1"
    assert str(parse_clause("!=3.12.*")) == "!=3.12.*"
    assert str(parse_clause("===Anything-GOES")) == "===anything-goes"


def test_versions() -> None:
    assert version_key("not a version") is None and parse_version("3.*") is None
    assert not is_prerelease("nonsense") and is_prerelease("1.0.dev0") and not is_prerelease("1.0.post1")
    assert version_key("1.0+ABC") == version_key("1.0+abc") != version_key("1.0")
    version = parse_version(" v3.13.0rc2 ")
    assert version is not None and (version.release, version.pre, version.text) == ((3, 13, 0), ("rc", 2), "v3.13.0rc2")
