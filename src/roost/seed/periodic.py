"""Periodic update of the seed wheels (as virtualenv's user guide describes it).

At most every 14 days per target Python version, a seeding run starts a detached
background process that asks pip for newer pip/setuptools/wheel and puts them in the
wheelhouse.  A wheel found that way is used only once it was released at least 28 days
ago (its newest file time stamp stands in for the release date) and found at least one
hour ago, so a broken release has time to be yanked.  ``--upgrade-embed-wheels`` updates
at once, and what it (or ``--download``, or a pinned version) fetched is used at once.

Off with ``--no-periodic-update`` (or its environment variable / config key); never runs
when downloads are off (``--no-download``) or app data is read-only.

The background process: roost starts ``/bin/sh``, which starts the worker in a new session
and exits at once; roost waits for the shell, so it never leaves a zombie of its own, and
the worker belongs to the system from then on.  The worker arms ``SIGALRM`` for its hard
time limit, and so does the pip it runs (an alarm survives ``exec``): neither outlives it.
State lives in ``periodic-update.json`` in app data, which the warm path does not read:
the seed index remembers when the next update is due (see :mod:`roost.seed.resolve`).
"""

from __future__ import annotations

import json
import os
import sys
import time

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Any, Callable

    from ..appdata import AppData
    from .download import PipRunner
    from .wheels import WheelIndex

STATE_NAME = "periodic-update.json"
INTERVAL = 14 * 24 * 3600
RETRY_AFTER = 24 * 3600  # a started update that never completed is tried again after a day
FOUND_GRACE = 3600
RELEASE_GRACE = 28 * 24 * 3600
TIME_LIMIT = 300


def state_path(app_data: AppData) -> str:
    return os.path.join(str(app_data.root), STATE_NAME)


def load_state(app_data: AppData) -> dict[str, Any]:
    """The update log: ``{"checks": {version: {...}}, "wheels": {file name: {...}}}``."""
    try:
        with open(state_path(app_data), "rb") as handle:
            data = json.loads(handle.read())
        if isinstance(data, dict):
            data.setdefault("checks", {})
            data.setdefault("wheels", {})
            return data
    except (OSError, ValueError):
        pass
    return {"checks": {}, "wheels": {}}


def save_state(app_data: AppData, state: Mapping[str, Any]) -> None:

    from ..appdata import atomic_write_bytes

    atomic_write_bytes(state_path(app_data), json.dumps(state, sort_keys=True, indent=1).encode())


def eligibility(
    state: Mapping[str, Any], now: float | None = None, reload: Callable[[], Mapping[str, Any]] | None = None
) -> Callable[[str], tuple[bool, float]]:
    """file name -> (usable now?, when it becomes usable) for wheelhouse wheels.

    A wheel the log does not know may have arrived after it was read (the update records
    a wheel before moving it in): *reload* re-reads the log once before trusting it.
    """
    moment = time.time() if now is None else now
    wheels = dict(state.get("wheels", {}))
    reloaded = [reload is None]

    def check(filename: str) -> tuple[bool, float]:
        entry = wheels.get(filename)
        if entry is None and not reloaded[0]:
            reloaded[0] = True
            assert reload is not None
            wheels.update(reload().get("wheels", {}))
            entry = wheels.get(filename)
        if not entry or entry.get("source") != "periodic":
            return True, moment  # downloaded on request, or put there by hand
        usable_from = max(float(entry.get("found", 0)) + FOUND_GRACE, float(entry.get("released", 0)) + RELEASE_GRACE)
        return moment >= usable_from, usable_from

    return check


def next_due(state: Mapping[str, Any], version: str) -> float:
    """When the update for Python *version* is due (14 days after it completed, a day after it started)."""
    check = state.get("checks", {}).get(version) or {}
    return max(float(check.get("completed", 0)) + INTERVAL, float(check.get("started", 0)) + RETRY_AFTER)


def record_check(app_data: AppData, version: str, event: str) -> None:
    """Note that the update for Python *version* has ``started`` or ``completed`` now.

    Under the log's lock, as every writer of the log: a read-change-write by two processes
    at once would lose one's change.
    """
    with app_data.lock("periodic-update"):
        state = load_state(app_data)
        state["checks"].setdefault(version, {})[event] = time.time()
        save_state(app_data, state)


def start(
    app_data: AppData, runner: PipRunner, distributions: Sequence[str], env: Mapping[str, str], time_limit: int = TIME_LIMIT
) -> int | None:
    """Record the start and launch the detached worker; returns the shell's exit status."""
    import subprocess

    record_check(app_data, runner.target_version, "started")
    # The worker runs in the app-data folder: `-m` puts the current folder first on sys.path,
    # and the user's (holding a json.py, say) must not supply its imports.
    root = os.path.abspath(app_data.root)
    job = json.dumps({"app_data": root, "runner": runner.to_dict(), "distributions": list(distributions), "limit": time_limit})
    package_root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    worker_env = dict(env)
    worker_env["PYTHONPATH"] = package_root
    command = [
        "/bin/sh",
        "-c",
        '"$@" </dev/null >/dev/null 2>&1 &',
        "roost-periodic-update",
        sys.executable,
        "-m",
        "roost.seed.periodic",
        job,
    ]
    try:
        shell = subprocess.Popen(
            command, cwd=root, env=worker_env, start_new_session=True, close_fds=True, stdin=subprocess.DEVNULL
        )
        return shell.wait(timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None


def record_downloads(app_data: AppData, pairs: Sequence[tuple[str, str]], source: str, index: WheelIndex | None = None) -> None:
    """Note when and how wheels enter the wheelhouse, before they do.

    *pairs* are (downloaded file, final path).  A wheel already known keeps its first
    "found" time.  With *index*, each wheel's facts are learned under its final path too,
    so no later run has to open it.
    """
    from .versions import read_wheel_facts

    with app_data.lock("periodic-update"):
        state = load_state(app_data)
        now = time.time()
        for downloaded, final in pairs:
            name = os.path.basename(final)
            if name in state["wheels"] and source == "periodic":
                continue  # keep its first "found" time (a download on request makes it usable at once)
            try:
                released = read_wheel_facts(downloaded)["released"]
            except Exception:  # noqa: BLE001 - an unreadable wheel is simply never preferred
                released = now
            state["wheels"][name] = {"source": source, "found": now, "released": released}
        save_state(app_data, state)
    if index is not None:
        for downloaded, final in pairs:
            stat = os.stat(downloaded)
            index.learn(final, stat.st_size, stat.st_mtime_ns, read_from=downloaded)
        index.save(prune=False)  # the new wheels are not at their final paths yet


def run_worker(job: Mapping[str, Any]) -> int:
    """The background update itself (inside the detached process)."""
    import signal
    from pathlib import Path

    from ..appdata import AppData
    from .download import PipRunner, download

    limit = int(job.get("limit", TIME_LIMIT))
    deadline = time.monotonic() + limit
    signal.alarm(limit)  # the default action ends this process at the limit, whatever it does
    app_data = AppData(Path(job["app_data"]))
    runner = PipRunner.from_dict(job["runner"])

    def pip_alarm() -> None:
        # pip gets the time that is left as its own alarm, so it dies with us at the latest.
        signal.alarm(max(1, int(deadline - time.monotonic())))

    from .wheels import WheelIndex

    _remove_stale_downloads(str(app_data.root), limit)
    index = WheelIndex(app_data, writable=True)
    try:
        download(
            runner,
            list(job["distributions"]),
            str(app_data.wheelhouse),
            os.environ,
            timeout=max(1.0, deadline - time.monotonic()),
            preexec_fn=pip_alarm,
            before_publish=lambda pairs: record_downloads(app_data, pairs, "periodic", index),
        )
    except Exception:  # noqa: BLE001 - a failed background update only means no update
        return 1
    record_check(app_data, runner.target_version, "completed")
    return 0


def _remove_stale_downloads(root: str, limit: int) -> None:
    """Staging folders of downloads that were killed (older than any live download can be)."""
    import shutil

    cutoff = time.time() - 2 * max(limit, TIME_LIMIT)
    try:
        names = os.listdir(root)
    except OSError:
        return
    for name in names:
        path = os.path.join(root, name)
        if name.startswith(".download-") and os.path.isdir(path) and os.stat(path).st_mtime < cutoff:
            shutil.rmtree(path, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(run_worker(json.loads(sys.argv[1])))
