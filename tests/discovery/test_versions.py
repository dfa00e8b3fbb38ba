"""Discovery's PEP 440 subset agrees with packaging on the versions interpreters have.

The clause evaluator itself is roost.pep440's, tested in tests/test_pep440.py.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from packaging.specifiers import SpecifierSet

from roost.discovery.versions import SpecifierError, contains, parse_clauses, version_parts

_release = st.lists(st.integers(min_value=0, max_value=14), min_size=1, max_size=3).map(lambda parts: ".".join(map(str, parts)))
_pre = st.sampled_from(["", "a1", "b2", "rc1", "rc2", "a0"])
versions = st.builds(lambda release, pre: release + pre, _release, _pre)
_operator = st.sampled_from(["==", "!=", "<=", ">=", "<", ">", "~="])
clauses = st.one_of(
    st.builds(lambda op, version: op + version, _operator, versions),
    st.builds(lambda op, release: f"{op}{release}.*", st.sampled_from(["==", "!="]), _release),
)
interpreter_versions = st.builds(
    lambda major, minor, micro, pre: f"{major}.{minor}.{micro}{pre}",
    st.integers(2, 3),
    st.integers(0, 14),
    st.integers(0, 20),
    _pre,
)


@settings(max_examples=600, deadline=None)
@given(st.lists(clauses, min_size=1, max_size=3), interpreter_versions)
def test_agrees_with_packaging(parts: list[str], version: str) -> None:
    text = ",".join(parts)
    try:
        ours = parse_clauses(text)
    except SpecifierError:
        with pytest.raises(Exception):  # noqa: B017 - packaging rejects it too
            SpecifierSet(text)
        return
    assert ours is not None
    assert contains(ours, version) == SpecifierSet(text).contains(version, prereleases=True), (text, version)


def test_exotic_clauses_are_left_to_packaging() -> None:
    assert parse_clauses(">=3.10.post1") is None
    assert parse_clauses("==1!3.10") is None
    assert parse_clauses("==0!3.10") is None  # any written epoch
    assert parse_clauses(">=3.10,<3.13.dev0") is None
    assert parse_clauses("==3.10.post1.*") is None  # packaging decides (and rejects) it


@pytest.mark.parametrize("bad", ["", ">=", "=>3", ">=3.*", "~=3", "3.10", ">=3,,<4", "===3.12;", ">=3.12;"])
def test_rejects_non_specifiers(bad: str) -> None:
    with pytest.raises(SpecifierError):
        parse_clauses(bad)


def test_version_parts() -> None:
    assert version_parts("3.13.0rc2") == ((3, 13, 0), ("rc", 2))
    assert version_parts("3.12.1") == ((3, 12, 1), None)
    with pytest.raises(ValueError):
        version_parts("3.12.*")
    with pytest.raises(ValueError):
        version_parts("3.12.1.post1")
