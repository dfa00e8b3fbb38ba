"""Pure parts of seeding: Requires-Python, wheel names, the plan, shebangs (version order: tests/test_pep440.py)."""

from __future__ import annotations

import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from packaging.specifiers import SpecifierSet
from seed_helpers import SRC

if str(SRC) not in sys.path:
    sys.path.insert(0, str(SRC))

from roost.errors import UsageError  # noqa: E402
from roost.options import Options  # noqa: E402
from roost.seed import parse_seed_package, plan  # noqa: E402
from roost.seed.scripts import console_scripts, pip_script_names, shebang  # noqa: E402
from roost.seed.versions import WheelName, python_allowed  # noqa: E402

_clauses = st.builds(
    lambda op, release, wildcard: f"{op}{'.'.join(map(str, release))}" + (".*" if wildcard and op in ("==", "!=") else ""),
    st.sampled_from([">=", "<=", ">", "<", "==", "!=", "~="]),
    st.lists(st.integers(0, 12), min_size=2, max_size=3).map(lambda parts: [3] + parts[1:]),
    st.booleans(),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_clauses, min_size=1, max_size=3), st.tuples(st.just(3), st.integers(0, 14), st.integers(0, 20)))
def test_requires_python_matches_packaging(clauses: list[str], target: tuple[int, int, int]) -> None:
    spec = ",".join(clauses)
    expected = SpecifierSet(spec).contains(".".join(map(str, target)), prereleases=True)
    assert python_allowed(spec, target) == expected, (spec, target)


@pytest.mark.parametrize(
    ("spec", "target", "allowed"),
    [
        (">=3.8", (3, 7, 16), False),
        (">=3.7", (3, 7, 16), True),
        (">=2.7,!=3.0.*,!=3.1.*,!=3.2.*,!=3.3.*", (3, 3, 1), False),
        (None, (3, 7, 0), True),
        ("nonsense", (3, 7, 0), True),  # unparsable: ignored, as pip does
        (">=3.99,nonsense", (3, 7, 0), True),  # ignored as a whole, even after a clause that fails
        (">=3.8+local", (3, 7, 0), True),  # a local label in an ordered clause is invalid
        ("===3.7.0", (3, 7, 0), True),
        (">=3.8,", (3, 8, 0), True),
    ],
)
def test_requires_python_examples(spec: str | None, target: tuple[int, int, int], allowed: bool) -> None:
    assert python_allowed(spec, target) is allowed


def test_wheel_names() -> None:
    parsed = WheelName.parse("Roost_Demo-1.0-1-py2.py3-none-any.whl")
    assert parsed is not None and parsed.name == "roost-demo" and parsed.version == "1.0" and parsed.is_pure
    assert WheelName.parse("not-a-wheel.zip") is None
    assert WheelName.parse("bad-name.whl") is None


class _Interp:
    implementation = "CPython"
    implementation_tag = "cpython"
    version_info = (3, 11, 7, "final", 0)
    free_threaded = False
    machine = "x86_64"
    platform = "linux"
    config = {"SOABI": "cpython-311-x86_64-linux-gnu"}


@pytest.mark.parametrize(
    ("filename", "fits"),
    [
        ("a-1-py3-none-any.whl", True),
        ("a-1-py2-none-any.whl", False),
        ("a-1-cp311-cp311-manylinux_2_17_x86_64.whl", True),
        ("a-1-cp310-cp310-manylinux_2_17_x86_64.whl", False),
        ("a-1-cp38-abi3-manylinux2014_x86_64.whl", True),
        ("a-1-cp311-cp311-manylinux_2_17_aarch64.whl", False),
        ("a-1-cp311-cp311-win_amd64.whl", False),
        ("a-1-pp39-pypy39_pp73-manylinux_2_17_x86_64.whl", False),
    ],
)
def test_wheel_tags_fit(filename: str, fits: bool) -> None:
    parsed = WheelName.parse(filename)
    assert parsed is not None and parsed.fits(_Interp()) is fits  # type: ignore[arg-type]


def _plan(version: tuple[int, int], **values: object) -> dict[str, str]:
    interp = _Interp()
    interp.version_info = (*version, 0, "final", 0)  # type: ignore[assignment]
    return {request.name: request.spec for request in plan(Options(**values), interp)}  # type: ignore[arg-type]


def test_default_plan_follows_virtualenv() -> None:
    assert _plan((3, 8)) == {"pip": "bundle", "setuptools": "bundle", "wheel": "bundle"}
    assert _plan((3, 9)) == {"pip": "bundle", "setuptools": "bundle"}
    assert _plan((3, 11)) == {"pip": "bundle", "setuptools": "bundle"}
    assert _plan((3, 12)) == {"pip": "bundle"}
    assert _plan((3, 13), setuptools="70.0", wheel="embed") == {"pip": "bundle", "setuptools": "70.0", "wheel": "embed"}
    assert _plan((3, 11), no_setuptools=True, pip="none") == {}
    assert _plan((3, 12), no_seed=True) == {}
    assert _plan((3, 12), seed_packages=["attrs==23.2.0", "Foo_Bar"]) == {"pip": "bundle", "attrs": "23.2.0", "foo-bar": "bundle"}
    assert _plan((3, 12), seed_packages=["pip==23.0.1"]) == {"pip": "23.0.1"}


@pytest.mark.parametrize("values", [{"pip": "latest!"}, {"seed_packages": ["a>=1"]}, {"seed_packages": ["a==not a version"]}])
def test_bad_plan_values_are_usage_errors(values: dict[str, object]) -> None:
    with pytest.raises(UsageError):
        _plan((3, 12), **values)


def test_parse_seed_package() -> None:
    assert parse_seed_package(" Requests==2.31.0 ") == ("requests", "2.31.0")
    assert parse_seed_package("zope.interface") == ("zope-interface", "bundle")


def test_shebang_follows_pip() -> None:
    assert shebang("/env/bin/python") == b"#!/env/bin/python\n"
    spaced = shebang("/my env/bin/python")
    assert spaced == b"#!/bin/sh\n'''exec' \"/my env/bin/python\" \"$0\" \"$@\"\n' '''\n"
    long_path = "/" + "x" * 130 + "/bin/python"
    assert shebang(long_path).startswith(b"#!/bin/sh\n")
    assert shebang('/we "ird$/bin/python') == b"#!/bin/sh\n'''exec' \"/we \\\"ird\\$/bin/python\" \"$0\" \"$@\"\n' '''\n"
    from roost.errors import RoostError

    with pytest.raises(RoostError):
        shebang("/bad\npath/python")


def test_shebang_for_python_2_with_a_path_that_is_not_ascii() -> None:
    """Python 2 refuses a first line that is not ASCII and reads the encoding from line 1 or 2."""
    assert shebang("/ü/bin/python") == "#!/ü/bin/python\n".encode()
    assert (
        shebang("/ü/bin/python", python2=True)
        == "#!/bin/sh\n# -*- coding: utf-8 -*-\n'''exec' \"/ü/bin/python\" \"$0\" \"$@\"\n' '''\n".encode()
    )
    assert shebang("/env/bin/python", python2=True) == b"#!/env/bin/python\n"


def test_pip_script_names_follow_the_target() -> None:
    assert pip_script_names(["pip", "pip3", "pip3.8"], (3, 12)) == ["pip", "pip3", "pip3.12"]
    assert pip_script_names(["easy_install", "easy_install-3.8"], (3, 9)) == ["easy_install", "easy_install-3.9"]
    scripts = console_scripts([["pip", "pip._internal.cli.main", "main"], ["pip3.8", "pip._internal.cli.main", "main"]], (3, 11))
    assert [name for name, _, _ in scripts] == ["pip", "pip3", "pip3.11"]


def test_record_lines_match_the_csv_module_and_hashlib() -> None:
    """Image RECORDs and per-env RECORD lines share one format: csv quoting, urlsafe sha256."""
    import base64
    import csv
    import hashlib
    import io

    from roost.seed.scripts import record_line

    data = b"print('hi')\n"
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    for path in ("pkg/mod.py", "odd,name.py", 'quote"d.py'):
        expected = io.StringIO()
        csv.writer(expected, lineterminator="").writerow([path, f"sha256={digest}", len(data)])
        assert record_line(path, data) == expected.getvalue()
