"""Where discovery looks: PATH, version-manager shims, pyenv, asdf, mise, uv, conda, prefixes.

pyenv's real shims are used where they can be (``/root/.pyenv/shims`` with
``PYENV_VERSION``).  asdf, mise, uv and conda are not installed here, so their layouts are
built as trees of real files: their interpreters are symlinks to this machine's real
interpreters, laid out the way each tool lays out its installs.  Shims in those trees exit
with an error if executed: discovery must resolve them from data files, never run them.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from roost.appdata import AppData
from roost.discovery import discover, list_interpreters
from roost.discovery.finders import Finder
from roost.discovery.shims import ShimResolver, resolve_version_dir, version_file_specs
from roost.discovery.spec import parse_spec
from roost.errors import RoostError

from .conftest import PYENV, PYENV_VERSIONS, base_env, need, pyenv_python, trap_shim


def real_version_dir(minor: str) -> Path:
    return Path(need(PYENV / "versions" / PYENV_VERSIONS[minor]))


def fake_pyenv(root: Path, minors: list[str], global_version: str | None = None) -> Path:
    """A PYENV_ROOT whose versions are symlinks to the real installs, with trap shims."""
    for minor in minors:
        (root / "versions").mkdir(parents=True, exist_ok=True)
        (root / "versions" / PYENV_VERSIONS[minor]).symlink_to(real_version_dir(minor))
    for name in ("python", "python3", "python3.8", "python3.9", "python3.10", "python3.12", "python3.13"):
        trap_shim(root / "shims" / name)
    if global_version:
        (root / "version").write_text(global_version + "\n")
    return root


def first_on_path(env: dict[str, str], cwd: Path, name: str) -> str | None:
    return next((candidate.path for candidate in Finder(env, cwd).on_path_exact(name)), None)


# -- pyenv shims ------------------------------------------------------------------------------


def test_pyenv_shim_follows_the_global_version_file(tmp_path: Path, isolated: Path) -> None:
    root = fake_pyenv(tmp_path / "pyenv", ["3.10", "3.12"], global_version="3.10.13")
    env = base_env(PYENV_ROOT=str(root), PATH=f"{root / 'shims'}:/usr/bin:/bin")
    assert first_on_path(env, isolated, "python3") == str(root / "versions/3.10.13/bin/python3")


def test_pyenv_version_variable_wins(tmp_path: Path, isolated: Path) -> None:
    root = fake_pyenv(tmp_path / "pyenv", ["3.10", "3.12"], global_version="3.10.13")
    (isolated / ".python-version").write_text("3.10.13\n")
    env = base_env(PYENV_ROOT=str(root), PATH=f"{root / 'shims'}:/usr/bin", PYENV_VERSION="3.12.1")
    assert first_on_path(env, isolated, "python3") == str(root / "versions/3.12.1/bin/python3")


def test_pyenv_local_file_in_a_parent_and_prefix_versions(tmp_path: Path, isolated: Path) -> None:
    root = fake_pyenv(tmp_path / "pyenv", ["3.10", "3.12"], global_version="3.10.13")
    (isolated / ".python-version").write_text("# pinned\n3.12\n")  # a prefix: pyenv picks the newest 3.12.x
    child = isolated / "a" / "b"
    child.mkdir(parents=True)
    env = base_env(PYENV_ROOT=str(root), PATH=f"{root / 'shims'}:/usr/bin")
    assert first_on_path(env, child, "python3") == str(root / "versions/3.12.1/bin/python3")


def test_pyenv_several_versions_each_shim_from_the_first_that_has_it(tmp_path: Path, isolated: Path) -> None:
    root = fake_pyenv(tmp_path / "pyenv", ["3.10", "3.12"])
    env = base_env(PYENV_ROOT=str(root), PATH=f"{root / 'shims'}:/usr/bin", PYENV_VERSION="3.10.13:3.12.1")
    assert first_on_path(env, isolated, "python3") == str(root / "versions/3.10.13/bin/python3")
    assert first_on_path(env, isolated, "python3.12") == str(root / "versions/3.12.1/bin/python3.12")


def test_pyenv_system_falls_through_to_the_rest_of_path(tmp_path: Path, isolated: Path) -> None:
    root = fake_pyenv(tmp_path / "pyenv", ["3.12"], global_version="system")
    env = base_env(PYENV_ROOT=str(root), PATH=f"{root / 'shims'}:/usr/bin")
    assert first_on_path(env, isolated, "python3") == "/usr/bin/python3"
    env["PYENV_VERSION"] = "3.99.0"  # not installed: pyenv would fail; we fall through too
    assert first_on_path(env, isolated, "python3") == "/usr/bin/python3"


def test_discover_through_a_fake_pyenv_never_runs_its_shims(tmp_path: Path, isolated: Path, app_data: AppData) -> None:
    root = fake_pyenv(tmp_path / "pyenv", ["3.12"], global_version="3.12.1")
    env = base_env(PYENV_ROOT=str(root), PATH=f"{root / 'shims'}:/usr/bin")
    found = discover(["3.12"], [], app_data, env, isolated)
    assert found.version_info[:2] == (3, 12)
    assert found.found_by == "PATH (pyenv shim)"
    assert found.executable.startswith(str(root / "versions"))
    # a path to a shim, given with -p, is resolved the same way
    assert discover([str(root / "shims" / "python3")], [], app_data, env, isolated).version_info[:2] == (3, 12)


def test_real_pyenv_shims_with_pyenv_version(isolated: Path, app_data: AppData) -> None:
    shims = need(PYENV / "shims" / "python3")
    env = base_env(PYENV_ROOT=str(PYENV), PATH=f"{os.path.dirname(shims)}:/usr/bin", PYENV_VERSION="3.12.1")
    found = discover(["3.12"], [], app_data, env, isolated)
    assert found.found_by == "PATH (pyenv shim)"
    assert found.executable == str(PYENV / "versions/3.12.1/bin/python3.12")
    env["PYENV_VERSION"] = "3.9.18"
    assert first_on_path(env, isolated, "python") == str(PYENV / "versions/3.9.18/bin/python")


def test_real_pyenv_shims_with_python_version_file(isolated: Path) -> None:
    need(PYENV / "shims" / "python3")
    (isolated / ".python-version").write_text("3.8.18\n")
    env = base_env(PYENV_ROOT=str(PYENV), PATH=f"{PYENV / 'shims'}:/usr/bin")
    assert first_on_path(env, isolated, "python3") == str(PYENV / "versions/3.8.18/bin/python3")


def test_resolve_version_dir(tmp_path: Path) -> None:
    names = ("3.12.1", "3.12.10", "3.12.11rc1", "3.12.12A1", "3.12.13b2", "3.12-dev", "3.12-SRC", "3.12.14-latest")
    for name in names + ("3.9.18", "pypy3.10-7.3.12", "pypy3.10-7.3.17"):
        (tmp_path / name).mkdir()
    assert resolve_version_dir(tmp_path, "3.12") == str(tmp_path / "3.12.10")  # pre-releases and dev builds skipped
    assert resolve_version_dir(tmp_path, "3.12.1") == str(tmp_path / "3.12.1")
    assert resolve_version_dir(str(tmp_path), "pypy3.10") == str(tmp_path / "pypy3.10-7.3.17")
    assert resolve_version_dir(tmp_path, "3.13") is None
    assert resolve_version_dir(tmp_path, "system") is None
    assert resolve_version_dir(tmp_path, "../etc") is None  # no path traversal out of versions/


# -- asdf and mise -----------------------------------------------------------------------------


def test_asdf_shim_from_tool_versions(tmp_path: Path, isolated: Path, fake_home: Path) -> None:
    asdf = fake_home / ".asdf"
    (asdf / "installs" / "python").mkdir(parents=True)
    (asdf / "installs" / "python" / "3.9.18").symlink_to(real_version_dir("3.9"))
    trap_shim(asdf / "shims" / "python3")
    (isolated / ".tool-versions").write_text("nodejs 20.0.0\npython 3.9.18 3.10.13\n")
    env = base_env(HOME=str(fake_home), PATH=f"{asdf / 'shims'}:/usr/bin")
    assert first_on_path(env, isolated, "python3") == str(asdf / "installs/python/3.9.18/bin/python3")
    env["ASDF_PYTHON_VERSION"] = "3.99"
    assert first_on_path(env, isolated, "python3") == "/usr/bin/python3"


def test_mise_shim_from_mise_toml_with_a_fuzzy_version(tmp_path: Path, isolated: Path, fake_home: Path) -> None:
    mise = fake_home / ".local" / "share" / "mise"
    (mise / "installs" / "python").mkdir(parents=True)
    (mise / "installs" / "python" / "3.8.18").symlink_to(real_version_dir("3.8"))
    trap_shim(mise / "shims" / "python")
    (isolated / "mise.toml").write_text('[env]\nX = "1"\n\n[tools]\nnode = "20"\npython = ["3.8", "3.12"]\n')
    env = base_env(HOME=str(fake_home), PATH=f"{mise / 'shims'}:/usr/bin")
    assert first_on_path(env, isolated, "python") == str(mise / "installs/python/3.8.18/bin/python")


def test_asdf_and_mise_installs_are_searched(tmp_path: Path, isolated: Path, fake_home: Path, app_data: AppData) -> None:
    (fake_home / ".asdf" / "installs" / "python").mkdir(parents=True)
    (fake_home / ".asdf" / "installs" / "python" / "3.9.18").symlink_to(real_version_dir("3.9"))
    env = base_env(HOME=str(fake_home))
    found = discover(["3.9"], [], app_data, env, isolated)
    assert (found.found_by, found.version_info[:2]) == ("asdf", (3, 9))


def test_shim_resolver_without_any_manager(isolated: Path) -> None:
    resolver = ShimResolver(base_env(), isolated)
    assert resolver.kind("/usr/bin") is None
    assert resolver.resolve("/usr/bin/python3") is None


# -- uv, conda, prefixes --------------------------------------------------------------------------


def fake_uv(root: Path) -> Path:
    """A uv python dir: cpython-3.12.1 (real) and a "+freethreaded" 3.13 that is really a GIL build."""
    for name, minor in (("cpython-3.12.1-linux-x86_64-gnu", "3.12"), ("cpython-3.13.0+freethreaded-linux-x86_64-gnu", "3.13")):
        (root / name / "bin").mkdir(parents=True)
        (root / name / "bin" / "python3").symlink_to(pyenv_python(minor))
    (root / ".lock").write_text("")
    return root


def test_uv_managed_installs(tmp_path: Path, isolated: Path, app_data: AppData) -> None:
    uv = fake_uv(tmp_path / "uv" / "python")
    env = base_env(UV_PYTHON_INSTALL_DIR=str(uv))
    found = discover(["cpython3.12"], [], app_data, env, isolated)
    assert (found.found_by, found.version_info[:3]) == ("uv", (3, 12, 1))
    assert found.executable == str(uv / "cpython-3.12.1-linux-x86_64-gnu/bin/python3")


def test_uv_default_location_under_xdg_data_home(tmp_path: Path, isolated: Path, fake_home: Path) -> None:
    fake_uv(fake_home / ".local" / "share" / "uv" / "python")
    candidates = list(Finder(base_env(HOME=str(fake_home)), isolated).uv(parse_spec("3.12")))
    assert [c.path.split("/")[-3] for c in candidates] == ["cpython-3.12.1-linux-x86_64-gnu"]


def test_free_threaded_name_is_only_a_hint_the_probe_decides(tmp_path: Path, isolated: Path, app_data: AppData) -> None:
    uv = fake_uv(tmp_path / "uv")
    env = base_env(UV_PYTHON_INSTALL_DIR=str(uv))
    names = [c.path.split("/")[-3] for c in Finder(env, isolated).uv(parse_spec("3.13t"))]
    assert names == ["cpython-3.13.0+freethreaded-linux-x86_64-gnu"]  # the name says "t": worth a look
    assert list(Finder(env, isolated).uv(parse_spec("3.13"))) == []  # ... and rules it out for a GIL spec
    with pytest.raises(RoostError, match=r"^no interpreter matches 3\.13t; found: "):
        discover(["3.13t"], [], app_data, env, isolated)  # the probe says it has a GIL: no match


def test_conda_environments(tmp_path: Path, isolated: Path, fake_home: Path, app_data: AppData) -> None:
    base = fake_home / "miniconda3"
    (base / "conda-meta").mkdir(parents=True)  # the base env, without python: skipped
    env_dir = base / "envs" / "py39"
    (env_dir / "conda-meta").mkdir(parents=True)
    (env_dir / "conda-meta" / "python-3.9.18-h955ad1f_0_cpython.json").write_text("{}")
    (env_dir / "bin").mkdir()
    (env_dir / "bin" / "python").symlink_to(pyenv_python("3.9"))
    env = base_env(HOME=str(fake_home))
    found = discover(["3.9"], [], app_data, env, isolated)
    assert (found.found_by, found.executable) == ("conda", str(env_dir / "bin" / "python"))
    assert [c.path for c in Finder(env, isolated).conda()] == [str(env_dir / "bin" / "python")]


def test_active_conda_prefix_and_environments_txt(tmp_path: Path, isolated: Path, fake_home: Path) -> None:
    active = tmp_path / "somewhere" / "env"
    listed = tmp_path / "elsewhere" / "env"
    for env_dir, minor in ((active, "3.10"), (listed, "3.8")):
        (env_dir / "conda-meta").mkdir(parents=True)
        (env_dir / "conda-meta" / f"python-{PYENV_VERSIONS[minor]}-h1_0_cpython.json").write_text("{}")
        (env_dir / "bin").mkdir()
        (env_dir / "bin" / "python").symlink_to(pyenv_python(minor))
    (fake_home / ".conda").mkdir()
    (fake_home / ".conda" / "environments.txt").write_text(f"{listed}\n")
    env = base_env(HOME=str(fake_home), CONDA_PREFIX=str(active))
    candidates = list(Finder(env, isolated).conda())
    assert [c.path for c in candidates] == [str(active / "bin/python"), str(listed / "bin/python")]
    assert candidates[0].hint is not None and candidates[0].hint.version == (3, 10, 13)


def test_common_prefixes(tmp_path: Path, isolated: Path, app_data: AppData, monkeypatch: pytest.MonkeyPatch) -> None:
    # /usr/local and /opt are the machine's own: point the finder at look-alike folders.
    local, opt = tmp_path / "usr-local" / "bin", tmp_path / "opt"
    local.mkdir(parents=True)
    (local / "python3.8").symlink_to(pyenv_python("3.8"))
    (opt / "python38" / "bin").mkdir(parents=True)
    (opt / "python38" / "bin" / "python3").symlink_to(pyenv_python("3.10"))
    monkeypatch.setattr(Finder, "PREFIX_FOLDERS", (str(local),))
    monkeypatch.setattr(Finder, "PREFIX_PARENTS", (str(opt),))
    found = discover(["3.8"], [], app_data, base_env(), isolated)
    assert (found.found_by, found.executable) == (f"prefix {local.parent}", str(local / "python3.8"))
    found = discover(["3.10"], [], app_data, base_env(), isolated)
    assert (found.found_by, found.executable) == (f"prefix {opt}", str(opt / "python38/bin/python3"))


# -- order ---------------------------------------------------------------------------------------


def test_documented_search_order(
    tmp_path: Path, isolated: Path, fake_home: Path, app_data: AppData, monkeypatch: pytest.MonkeyPatch
) -> None:
    path_dir = tmp_path / "path-bin"
    path_dir.mkdir()
    (path_dir / "python3.13").symlink_to(pyenv_python("3.13"))
    pyenv = fake_pyenv(tmp_path / "pyenv", ["3.12"])
    (fake_home / ".asdf" / "installs" / "python").mkdir(parents=True)
    (fake_home / ".asdf" / "installs" / "python" / "3.10.13").symlink_to(real_version_dir("3.10"))
    uv = tmp_path / "uv"
    (uv / "cpython-3.9.18-linux-x86_64-gnu" / "bin").mkdir(parents=True)
    (uv / "cpython-3.9.18-linux-x86_64-gnu" / "bin" / "python3").symlink_to(pyenv_python("3.9"))
    conda_env = fake_home / "miniconda3" / "envs" / "old"
    (conda_env / "conda-meta").mkdir(parents=True)
    (conda_env / "conda-meta" / "python-3.8.18-h_0_cpython.json").write_text("{}")
    (conda_env / "bin").mkdir()
    (conda_env / "bin" / "python").symlink_to(pyenv_python("3.8"))
    prefix = tmp_path / "local" / "bin"
    prefix.mkdir(parents=True)
    (prefix / "python3.7").symlink_to(pyenv_python("3.7"))
    monkeypatch.setattr(Finder, "PREFIX_FOLDERS", (str(prefix),))
    monkeypatch.setattr(Finder, "PREFIX_PARENTS", ())
    env = base_env(HOME=str(fake_home), PATH=f"{path_dir}:/usr/bin", PYENV_ROOT=str(pyenv), UV_PYTHON_INSTALL_DIR=str(uv))
    found = [(each.found_by, each.major_minor) for each in list_interpreters(app_data, env, isolated)]
    order = [label for label, _ in found]
    assert found[0] == ("running roost", f"{sys.version_info[0]}.{sys.version_info[1]}")
    assert ("PATH", "3.13") in found and ("pyenv", "3.12") in found and ("asdf", "3.10") in found
    assert ("uv", "3.9") in found and ("conda", "3.8") in found and (f"prefix {prefix.parent}", "3.7") in found
    ranks = [order.index(label) for label in ("running roost", "PATH", "pyenv", "asdf", "uv", "conda", f"prefix {prefix.parent}")]
    assert ranks == sorted(ranks)


def test_try_first_with_comes_first_but_must_match(isolated: Path, shared_app_data: AppData) -> None:
    env = base_env(PYENV_ROOT=str(PYENV))
    found = discover(["3"], [pyenv_python("3.9")], shared_app_data, env, isolated)
    assert (found.found_by, found.major_minor) == ("try-first-with", "3.9")
    found = discover(["3.12"], [pyenv_python("3.9")], shared_app_data, env, isolated)
    assert found.major_minor == "3.12" and found.found_by != "try-first-with"
    found = discover([], [pyenv_python("3.10")], shared_app_data, env, isolated)
    assert (found.found_by, found.major_minor) == ("try-first-with", "3.10")


def test_missing_try_first_with_is_a_warning(
    isolated: Path, shared_app_data: AppData, capsys: pytest.CaptureFixture[str]
) -> None:
    found = discover(["3.12"], [str(isolated / "nope")], shared_app_data, base_env(PYENV_ROOT=str(PYENV)), isolated)
    assert found.major_minor == "3.12"
    assert f"no interpreter at {isolated / 'nope'} (try-first-with)" in capsys.readouterr().err


def test_path_spec_may_name_an_install_folder(isolated: Path, shared_app_data: AppData) -> None:
    found = discover([str(real_version_dir("3.10"))], [], shared_app_data, base_env(), isolated)
    assert found.major_minor == "3.10"


def test_relative_path_entries_and_relative_specs(tmp_path: Path, isolated: Path, shared_app_data: AppData) -> None:
    (isolated / "bin").mkdir()
    (isolated / "bin" / "python3.9").symlink_to(pyenv_python("3.9"))
    assert discover(["./bin/python3.9"], [], shared_app_data, base_env(), isolated).major_minor == "3.9"
    env = base_env(PATH="bin:/usr/bin")
    assert discover(["python3.9"], [], shared_app_data, env, isolated).found_by == "PATH"


def test_version_file_specs(tmp_path: Path) -> None:
    root = fake_pyenv(tmp_path / "pyenv", ["3.12"])
    version_file = tmp_path / ".python-version"
    version_file.write_text("# comment\n3.12.1\nsystem\npypy3.10-7.3.12\ncpython@3.11\n3.13t\n\n")
    assert version_file_specs(version_file, root) == [
        str(root / "versions" / "3.12.1"),
        "pypy3.10",
        "cpython@3.11",
        "3.13t",
    ]


def test_free_threaded_pyenv_build_with_only_a_t_name(tmp_path: Path, isolated: Path, app_data: AppData) -> None:
    # pyenv names a free-threaded build "3.13.0t"; its bin/ may hold only python3.13t.  This
    # machine has no free-threaded build: the tree points at the GIL 3.13, so the name lets the
    # candidate through for 3.13t and the probe then turns it down.
    root = tmp_path / "pyenv"
    (root / "versions" / "3.13.0t" / "bin").mkdir(parents=True)
    (root / "versions" / "3.13.0t" / "bin" / "python3.13t").symlink_to(pyenv_python("3.13"))
    env = base_env(PYENV_ROOT=str(root))
    candidates = list(Finder(env, isolated).pyenv(parse_spec("3.13t")))
    assert [c.path for c in candidates] == [str(root / "versions/3.13.0t/bin/python3.13t")]
    assert list(Finder(env, isolated).pyenv(parse_spec("3.13"))) == []
    with pytest.raises(RoostError, match="^no interpreter matches 3.13t; "):
        discover(["3.13t"], [], app_data, env, isolated)
