"""The -p grammar: table-driven parsing and matching, plus property tests.

Matching against implementations this machine lacks (GraalPy, free-threaded 3.13t, 32-bit,
arm64) uses interpreter facts recorded from the running interpreter and edited: the
matching code only reads those fields, so the facts are all it needs.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roost.discovery import current_interpreter
from roost.discovery.hints import Hint, executable_hint, version_dir_hint
from roost.discovery.interpreter import Interpreter
from roost.discovery.spec import PythonSpec, parse_spec
from roost.errors import UsageError


def interpreter(
    implementation: str = "CPython",
    version: tuple[int, int, int] = (3, 12, 1),
    level: str = "final",
    free_threaded: bool = False,
    architecture: int = 64,
    machine: str = "x86_64",
) -> Interpreter:
    """Recorded facts of the running interpreter with the matching-relevant fields replaced."""
    facts = current_interpreter().to_dict()
    facts.update(
        implementation=implementation,
        version_info=[*version, level, 1 if level != "final" else 0],
        free_threaded=free_threaded,
        architecture=architecture,
        machine=machine,
    )
    return Interpreter(facts, "recorded")


# text -> (implementation, major, minor, micro, free_threaded, bits, machine, specifier)
GRAMMAR = [
    ("3", (None, 3, None, None, False, None, None, None)),
    ("3.12", (None, 3, 12, None, False, None, None, None)),
    ("3.12.1", (None, 3, 12, 1, False, None, None, None)),
    ("312", (None, 3, 12, None, False, None, None, None)),
    ("27", (None, 2, 7, None, False, None, None, None)),
    ("python", (None, None, None, None, False, None, None, None)),
    ("py", (None, None, None, None, False, None, None, None)),
    ("python3.12", (None, 3, 12, None, False, None, None, None)),
    ("py312", (None, 3, 12, None, False, None, None, None)),
    ("PYTHON3", (None, 3, None, None, False, None, None, None)),
    ("cpython3.12", ("cpython", 3, 12, None, False, None, None, None)),
    ("cp312", ("cpython", 3, 12, None, False, None, None, None)),
    ("CPython3.11", ("cpython", 3, 11, None, False, None, None, None)),
    ("pypy", ("pypy", None, None, None, False, None, None, None)),
    ("pypy3.10", ("pypy", 3, 10, None, False, None, None, None)),
    ("pp39", ("pypy", 3, 9, None, False, None, None, None)),
    ("graalpy", ("graalpy", None, None, None, False, None, None, None)),
    ("graalpy3.11", ("graalpy", 3, 11, None, False, None, None, None)),
    ("3.13t", (None, 3, 13, None, True, None, None, None)),
    ("python3.13t", (None, 3, 13, None, True, None, None, None)),
    ("cpython3.13.0t", ("cpython", 3, 13, 0, True, None, None, None)),
    ("3.13+freethreaded", (None, 3, 13, None, True, None, None, None)),
    ("3.12-64", (None, 3, 12, None, False, 64, None, None)),
    ("python3.12-32", (None, 3, 12, None, False, 32, None, None)),
    ("3.12-arm64", (None, 3, 12, None, False, None, "aarch64", None)),
    ("3.12-aarch64", (None, 3, 12, None, False, None, "aarch64", None)),
    ("3.12-amd64", (None, 3, 12, None, False, None, "x86_64", None)),
    ("3.12-64-x86_64", (None, 3, 12, None, False, 64, "x86_64", None)),
    ("cpython3.13t-64-arm64", ("cpython", 3, 13, None, True, 64, "aarch64", None)),
    ("cpython@3.12", ("cpython", 3, 12, None, False, None, None, None)),
    ("pypy@3.10", ("pypy", 3, 10, None, False, None, None, None)),
    (">=3.10", (None, None, None, None, False, None, None, ">=3.10")),
    ("cpython>=3.10,<3.13", ("cpython", None, None, None, False, None, None, "<3.13,>=3.10")),
    ("python >= 3.9", (None, None, None, None, False, None, None, ">=3.9")),
    ("pypy~=3.9.0", ("pypy", None, None, None, False, None, None, "~=3.9.0")),
    ("==3.12.*", (None, None, None, None, False, None, None, "==3.12.*")),
    ("!=3.11.*,>=3.8", (None, None, None, None, False, None, None, "!=3.11.*,>=3.8")),
    ("  3.12  ", (None, 3, 12, None, False, None, None, None)),
]


@pytest.mark.parametrize(("text", "expected"), GRAMMAR, ids=[text.strip() for text, _ in GRAMMAR])
def test_grammar(text: str, expected: tuple[object, ...]) -> None:
    spec = parse_spec(text)
    assert spec.is_description
    got = (
        spec.implementation,
        spec.major,
        spec.minor,
        spec.micro,
        spec.free_threaded,
        spec.architecture,
        spec.machine,
        spec.specifier,
    )
    assert got == expected


@pytest.mark.parametrize(
    ("text", "path", "name"),
    [
        ("/usr/bin/python3", "/usr/bin/python3", None),
        ("./venv/bin/python", "./venv/bin/python", None),
        ("bin/python", "bin/python", None),
        ("~/py/bin/python", "~/py/bin/python", None),
        ("..", "..", None),
        ("C:\\Python312\\python.exe", "C:\\Python312\\python.exe", None),
        ("python3-dbg", None, "python3-dbg"),
        ("mypython", None, "mypython"),
        ("python3.12-config", None, "python3.12-config"),
        ("jython3-foo", None, "jython3-foo"),
    ],
)
def test_paths_and_names(text: str, path: str | None, name: str | None) -> None:
    spec = parse_spec(text)
    assert (spec.path, spec.name) == (path, name)
    assert not spec.is_description


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty python spec"),
        ("   ", "empty python spec"),
        (">=abc", "invalid version specifier '>=abc'"),
        (">=", "invalid version specifier"),
        ("~=3", "invalid version specifier '~=3'"),
        ("<3.*", "invalid version specifier"),
        (">=3.10,", "invalid version specifier"),
        ("foo>=3.10", "unknown python implementation 'foo'"),
        ("3.12.1.4", "invalid python spec '3.12.1.4'"),
        ("3 12", "invalid python spec"),
        ("12345", "invalid python spec"),
    ],
)
def test_bad_specs_are_one_line_usage_errors(text: str, message: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_spec(text)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)
    assert caught.value.exit_code == 2


@pytest.mark.parametrize(
    ("text", "exact"),
    [("python3.12", "python3.12"), ("pypy3", "pypy3"), ("python", "python"), ("3.12", None), (">=3", None), ("3.12-64", None)],
)
def test_exact_name(text: str, exact: str | None) -> None:
    assert parse_spec(text).exact_name == exact


def test_canonical_text() -> None:
    assert str(parse_spec("py312")) == "python3.12"
    assert str(parse_spec("cp313+freethreaded")) == "cpython3.13t"
    assert str(parse_spec("3.12-amd64")) == "python3.12-x86_64"
    assert str(parse_spec("python>=3.9 , <3.12")) == "<3.12,>=3.9"


CPYTHON_3121 = interpreter()
MATCHING = [
    # spec, interpreter, matches
    ("3", CPYTHON_3121, True),
    ("3.12", CPYTHON_3121, True),
    ("3.12.1", CPYTHON_3121, True),
    ("3.12.2", CPYTHON_3121, False),
    ("3.11", CPYTHON_3121, False),
    ("2", CPYTHON_3121, False),
    ("python", CPYTHON_3121, True),
    ("cpython3.12", CPYTHON_3121, True),
    ("pypy3.12", CPYTHON_3121, False),
    ("pypy3.10", interpreter("PyPy", (3, 10, 14)), True),
    ("python3.10", interpreter("PyPy", (3, 10, 14)), True),
    ("graalpy", interpreter("GraalVM", (3, 11, 7)), True),
    ("graalpy3.11", interpreter("GraalVM", (3, 11, 7)), True),
    ("cpython3.11", interpreter("GraalVM", (3, 11, 7)), False),
    ("3.13t", interpreter(version=(3, 13, 0), free_threaded=True), True),
    ("3.13", interpreter(version=(3, 13, 0), free_threaded=True), False),
    ("3.13t", interpreter(version=(3, 13, 0)), False),
    ("python", interpreter(version=(3, 13, 0), free_threaded=True), True),
    (">=3.13", interpreter(version=(3, 13, 0), free_threaded=True), False),
    ("3.12-64", CPYTHON_3121, True),
    ("3.12-32", CPYTHON_3121, False),
    ("3.12-32", interpreter(architecture=32, machine="x86"), True),
    ("3.12-arm64", CPYTHON_3121, False),
    ("3.12-arm64", interpreter(machine="aarch64"), True),
    ("3.12-x86_64", CPYTHON_3121, True),
    (">=3.10", CPYTHON_3121, True),
    (">=3.13", CPYTHON_3121, False),
    ("cpython>=3.10,<3.13", CPYTHON_3121, True),
    ("pypy>=3.10", CPYTHON_3121, False),
    ("~=3.12.0", CPYTHON_3121, True),
    ("==3.12.*", CPYTHON_3121, True),
    ("!=3.12.*", CPYTHON_3121, False),
    (">=3.13", interpreter(version=(3, 14, 0), level="alpha"), True),
    ("<3.14", interpreter(version=(3, 14, 0), level="alpha"), False),
    ("/some/path", CPYTHON_3121, True),
    ("some-name", CPYTHON_3121, True),
]


@pytest.mark.parametrize(
    ("text", "candidate", "expected"), MATCHING, ids=[f"{t}-{i.describe.split(' (')[0]}" for t, i, _ in MATCHING]
)
def test_matches(text: str, candidate: Interpreter, expected: bool) -> None:
    assert parse_spec(text).matches(candidate) is expected


@pytest.mark.parametrize(
    ("text", "hint", "expected"),
    [
        ("3.12", Hint(None, (3, 12)), True),
        ("3.12", Hint(None, (3, 11)), False),
        ("3.12", Hint(None, (3,)), True),
        ("3.12", Hint(None, ()), True),
        ("3.12", None, True),
        ("2.7", Hint("cpython", (3, 11, 7)), False),
        ("pypy3", Hint("cpython", (3, 9)), False),
        ("pypy3", Hint(None, (3, 9)), True),
        ("3.13t", Hint(None, (3, 13), True), True),
        ("3.13", Hint(None, (3, 13), True), False),
        ("3.13t", Hint(None, (3, 13), None), True),
        ("python", Hint(None, (3, 13), True), True),
        (">=3.12", Hint(None, (3, 11)), False),
        (">=3.12", Hint(None, (3, 12)), True),
        ("!=3.11.5", Hint(None, (3, 11)), True),
        ("==3.11.5", Hint(None, (3, 11)), True),
        ("==3.11.5", Hint(None, (3, 11, 4)), False),
        ("3.12-arm64", Hint(None, (3, 12), None, "x86_64"), False),
        ("3.12-32", Hint(None, (3, 12), None, None, 64), False),
        ("/x/python", Hint(None, (2, 7)), True),
    ],
)
def test_could_match(text: str, hint: Hint | None, expected: bool) -> None:
    assert parse_spec(text).could_match(hint) is expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("python", (None, (), None)),
        ("python3", (None, (3,), None)),
        ("python3.12", (None, (3, 12), None)),
        ("python3.13t", (None, (3, 13), True)),
        ("pypy3.9", ("pypy", (3, 9), None)),
        ("graalpy", ("graalpy", (), None)),
        ("python.exe", (None, (), None)),
        ("python3.12-config", None),
        ("pythonw", None),
    ],
)
def test_executable_hint(name: str, expected: tuple[object, ...] | None) -> None:
    hint = executable_hint(name)
    assert (None if hint is None else (hint.implementation, hint.version, hint.free_threaded)) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("3.12.1", ("cpython", (3, 12, 1), None, None)),
        ("3.13.0t", ("cpython", (3, 13, 0), True, None)),
        ("3.12-dev", ("cpython", (3, 12), None, None)),
        ("pypy3.10-7.3.12", ("pypy", (3, 10), None, None)),
        ("graalpy-23.1.0", ("graalpy", (), None, None)),
        ("cpython-3.12.1-linux-x86_64-gnu", ("cpython", (3, 12, 1), None, "x86_64")),
        ("cpython-3.13.0+freethreaded-linux-aarch64-gnu", ("cpython", (3, 13, 0), True, "aarch64")),
        ("pypy-3.10.14-macos-aarch64-none", ("pypy", (3, 10, 14), None, "aarch64")),
        ("miniconda3-latest", None),
        ("my-project-env", None),
    ],
)
def test_version_dir_hint(name: str, expected: tuple[object, ...] | None) -> None:
    hint = version_dir_hint(name)
    got = None if hint is None else (hint.implementation, hint.version, hint.free_threaded, hint.machine)
    assert got == expected


# -- properties ------------------------------------------------------------------------------

_words = st.sampled_from(["", "python", "py", "cpython", "cp", "pypy", "pp", "graalpy", "jython", "foo", "PyPy", "@"])
_versions = st.sampled_from(["", "3", "3.12", "3.12.1", "312", "27", "2.7.18", "10", "3.100", "0"])
_suffixes = st.sampled_from(["", "t", "+freethreaded", "-32", "-64", "-arm64", "-x86_64", "-64-amd64", "-dbg", "-"])
_operators = st.sampled_from(["", ">=", "<", "==", "!=", "~=", "===", ">", "<="])
structured = st.builds(lambda w, o, v, s: f"{w}{o}{v}{s}", _words, _operators, _versions, _suffixes)
arbitrary = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=30)


@settings(max_examples=400, deadline=None)
@given(st.one_of(structured, arbitrary))
def test_parser_never_crashes_and_round_trips(text: str) -> None:
    try:
        spec = parse_spec(text)
    except UsageError as error:
        assert "\n" not in str(error)
        return
    printed = str(spec)
    again = parse_spec(printed)
    assert again == spec, (text, printed)
    assert str(again) == printed


@settings(max_examples=200, deadline=None)
@given(structured)
def test_matching_never_crashes(text: str) -> None:
    try:
        spec = parse_spec(text)
    except UsageError:
        return
    # What the search relies on: a spec that matches an interpreter never rules out its file
    # by name, or discovery would skip the interpreter without probing it.
    for candidate, name in (
        (CPYTHON_3121, "python3.12"),
        (interpreter("PyPy", (3, 10, 14)), "pypy3.10"),
        (interpreter(version=(3, 14, 0), level="candidate"), "python3.14"),
    ):
        matches = spec.matches(candidate)
        assert isinstance(matches, bool)
        if matches:
            assert spec.could_match(executable_hint(name)), (text, name)


def test_equality_and_hash() -> None:
    assert parse_spec("py312") == parse_spec("python3.12") == parse_spec("3.12")
    assert hash(parse_spec("py312")) == hash(parse_spec("3.12"))
    assert parse_spec("3.12") != parse_spec("3.12t")
    assert parse_spec("3.12") != "3.12"
    assert isinstance(parse_spec("3.12"), PythonSpec)
