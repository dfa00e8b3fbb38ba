"""Measuring one command: wall time, peak memory, disk use; and the statistics over runs.

Wall time is ``time.perf_counter`` around the child's whole life (spawn to reaped).  Peak
memory comes from ``os.wait4``: on Linux its ``ru_maxrss`` (KiB) is the largest resident set
of the child *or any descendant it waited for*, so a tool that spawns helpers is charged for
its biggest process, not the sum.
"""

from __future__ import annotations

import os
import stat
import statistics
import subprocess
import time
from collections.abc import Mapping, Sequence
from pathlib import Path


class Sample:
    """One timed run: seconds of wall time, peak RSS in KiB, and whether it succeeded."""

    __slots__ = ("seconds", "peak_kib", "ok", "error")

    def __init__(self, seconds: float, peak_kib: int, ok: bool, error: str = "") -> None:
        self.seconds = seconds
        self.peak_kib = peak_kib
        self.ok = ok
        self.error = error


def _last_lines(path: Path, count: int = 3) -> str:
    try:
        text = path.read_text(errors="replace").strip()
    except OSError:
        return ""
    return " | ".join(text.splitlines()[-count:])


def _spawn(command: Sequence[str], env: Mapping[str, str], cwd: Path, log: Path) -> subprocess.Popen[bytes]:
    with open(log, "wb") as handle:
        return subprocess.Popen(
            list(command), env=dict(env), cwd=cwd, stdin=subprocess.DEVNULL, stdout=handle, stderr=subprocess.STDOUT
        )


def _reap(process: subprocess.Popen[bytes]) -> tuple[int, int]:
    """Wait for *process* with wait4 (Popen.wait drops the rusage); return (exit code, KiB)."""
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return process.returncode, usage.ru_maxrss


def run_sequence(commands: Sequence[Sequence[str]], env: Mapping[str, str], cwd: Path, log: Path) -> Sample:
    """Run *commands* one after another; time all of them together, stop at the first failure."""
    peak = 0
    start = time.perf_counter()
    for command in commands:
        code, kib = _reap(_spawn(command, env, cwd, log))
        peak = max(peak, kib)
        if code != 0:
            elapsed = time.perf_counter() - start
            return Sample(elapsed, peak, False, f"exit {code} from {' '.join(command[:3])}...: {_last_lines(log)}")
    return Sample(time.perf_counter() - start, peak, True)


def run_parallel(commands: Sequence[Sequence[str]], env: Mapping[str, str], cwd: Path, log_dir: Path) -> Sample:
    """Start every command at once; time until the last one is done; peak = the largest child."""
    logs = [log_dir / f"parallel-{index}.log" for index in range(len(commands))]
    start = time.perf_counter()
    processes = [_spawn(command, env, cwd, log) for command, log in zip(commands, logs)]
    results = [_reap(process) for process in processes]
    elapsed = time.perf_counter() - start
    peak = max(kib for _, kib in results)
    failed = [(index, code) for index, (code, _) in enumerate(results) if code != 0]
    if failed:
        index, code = failed[0]
        return Sample(
            elapsed, peak, False, f"{len(failed)} of {len(commands)} failed; first: exit {code}: {_last_lines(logs[index])}"
        )
    return Sample(elapsed, peak, True)


class Summary:
    """Statistics over the successful samples of one tool in one scenario."""

    __slots__ = ("median", "low", "high", "peak_kib", "runs", "failures", "error")

    def __init__(self, samples: Sequence[Sample]) -> None:
        good = [sample for sample in samples if sample.ok]
        times = [sample.seconds for sample in good]
        self.runs = len(good)
        self.failures = len(samples) - len(good)
        self.error = next((sample.error for sample in samples if not sample.ok), "")
        self.median = statistics.median(times) if times else None
        self.low = min(times) if times else None
        self.high = max(times) if times else None
        self.peak_kib = max((sample.peak_kib for sample in good), default=None)


class DiskUse:
    """Space one environment takes (see the report's footnote for the two measures)."""

    __slots__ = ("files", "apparent", "unique", "pyc_files", "packages")

    def __init__(self, files: int, apparent: int, unique: int, pyc_files: int, packages: list[str]) -> None:
        self.files = files
        self.apparent = apparent
        self.unique = unique
        self.pyc_files = pyc_files
        self.packages = packages  # "pip 24.2", from the .dist-info folder names


def disk_use(root: Path) -> DiskUse:
    """Allocated bytes under *root*: every inode once (apparent), and those with no link outside (unique)."""
    blocks: dict[tuple[int, int], int] = {}
    links_total: dict[tuple[int, int], int] = {}
    links_seen: dict[tuple[int, int], int] = {}
    files = pyc_files = 0
    packages = []
    for directory, dirnames, filenames in os.walk(root):
        if os.path.basename(directory) == "site-packages":  # not the copies vendored inside packages
            packages += [" ".join(name[: -len(".dist-info")].split("-", 1)) for name in dirnames if name.endswith(".dist-info")]
        for name in dirnames + filenames:
            info = os.lstat(os.path.join(directory, name))
            key = (info.st_dev, info.st_ino)
            blocks[key] = info.st_blocks * 512
            links_total[key] = info.st_nlink
            if not stat.S_ISDIR(info.st_mode):
                links_seen[key] = links_seen.get(key, 0) + 1
                files += 1
                pyc_files += name.endswith(".pyc")
    root_info = os.lstat(root)
    blocks[(root_info.st_dev, root_info.st_ino)] = root_info.st_blocks * 512
    apparent = sum(blocks.values())
    # A directory's link count counts its subdirectories, never links from elsewhere: always unique.
    unique = sum(size for key, size in blocks.items() if key not in links_seen or links_seen[key] >= links_total[key])
    return DiskUse(files, apparent, unique, pyc_files, sorted(packages, key=str.lower))


def filesystem_costs(workdir: Path, count: int = 300) -> dict[str, float]:
    """Microseconds per mkdir, per new empty file and per hard link in *workdir*, after a sync.

    Every tool's env is mostly these three operations, and what they cost depends on the
    disk and on how crowded its region is: on one ext4 disk we saw a mkdir take 35 µs in one
    folder and 350 µs in another.  The report prints them so that a table can be read
    against the disk it was measured on (a tool that makes more folders, as roost's
    ``__pycache__`` folders are, pays more where folders are dear).
    """
    root = workdir / "fs-costs"
    root.mkdir(parents=True, exist_ok=True)
    source = root / "source"
    source.write_bytes(b"")
    os.sync()
    costs: dict[str, float] = {}
    started = time.perf_counter()
    for index in range(count):
        os.mkdir(root / f"d{index}")
    costs["mkdir"] = (time.perf_counter() - started) / count * 1e6
    started = time.perf_counter()
    for index in range(count):
        os.close(os.open(root / f"d{index}" / "new", os.O_CREAT | os.O_WRONLY | os.O_EXCL))
    costs["new file"] = (time.perf_counter() - started) / count * 1e6
    started = time.perf_counter()
    for index in range(count):
        os.link(source, root / f"d{index}" / "link")
    costs["hard link"] = (time.perf_counter() - started) / count * 1e6
    for index in range(count):
        folder = root / f"d{index}"
        os.unlink(folder / "new")
        os.unlink(folder / "link")
        os.rmdir(folder)
    source.unlink()
    root.rmdir()
    os.sync()
    return costs
