"""Turn the seed requests into wheel files: local search, downloads, periodic update.

Downloads happen only with ``--download`` (newest release of each unpinned package) or for
a pinned version no local source has, and never with ``--no-download``.
"""

from __future__ import annotations

import os
import time

from .. import _log
from ..errors import RoostError
from . import EMBED_DISTRIBUTIONS, Request, default_on
from .wheels import WheelFinder, describe_sources

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Callable

    from ..appdata import AppData
    from ..discovery.interpreter import Interpreter
    from ..options import Options
    from .download import PipRunner
    from .wheels import WheelFile


class Resolution:
    """The wheels chosen for one environment, and what to clean up afterwards."""

    __slots__ = ("wheels", "temporary_dirs", "finder")

    def __init__(self, wheels: list[WheelFile], temporary_dirs: list[str], finder: WheelFinder) -> None:
        self.wheels = wheels
        self.temporary_dirs = temporary_dirs
        self.finder = finder

    def cleanup(self) -> None:
        if self.temporary_dirs:
            import shutil

            for folder in self.temporary_dirs:
                shutil.rmtree(folder, ignore_errors=True)


def _runner_for(finder: WheelFinder, interpreter: Interpreter, app_data: AppData, writable: bool) -> PipRunner | None:
    """pip to download with: the target's own if it can run a local pip wheel, else roost's."""
    from .download import PipRunner, running_python

    pip = finder.find(Request("pip", "bundle", explicit=False))
    if pip is not None:
        return PipRunner(interpreter.system_executable, pip.path, interpreter.major_minor, is_target=True)
    from ..discovery import current_interpreter

    own = WheelFinder(app_data, current_interpreter(), finder.extra_dirs, writable)
    pip = own.find(Request("pip", "bundle", explicit=False))
    own.save()
    if pip is None:
        return None
    return PipRunner(running_python(), pip.path, interpreter.major_minor, is_target=False)


def _download(
    finder: WheelFinder,
    interpreter: Interpreter,
    app_data: AppData,
    env: Mapping[str, str],
    writable: bool,
    requirements: list[str],
    temporary_dirs: list[str],
) -> None:
    from .download import download

    runner = _runner_for(finder, interpreter, app_data, writable)
    if runner is None:
        raise RoostError(
            f"cannot download {', '.join(requirements)}: no pip wheel on this machine can run the download",
            "put a pip wheel in a folder and pass --extra-search-dir",
        )
    if writable:
        house = str(app_data.wheelhouse)
    else:
        import tempfile

        house = tempfile.mkdtemp(prefix="roost-wheels-")
        temporary_dirs.append(house)
        finder.extra_dirs.append(house)
    _log.info(f"downloading {', '.join(requirements)} with pip")
    from .periodic import record_downloads

    def before_publish(pairs: list[tuple[str, str]]) -> None:
        if writable:
            record_downloads(app_data, pairs, "manual")

    download(runner, requirements, house, env, before_publish=before_publish)


def resolve(
    options: Options, interpreter: Interpreter, app_data: AppData, env: Mapping[str, str], requests: list[Request], writable: bool
) -> Resolution:
    """The wheel for each request (default packages that are missing are left out, with a warning)."""
    finder = WheelFinder(app_data, interpreter, options.extra_search_dir or (), writable, dict(env))
    temporary_dirs: list[str] = []
    may_download = not options.no_download
    if options.download and may_download:
        latest = [request for request in requests if request.spec == "bundle"]
        if latest:
            _download(finder, interpreter, app_data, env, writable, [r.name for r in latest], temporary_dirs)
            for request in latest:
                finder.forget(request)
    eligible = _Eligibility(app_data)
    chosen: dict[str, WheelFile | None] = {request.name: finder.find(request, eligible) for request in requests}
    missing_pins = [request for request in requests if chosen[request.name] is None and request.pinned]
    if missing_pins and may_download:
        _download(finder, interpreter, app_data, env, writable, [f"{r.name}=={r.spec}" for r in missing_pins], temporary_dirs)
        for request in missing_pins:
            finder.forget(request)
            chosen[request.name] = finder.find(request, eligible)
    wheels: list[WheelFile] = []
    for request in requests:
        wheel = chosen[request.name]
        if wheel is not None:
            wheels.append(wheel)
            continue
        what = request.name if not request.pinned else f"{request.name}=={request.spec}"
        target = f"{interpreter.implementation} {interpreter.version_str}"
        if not request.explicit:
            _log.warning(
                f"no {what} wheel for {target} on this machine; not installing it"
                f" (--download fetches it, --no-{request.name} silences this)"
            )
            continue
        finder.save()
        hint = "pass --download to fetch it from your package index, --extra-search-dir DIR, or --no-seed"
        if request.pinned and not may_download:
            hint = "drop --no-download to fetch it from your package index, or pass --extra-search-dir DIR"
        raise RoostError(f"no {what} wheel for {target} found (searched {describe_sources(finder)})", hint)
    if _periodic_enabled(options, writable):
        _maybe_start_periodic(finder, interpreter, app_data, env, requests)
    finder.save()
    return Resolution(wheels, temporary_dirs, finder)


class _Eligibility:
    """The periodic update's grace periods, read from its log only when a wheelhouse wheel needs them."""

    __slots__ = ("app_data", "check")

    def __init__(self, app_data: AppData) -> None:
        self.app_data = app_data
        self.check: Callable[[str], tuple[bool, float]] | None = None

    def __call__(self, filename: str) -> tuple[bool, float]:
        if self.check is None:
            from . import periodic

            app_data = self.app_data
            self.check = periodic.eligibility(periodic.load_state(app_data), reload=lambda: periodic.load_state(app_data))
        return self.check(filename)


def _maybe_start_periodic(
    finder: WheelFinder, interpreter: Interpreter, app_data: AppData, env: Mapping[str, str], requests: list[Request]
) -> None:
    """Start the periodic update if it is due; the warm path only compares a time from the index.

    The update's log changes only to push the next check later (a start, a completion), so
    a due time remembered in the seed index is never too late, and the log itself is read
    only once that time has come.
    """
    version = interpreter.major_minor
    due = finder.index.periodic_due
    if time.time() < due.get(version, 0):
        return
    from . import periodic

    state = periodic.load_state(app_data)
    next_due = periodic.next_due(state, version)
    if time.time() >= next_due:
        names = [r.name for r in requests if r.spec == "bundle" and r.name in EMBED_DISTRIBUTIONS]
        runner = _runner_for(finder, interpreter, app_data, True) if names else None
        if runner is not None:
            _log.debug(f"starting the periodic update of {', '.join(names)} for Python {version}")
            periodic.start(app_data, runner, names, env)
            next_due = periodic.next_due(periodic.load_state(app_data), version)
        else:
            # Nothing to update, or no pip to update with: look again in a day, not every run.
            next_due = time.time() + periodic.RETRY_AFTER
    due[version] = next_due
    finder.index.changed = True


def _periodic_enabled(options: Options, writable: bool) -> bool:
    return writable and not options.no_periodic_update and not options.no_download and os.name == "posix"


def upgrade_now(options: Options, app_data: AppData, env: Mapping[str, str]) -> None:
    """Download the newest embed wheels for every Python version roost knows of."""
    from ..discovery import current_interpreter
    from . import periodic
    from .download import PipRunner, download, running_python

    if options.no_download:
        raise RoostError("--upgrade-embed-wheels needs downloads", "drop --no-download")
    writable = app_data.writable
    if not writable:
        raise RoostError(
            f"cannot upgrade the embedded wheels: app data {app_data.root} is read-only", "drop --read-only-app-data"
        )
    app_data.ensure()
    own = current_interpreter()
    finder = WheelFinder(app_data, own, options.extra_search_dir or (), writable, dict(env))
    pip = finder.find(Request("pip", "bundle", explicit=False))
    finder.save()
    if pip is None:
        raise RoostError("cannot upgrade the embedded wheels: no pip wheel on this machine can run the download")
    versions = sorted({own.major_minor} | _known_versions(app_data), key=lambda text: tuple(int(p) for p in text.split(".")))
    for version in versions:
        # The interpreter running roost fetches for every version (pip's --python-version).
        runner = PipRunner(running_python(), pip.path, version, is_target=version == own.major_minor)
        info = tuple(int(part) for part in version.split("."))
        names = [name for name in EMBED_DISTRIBUTIONS if default_on(name, info)]
        found = download(
            runner,
            names,
            str(app_data.wheelhouse),
            env,
            before_publish=lambda pairs: periodic.record_downloads(app_data, pairs, "manual"),
        )
        periodic.record_check(app_data, version, "completed")
        _log.info(f"upgraded embedded wheels for Python {version}: {', '.join(os.path.basename(path) for path in found)}")


def _known_versions(app_data: AppData) -> set[str]:
    """Python versions of the interpreters in discovery's cache (3.7 and newer)."""
    from ..discovery.cache import iter_cached_facts

    versions: set[str] = set()
    for facts in iter_cached_facts(app_data):
        info = facts.get("version_info")
        if isinstance(info, list) and tuple(info[:2]) >= (3, 7):
            versions.add(f"{info[0]}.{info[1]}")
    return versions
