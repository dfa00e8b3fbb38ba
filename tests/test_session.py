"""The session's overlap of seeding and activation (:func:`roost.session.in_parallel`)."""

from __future__ import annotations

import _thread
import threading
from pathlib import Path

import pytest

from roost import _log, session
from roost.session import in_parallel


def test_the_second_task_runs_on_another_thread_with_the_callers_verbosity() -> None:
    seen: dict[str, object] = {}
    _log.set_thread_level(_log.QUIET, use_logging=True)
    try:
        in_parallel(
            lambda: seen.update(here=_thread.get_ident()),
            lambda: seen.update(there=_thread.get_ident(), level=_log.level(), routed=_log._routed_to_logging()),
        )
    finally:
        _log.set_thread_level(None, None)
    assert seen["here"] == _thread.get_ident() != seen["there"]
    assert (seen["level"], seen["routed"]) == (_log.QUIET, True)


def test_a_failure_here_waits_for_the_other_thread_and_asks_it_to_stop() -> None:
    # A failed run deletes the environment next: the other thread must be done by then.
    stopped = _thread.allocate_lock()
    stopped.acquire()
    finished: list[bool] = []

    def there() -> None:
        stopped.acquire()  # runs until stop() is called
        finished.append(True)

    def here() -> None:
        raise ValueError("seeding failed")

    with pytest.raises(ValueError, match="seeding failed"):
        in_parallel(here, there, stop=stopped.release)
    assert finished == [True]


def test_the_other_threads_error_comes_out_when_this_one_succeeds() -> None:
    full = OSError(28, "No space left on device", "activate")

    def there() -> None:
        raise full

    with pytest.raises(OSError) as raised:
        in_parallel(lambda: None, there)
    assert raised.value is full


def test_with_no_thread_to_be_had_both_run_here_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_thread(*_args: object) -> int:
        raise RuntimeError("can't start new thread")

    monkeypatch.setattr(session._thread, "start_new_thread", no_thread)
    order: list[tuple[str, int]] = []
    in_parallel(lambda: order.append(("here", _thread.get_ident())), lambda: order.append(("there", _thread.get_ident())))
    assert order == [("there", _thread.get_ident()), ("here", _thread.get_ident())]


def test_a_run_seeds_here_and_writes_activation_scripts_on_a_second_thread(
    tmp_path: Path, roost_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from roost import cli_run
    from roost.seed.via_app_data import AppDataSeeder

    threads: dict[str, int] = {}
    real_seed, real_activate = AppDataSeeder.seed, session.Session._activate

    def seed(self: AppDataSeeder, layout: object) -> None:
        threads["seed"] = _thread.get_ident()
        real_seed(self, layout)  # type: ignore[arg-type]

    def activate(self: session.Session) -> None:
        threads["activate"] = _thread.get_ident()
        real_activate(self)

    monkeypatch.setattr(AppDataSeeder, "seed", seed)
    monkeypatch.setattr(session.Session, "_activate", activate)
    made = cli_run([str(tmp_path / "env")], env=roost_env, setup_logging=False)
    assert threads["seed"] == _thread.get_ident() != threads["activate"]
    assert (tmp_path / "env" / "bin" / "activate").is_file()
    assert "pip" in [item.name for item in made.seeder.installed]  # type: ignore[attr-defined]


def test_a_ctrl_c_just_after_the_wait_succeeded_does_not_wait_again(monkeypatch: pytest.MonkeyPatch) -> None:
    # The signal lands after acquire() took the lock but before the wait loop saw it: waiting
    # on that lock again would never end.
    real_lock = _thread.allocate_lock
    waiting = threading.Event()  # the caller is in its wait: the other thread may end now

    class InterruptedAfterTaking:
        def __init__(self) -> None:
            self.lock = real_lock()
            self.calls = 0

        def acquire(self) -> bool:
            self.calls += 1
            if self.calls == 2:  # the first call is in_parallel's own; the second is the wait
                waiting.set()
                self.lock.acquire()
                raise KeyboardInterrupt
            return self.lock.acquire()

        def release(self) -> None:
            self.lock.release()

    monkeypatch.setattr(session._thread, "allocate_lock", InterruptedAfterTaking)
    with pytest.raises(KeyboardInterrupt):
        in_parallel(lambda: None, lambda: None if waiting.wait(60) else None)


def test_the_interpreter_goes_in_with_pyvenv_cfg_so_a_half_folder_cannot_run_as_the_base(
    tmp_path: Path, roost_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Until pyvenv.cfg exists, DEST/bin/python would be the base Python under another name
    # (sys.prefix the base's): the bin/pip of a run killed while seeding would install into
    # the base.  So while the seed packages go in, there is no interpreter to run.
    import subprocess

    from roost import cli_run
    from roost.seed.via_app_data import AppDataSeeder

    dest = tmp_path / "env"
    seen: list[list[str]] = []
    real_seed = AppDataSeeder.seed

    def seed(self: AppDataSeeder, layout: object) -> None:
        real_seed(self, layout)  # type: ignore[arg-type]
        seen.append(sorted(path.name for path in (dest / "bin").iterdir() if path.name.startswith("python")))
        pip = dest / "bin" / "pip"
        assert pip.exists() and not (dest / "pyvenv.cfg").exists()
        with pytest.raises(OSError):  # its shebang names a bin/python that is not there yet
            subprocess.run([pip, "--version"], capture_output=True, check=False)

    monkeypatch.setattr(AppDataSeeder, "seed", seed)
    cli_run([str(dest)], env=roost_env, setup_logging=False)
    assert seen == [[]]
    version = subprocess.run([dest / "bin" / "python", "-c", "import sys; print(sys.prefix)"], capture_output=True, text=True)
    assert version.stdout.strip() == str(dest)
