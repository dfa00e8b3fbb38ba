"""Downloads and the periodic update, against a package index served on 127.0.0.1."""

# ruff: noqa: F401, F811  (pytest fixtures imported from seed_helpers, then requested by name)

from __future__ import annotations

import glob
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from seed_helpers import (
    PY37,
    PY311,
    PY312,
    SRC,
    build_wheel,
    create,
    demo_wheels,
    need,
    offline_env,
    probe,
    roost,
    serve_folder,
    site_packages,
)

if str(SRC) not in sys.path:
    sys.path.insert(0, str(SRC))

from roost.appdata import AppData  # noqa: E402
from roost.errors import RoostError  # noqa: E402
from roost.options import Options  # noqa: E402
from roost.seed import Request, periodic  # noqa: E402
from roost.seed.download import PipRunner, download  # noqa: E402
from roost.seed.wheels import WheelFinder  # noqa: E402


def _write_index(root: Path, wheels: list[Path]) -> None:
    """A PEP 503 "simple" index: one page per project linking its files."""
    files = root / "files"
    files.mkdir(parents=True, exist_ok=True)
    projects: dict[str, list[str]] = {}
    for wheel in wheels:
        shutil.copy(wheel, files / wheel.name)
        project = wheel.name.split("-")[0].replace("_", "-").lower()
        projects.setdefault(project, []).append(wheel.name)
    for project, names in projects.items():
        page = root / "simple" / project
        page.mkdir(parents=True, exist_ok=True)
        links = "".join(f'<a href="../../files/{name}">{name}</a>\n' for name in names)
        (page / "index.html").write_text(f"<!DOCTYPE html><html><body>\n{links}</body></html>\n")


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Serves roost-demo 2.0 and a real pip and setuptools wheel; yields the index URL."""
    root = tmp_path_factory.mktemp("index")
    wheels = [build_wheel(root / "src", version="2.0", console={"roost-demo": "roost_demo:main"})]
    bundled = Path(need(PY311)).parents[1] / "lib" / "python3.11" / "ensurepip" / "_bundled"
    wheels += sorted(bundled.glob("pip-*.whl"))[-1:] + sorted(bundled.glob("setuptools-*.whl"))[-1:]
    _write_index(root, wheels)
    with serve_folder(root) as url:
        yield url + "simple/"


def _online_env(index_url: str, **extra: str) -> dict[str, str]:
    env = offline_env(**extra)
    for key in ("PIP_NO_INDEX", "PIP_PROXY", "HTTP_PROXY", "HTTPS_PROXY"):
        env.pop(key)
    env.update(PIP_INDEX_URL=index_url, PIP_TIMEOUT="10", NO_PROXY="127.0.0.1")
    return env


def _state(app_data: str) -> dict[str, object]:
    path = Path(app_data) / periodic.STATE_NAME
    return json.loads(path.read_text()) if path.exists() else {}


def _seed_demo(dest: Path, app_data: Path, demo_wheels: Path, env: dict[str, str], package: str, *args: str) -> str:
    """Create an env with only roost-demo (*package*) seeded, 1.0 found locally; its dist-info's name."""
    options = ["--no-pip", "--extra-search-dir", str(demo_wheels), "--seed-packages", package, *args]
    create(need(PY312), dest, app_data, *options, env=env)
    return next(site_packages(dest).glob("roost_demo-*.dist-info")).name


def test_pinned_version_missing_locally_is_downloaded(index: str, tmp_path: Path, demo_wheels: Path) -> None:
    app_data = tmp_path / "app-data"
    installed = _seed_demo(tmp_path / "e", app_data, demo_wheels, _online_env(index), "roost-demo==2.0")
    assert (app_data / "wheelhouse" / "roost_demo-2.0-py3-none-any.whl").is_file()
    assert installed == "roost_demo-2.0.dist-info"
    assert _state(app_data)["wheels"]["roost_demo-2.0-py3-none-any.whl"]["source"] == "manual"  # type: ignore[index]


def test_download_flag_fetches_the_newest(index: str, tmp_path: Path, demo_wheels: Path) -> None:
    app_data = tmp_path / "app-data"
    env = _online_env(index)
    assert _seed_demo(tmp_path / "e", app_data, demo_wheels, env, "roost-demo", "--download") == "roost_demo-2.0.dist-info"
    # Without --download the wheelhouse's 2.0 is still preferred: fetched on request, usable at once.
    assert _seed_demo(tmp_path / "f", app_data, demo_wheels, env, "roost-demo") == "roost_demo-2.0.dist-info"


def test_download_failure_is_one_line(tmp_path: Path, demo_wheels: Path) -> None:
    env = offline_env()  # pip cannot reach anything
    done = roost(
        [
            "-p",
            need(PY312),
            str(tmp_path / "e"),
            "--app-data",
            str(tmp_path / "ad"),
            "--no-pip",
            "--seed-packages",
            "roost-demo",
            "--download",
        ],
        env,
    )
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert done.returncode == 1 and len(lines) == 1 and "pip could not download roost-demo" in lines[0], done.stderr


def test_grace_periods(tmp_path: Path) -> None:
    now = 1_000_000_000.0
    state = {
        "wheels": {
            "fresh.whl": {"source": "periodic", "found": now - 60, "released": now - 40 * 86400},
            "young.whl": {"source": "periodic", "found": now - 7200, "released": now - 5 * 86400},
            "ripe.whl": {"source": "periodic", "found": now - 7200, "released": now - 40 * 86400},
            "asked.whl": {"source": "manual", "found": now, "released": now},
        }
    }
    check = periodic.eligibility(state, now)
    assert check("fresh.whl") == (False, now - 60 + 3600)
    assert check("young.whl") == (False, now - 5 * 86400 + 28 * 86400)
    assert check("ripe.whl")[0] and check("asked.whl")[0] and check("unknown.whl")[0]
    assert periodic.is_due({}, "3.12", now)
    assert not periodic.is_due({"checks": {"3.12": {"completed": now - 13 * 86400}}}, "3.12", now)
    assert periodic.is_due({"checks": {"3.12": {"completed": now - 15 * 86400}}}, "3.12", now)
    assert not periodic.is_due({"checks": {"3.12": {"started": now - 3600}}}, "3.12", now)


def _bundled_pip(python: str) -> str:
    """The newest pip wheel bundled with a CPython 3.12's ensurepip."""
    return sorted(glob.glob(str(Path(python).parents[1] / "lib" / "python3.12" / "ensurepip" / "_bundled" / "pip-*.whl")))[-1]


def _pip_in(python: str) -> bool:
    return subprocess.run([python, "-c", "import pip"], capture_output=True, timeout=60).returncode == 0


def test_download_runs_the_interpreters_own_pip(index: str, tmp_path: Path) -> None:
    # An env roost seeded has its own (byte-compiled) pip: that one runs, not the wheel named
    # beside it (here a "pip" that only leaves a mark and fails).
    import zipfile

    env_dir = tmp_path / "with-pip"
    create(need(PY312), env_dir, tmp_path / "app-data")
    marker = tmp_path / "wheel-pip-ran"
    fake = tmp_path / "pip-99-py3-none-any.whl"
    with zipfile.ZipFile(fake, "w") as archive:
        archive.writestr("pip/__init__.py", "")
        archive.writestr("pip/__main__.py", f"open({str(marker)!r}, 'w').close()\nraise SystemExit(1)\n")
    runner = PipRunner(str(env_dir / "bin" / "python"), str(fake), "3.12", is_target=True)
    found = download(runner, ["roost-demo"], str(tmp_path / "house"), _online_env(index))
    assert [os.path.basename(path) for path in found] == ["roost_demo-2.0-py3-none-any.whl"]
    assert not marker.exists()
    # What the own pip reports is the answer: a missing project is not asked again of the wheel's.
    with pytest.raises(RoostError, match="pip could not download roost-nothing: ERROR"):
        download(runner, ["roost-nothing"], str(tmp_path / "house"), _online_env(index))
    assert not marker.exists()


def test_download_falls_back_to_the_wheel(index: str, tmp_path: Path) -> None:
    # No pip in this env: pip from the bundled wheel does the download.
    env_dir = tmp_path / "no-pip"
    create(need(PY312), env_dir, tmp_path / "app-data", "--no-seed")
    python = str(env_dir / "bin" / "python")
    assert not _pip_in(python)
    runner = PipRunner(python, _bundled_pip(need(PY312)), "3.12", is_target=True)
    found = download(runner, ["roost-demo"], str(tmp_path / "house"), _online_env(index))
    assert [os.path.basename(path) for path in found] == ["roost_demo-2.0-py3-none-any.whl"]


def test_an_old_own_pip_is_not_used(index: str, tmp_path: Path) -> None:
    python = _no_pip_env(tmp_path)
    site = next((python.parents[1] / "lib").glob("python3.*/site-packages"))
    marker = tmp_path / "old-pip-ran"
    (site / "pip").mkdir()
    (site / "pip" / "__init__.py").write_text('__version__ = "9.0.1"\n')
    (site / "pip" / "__main__.py").write_text(f"open({str(marker)!r}, 'w').close()\n")
    runner = PipRunner(str(python), _bundled_pip(need(PY312)), "3.12", is_target=True)
    found = download(runner, ["roost-demo"], str(tmp_path / "house"), _online_env(index))
    assert [os.path.basename(path) for path in found] == ["roost_demo-2.0-py3-none-any.whl"]
    assert not marker.exists()


@pytest.mark.parametrize("shadow", ["pip.py", "pip/__init__.py", "runpy.py"])
def test_nothing_in_the_current_folder_runs_as_pip(
    shadow: str, index: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `python -m pip` imports from the current folder first (before 3.11 even runpy); roost
    # runs pip elsewhere.  Own pip (3.12, and 3.7 where runpy is not frozen) and the wheel's.
    work = tmp_path / "work"
    (work / shadow).parent.mkdir(parents=True, exist_ok=True)
    marker = tmp_path / "ran"
    (work / shadow).write_text(f"open({str(marker)!r}, 'w').close()\n")
    monkeypatch.chdir(work)
    for python in (need(PY312), need(PY37), str(_no_pip_env(tmp_path))):
        runner = PipRunner(python, _bundled_pip(need(PY312)), "3.12", is_target=True)
        download(runner, ["roost-demo"], str(tmp_path / "house"), _online_env(index))
        assert not marker.exists(), python


def _work_in_a_folder_of_traps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *names: str) -> Path:
    """Change into a folder of modules named *names*, each leaving the marker returned if imported."""
    work = tmp_path / "work"
    work.mkdir()
    marker = tmp_path / "ran"
    for name in names:
        (work / name).write_text(f"open({str(marker)!r}, 'w').close()\n")
    monkeypatch.chdir(work)
    return marker


def test_pip_seeder_ignores_the_current_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    marker = _work_in_a_folder_of_traps(tmp_path, monkeypatch, "pip.py", "runpy.py")
    create(need(PY37), tmp_path / "e", tmp_path / "app-data", "--seeder", "pip", "--no-setuptools")
    assert not marker.exists()
    assert (tmp_path / "e" / "bin" / "pip").is_file()


def _no_pip_env(tmp_path: Path) -> Path:
    env_dir = tmp_path / "bare"
    if not env_dir.exists():
        create(need(PY312), env_dir, tmp_path / "app-data", "--no-seed")
    return env_dir / "bin" / "python"


def _wait_for(condition: object, timeout: float = 120) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.2)
    return False


def _zombie_children() -> list[int]:
    zombies = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] == "Z" and int(fields[1]) == os.getpid():
                zombies.append(int(entry))
    return zombies


def _processes_mentioning(text: str) -> list[int]:
    """Live (not zombie) processes whose command line contains *text*."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            state = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if text in cmdline and state != "Z":
            found.append(int(entry))
    return found


def test_seeding_starts_the_periodic_update(index: str, tmp_path: Path) -> None:
    app_data = tmp_path / "app-data"
    env = _online_env(index)
    env.pop("ROOST_NO_PERIODIC_UPDATE")
    create(need(PY312), tmp_path / "e", app_data, env=env)
    assert "started" in _state(app_data)["checks"]["3.12"]  # type: ignore[index]
    assert _wait_for(lambda: "completed" in _state(app_data).get("checks", {}).get("3.12", {}))  # type: ignore[attr-defined]
    wheels = _state(app_data)["wheels"]
    pip_wheel = next(name for name in wheels if name.startswith("pip-"))  # type: ignore[union-attr]
    assert wheels[pip_wheel]["source"] == "periodic"  # type: ignore[index]
    assert (app_data / "wheelhouse" / pip_wheel).is_file()
    # Not due again: the next run starts nothing.
    before = _state(app_data)
    create(need(PY312), tmp_path / "f", app_data, env=env)
    assert _state(app_data)["checks"] == before["checks"]


@pytest.mark.parametrize("flag", ["--no-periodic-update", "--no-download"])
def test_periodic_update_off(flag: str, index: str, tmp_path: Path) -> None:
    app_data = tmp_path / "app-data"
    env = _online_env(index)
    env.pop("ROOST_NO_PERIODIC_UPDATE")
    create(need(PY312), tmp_path / "e", app_data, flag, env=env)
    assert _state(app_data).get("checks", {}) == {}


def test_periodic_wheel_used_only_after_grace(index: str, tmp_path: Path, demo_wheels: Path) -> None:
    app_data = AppData(tmp_path / "app-data")
    app_data.ensure()
    python = need(PY312)
    pip_wheel = _bundled_pip(python)
    runner = PipRunner(python, pip_wheel, "3.12", is_target=True)
    assert periodic.start(app_data, runner, ["roost-demo"], _online_env(index)) == 0
    assert _zombie_children() == []  # roost waited for its only child, the shell
    assert _wait_for(lambda: "completed" in _state(app_data.root).get("checks", {}).get("3.12", {}))  # type: ignore[attr-defined]
    entry = _state(app_data.root)["wheels"]["roost_demo-2.0-py3-none-any.whl"]  # type: ignore[index]
    assert entry["source"] == "periodic"

    interpreter = probe(python)
    request = Request("roost-demo", "bundle", explicit=True)

    def chosen() -> str:
        finder = WheelFinder(app_data, interpreter, [str(demo_wheels)], writable=True)
        wheel = finder.find(request, periodic.eligibility(periodic.load_state(app_data)))
        finder.save()
        assert wheel is not None
        return wheel.version

    assert chosen() == "1.0"  # found just now: not yet
    state = periodic.load_state(app_data)
    state["wheels"]["roost_demo-2.0-py3-none-any.whl"]["found"] -= 2 * 3600
    periodic.save_state(app_data, state)
    # Its zip time stamps say 2020: released long ago, found two hours ago -> used.
    os.utime(app_data.wheelhouse)  # a state edit alone does not change the folder; the test forces a rescan
    assert chosen() == "2.0"


def _hanging_server() -> tuple[socket.socket, int, threading.Event]:
    """Accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    stop = threading.Event()
    held: list[socket.socket] = []

    def serve() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue
        for connection in held:
            connection.close()

    threading.Thread(target=serve, daemon=True).start()
    return listener, int(listener.getsockname()[1]), stop


def test_background_update_ignores_the_current_folder(index: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The worker starts as `python -m roost.seed.periodic`, which would import a json.py
    # from the folder it runs in: it runs in the app-data folder instead.
    marker = _work_in_a_folder_of_traps(tmp_path, monkeypatch, "json.py", "runpy.py")
    app_data = AppData("app-data")  # relative to the user's folder: the worker still finds it
    app_data.ensure()
    runner = PipRunner(need(PY312), _bundled_pip(need(PY312)), "3.12", is_target=True)
    assert periodic.start(app_data, runner, ["roost-demo"], _online_env(index)) == 0
    assert _wait_for(lambda: "completed" in _state(str(tmp_path / "work" / "app-data")).get("checks", {}).get("3.12", {}))  # type: ignore[attr-defined]
    assert not marker.exists()


def test_background_update_never_outlives_its_limit(tmp_path: Path) -> None:
    app_data = AppData(tmp_path / "app-data-limit")
    app_data.ensure()
    python = need(PY312)
    pip_wheel = _bundled_pip(python)
    listener, port, stop = _hanging_server()
    try:
        env = _online_env(f"http://127.0.0.1:{port}/simple/", PIP_TIMEOUT="120")
        runner = PipRunner(python, pip_wheel, "3.12", is_target=True)
        assert periodic.start(app_data, runner, ["roost-demo"], env, time_limit=3) == 0
        assert _zombie_children() == []
        marker = str(app_data.root)
        assert _wait_for(lambda: _processes_mentioning(marker), timeout=10), "the worker never started"
        # Gone by the limit (plus start-up slack): the worker and the pip it ran.
        assert _wait_for(lambda: not _processes_mentioning(marker), timeout=15)
        assert "completed" not in _state(app_data.root).get("checks", {}).get("3.12", {})  # type: ignore[attr-defined]
    finally:
        stop.set()
        listener.close()


def test_upgrade_embed_wheels_fetches_now(index: str, tmp_path: Path) -> None:
    from roost.seed import upgrade_embed_wheels

    app_data = AppData(tmp_path / "app-data")
    upgrade_embed_wheels(Options(), app_data, _online_env(index))
    state = periodic.load_state(app_data)
    names = sorted(os.listdir(app_data.wheelhouse))
    assert any(name.startswith("pip-") for name in names), names
    assert all(state["wheels"][name]["source"] == "manual" for name in names)
    assert f"{sys.version_info[0]}.{sys.version_info[1]}" in state["checks"]
    from roost.errors import RoostError

    with pytest.raises(RoostError):
        upgrade_embed_wheels(Options(no_download=True), app_data, _online_env(index))
