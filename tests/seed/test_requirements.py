"""``roost DEST -r FILE``: pinned sets from images, pip for the rest, with real packages from PyPI.

The packages are downloaded once (see deps_helpers); everything here runs offline.
"""

# ruff: noqa: F401, F811  (pytest fixtures imported from helper modules, then requested by name)

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from pypi_packages import PINNED, packages, sha256_of, wheel_of
from seed_helpers import SRC, image_dirs, image_intact, images_kept, offline_env, roost, run, shared_app_data, site_packages
from support import Mounter, assert_intact

if str(SRC) not in sys.path:
    sys.path.insert(0, str(SRC))

PYTHON = sys.executable


def _env(app_data: Path, **extra: str) -> dict[str, str]:
    # pip's cache is the test's own: a wheel pip built in another test (or for the user) is not found.
    return offline_env(app_data, **{"PIP_CACHE_DIR": f"{app_data}-pip-cache", **extra})


def _reqs(folder: Path, *lines: str, name: str = "requirements.txt") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text("".join(line + "\n" for line in lines))
    return path


def _make(dest: Path, app_data: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    done = roost(["-p", PYTHON, str(dest), *args], env or _env(app_data))
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def _pip(dest: Path, *args: str, env: dict[str, str] | None = None, check: bool = True) -> subprocess.CompletedProcess[str]:
    return run([dest / "bin" / "python", "-m", "pip", *args], env or offline_env(), check=check)


def _listed(dest: Path) -> dict[str, str]:
    lines = _pip(dest, "list", "--format=freeze").stdout.splitlines()
    return {line.split("==")[0].lower(): line.split("==")[1] for line in lines if "==" in line}


# -- bad input: one clear line each, nothing made ------------------------------------------

BAD_FILES = {
    "no version": ("foo==", "is not a requirement"),
    "unknown option": ("--frobnicate", "unknown option --frobnicate"),
    "bad hash": ("iniconfig==2.0.0 --hash=md5:abc", "is not ALGORITHM:HEX"),
    "double pin": ("iniconfig==2.0.0\niniconfig==2.1.0", "conflicts with iniconfig==2.0.0"),
    "missing include": ("-r nowhere.txt", "cannot read requirements file"),
    "some hashes": (f"iniconfig==2.0.0 --hash=sha256:{'a' * 64}\npluggy==1.5.0", "has no --hash, but hashes are required"),
    "option without value": ("--index-url", "--index-url needs a value"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_a_bad_requirements_file_gives_one_line_and_makes_nothing(case: str, tmp_path: Path) -> None:
    text, expected = BAD_FILES[case]
    reqs = _reqs(tmp_path, text)
    dest = tmp_path / "env"
    done = roost([str(dest), "--no-seed", "-r", str(reqs)], _env(tmp_path / "app-data"))
    assert done.returncode == 2, done.stdout + done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("roost: error: "), done.stderr
    assert expected in lines[0] and "Traceback" not in done.stderr
    if case not in ("missing include", "option without value"):
        assert f"{reqs}:" in lines[0]  # names the file and line
    assert not dest.exists()


def test_a_pin_a_constraint_excludes_is_refused_as_pip_refuses_it(tmp_path: Path) -> None:
    _reqs(tmp_path, "iniconfig<2", name="constraints.txt")
    reqs = _reqs(tmp_path, "-c constraints.txt", "iniconfig==2.0.0")
    dest = tmp_path / "env"
    done = roost([str(dest), "--no-seed", "-r", str(reqs)], _env(tmp_path / "app-data"))
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stderr.strip() == (
        f"roost: error: {reqs}:2: iniconfig==2.0.0 is excluded by the constraint iniconfig<2 ({tmp_path}/constraints.txt:1):"
        " change the pin or the constraint"
    )
    assert not dest.exists()


@pytest.mark.parametrize("section", ["global", "install"])
def test_a_constraint_in_pips_configuration_applies_to_the_pins(section: str, tmp_path: Path) -> None:
    # pip applies `constraint` from pip.conf to every install; the pins skip pip, so roost must too.
    _reqs(tmp_path, "iniconfig<2", name="constraints.txt")
    config = tmp_path / "pip.conf"
    config.write_text(f"[{section}]\nconstraint = {tmp_path}/constraints.txt\n")
    reqs = _reqs(tmp_path, "iniconfig==2.0.0")
    dest = tmp_path / "env"
    done = roost([str(dest), "--no-seed", "-r", str(reqs)], _env(tmp_path / "app-data", PIP_CONFIG_FILE=str(config)))
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stderr.strip().startswith(f"roost: error: {reqs}:1: iniconfig==2.0.0 is excluded by the constraint iniconfig<2")
    assert not dest.exists()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('lock-version = "2.0"\n', "lock-version 2.0 is not one roost reads"),
        ("lock-version = \n", "is not valid TOML"),
        ('lock-version = "1.0"\nenvironments = ["sys_platform == \'plan9\'"]\n', "is not locked for"),
        (
            'lock-version = "1.0"\n[[packages]]\nname = "x"\nversion = "1"\n[[packages.wheels]]\nname = "x-1-py3-none-any.whl"\n',
            "has no sha256",
        ),
    ],
    ids=["version", "toml", "environments", "no-hash"],
)
def test_a_bad_lock_file_gives_one_line(text: str, expected: str, tmp_path: Path) -> None:
    lock = _reqs(tmp_path, text, name="pylock.toml")
    done = roost([str(tmp_path / "env"), "--no-seed", "-r", str(lock)], _env(tmp_path / "app-data"))
    assert done.returncode == 2 and expected in done.stderr, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and not (tmp_path / "env").exists()


# -- the fast path ----------------------------------------------------------------------------


@pytest.mark.slow
def test_pinned_set_installs_from_images_like_pip(packages: Path, shared_app_data: Path, tmp_path: Path) -> None:
    reqs = _reqs(tmp_path, *PINNED)
    dest = tmp_path / "env"
    done = _make(dest, shared_app_data, "-r", str(reqs), "--extra-search-dir", str(packages))
    assert "from images" in done.stdout and "pip installs" not in done.stdout
    listed = _listed(dest)
    for spec in PINNED:
        name, _, version = spec.partition("==")
        assert listed[name] == version
    assert "No broken requirements" in _pip(dest, "check").stdout
    site = site_packages(dest)
    # Byte-compiled (the image's bytecode), console scripts with this env's python, pip's INSTALLER.
    assert list((site / "iniconfig" / "__pycache__").glob("*.pyc"))
    assert list((site / "markupsafe").glob("_speedups*.so"))  # the binary wheel
    assert (dest / "bin" / "pytest").read_text().startswith(f"#!{dest}/bin/python")
    assert (site / "pytest-8.3.3.dist-info" / "INSTALLER").read_text() == "pip\n"
    assert (
        "8.3.3"
        in run([dest / "bin" / "pytest", "--version"], offline_env()).stdout
        + run([dest / "bin" / "pytest", "--version"], offline_env()).stderr
    )
    run([dest / "bin" / "python", "-c", "import markupsafe; assert markupsafe.escape('<') == '&lt;'"], offline_env())


@pytest.mark.slow
@pytest.mark.parametrize("mode", [[], ["--symlink-app-data"], ["--link-mode", "copy"]], ids=["auto", "symlink", "copy"])
def test_pip_uninstall_and_upgrade_never_change_the_images(
    mode: list[str], packages: Path, shared_app_data: Path, tmp_path: Path
) -> None:
    reqs = _reqs(tmp_path, "iniconfig==2.0.0", "pluggy==1.5.0")
    dest = tmp_path / "env"
    _make(dest, shared_app_data, "-r", str(reqs), "--extra-search-dir", str(packages), *mode)
    assert "No broken requirements" in _pip(dest, "check").stdout
    images = image_dirs(shared_app_data, "iniconfig-2.0.0") + image_dirs(shared_app_data, "pluggy-1.5.0")
    assert len(images) == 2
    pip_env = offline_env(PIP_FIND_LINKS=str(packages))
    with images_kept(*images):
        _pip(dest, "uninstall", "-y", "pluggy", env=pip_env)
        _pip(dest, "install", "-U", "iniconfig==2.1.0", env=pip_env)
    listed = _listed(dest)
    assert "pluggy" not in listed and listed["iniconfig"] == "2.1.0"
    assert all(image_intact(image) for image in images)


def test_a_requirement_edited_through_a_hard_link_is_noticed_and_its_image_rebuilt(packages: Path, tmp_path: Path) -> None:
    app_data = tmp_path / "app-data"
    reqs = _reqs(tmp_path, "iniconfig==2.0.0")
    args = ["--no-seed", "--link-mode", "hardlink", "-r", str(reqs), "--extra-search-dir", str(packages)]
    _make(tmp_path / "env0", app_data, *args)
    (image,) = image_dirs(app_data, "iniconfig-2.0.0")
    # A module (linked on two threads) and the .dist-info's METADATA (linked last, one by one).
    for number, relative in enumerate(["iniconfig/__init__.py", "iniconfig-2.0.0.dist-info/METADATA"]):
        edited, cached = site_packages(tmp_path / f"env{number}") / relative, image / "site" / relative
        pristine = cached.read_bytes()
        if os.geteuid() != 0:  # root writes through the read-only mode; the cache's owner must insist
            edited.chmod(0o644)
        with open(edited, "ab") as handle:
            handle.write(b"\n# edited\n")
        assert cached.read_bytes() != pristine  # one inode
        done = _make(tmp_path / f"env{number + 1}", app_data, *args)
        assert f"{cached} was changed after the image was built); rebuilding it" in done.stderr
        assert (site_packages(tmp_path / f"env{number + 1}") / relative).read_bytes() == pristine == cached.read_bytes()
        assert edited.read_bytes().endswith(b"# edited\n")
    script = "import iniconfig, importlib.metadata as m; print(m.version('iniconfig'))"
    assert run([tmp_path / "env2" / "bin" / "python", "-c", script], offline_env()).stdout == "2.0.0\n"


@pytest.mark.slow
def test_download_once_through_pip_then_offline(packages: Path, tmp_path: Path) -> None:
    app_data = tmp_path / "app-data"
    reqs = _reqs(tmp_path, "iniconfig==2.0.0", "markupsafe==3.0.2")
    # First run: nothing local, pip fetches (from a find-links folder standing in for the index).
    _make(tmp_path / "one", app_data, "-r", str(reqs), env=_env(app_data, PIP_FIND_LINKS=str(packages)))
    house = sorted(path.name.lower() for path in (app_data / "wheelhouse").iterdir())
    assert any(name.startswith("iniconfig-2.0.0-") for name in house)
    assert any(name.startswith("markupsafe-3.0.2-") for name in house)
    # Second run: no index and no find-links at all; the wheel house has them.
    done = _make(tmp_path / "two", app_data, "-r", str(reqs))
    assert "from images" in done.stdout
    assert _listed(tmp_path / "two")["markupsafe"] == "3.0.2"


@pytest.mark.slow
def test_an_sdist_is_built_by_pip_once_and_kept(packages: Path, tmp_path: Path) -> None:
    app_data = tmp_path / "app-data"
    reqs = _reqs(tmp_path, "docopt==0.6.2")
    _make(tmp_path / "one", app_data, "-r", str(reqs), env=_env(app_data, PIP_FIND_LINKS=str(packages)))
    assert [path.name for path in (app_data / "wheelhouse").glob("docopt-0.6.2-*.whl")]
    done = _make(tmp_path / "two", app_data, "-r", str(reqs))  # offline: built wheel from the house
    assert "pip installs" not in done.stdout
    run([tmp_path / "two" / "bin" / "python", "-c", "import docopt"], offline_env())


@pytest.mark.slow
def test_pips_own_wheel_cache_is_read(packages: Path, tmp_path: Path) -> None:
    # pip builds docopt's wheel into its cache (as any `pip install docopt` would) ...
    pip_cache = tmp_path / "pip-cache"
    build_env = offline_env(PIP_FIND_LINKS=str(packages), PIP_CACHE_DIR=str(pip_cache))
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", tmp_path / "elsewhere", "docopt==0.6.2"], build_env)
    assert list((pip_cache / "wheels").rglob("docopt-0.6.2-*.whl"))
    # ... and roost, offline with nothing else to go on, installs that wheel without copying it.
    app_data = tmp_path / "app-data"
    dest = tmp_path / "env"
    # pip looks in the same folder, so pip itself would use that cached wheel (its origin.json names the sdist there).
    env = _env(app_data, PIP_CACHE_DIR=str(pip_cache), PIP_FIND_LINKS=str(packages))
    _make(dest, app_data, "-r", str(_reqs(tmp_path, "docopt==0.6.2")), env=env)
    assert _listed(dest)["docopt"] == "0.6.2"
    assert not list(app_data.glob("wheelhouse/docopt-*"))
    # PIP_NO_CACHE_DIR: pip's cache is off, so roost does not read it either.
    off = _env(tmp_path / "other-app-data", PIP_CACHE_DIR=str(pip_cache), PIP_NO_CACHE_DIR="1")
    done = roost(["-p", PYTHON, str(tmp_path / "off"), "-r", str(tmp_path / "requirements.txt")], off)
    assert done.returncode == 1 and "pip could not get docopt==0.6.2" in done.stderr, done.stderr


@pytest.mark.slow
def test_a_wheel_pip_built_from_another_copy_of_the_sdist_is_not_used(packages: Path, tmp_path: Path) -> None:
    # A patched copy of docopt 0.6.2, installed once by path: pip caches the wheel it built
    # under the same wheel name, keyed by that path.  `pip install docopt==0.6.2` never uses
    # it for the index's sdist, and neither may roost.
    import tarfile

    fork = tmp_path / "fork"
    fork.mkdir()
    original = next(packages.glob("docopt-0.6.2.tar.gz"))
    with tarfile.open(original) as archive:
        archive.extractall(fork, filter="data") if sys.version_info >= (3, 12) else archive.extractall(fork)
    module = fork / "docopt-0.6.2" / "docopt.py"
    module.write_text(module.read_text() + "\nprint('PATCHED FORK')\n")
    with tarfile.open(fork / "docopt-0.6.2.tar.gz", "w:gz") as archive:
        archive.add(fork / "docopt-0.6.2", arcname="docopt-0.6.2")
    pip_cache = tmp_path / "pip-cache"
    build_env = offline_env(PIP_CACHE_DIR=str(pip_cache), PIP_FIND_LINKS=str(packages))  # setuptools to build with
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", tmp_path / "w", fork / "docopt-0.6.2.tar.gz"], build_env)
    assert list((pip_cache / "wheels").rglob("docopt-0.6.2-*.whl"))
    app_data = tmp_path / "app-data"
    dest = tmp_path / "env"
    env = _env(app_data, PIP_CACHE_DIR=str(pip_cache), PIP_FIND_LINKS=str(packages))
    _make(dest, app_data, "-r", str(_reqs(tmp_path, "docopt==0.6.2")), env=env)
    said = run([dest / "bin" / "python", "-c", "import docopt"], offline_env())
    assert "PATCHED" not in said.stdout


@pytest.mark.slow
def test_a_wheel_house_file_of_another_digest_does_not_block_a_hashed_pin(packages: Path, tmp_path: Path) -> None:
    # A wheel pip built from iniconfig's sdist and the index's wheel share one file name.
    # Whichever roost kept first, a requirement hashed for the other must still install.
    import zipfile

    index_wheel = wheel_of(packages, "iniconfig", "2.0.0")
    app_data = tmp_path / "app-data"
    house = app_data / "wheelhouse"
    house.mkdir(parents=True)
    built = house / index_wheel.name
    with zipfile.ZipFile(index_wheel) as source, zipfile.ZipFile(built, "w", zipfile.ZIP_STORED) as copy:
        for info in source.infolist():
            copy.writestr(info.filename, source.read(info.filename))
    assert sha256_of(built) != sha256_of(index_wheel)
    by_index = _reqs(tmp_path / "a", f"iniconfig==2.0.0 --hash=sha256:{sha256_of(index_wheel)}")
    by_build = _reqs(tmp_path / "b", f"iniconfig==2.0.0 --hash=sha256:{sha256_of(built)}")
    _make(tmp_path / "one", app_data, "--no-seed", "-r", str(by_index), env=_env(app_data, PIP_FIND_LINKS=str(packages)))
    kept = list(house.glob(f"others/*/{index_wheel.name}"))
    assert len(kept) == 1 and sha256_of(kept[0]) == sha256_of(index_wheel) and built.exists()
    # Both now install offline, each from its own file.
    _make(tmp_path / "two", app_data, "--no-seed", "-r", str(by_build))
    _make(tmp_path / "three", app_data, "--no-seed", "-r", str(by_index))


@pytest.mark.slow
@pytest.mark.parametrize("seed", [[], ["--without-pip"]], ids=["with-pip", "without-pip"])
def test_what_roost_cannot_do_goes_to_pip_in_one_line(
    seed: list[str], packages: Path, shared_app_data: Path, tmp_path: Path
) -> None:
    reqs = _reqs(
        tmp_path,
        "iniconfig>=2",  # a range: pip chooses
        'pluggy==1.5.0; python_version < "3"',  # false for the target: nobody installs it
        'packaging==24.1; platform_release != "no-such-kernel"',  # roost cannot judge it
    )
    dest = tmp_path / "env"
    env = _env(shared_app_data, PIP_FIND_LINKS=str(packages))
    done = _make(dest, shared_app_data, "-r", str(reqs), *seed, env=env)
    said = [line for line in done.stdout.splitlines() if line.startswith("pip installs")]
    assert len(said) == 1 and "iniconfig>=2 (not pinned with ==)" in said[0] and "a marker roost cannot judge" in said[0]
    site = site_packages(dest)
    assert {path.name for path in site.glob("*.dist-info")} >= {"iniconfig-2.1.0.dist-info", "packaging-24.1.dist-info"}
    assert not list(site.glob("pluggy*")) and (not seed or not list(site.glob("pip-*")))  # pip ran from a wheel


@pytest.mark.slow
def test_dependencies_are_checked_as_pip_would(packages: Path, shared_app_data: Path, tmp_path: Path) -> None:
    # pytest alone: its dependencies are not in the set, so pip resolves them in the same run.
    dest = tmp_path / "env"
    env = _env(shared_app_data, PIP_FIND_LINKS=str(packages))
    done = _make(
        dest, shared_app_data, "-r", str(_reqs(tmp_path / "a", "pytest==8.3.3")), "--extra-search-dir", str(packages), env=env
    )
    assert "needed by pytest 8.3.3" in done.stdout
    assert {"iniconfig", "pluggy", "packaging"} <= set(_listed(dest))
    assert "No broken requirements" in _pip(dest, "check").stdout
    # A pin that a dependency excludes (pytest 8.3.3 needs pluggy>=1.5) is refused before anything goes in.
    clash = _reqs(tmp_path / "b", "pytest==8.3.3", "pluggy==1.4.0", "iniconfig==2.0.0", "packaging==24.1")
    failed = roost(["-p", PYTHON, str(tmp_path / "clash"), "-r", str(clash), "--extra-search-dir", str(packages)], env)
    assert failed.returncode == 1 and "requires pluggy" in failed.stderr and "pluggy 1.4.0 is pinned" in failed.stderr
    assert len(failed.stderr.strip().splitlines()) == 1 and not (tmp_path / "clash").exists()


@pytest.mark.slow
def test_pips_part_may_not_replace_a_pin(packages: Path, shared_app_data: Path, tmp_path: Path) -> None:
    # pytest>=8 goes to pip, and pytest 8.3.3 needs pluggy>=1.5: pip must not swap the pinned
    # pluggy 1.4.0 for 1.5.0 behind the user's back; `pip install -r` refuses this set.
    reqs = _reqs(tmp_path, "pluggy==1.4.0", "pytest>=8")
    dest = tmp_path / "env"
    env = _env(shared_app_data, PIP_FIND_LINKS=str(packages))
    done = roost(["-p", PYTHON, str(dest), "-r", str(reqs), "--extra-search-dir", str(packages)], env)
    assert done.returncode == 1 and "pip could not install pytest>=8" in done.stderr, done.stdout + done.stderr
    assert "ResolutionImpossible" in done.stderr and not dest.exists()


@pytest.mark.slow
def test_hashes_are_verified_and_a_mismatch_is_refused(packages: Path, shared_app_data: Path, tmp_path: Path) -> None:
    good = sha256_of(wheel_of(packages, "iniconfig", "2.0.0"))
    extra = ["--extra-search-dir", str(packages)]
    _make(tmp_path / "good", shared_app_data, "-r", str(_reqs(tmp_path / "a", f"iniconfig==2.0.0 --hash=sha256:{good}")), *extra)
    bad = _reqs(tmp_path / "b", f"iniconfig==2.0.0 --hash=sha256:{'0' * 64}")
    done = roost(["-p", PYTHON, str(tmp_path / "bad"), "-r", str(bad), *extra], _env(shared_app_data))
    assert done.returncode == 1 and "does not match the hashes" in done.stderr, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and not (tmp_path / "bad").exists()
    # Through pip: the file pip would fetch does not match either; nothing enters the wheel house.
    app_data = tmp_path / "app-data"
    env = _env(app_data, PIP_FIND_LINKS=str(packages))
    done = roost(["-p", PYTHON, str(tmp_path / "fetched"), "-r", str(bad)], env)
    assert done.returncode == 1 and "pip could not get iniconfig==2.0.0" in done.stderr, done.stderr
    assert not list((app_data / "wheelhouse").glob("iniconfig-*"))


def test_an_unreadable_wheel_in_a_search_folder_is_named_not_skipped_silently(packages: Path, tmp_path: Path) -> None:
    # A truncated copy (an interrupted download): pip would stop on it; roost passes over it,
    # but says so instead of acting as if the folder were empty.
    folder = tmp_path / "wheels"
    folder.mkdir()
    good = wheel_of(packages, "iniconfig", "2.0.0")
    (folder / good.name).write_bytes(good.read_bytes()[:2000])
    reqs = _reqs(tmp_path, "iniconfig==2.0.0")
    dest = tmp_path / "env"
    args = [str(dest), "--no-seed", "--no-download", "-r", str(reqs), "--extra-search-dir", str(folder)]
    done = roost(args, _env(tmp_path / "ad"))
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"roost: warning: skipping {folder / good.name}: not a readable wheel" in done.stderr, done.stderr
    assert "no wheel on this machine and --no-download is set" in done.stderr and not dest.exists()


@pytest.mark.slow
def test_a_pylock_file_installs_its_wheels(packages: Path, shared_app_data: Path, tmp_path: Path) -> None:
    lock_dir = tmp_path / "project"
    lock_dir.mkdir()
    entries = []
    for name, version, marker in (("iniconfig", "2.0.0", None), ("pluggy", "1.5.0", 'python_version < "3"')):
        wheel = wheel_of(packages, name, version)
        entry = f'[[packages]]\nname = "{name}"\nversion = "{version}"\n'
        if marker:
            entry += f"marker = '{marker}'\n"
        relative = os.path.relpath(wheel, lock_dir)
        entry += f'[[packages.wheels]]\nname = "{wheel.name}"\npath = "{relative}"\nhashes = {{sha256 = "{sha256_of(wheel)}"}}\n'
        entries.append(entry)
    # One wheel only by URL: pip fetches exactly that file (hash-checked) into the wheel house.
    wheel = wheel_of(packages, "packaging", "24.1")
    entries.append(
        f'[[packages]]\nname = "packaging"\nversion = "24.1"\n[[packages.wheels]]\nurl = "{wheel.as_uri()}"\n'
        f'hashes = {{sha256 = "{sha256_of(wheel)}"}}\n'
    )
    lock = _reqs(lock_dir, 'lock-version = "1.0"\ncreated-by = "hand"\n', *entries, name="pylock.toml")
    dest = tmp_path / "env"
    app_data = tmp_path / "app-data"
    _make(dest, app_data, "-r", str(lock))
    listed = _listed(dest)
    assert listed["iniconfig"] == "2.0.0" and listed["packaging"] == "24.1" and "pluggy" not in listed
    assert (app_data / "wheelhouse" / wheel.name).is_file()


@pytest.mark.slow
def test_existing_environment_and_the_option_from_the_environment(packages: Path, shared_app_data: Path, tmp_path: Path) -> None:
    dest = tmp_path / "env"
    _make(dest, shared_app_data)
    reqs = _reqs(tmp_path, "iniconfig==2.0.0")
    env = _env(shared_app_data, ROOST_REQUIREMENT=str(reqs), ROOST_EXTRA_SEARCH_DIR=str(packages))
    done = _make(dest, shared_app_data, env=env)
    assert "1 requirement from images" in done.stdout
    assert _listed(dest)["iniconfig"] == "2.0.0"
    # Again: already there at that version, so nothing is relinked (pip: "already satisfied").
    before = (site_packages(dest) / "iniconfig-2.0.0.dist-info" / "RECORD").stat().st_ino
    _make(dest, shared_app_data, env=env)
    assert (site_packages(dest) / "iniconfig-2.0.0.dist-info" / "RECORD").stat().st_ino == before
    # Another pin replaces the installed version, leaving nothing of the old one.
    _reqs(tmp_path, "iniconfig==2.1.0")
    _make(dest, shared_app_data, env=env)
    site = site_packages(dest)
    assert sorted(path.name for path in site.glob("*iniconfig*")) == ["iniconfig", "iniconfig-2.1.0.dist-info"]
    assert _listed(dest)["iniconfig"] == "2.1.0" and "No broken requirements" in _pip(dest, "check").stdout


@pytest.mark.slow
def test_replacing_a_version_never_deletes_outside_the_environment(packages: Path, shared_app_data: Path, tmp_path: Path) -> None:
    """The old version's RECORD is read from disk: ``../`` paths and a folder that is a link out
    of the environment name the user's files, which stay (the one containment check)."""
    dest = tmp_path / "env"
    reqs = _reqs(tmp_path, "iniconfig==2.0.0")
    _make(dest, shared_app_data, "-r", str(reqs), "--extra-search-dir", str(packages))
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep")
    site = site_packages(dest)
    (site / "escape").symlink_to(mine, target_is_directory=True)
    record = site / "iniconfig-2.0.0.dist-info" / "RECORD"
    outside = os.path.relpath(mine / "notes.txt", site)
    record.write_text(record.read_text() + f"{outside},,\nescape/notes.txt,,\n{mine / 'notes.txt'},,\n")
    _reqs(tmp_path, "iniconfig==2.1.0")
    _make(dest, shared_app_data, "-r", str(reqs), "--extra-search-dir", str(packages))
    assert (mine / "notes.txt").read_text() == "keep"
    assert _listed(dest)["iniconfig"] == "2.1.0"


@pytest.mark.slow
def test_replacing_a_version_never_descends_into_a_mount_in_its_dist_info(
    packages: Path, shared_app_data: Path, tmp_path: Path, bind_mount: Mounter
) -> None:
    """The old ``.dist-info`` is removed as a whole folder: a mount inside it is left, not emptied."""
    dest = tmp_path / "env"
    reqs = _reqs(tmp_path, "iniconfig==2.0.0")
    _make(dest, shared_app_data, "-r", str(reqs), "--extra-search-dir", str(packages))
    files = bind_mount(site_packages(dest) / "iniconfig-2.0.0.dist-info" / "mounted")
    _reqs(tmp_path, "iniconfig==2.1.0")
    _make(dest, shared_app_data, "-r", str(reqs), "--extra-search-dir", str(packages))
    assert_intact(files)
    assert _listed(dest)["iniconfig"] == "2.1.0"


# -- killed in the middle, and many at once -------------------------------------------------

KILL_BEFORE_DIST_INFO = """
import os, signal, sys
sys.argv[0] = "roost"
import roost.seed.reqinstall as reqinstall
def killed(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)
reqinstall.publish_dist_info = killed
from roost.__main__ import run
run()
"""


@pytest.mark.slow
def test_killed_while_linking_leaves_no_package_pip_thinks_whole(packages: Path, shared_app_data: Path, tmp_path: Path) -> None:
    dest = tmp_path / "env"
    _make(dest, shared_app_data)
    reqs = _reqs(tmp_path, "iniconfig==2.0.0", "pluggy==1.5.0")
    env = dict(_env(shared_app_data), PYTHONPATH=str(SRC))
    args = ["-p", PYTHON, str(dest), "-r", str(reqs), "--extra-search-dir", str(packages)]
    killed = subprocess.run([sys.executable, "-c", KILL_BEFORE_DIST_INFO, *args], env=env, capture_output=True, timeout=300)
    assert killed.returncode == -signal.SIGKILL
    site = site_packages(dest)
    assert (site / "iniconfig" / "__init__.py").exists()  # every other file went in ...
    listed = _listed(dest)
    assert "iniconfig" not in listed and "pluggy" not in listed  # ... but pip does not see a package
    run([dest / "bin" / "python", "-m", "pip", "check"], offline_env())
    _make(dest, shared_app_data, "-r", str(reqs), "--extra-search-dir", str(packages))  # running again finishes it
    assert _listed(dest)["pluggy"] == "1.5.0"


@pytest.mark.slow
def test_concurrent_runs_share_one_cache(packages: Path, tmp_path: Path) -> None:
    app_data = tmp_path / "app-data"
    reqs = _reqs(tmp_path, "iniconfig==2.0.0", "packaging==24.1", "markupsafe==3.0.2")
    env = dict(_env(app_data, PIP_FIND_LINKS=str(packages)), PYTHONPATH=str(SRC))
    command = [sys.executable, "-m", "roost", "-p", PYTHON, "-r", str(reqs)]
    running = [
        subprocess.Popen([*command, str(tmp_path / f"env{n}")], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for n in range(3)
    ]
    for process in running:
        out, err = process.communicate(timeout=600)
        assert process.returncode == 0, (out + err).decode()
    for n in range(3):
        assert _listed(tmp_path / f"env{n}")["markupsafe"] == "3.0.2"
    assert len(image_dirs(app_data, "markupsafe-3.0.2")) == 1


@pytest.mark.slow
def test_read_only_app_data_is_never_written(packages: Path, tmp_path: Path) -> None:
    app_data = tmp_path / "app-data"  # does not exist: read-only means it is never made either
    reqs = _reqs(tmp_path, "iniconfig==2.0.0", "markupsafe==3.0.2")
    env = _env(app_data, PIP_FIND_LINKS=str(packages))
    _make(tmp_path / "env", app_data, "-r", str(reqs), "--read-only-app-data", env=env)
    assert _listed(tmp_path / "env")["markupsafe"] == "3.0.2"
    assert not app_data.exists()


def test_an_error_in_requirements_given_as_arguments_names_them_not_a_scratch_file(tmp_path: Path) -> None:
    # tox hands deps as arguments; roost writes them to a scratch file that is gone when the
    # error is shown, so the message must not name it.
    from roost import cli_run
    from roost.errors import RoostError
    from roost.seed.reqapi import install_requirements

    _reqs(tmp_path, "iniconfig<2", name="constraints.txt")
    env = _env(tmp_path / "app-data")
    session = cli_run(["--no-seed", str(tmp_path / "env")], env=env, setup_logging=False)
    with pytest.raises(RoostError) as caught:
        install_requirements(session, [f"-c{tmp_path}/constraints.txt", "iniconfig==2.0.0"], env)
    assert "roost-requirements-" not in str(caught.value)
    assert str(caught.value).startswith("requirement 2: iniconfig==2.0.0 is excluded by the constraint iniconfig<2")
