"""Filling an environment from an image in parts, on two threads: every file, every failure handled once."""

from __future__ import annotations

import base64
import os
import sys
import threading
from pathlib import Path

import pytest
from seed_helpers import SRC, offline_env, shared_app_data  # noqa: F401 (a fixture)

if str(SRC) not in sys.path:
    sys.path.insert(0, str(SRC))

from roost.appdata import AppData  # noqa: E402
from roost.seed import linker as linking  # noqa: E402
from roost.seed.build import GROUP_WEIGHT, MKDIR_WEIGHT, _partition  # noqa: E402
from roost.seed.scripts import urlsafe_b64  # noqa: E402


def _make_image(site: Path, packages: int = 6, modules: int = 40) -> tuple[list[str], list[str]]:
    """A tree like a real wheel's: packages with subpackages, __pycache__ and top-level files."""
    dirs: list[str] = []
    files: list[str] = []

    def add_file(relative: str) -> None:
        path = site / relative
        path.write_text(relative)
        path.chmod(0o444)
        files.append(relative)

    site.mkdir(parents=True)
    add_file("top.py")
    for number in range(packages):
        for folder in (f"pkg{number}", f"pkg{number}/__pycache__", f"pkg{number}/sub", f"pkg{number}/sub/__pycache__"):
            dirs.append(folder)
            (site / folder).mkdir()
            for module in range(modules if "sub" in folder else 3):
                add_file(f"{folder}/m{module}.py")
    return dirs, files


def _tree(image: Path, dest: Path, dirs: list[str], files: list[str]) -> linking.Tree:
    spine, parts = _partition(dirs, files)
    dest.mkdir(parents=True, exist_ok=True)
    pair = (os.stat(image).st_dev, os.stat(dest).st_dev)
    return linking.Tree(f"{image}/", f"{dest}/", spine, parts, pair)


def test_partition_covers_the_tree_once_with_parents_first(tmp_path: Path) -> None:
    dirs, files = _make_image(tmp_path / "site", packages=12)
    spine, parts = _partition(dirs, files)
    part_dirs = [folder for _weight, folders, _groups in parts for folder in folders]
    part_files = [prefix + name for _weight, _folders, groups in parts for prefix, names in groups for name in names]
    assert sorted(spine + part_dirs) == sorted(dirs) and len(spine + part_dirs) == len(dirs)
    assert sorted(part_files) == sorted(files) and len(part_files) == len(files)
    assert len(parts) > 2  # enough pieces to balance two threads
    for weight, folders, groups in parts:
        made = set(spine) | set(folders) | {""}
        for index, folder in enumerate(folders):  # each part's folders in order, below the spine
            assert folder.rpartition("/")[0] in set(spine) | set(folders[:index]) | {""}
        prefixes = [prefix for prefix, _names in groups]
        assert len(prefixes) == len(set(prefixes))  # one group per folder
        assert all(prefix == "" or (prefix.endswith("/") and prefix[:-1] in made) for prefix in prefixes)
        assert all(names and all("/" not in name for name in names) for _prefix, names in groups)
        files_in_part = sum(len(names) for _prefix, names in groups)
        assert weight == len(folders) * MKDIR_WEIGHT + files_in_part + len(groups) * GROUP_WEIGHT
    assert [weight for weight, _, _ in parts] == sorted((weight for weight, _, _ in parts), reverse=True)


@pytest.mark.parametrize("mode", ["hardlink", "hardlink-by-path", "copy"])
def test_fill_on_two_threads_then_again_over_it(mode: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(linking, "cores", lambda: 2)
    if mode == "hardlink-by-path":  # where linkat relative to open folders is missing (Windows)
        monkeypatch.setattr(linking, "_LINK_AT", False)
        mode = "hardlink"
    image, dest = tmp_path / "site", tmp_path / "env"
    dirs, files = _make_image(image)
    tree = _tree(image, dest, dirs, files)
    assert sum(weight for weight, _, _ in tree.parts) >= linking.THREAD_MIN_WEIGHT  # the threaded path
    for _round in range(2):  # the second time every file exists: each is replaced
        linker = linking.Linker(mode)
        linking.fill([tree], linker)
        assert linker.used == {mode}
        for relative in files:
            installed, cached = os.stat(dest / relative), os.stat(image / relative)
            assert (installed.st_ino == cached.st_ino) is (mode == "hardlink")
            assert installed.st_size == cached.st_size and installed.st_mtime_ns == cached.st_mtime_ns
            assert installed.st_mode & 0o555 == cached.st_mode & 0o555
        assert sorted(str(path.relative_to(dest)) for path in dest.rglob("*") if path.is_dir()) == sorted(dirs)


def test_fill_reports_a_missing_file_from_either_thread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(linking, "cores", lambda: 2)
    image = tmp_path / "site"
    dirs, files = _make_image(image)
    spine, parts = _partition(dirs, files)
    # One victim in the heaviest part and one in the next: the threads get one each.
    victims = [parts[0][2][-1][0] + parts[0][2][-1][1][-1], parts[1][2][-1][0] + parts[1][2][-1][1][-1]]
    for victim in victims:
        (image / victim).unlink()
    for number, _victim in enumerate(victims):
        tree = _tree(image, tmp_path / f"env{number}", dirs, files)
        with pytest.raises(linking.ImageDamaged) as raised:
            linking.fill([tree], linking.Linker("hardlink"))
        assert str(raised.value) in {f"{image}/{victim}" for victim in victims}
        (image / victims[0]).write_text("back")  # the other one is found next time


MTIME = 1_700_000_000 * 10**9  # the one modification time of an image's files


@pytest.mark.parametrize("mode", ["hardlink", "hardlink-by-path", "copy"])
def test_fill_reports_a_changed_file_from_either_thread(mode: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(linking, "cores", lambda: 2)
    if mode == "hardlink-by-path":
        monkeypatch.setattr(linking, "_LINK_AT", False)
        mode = "hardlink"
    image = tmp_path / "site"
    dirs, files = _make_image(image)
    for relative in files:
        os.utime(image / relative, ns=(MTIME, MTIME))
    spine, parts = _partition(dirs, files)
    # A source in each of the two heaviest parts with sources (the threads get one each), written
    # in place as an edit through a hard link would be: only its mtime tells.
    # (Bytecode in __pycache__/ is not checked on the quick way: see linker._fill_files.)
    sources = [[folder + names[-1] for folder, names in part[2] if not folder.endswith("__pycache__/")] for part in parts]
    victims = [found[-1] for found in sources if found][:2]
    for victim in victims:
        (image / victim).chmod(0o644)
        with open(image / victim, "r+") as handle:
            handle.write("X")
    for number in range(len(victims)):
        dest = tmp_path / f"env{number}"
        dest.mkdir()
        tree = linking.Tree(f"{image}/", f"{dest}/", spine, parts, (os.stat(image).st_dev, os.stat(dest).st_dev), MTIME)
        with pytest.raises(linking.ImageChanged) as raised:
            linking.fill([tree], linking.Linker(mode))
        assert str(raised.value) in {f"{image}/{victim}" for victim in victims}
        assert raised.value.problem.endswith("was changed after the image was built")
        os.utime(image / victims[0], ns=(MTIME, MTIME))  # the other one is found next time
    tree = _tree(image, tmp_path / "unchecked", dirs, files)  # no recorded mtime (a coarse filesystem): no check
    linking.fill([tree], linking.Linker(mode))


def test_ctrl_c_while_waiting_for_the_worker_waits_for_it_anyway(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A Ctrl-C that lands in the wait must not let the session delete the env under the worker."""
    import _thread

    monkeypatch.setattr(linking, "cores", lambda: 2)
    image, dest = tmp_path / "site", tmp_path / "env"
    dirs, files = _make_image(image)
    tree = _tree(image, dest, dirs, files)
    worker_done: list[bool] = []
    real_lock, real_run, caller = _thread.allocate_lock, linking._run, _thread.get_ident()

    waiting = threading.Event()  # the caller has begun to wait for the worker

    def run(queue: list[linking._Job], stop: list[bool]) -> None:
        if _thread.get_ident() == caller:
            return real_run(queue, stop)
        assert waiting.wait(60)  # the worker is still at work when the Ctrl-C lands
        real_run(queue, stop)
        worker_done.append(True)  # the worker has stopped writing
        return None

    class LockInterruptedOnce:
        """A real lock whose first blocking wait is cut short by a KeyboardInterrupt, as a signal would."""

        def __init__(self) -> None:
            self.lock = real_lock()
            self.calls = 0

        def acquire(self) -> bool:
            self.calls += 1
            if self.calls == 2:  # the first call takes it; the second is the wait for the worker
                waiting.set()
                raise KeyboardInterrupt
            return self.lock.acquire()

        def release(self) -> None:
            self.lock.release()

    from roost import session

    monkeypatch.setattr(linking, "_run", run)
    monkeypatch.setattr(session._thread, "allocate_lock", LockInterruptedOnce)
    with pytest.raises(KeyboardInterrupt):
        linking.fill([tree], linking.Linker("hardlink"))
    assert worker_done == [True]  # fill() returned only after the worker had finished


def test_urlsafe_b64_matches_base64() -> None:
    for size in range(70):
        raw = os.urandom(size)
        assert urlsafe_b64(raw) == base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def test_periodic_update_log_is_not_read_before_it_is_due(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from roost.seed import Request, periodic, resolve
    from roost.seed.wheels import WheelFinder

    class Interp:
        major_minor = "3.12"
        version_info = (3, 12, 1, "final", 0)
        ensurepip_wheel_dirs: list[str] = []

    app_data = AppData(tmp_path / "app-data")
    app_data.ensure()
    state = {"checks": {"3.12": {"completed": 1e12}}, "wheels": {}}  # far in the future: never due
    periodic.save_state(app_data, state)
    finder = WheelFinder(app_data, Interp(), [], writable=True)  # type: ignore[arg-type]
    requests = [Request("pip", "bundle", explicit=True)]
    resolve._maybe_start_periodic(finder, Interp(), app_data, {}, requests)  # type: ignore[arg-type]
    assert finder.index.periodic_due["3.12"] == periodic.next_due(state, "3.12")

    def no_reading(_app_data: AppData) -> dict[str, object]:
        raise AssertionError("the periodic-update log was read although nothing is due")

    monkeypatch.setattr(periodic, "load_state", no_reading)
    resolve._maybe_start_periodic(finder, Interp(), app_data, {}, requests)  # type: ignore[arg-type]


@pytest.mark.parametrize("extra", [[], ["--symlink-app-data"]])
def test_an_error_writing_activation_scripts_is_not_called_a_seed_error(
    extra: list[str],
    tmp_path: Path,
    shared_app_data: Path,  # noqa: F811 (the fixture)
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The activation scripts are written on a second thread while the seeder links (in_parallel):
    # their OSError must come out as it is (one line naming the file), not as "could not
    # install the seed packages", and the half environment must go.
    from roost import cli_run
    from roost import session as sessions

    full = OSError(28, "No space left on device", "activate")

    def fail(_self: object) -> None:
        raise full

    monkeypatch.setattr(sessions.Session, "_activate", fail)
    dest = tmp_path / "env"
    with pytest.raises(OSError) as raised:
        cli_run([str(dest), *extra], env=offline_env(shared_app_data), setup_logging=False)
    assert raised.value is full
    assert not dest.exists()
