"""Interpreter facts: run the probe once per interpreter, then answer from a cache file.

One :mod:`roost.appdata` store file (``<name>-<checksum>.facts``) per interpreter in
``app_data.interpreters``, reused only while the executable's path, real path, size, mtime
and inode are unchanged and the probe script is the same.  Files are published by an atomic
rename, so readers never lock and never see half a file; a file that does not load is treated
as absent and overwritten by a fresh probe (the ``.json`` files of older roosts are simply
never read).  A failed probe is remembered too (for an hour), so a broken interpreter on PATH
costs one warning, not a timeout per run.

This module is on every warm run, so it imports no standard module that interpreter start-up
has not loaded already (no json, zlib, re or pathlib): ``subprocess`` and ``json`` come in only
when a probe really runs, the probe's module (with sysconfig) only when roost describes its
own interpreter afresh.
"""

from __future__ import annotations

import _thread  # not threading: the same lock without its ~1 ms import
import os
import sys
import time

from .. import _log
from ..appdata import read_store, write_store
from ..errors import RoostError
from .interpreter import PROBE_VERSION, Interpreter, child_environment, last_line

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    from ..appdata import AppData

PROBE_SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_probe.py")
DEFAULT_TIMEOUT = 15.0
TIMEOUT_VARIABLE = "ROOST_PROBE_TIMEOUT"
_FAILURE_LIFETIME = 3600.0  # seconds a remembered failure is believed
SUFFIX = ".facts"  # not the .json of older roosts: those files are left unread
# Run by the target with -E -s; drops the '' (current folder) entry -c puts first on
# sys.path, so nothing in the cwd or beside the probe can shadow the stdlib.  Python 2.7+.
_BOOTSTRAP = (
    "import sys\n"
    "if sys.path and sys.path[0] == '': del sys.path[0]\n"
    "p = sys.argv[1]; sys.argv = [p]\n"
    "exec(compile(open(p, 'rb').read(), p, 'exec'), {'__name__': '__main__', '__file__': p})\n"
)

_fingerprint: str | None = None
_MERSENNE_61 = (1 << 61) - 1
_path_locks: dict[str, _thread.LockType] = {}
_path_locks_guard = _thread.allocate_lock()


class ProbeError(RoostError):
    """An interpreter could not describe itself (missing, broken, hanging): one line naming it."""


def probe_fingerprint() -> str:
    """Identifies the probe script's exact text: a changed probe invalidates every cached answer.

    From the content, not the file's mtime: two installs of roost sharing one app-data folder
    (say, one from pipx and one in a project's tool env) have the same probe with different
    mtimes, and must not keep re-probing each other's interpreters.  The checksum is the
    text as one big integer modulo a Mersenne prime: position-sensitive, and with no zlib,
    hashlib or binascii import on the warm path.  Measured (CPython 3.11, timeit and
    ``-X importtime``): 60 us for the 10 kB probe, against 5 us for binascii.crc32 plus
    0.17-0.4 ms to import binascii in a venv that has not: 0.1-0.3 ms saved per run.
    """
    global _fingerprint
    if _fingerprint is None:
        try:
            with open(PROBE_SCRIPT, "rb") as handle:
                source = handle.read()
            where = f"{len(source)}-{int.from_bytes(source, 'little') % _MERSENNE_61:x}"
        except OSError:  # no probe on disk (a zip import): nothing can be probed, nor cached wrongly
            where = "missing"
        _fingerprint = f"{PROBE_VERSION}-{where}"
    return _fingerprint


def fnv1a_64(data: bytes) -> int:
    """The 64-bit FNV-1a hash of *data*: a stable checksum without importing zlib or hashlib.

    Measured (CPython 3.11): 8.5 us for an interpreter's path, once or twice a run, against
    0.3 us for binascii.crc32 plus 0.17-0.4 ms to import binascii: 0.15 ms or more saved.
    """
    value = 0xCBF29CE484222325
    for byte in data:
        value = ((value ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return value


def cache_file(folder: str, executable: str) -> str:
    """The cache file for *executable*: its name (readable) plus a 64-bit checksum of its path."""
    raw = executable.encode("utf-8", "surrogateescape")
    readable = "".join(char if char.isalnum() or char in "._-" else "_" for char in os.path.basename(executable))[:40]
    return os.path.join(folder, f"{readable}-{fnv1a_64(raw):016x}{SUFFIX}")


def file_key(executable: str) -> dict[str, Any] | None:
    """What must stay the same for a cached answer to hold; None when the file is gone."""
    real = os.path.realpath(executable)
    try:
        stat = os.stat(real)
    except OSError:
        return None
    return {
        "path": executable,
        "real_path": real,
        "size": stat.st_size,
        "mtime_ns": stat.st_mtime_ns,
        "inode": stat.st_ino,
        "probe": probe_fingerprint(),
    }


def iter_cached_facts(app_data: AppData) -> list[dict[str, Any]]:
    """The facts of every interpreter in the cache (for the seeder's look around the machine).

    Cold path: no key is checked, so an entry may describe an interpreter since changed or gone.
    """
    folder = app_data.interpreters
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return []
    found = []
    for name in names:
        if not name.endswith(SUFFIX) or name.startswith("."):
            continue
        record = read_store(os.path.join(folder, name))
        facts = record.get("facts") if isinstance(record, dict) else None
        if isinstance(facts, dict):
            found.append(facts)
    return found


def probe_timeout(env: Mapping[str, str]) -> float:
    """Seconds to wait for a probe: ``ROOST_PROBE_TIMEOUT`` or 15."""
    text = env.get(TIMEOUT_VARIABLE)
    if not text:
        return DEFAULT_TIMEOUT
    from ..cli import positive_seconds

    return positive_seconds(TIMEOUT_VARIABLE, text)


def run_probe(executable: str, env: Mapping[str, str], timeout: float) -> dict[str, Any]:
    """Run the probe inside *executable* and return its facts; :class:`ProbeError` on any failure."""
    import subprocess

    # The target must answer about itself, not about a PYTHONPATH/PYTHONHOME meant for another.
    clean = child_environment(env)
    command = [executable, "-E", "-s", "-c", _BOOTSTRAP, PROBE_SCRIPT]
    _log.debug(f"probing {executable}")
    try:
        done = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, env=clean, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise ProbeError(
            f"interpreter {executable} did not answer within {timeout:g}s (hung or broken)",
            f"fix or remove it, or raise {TIMEOUT_VARIABLE}",
        ) from None
    except OSError as exc:
        if os.path.isdir(executable):
            raise ProbeError(
                f"{executable} is a folder with no Python interpreter in it",
                "point -p at the interpreter itself (or an environment's folder), or name a version such as -p 3.12",
            ) from None
        raise ProbeError(f"cannot run interpreter {executable}: {exc.strerror or exc}") from None
    if done.returncode != 0:
        detail = last_line(done.stderr, default="no error output")
        raise ProbeError(f"interpreter {executable} failed to describe itself (exit code {done.returncode}): {detail}")
    facts = _parse_answer(done.stdout)
    if facts is None:
        raise ProbeError(f"interpreter {executable} gave an answer roost cannot read; is it a Python interpreter?")
    return facts


def _parse_answer(output: bytes) -> dict[str, Any] | None:
    """The probe's JSON object; a sitecustomize or .pth file may have printed lines before it."""
    import json  # a probe just ran: ~1 ms more is nothing beside it

    text = output.decode("utf-8", "replace").strip()
    for attempt in (text, text.rsplit("\n", 1)[-1]):
        try:
            facts = json.loads(attempt)
            if isinstance(facts, dict):
                Interpreter(facts)  # every field is there
                return facts
        except (ValueError, TypeError):
            continue
    return None


def _lock_for(executable: str) -> _thread.LockType:
    with _path_locks_guard:
        lock = _path_locks.get(executable)
        if lock is None:
            lock = _path_locks[executable] = _thread.allocate_lock()
        return lock


class FactsCache:
    """Facts for any interpreter path, from the app-data cache or a fresh probe."""

    __slots__ = ("app_data", "env", "_timeout", "_memory", "_ensured")

    def __init__(self, app_data: AppData, env: Mapping[str, str]) -> None:
        self.app_data = app_data
        self.env = env
        self._timeout: float | None = None
        self._memory: dict[str, dict[str, Any] | ProbeError] = {}
        self._ensured = False

    @property
    def timeout(self) -> float:
        """Seconds a probe may take."""
        if self._timeout is None:
            self._timeout = probe_timeout(self.env)
        return self._timeout

    def facts(self, executable: str, found_by: str, retry_failures: bool = False) -> Interpreter:
        """Facts about *executable* (an absolute path); raises :class:`ProbeError` naming it.

        *retry_failures* ignores a remembered failure: used when the user named this
        interpreter, so they always get a current answer.
        """
        known = self._memory.get(executable)
        if known is None or (retry_failures and isinstance(known, ProbeError)):
            known = self._memory[executable] = self._lookup(executable, retry_failures)
        if isinstance(known, ProbeError):
            raise known
        return Interpreter(known, found_by)

    def running(self) -> Interpreter:
        """Facts about the interpreter running roost: from the cache, else gathered in-process.

        Gathering them imports :mod:`sysconfig` and reads ensurepip's source (~10 ms), which a
        warm run should not pay each time; the cache file is the one a probe of
        ``sys.executable`` would use, under the same key, so it is invalidated the same way.
        """
        executable = sys.executable
        key = file_key(executable) if executable and os.path.isabs(executable) else None
        path = cache_file(self.app_data.interpreters, executable) if key is not None else None
        if path is not None and key is not None:
            cached = self._read(path, key, retry_failures=True)
            if isinstance(cached, dict):
                return Interpreter(cached, "running roost")
        from . import _probe

        facts = _probe.collect()
        if path is not None:
            self._write(path, {"key": key, "facts": facts})
        return Interpreter(facts, "running roost")

    def _lookup(self, executable: str, retry_failures: bool) -> dict[str, Any] | ProbeError:
        key = file_key(executable)
        if key is None:
            return ProbeError(f"no interpreter at {executable}")
        path = cache_file(self.app_data.interpreters, executable)
        cached = self._read(path, key, retry_failures)
        if cached is not None:
            return cached
        with _lock_for(executable):  # threads of one process probe each interpreter once
            cached = self._read(path, key, retry_failures)
            if cached is not None:
                return cached
            try:
                facts = run_probe(executable, self.env, self.timeout)
            except ProbeError as error:
                self._write(path, {"key": key, "error": error.message, "hint": error.hint, "at": time.time()})
                return error
            self._write(path, {"key": key, "facts": facts})
            return facts

    @staticmethod
    def _read(path: str, key: dict[str, Any], retry_failures: bool) -> dict[str, Any] | ProbeError | None:
        record = read_store(path)  # None when missing or not a store file: a miss either way
        if not isinstance(record, dict) or record.get("key") != key:
            return None
        try:
            if "facts" in record:
                facts = record["facts"]
                Interpreter(facts)  # every field present, or the file is as good as corrupt
                return facts  # type: ignore[no-any-return]
            if retry_failures or time.time() - float(record["at"]) > _FAILURE_LIFETIME:
                return None
            return ProbeError(str(record["error"]), record.get("hint"))
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            _log.debug(f"discarding unreadable interpreter cache {path}: {exc}")
            return None

    def _write(self, path: str, record: dict[str, Any]) -> None:
        if self.app_data.read_only:
            return
        try:
            if not self._ensured:
                self.app_data.ensure()
                self._ensured = True
            write_store(path, record)
        except (OSError, ValueError, RuntimeError) as exc:  # RoostError too: a cache we cannot write only costs speed
            _log.debug(f"cannot write interpreter cache {path}: {exc}")
