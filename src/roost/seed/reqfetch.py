"""Find a wheel file for each pinned requirement of a ``-r`` set, verifying hashes.

Where wheels come from, in order (the first that has the exact version, tags that fit the
target and an admitted ``Requires-Python`` wins; with hashes, only a file that matches):

1. a lock file's own ``path`` for the wheel;
2. ``--extra-search-dir`` folders, then the app-data wheel house;
3. pip's wheel cache (``<pip cache dir>/wheels``), see :func:`pip_wheel_cache`;
4. pip, run once for everything still missing: ``pip wheel --no-deps`` by the target
   interpreter (a wheel the index has is saved as it is; an sdist is built into one), or
   ``pip download --no-deps --only-binary=:all:`` with ``--python-version`` when only
   another interpreter can run pip.  pip reads ``pip.conf`` and ``PIP_*`` (plus the
   requirement files' own options); its files enter the wheel house, so the next run
   finds them there.

Hashes: a wheel is used only when its digest is one the requirement lists.  A file in
``--extra-search-dir`` with the right name and version and another digest is an error (the
user put it there: never replaced by a silent download); in the wheel house it is passed
over and the listed file fetched beside it (``others/<digest>/``).  pip runs in
hash-checking mode when there are hashes, so a wheel it builds comes from a verified sdist;
roost remembers that (``requirements-built.store`` in app data: wheel digest -> the sdist
digests pip verified), and accepts the built wheel for those hashes later.
"""

from __future__ import annotations

import os
import sys

from .. import _log
from ..appdata import read_store, write_store
from ..errors import RoostError
from .versions import file_digest as digest
from .wheels import WheelFile, WheelFinder

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from ..appdata import AppData
    from ..discovery.interpreter import Interpreter
    from .reqfile import Wanted
    from .versions import WheelName

BUILT_STORE = "requirements-built.store"


class HashMismatch(RoostError):
    """A wheel with the wanted name and version whose digest the requirement does not list."""


def pip_wheel_cache(env: Mapping[str, str]) -> str | None:
    """The folder where pip keeps wheels it built from sdists, or None when pip's cache is off.

    Only this part of pip's cache is read, never its HTTP cache (responses stored in
    pip's private format, whose freshness pip alone decides), and only entries whose
    ``origin.json`` shows what they were built from (see :func:`_cache_entry_usable`).
    roost only reads it (an image is built from it, the file is never changed or removed),
    and a file still being copied in by pip has no zip end record yet and is skipped as
    unreadable.  The folder is ``cache-dir`` of pip's settings (``PIP_CACHE_DIR``, else
    pip's configuration files), else pip's default; ``no-cache-dir`` turns it off.
    """
    from .pipconfig import pip_settings, truthy

    settings = pip_settings(env)
    if truthy(settings.get("no-cache-dir")):
        return None
    folder = settings.get("cache-dir")
    if not folder:
        home = os.path.expanduser("~")
        if sys.platform == "darwin":
            folder = os.path.join(home, "Library", "Caches", "pip")
        else:
            folder = os.path.join(env.get("XDG_CACHE_HOME") or os.path.join(home, ".cache"), "pip")
    return os.path.join(os.path.expanduser(folder), "wheels")


def hash_matches(wheel: WheelFile, hashes: Mapping[str, set[str]]) -> bool:
    """Does the wheel's digest appear among *hashes* (any algorithm pip accepts)?"""
    for algorithm, accepted in hashes.items():
        value = wheel.sha256 if algorithm == "sha256" else digest(wheel.path, algorithm)
        if value in accepted:
            return True
    return False


class WheelSearch:
    """Finds, verifies and, once, fetches the wheels of a requirement set for one target."""

    def __init__(
        self, app_data: AppData, interpreter: Interpreter, extra_dirs: Iterable[str], env: Mapping[str, str], writable: bool
    ) -> None:
        self.app_data = app_data
        self.interpreter = interpreter
        self.env = env
        self.writable = writable
        self.finder = WheelFinder(app_data, interpreter, extra_dirs, writable, dict(env))
        self.index = self.finder.index
        self.target = tuple(interpreter.version_info[:3])
        self.temporary_dirs: list[str] = []
        built = read_store(os.path.join(app_data.root, BUILT_STORE))
        self.built: dict[str, list[str]] = built if isinstance(built, dict) else {}

    def folders(self) -> list[tuple[str, str]]:
        """(folder, origin) searched before pip's cache."""
        from .download import OTHERS

        house = str(self.app_data.wheelhouse)
        try:
            others = sorted(os.listdir(os.path.join(house, OTHERS)))
        except OSError:
            others = []
        houses = [house, *(os.path.join(house, OTHERS, digest) for digest in others)]
        return [(folder, "extra") for folder in self.finder.extra_dirs] + [(folder, "wheelhouse") for folder in houses]

    def find_all(self, wanted: Sequence[Wanted], may_download: bool, pip_env: Mapping[str, str]) -> dict[str, WheelFile]:
        """The wheel for each of *wanted* (by name); raises RoostError for one it cannot get."""
        names = {item.name for item in wanted}
        listing = _list_folders(self.folders(), names)
        chosen: dict[str, WheelFile] = {}
        for item in wanted:
            found = self._choose(item, listing.get(item.name, []), strict=True)
            if found is not None:
                chosen[item.name] = found
        missing = [item for item in wanted if item.name not in chosen and not item.path]
        cache = pip_wheel_cache(self.env) if missing else None
        if cache is not None and os.path.isdir(cache):
            cached = _walk_cache(cache, {item.name for item in missing})
            local_indexes = _local_indexes({**self.env, **pip_env})
            for item in missing:
                entries = cached.get(item.name, [])
                usable = [
                    (path, parsed, "machine") for path, parsed, source in entries if _from_index(source, item, local_indexes)
                ]
                found = self._choose(item, usable, strict=False, source_verified=True)
                if found is not None:
                    _log.debug(f"{item.text}: from pip's wheel cache {found.path}")
                    chosen[item.name] = found
        missing = [item for item in wanted if item.name not in chosen]
        if missing:
            local = [item for item in missing if item.path]
            if local:
                raise RoostError(f"{local[0].origin}: the lock's wheel {local[0].path} is missing or does not fit", "lock again")
            if not may_download:
                raise RoostError(
                    f"{', '.join(item.text for item in missing)}: no wheel on this machine and --no-download is set",
                    "drop --no-download, or put the wheels in a folder and pass --extra-search-dir",
                )
            chosen.update(self._fetch(missing, pip_env))
        self.index.save()
        return chosen

    def _choose(
        self, item: Wanted, paths: list[tuple[str, WheelName, str]], strict: bool, source_verified: bool = False
    ) -> WheelFile | None:
        """The best fitting wheel of *item*'s version among *paths*.

        A wheel whose digest *item*'s hashes do not list is passed over, or raises when *strict*
        and the file is one the user put in an ``--extra-search-dir`` folder (roost's own wheel
        house may hold a wheel pip built from the sdist and the index's wheel of the same
        name: the other one is fetched then).  *source_verified*: the hashes were checked
        against the archive each wheel was built from.
        """
        from ..pep440 import version_key
        from .versions import python_allowed

        if item.path:
            from .versions import WheelName

            parsed = WheelName.parse(os.path.basename(item.path))
            paths = [(item.path, parsed, "lock")] if parsed is not None else []
        want = version_key(item.version)
        fitting: list[tuple[int, WheelFile]] = []
        for path, parsed, origin in paths:
            if version_key(parsed.version) != want or not parsed.fits(self.interpreter):
                continue
            wheel = self._wheel(path, origin)
            if wheel is None or not python_allowed(wheel.requires_python, self.target):
                continue
            fitting.append((0 if parsed.is_pure else 1, wheel))
        fitting.sort(key=lambda pair: -pair[0])  # a binary wheel before a pure one, as pip
        if not item.hashes or source_verified:
            return fitting[0][1] if fitting else None
        for _rank, wheel in fitting:
            if hash_matches(wheel, item.hashes) or self._built_from(wheel, item.hashes):
                return wheel
        users = [wheel for _rank, wheel in fitting if wheel.origin != "wheelhouse"]
        if users and strict:
            wheel = users[0]
            expected = ", ".join(f"{algorithm}:{value}" for algorithm, values in item.hashes.items() for value in sorted(values))
            raise HashMismatch(
                f"{item.origin}: {wheel.path} does not match the hashes of {item.text}"
                f" (sha256:{wheel.sha256}, expected {expected})",
                "lock again, or remove that file" if item.origin.endswith("]") else "remove that file, or correct the --hash",
            )
        return None

    def _built_from(self, wheel: WheelFile, hashes: Mapping[str, set[str]]) -> bool:
        recorded = self.built.get(wheel.sha256) or ()
        return any(value in recorded for values in hashes.values() for value in values)

    def _wheel(self, path: str, origin: str) -> WheelFile | None:
        try:
            stat = os.stat(path)
        except OSError:
            return None
        facts = self.index.facts(path, stat.st_size, stat.st_mtime_ns) or self.index.learn(path, stat.st_size, stat.st_mtime_ns)
        if facts is None and origin != "machine":
            # Said, not silent: the user put this file here, and pip (or --no-download's error) takes over.
            # (A file in pip's cache that pip is still writing is skipped without a word.)
            _log.warning(f"skipping {path}: not a readable wheel (truncated, or no .dist-info/METADATA)")
        return WheelFile(path, facts, origin) if facts is not None else None

    def _fetch(self, missing: list[Wanted], pip_env: Mapping[str, str]) -> dict[str, WheelFile]:
        """Get *missing* through pip in one run, into the wheel house; verify before publishing."""
        import tempfile

        from .download import download
        from .resolve import _runner_for
        from .versions import WheelName

        runner = _runner_for(self.finder, self.interpreter, self.app_data, self.writable)
        what = ", ".join(item.text for item in missing)
        if runner is None:
            raise RoostError(
                f"cannot fetch {what}: no pip wheel on this machine can run pip", "pass --extra-search-dir with a pip wheel"
            )
        if self.writable:
            self.app_data.ensure()
            house = str(self.app_data.wheelhouse)
        else:
            house = tempfile.mkdtemp(prefix="roost-wheels-")
            self.temporary_dirs.append(house)
        scratch = tempfile.mkdtemp(prefix="roost-requirements-")
        self.temporary_dirs.append(scratch)
        lines = [_pip_line(item) for item in missing]
        if any(item.hashes for item in missing):
            listed = os.path.join(scratch, "requirements.txt")
            with open(listed, "w", encoding="utf-8") as handle:
                handle.write("".join(line + "\n" for line in lines))
            arguments = ["--require-hashes", "-r", listed]
        else:
            arguments = lines
        by_name = {item.name: item for item in missing}
        built: dict[str, list[str]] = {}

        def before_publish(pairs: list[tuple[str, str]]) -> None:
            for staged, _final in pairs:
                parsed = WheelName.parse(os.path.basename(staged))
                item = by_name.get(parsed.name) if parsed is not None else None
                if item is None or not item.hashes:
                    continue
                sha256 = digest(staged, "sha256")
                if not any(
                    (sha256 if algorithm == "sha256" else digest(staged, algorithm)) in values
                    for algorithm, values in item.hashes.items()
                ):
                    # pip checked the archive it fetched in hash-checking mode: this wheel
                    # was built from that verified sdist.
                    built[sha256] = sorted(value for values in item.hashes.values() for value in values)

        _log.info(f"fetching {what} with pip")
        environment = {**self.env, **pip_env}
        try:
            found = download(runner, arguments, house, environment, before_publish=before_publish, build=True, keep_others=True)
        except RoostError as exc:
            reason = exc.message.split(": ", 1)[-1]
            raise RoostError(f"pip could not get {what}: {reason}", exc.hint) from None
        if built:
            self._remember_built(built)
        result: dict[str, WheelFile] = {}
        for path in found:
            parsed = WheelName.parse(os.path.basename(path))
            item = by_name.get(parsed.name) if parsed is not None else None
            if item is None:
                continue
            choice = self._choose(item, [(path, parsed, "wheelhouse")], strict=True)  # type: ignore[list-item]
            if choice is not None:
                result[item.name] = choice
        for item in missing:
            if item.name not in result:
                target = f"{self.interpreter.implementation} {self.interpreter.version_str}"
                raise RoostError(
                    f"pip fetched no wheel of {item.text} that fits {target}",
                    "check the version and the index pip uses",
                )
        return result

    def _remember_built(self, built: dict[str, list[str]]) -> None:
        self.built.update(built)
        if not self.writable:
            return
        path = os.path.join(self.app_data.root, BUILT_STORE)
        with self.app_data.lock("requirements-built"):
            on_disk = read_store(path)
            merged = {**(on_disk if isinstance(on_disk, dict) else {}), **built}
            write_store(path, merged)

    def cleanup(self) -> None:
        """Remove the temporary folders of a read-only run."""
        import shutil

        for folder in self.temporary_dirs:
            shutil.rmtree(folder, ignore_errors=True)


def _pip_line(item: Wanted) -> str:
    """One requirements-file line that makes pip fetch exactly *item*."""
    if item.url:
        head = f"{item.name} @ {item.url}"
    elif item.sdist:
        head = f"{item.name} @ {item.sdist if '://' in item.sdist else 'file://' + item.sdist}"
    else:
        head = item.text
    options = [f"--hash={algorithm}:{value}" for algorithm, values in sorted(item.hashes.items()) for value in sorted(values)]
    return " ".join([head, *options])


def _list_folders(folders: list[tuple[str, str]], names: set[str]) -> dict[str, list[tuple[str, WheelName, str]]]:
    """Wheels of *names* in *folders* (one listing each), by canonical name."""
    from .versions import WheelName

    found: dict[str, list[tuple[str, WheelName, str]]] = {}
    for folder, origin in folders:
        try:
            entries = os.listdir(folder)
        except OSError:
            continue
        for entry in entries:
            parsed = WheelName.parse(entry)
            if parsed is not None and parsed.name in names:
                found.setdefault(parsed.name, []).append((os.path.join(folder, entry), parsed, origin))
    return found


def _walk_cache(root: str, names: set[str]) -> dict[str, list[tuple[str, WheelName, dict[str, object] | None]]]:
    """Wheels of *names* anywhere below pip's wheel cache, each with its ``origin.json``.

    pip's cache folders are hashes of the link a wheel was built from; pip (22.2 and newer)
    writes that link's description (PEP 610's direct URL form) beside the wheel.
    """
    import json

    from .versions import WheelName

    found: dict[str, list[tuple[str, WheelName, dict[str, object] | None]]] = {}
    for current, _dirs, files in os.walk(root):
        wheels = [(entry, parsed) for entry in files for parsed in [WheelName.parse(entry)] if parsed and parsed.name in names]
        if not wheels:
            continue
        try:
            with open(os.path.join(current, "origin.json"), "rb") as handle:
                source = json.loads(handle.read().decode("utf-8"))
        except (OSError, ValueError):
            source = None
        for entry, parsed in wheels:
            found.setdefault(parsed.name, []).append(
                (os.path.join(current, entry), parsed, source if isinstance(source, dict) else None)
            )
    return found


_SDIST_SUFFIXES = (".tar.gz", ".zip", ".tar.bz2", ".tgz", ".tar.xz", ".tar")


def _local_indexes(env: Mapping[str, str]) -> tuple[str, ...]:
    """The local folders pip looks in for *env*: ``find-links`` folders and ``file:`` indexes."""
    from urllib.parse import unquote, urlsplit

    from .pipconfig import pip_settings

    settings = pip_settings(env)
    places = " ".join(settings.get(key, "") for key in ("find-links", "index-url", "extra-index-url")).split()
    folders = []
    for place in places:
        if place.startswith("file:"):
            place = unquote(urlsplit(place).path)
        elif "://" in place:
            continue
        folders.append(os.path.realpath(os.path.expanduser(place)).rstrip("/") + "/")
    return tuple(folders)


def _from_index(source: dict[str, object] | None, item: Wanted, local_indexes: tuple[str, ...]) -> bool:
    """Was this cached wheel built from the sdist an index serves for *item*, as pip would build it?

    pip uses a cached wheel only for the very link it was built from.  roost does not ask
    the index which link that is, so it takes a cached wheel only when its ``origin.json``
    names an sdist of exactly this project and version that pip downloaded or found in one
    of the local folders it looks in now (*local_indexes*) - not a file or folder named on
    some command line, a VCS checkout or a differently named archive, which may hold other
    code - and, when *item* has hashes, only when that sdist's recorded digest is one of them.
    """
    from urllib.parse import unquote, urlsplit

    from ..pep440 import version_key
    from .versions import canonical_name

    if source is None or "vcs_info" in source or "dir_info" in source:
        return False
    url = source.get("url")
    if not isinstance(url, str):
        return False
    if url.startswith("file:"):
        path = os.path.realpath(unquote(urlsplit(url).path))
        if not local_indexes or not path.startswith(local_indexes):
            return False
    elif not url.startswith(("https://", "http://")):
        return False
    filename = unquote(urlsplit(url).path.rsplit("/", 1)[-1])
    stem = next((filename[: -len(suffix)] for suffix in _SDIST_SUFFIXES if filename.endswith(suffix)), None)
    name, dash, version = (stem or "").rpartition("-")
    key = version_key(version)
    if not dash or canonical_name(name) != item.name or key is None or key != version_key(item.version):
        return False
    if not item.hashes:
        return True
    archive = source.get("archive_info")
    recorded: dict[str, str] = {}
    if isinstance(archive, dict):
        hashes = archive.get("hashes")
        if isinstance(hashes, dict):
            recorded.update((str(key), str(value)) for key, value in hashes.items())
        single = archive.get("hash")
        if isinstance(single, str) and "=" in single:
            algorithm, _, value = single.partition("=")
            recorded.setdefault(algorithm, value)
    return any(recorded.get(algorithm, "").lower() in accepted for algorithm, accepted in item.hashes.items())
