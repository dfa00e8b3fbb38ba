"""Reading requirement files and judging markers for a target (no environment is made)."""

# ruff: noqa: F401, F811  (pytest fixtures imported from helper modules, then requested by name)

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from seed_helpers import PY311, SRC, need, probe

if str(SRC) not in sys.path:
    sys.path.insert(0, str(SRC))

from roost.errors import UsageError  # noqa: E402
from roost.seed.pylock import read_lock  # noqa: E402
from roost.seed.reqfetch import pip_wheel_cache  # noqa: E402
from roost.seed.reqfile import logical_lines, read_requirements  # noqa: E402
from roost.seed.reqset import MarkerJudge, read_set  # noqa: E402

PY39 = str(Path(PY311).parents[2] / "3.9.18" / "bin" / "python")


@pytest.fixture(scope="module")
def py39():  # type: ignore[no-untyped-def]
    """The facts of a Python 3.9 (not the one running roost: markers are judged for the target)."""
    return probe(need(PY39))


def test_continuations_comments_and_blank_lines() -> None:
    text = "# top\nfoo==1 \\\n  --hash=sha256:ab  # trailing\n\nbar==2#not-a-comment\n"
    assert logical_lines(text) == [(2, "foo==1   --hash=sha256:ab"), (5, "bar==2#not-a-comment")]


def test_markers_are_judged_for_the_target_not_for_roosts_python(py39) -> None:  # type: ignore[no-untyped-def]
    from packaging.markers import Marker

    judge = MarkerJudge(py39)
    assert judge(Marker('python_version < "3.10"'), frozenset()) is True  # roost itself runs 3.11
    assert judge(Marker('python_version >= "3.11"'), frozenset()) is False
    assert judge(Marker('sys_platform == "linux" and implementation_name == "cpython"'), frozenset()) is True
    assert judge(Marker('platform_release >= "5"'), frozenset()) is None  # the kernel is not among the facts
    assert judge.with_extra(Marker('extra == "cli"'), "cli") is True
    assert judge.with_extra(Marker('extra == "cli"'), "") is False


def test_file_options_nested_files_and_what_goes_to_pip(tmp_path: Path, py39) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "more.txt").write_text("Pluggy==1.5.0\n-e ./proj\n")
    (tmp_path / "links").mkdir()
    (tmp_path / "constraints.txt").write_text("iniconfig>=2\n")
    (tmp_path / "reqs.txt").write_text(
        "--index-url https://example.invalid/simple\n"
        "--find-links links\n"
        "-r sub/more.txt\n"
        "-cconstraints.txt\n"
        "iniconfig[extra]==2.0.0\n"
        "packaging>=24\n"
        "tomli==2.0.1; python_version >= '3.11'\n"
        "exceptiongroup==1.2.2; python_version < '3.11'\n"
        "six==1.16 --config-settings=x=y\n"
        "https://example.invalid/pkg-1.0.tar.gz\n"
        "name @ https://example.invalid/name-1.0-py3-none-any.whl\n"
        "${ROOST_TEST_PIN}\n"
    )
    result_set, _ = read_set([str(tmp_path / "reqs.txt")], py39, {"ROOST_TEST_PIN": "attrs==23.2.0"})
    by_name = {wanted.name: wanted for wanted in result_set.wanted}
    assert sorted(by_name) == ["attrs", "exceptiongroup", "iniconfig", "pluggy"]  # tomli: false for 3.9
    assert by_name["iniconfig"].extras == {"extra"} and by_name["pluggy"].text == "pluggy==1.5.0"
    reasons = {" ".join(item.args): item.reason for item in result_set.handoffs}
    assert reasons["packaging>=24"] == "not pinned with =="
    assert reasons[f"-e {tmp_path}/sub/./proj"] == "editable"
    assert reasons["six==1.16 --config-settings=x=y"].startswith("per-requirement pip options")
    assert reasons["https://example.invalid/pkg-1.0.tar.gz"] == "a URL or file"
    assert reasons["name @ https://example.invalid/name-1.0-py3-none-any.whl"] == "a URL"
    assert result_set.pip_env == {"PIP_INDEX_URL": "https://example.invalid/simple", "PIP_FIND_LINKS": str(tmp_path / "links")}
    assert result_set.constraints == [str(tmp_path / "constraints.txt")]


def test_constraints_apply_to_the_pins_roost_installs(tmp_path: Path, py39) -> None:  # type: ignore[no-untyped-def]
    # pip's resolver refuses a pin its constraints exclude; roost installs pins without pip, so it must too.
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "nested.txt").write_text("Six<1.16 ; python_version < '3.10'\ntomli<2 ; python_version >= '3.11'\n")
    (tmp_path / "constraints.txt").write_text("iniconfig>=2\n-r sub/nested.txt\n")
    (tmp_path / "reqs.txt").write_text("-c constraints.txt\niniconfig==2.0.0\ntomli==2.0.1\nsix==1.16.0\n")
    with pytest.raises(UsageError, match=r"reqs.txt:4: six==1.16.0 is excluded by the constraint Six<1.16 .*nested.txt:1"):
        read_set([str(tmp_path / "reqs.txt")], py39, {})
    (tmp_path / "sub" / "nested.txt").write_text("tomli<2 ; python_version >= '3.11'\n")  # false for 3.9
    assert len(read_set([str(tmp_path / "reqs.txt")], py39, {})[0].wanted) == 3
    (tmp_path / "pins.txt").write_text("iniconfig==2.0.0\n")
    with pytest.raises(UsageError, match="cannot read constraints file .*pip-constraint.txt"):  # as pip: an error
        read_set([str(tmp_path / "pins.txt")], py39, {"PIP_CONSTRAINT": str(tmp_path / "sub" / "pip-constraint.txt")})
    (tmp_path / "sub" / "pip-constraint.txt").write_text("iniconfig<2\n")
    with pytest.raises(UsageError, match="iniconfig==2.0.0 is excluded by the constraint iniconfig<2"):
        read_set([str(tmp_path / "pins.txt")], py39, {"PIP_CONSTRAINT": str(tmp_path / "sub" / "pip-constraint.txt")})


def test_include_loops_are_refused(tmp_path: Path, py39) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "a.txt").write_text("-r b.txt\n")
    (tmp_path / "b.txt").write_text("-r a.txt\n")
    with pytest.raises(UsageError, match="which includes it again"):
        read_requirements(str(tmp_path / "a.txt"), {}, MarkerJudge(py39))


def test_a_lock_picks_the_wheel_that_fits_and_hands_off_the_rest(tmp_path: Path, py39) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "pylock.toml").write_text(
        'lock-version = "1.0"\nrequires-python = ">=3.8"\n'
        '[[packages]]\nname = "MarkupSafe"\nversion = "3.0.2"\n'
        '[[packages.wheels]]\nurl = "https://example.invalid/MarkupSafe-3.0.2-cp313-cp313-manylinux_2_17_x86_64.whl"\n'
        'hashes = {sha256 = "' + "1" * 64 + '"}\n'
        '[[packages.wheels]]\nurl = "https://example.invalid/MarkupSafe-3.0.2-cp39-cp39-manylinux_2_17_x86_64.whl"\n'
        'hashes = {sha256 = "' + "2" * 64 + '"}\n'
        '[[packages]]\nname = "docopt"\nversion = "0.6.2"\n'
        '[packages.sdist]\npath = "dist/docopt-0.6.2.tar.gz"\nhashes = {sha256 = "' + "3" * 64 + '"}\n'
        '[[packages]]\nname = "mine"\n[packages.directory]\npath = "."\neditable = true\n'
        '[[packages]]\nname = "win"\nversion = "1"\nmarker = "sys_platform == \'win32\'"\n'
    )
    lock = read_lock(str(tmp_path / "pylock.toml"), py39, MarkerJudge(py39))
    wanted = {item.name: item for item in lock.wanted}
    assert wanted["markupsafe"].url.endswith("cp39-cp39-manylinux_2_17_x86_64.whl")  # type: ignore[union-attr]
    assert wanted["markupsafe"].hashes == {"sha256": {"2" * 64}}
    assert wanted["docopt"].sdist == str(tmp_path / "dist" / "docopt-0.6.2.tar.gz")
    assert [item.args for item in lock.handoffs] == [["-e", str(tmp_path) + "/."]]
    assert "win" not in wanted and lock.require_hashes


def test_pip_wheel_cache_follows_pips_settings(tmp_path: Path) -> None:
    assert pip_wheel_cache({"PIP_CACHE_DIR": "/x"}) == "/x/wheels"
    assert pip_wheel_cache({"PIP_NO_CACHE_DIR": "1", "PIP_CACHE_DIR": "/x"}) is None
    config = tmp_path / "pip.conf"
    config.write_text("[global]\ncache-dir = /from/config\n")
    assert pip_wheel_cache({"PIP_CONFIG_FILE": str(config), "XDG_CONFIG_HOME": str(tmp_path)}) == "/from/config/wheels"
    assert pip_wheel_cache({"XDG_CACHE_HOME": "/c", "XDG_CONFIG_HOME": str(tmp_path / "none")}) in ("/c/pip/wheels", None)


def test_a_local_wheel_file_is_a_pin(tmp_path: Path, py39) -> None:  # type: ignore[no-untyped-def]
    from seed_helpers import build_wheel

    wheel = build_wheel(tmp_path / "wheels", name="local_demo", version="1.2")
    (tmp_path / "reqs.txt").write_text("wheels/local_demo-1.2-py3-none-any.whl\nwheels/missing-1.0-py3-none-any.whl\n")
    result, _ = read_set([str(tmp_path / "reqs.txt")], py39, {})
    assert [(item.name, item.version, item.path) for item in result.wanted] == [("local-demo", "1.2", str(wheel))]
    assert [item.reason for item in result.handoffs] == ["a URL or file"]  # not on this machine: pip says so


def test_pip_arguments_become_requirement_lines() -> None:
    from roost.seed.reqapi import as_requirement_lines

    arguments = ["--force-reinstall", "--no-deps", "-r", "reqs.txt", "pytest==8.3.3", "-cconstraints.txt", "--pre", "x.whl"]
    assert as_requirement_lines(arguments) == ["-r reqs.txt", "pytest==8.3.3", "-cconstraints.txt", "--pre", "x.whl"]
