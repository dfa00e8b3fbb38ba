"""The markdown report: the machine line, the timing table, disk use, and the targets."""

from __future__ import annotations

import datetime
import os
import platform
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from _measure import DiskUse, Summary

# (scenario key, peer, highest allowed roost time / peer time): the project's speed targets.
RATIO_TARGETS = (
    ("bare", "uv", 1.5),
    ("bare", "virtualenv", 0.2),
    ("seeded", "uv", 1.0),
    ("seeded", "virtualenv", 0.2),
    ("pip", "uv", 0.6),
)
MEMORY_TARGET_MIB = 20.0
# Scenarios whose peak memory is roost's own (the pip scenario's peak is pip's).
MEMORY_SCENARIOS = ("bare", "seeded", "parallel")


def cpu_model() -> str:
    """The CPU's model name from /proc/cpuinfo, or the platform's best guess."""
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def filesystem_of(path: Path) -> str:
    """The type of the filesystem holding *path* (longest matching mount point in /proc/mounts)."""
    best, kind = "", "unknown"
    try:
        with open("/proc/mounts") as handle:
            for line in handle:
                fields = line.split()
                if len(fields) > 2 and str(path).startswith(fields[1].rstrip("/") + "/") and len(fields[1]) >= len(best):
                    best, kind = fields[1], fields[2]
    except OSError:
        pass
    return kind


def machine_line(
    target: str, target_version: str, host: str, versions: Mapping[str, str], workdir: Path, load_at_start: float
) -> str:
    """One line naming the machine, target, the Python running roost and virtualenv, tool versions, date and load."""
    tools = ", ".join(f"{name} {version}" for name, version in versions.items() if name != "venv")
    when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return (
        f"**Machine:** {cpu_model()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
        f"envs on {filesystem_of(workdir)}. **Target:** {target_version} (`{target}`). "
        f"**Tools:** {tools}; roost and virtualenv run by Python {platform.python_version()} (`{host}`). "
        f"**Date:** {when}. "
        f"**Load average** (1 min) at start {load_at_start:.2f}, at end {os.getloadavg()[0]:.2f}."
    )


def filesystem_line(workdir: Path, before: Mapping[str, float], after: Mapping[str, float]) -> str:
    """What one mkdir, new file and hard link cost in the work folder, before and after the run."""
    parts = ", ".join(f"{name} {before[name]:.0f} → {after[name]:.0f} µs" for name in before)
    return (
        f"**Filesystem** at `{workdir}` (one operation, after a sync; at the start → at the end): {parts}. "
        "Every env is mostly these operations, and their cost depends on the disk and on how crowded its region is."
    )


def _ms(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    return f"{seconds * 1000:.0f}" if seconds >= 0.1 else f"{seconds * 1000:.1f}"


def _mib(kib: int | None) -> str:
    return "–" if kib is None else f"{kib / 1024:.1f} MiB"


def _ratio(roost: Summary | None, other: Summary) -> float | None:
    if roost is None or roost.median is None or other.median is None or other.median == 0:
        return None
    return roost.median / other.median


def timing_table(titles: Mapping[str, str], results: Mapping[str, Mapping[str, Summary]]) -> list[str]:
    """Rows: one per scenario and tool; times in milliseconds."""
    lines = [
        "| scenario | tool | median ms | min ms | max ms | roost ÷ tool | peak RSS | runs |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for key, per_tool in results.items():
        roost = per_tool.get("roost")
        for index, (name, summary) in enumerate(per_tool.items()):
            ratio = _ratio(roost, summary)
            ratio_text = "–" if ratio is None else ("1" if name == "roost" else f"{ratio:.2f}")
            runs = f"{summary.runs}" + (f" ({summary.failures} failed)" if summary.failures else "")
            scenario = titles[key] if index == 0 else ""
            lines.append(
                f"| {scenario} | {name} | {_ms(summary.median)} | {_ms(summary.low)} | {_ms(summary.high)} "
                f"| {ratio_text} | {_mib(summary.peak_kib)} | {runs} |"
            )
    return lines


def disk_table(disk: Mapping[str, Mapping[str, DiskUse]]) -> list[str]:
    """Rows: one per env kind and tool."""
    lines = ["| env | tool | files | .pyc files | apparent | unique to env | packages |", "|---|---|---:|---:|---:|---:|---|"]
    for kind, per_tool in disk.items():
        for index, (name, use) in enumerate(per_tool.items()):
            lines.append(
                f"| {kind if index == 0 else ''} | {name} | {use.files} | {use.pyc_files} "
                f"| {use.apparent / 1048576:.2f} MiB | {use.unique / 1048576:.2f} MiB | {', '.join(use.packages) or '–'} |"
            )
    return lines


def target_lines(results: Mapping[str, Mapping[str, Summary]], disk: Mapping[str, Mapping[str, DiskUse]]) -> list[str]:
    """The project's targets, each with the measured value and PASS/FAIL (or n/a when not measured)."""
    lines = ["| target | measured | limit | result |", "|---|---:|---:|---|"]
    seeded_pyc = disk.get("seeded", {}).get("roost")
    for key, peer, limit in RATIO_TARGETS:
        per_tool = results.get(key, {})
        ratio = _ratio(per_tool.get("roost"), per_tool[peer]) if peer in per_tool else None
        label = f"{key}: roost ÷ {peer}"
        if ratio is None:
            lines.append(f"| {label} | – | ≤ {limit} | n/a |")
            continue
        verdict = "PASS" if ratio <= limit else "FAIL"
        if key == "seeded" and seeded_pyc is not None and seeded_pyc.pyc_files == 0:
            verdict = "FAIL (roost's env has no compiled bytecode)"
        lines.append(f"| {label} | {ratio:.3f} | ≤ {limit} | {verdict} |")
    for key in ("bare", "seeded"):
        per_tool = results.get(key, {})
        if "roost-pip" in per_tool and "uv" in per_tool:
            ratio = _ratio(per_tool["roost-pip"], per_tool["uv"])
            if ratio is not None:
                lines.append(f"| {key}: roost-pip ÷ uv (pip's launcher; for information) | {ratio:.3f} | – | – |")
    measured = [results[key]["roost"].peak_kib for key in MEMORY_SCENARIOS if key in results and "roost" in results[key]]
    peaks = [peak for peak in measured if peak is not None]
    if peaks:
        peak = max(peaks) / 1024
        verdict = "PASS" if peak <= MEMORY_TARGET_MIB else "FAIL"
        lines.append(
            f"| peak memory of roost (warm bare/seeded/parallel) | {peak:.1f} MiB | ≤ {MEMORY_TARGET_MIB:.0f} MiB | {verdict} |"
        )
    else:
        lines.append(f"| peak memory of roost | – | ≤ {MEMORY_TARGET_MIB:.0f} MiB | n/a |")
    lines.append("| warm path imports only allowed modules | see `tests/test_imports.py` | – | – |")
    return lines


FOOTNOTES = """\
Notes:
- Each run is one fresh destination; tools alternate within a round, and the rounds' orders
  form a balanced Latin square, so each tool runs right after each other one equally often
  (whoever follows a big env's clean-up finds the disk slower). Warm scenarios
  start with one untimed run per tool; every tool has its own private cache (roost
  `ROOST_OVERRIDE_APP_DATA`, virtualenv `VIRTUALENV_OVERRIDE_APP_DATA`, uv `UV_CACHE_DIR`).
  After each run the env is deleted and the disk flushed (`sync`), untimed, so one tool's
  writes are not paid for by the next.
- **bare**: no seed packages (`--no-seed`, plain `uv venv`, `venv --without-pip`).
  **seeded**: default seed packages with a warm cache (`uv venv --seed --offline`; `venv` runs ensurepip).
  **pip**: seeded creation plus the first `python -m pip --version` in the new env, timed together.
  **parallel**: N seeded creations started at once; time until the last finishes (a tool
  whose single creation takes over 3 s runs this once).
  **cold**: a new, empty cache per run (uv cold seeded is not offline: it downloads pip from PyPI).
- **roost** is installed by uv (`uv pip install`, as `uv tool install` would); **roost-pip** is
  the same roost installed by pip. They differ only in the console-script launcher: pip's imports
  `re` (several ms on Python 3.11) before roost starts, uv's only `sys`. The targets use roost;
  roost-pip is timed in the bare, seeded and pip scenarios so that the difference is on record.
- "roost ÷ tool" is roost's median over the tool's median: below 1 means roost is faster.
- Peak RSS is `ru_maxrss` from `wait4`: the largest single process of the run's process tree
  (in the parallel scenario, the largest of the N creations).
- Disk: "apparent" counts every inode in the env once (what `du` on that env alone says);
  "unique to env" leaves out files hard-linked from a cache (links outside the env), i.e. the
  space that deleting the env frees. Reflinked (cloned) files share blocks invisibly and count as unique.
  "packages" are the seeded distributions: each tool picks its own versions, which also
  changes how long the first `pip --version` takes.
"""


def render(
    header: str,
    titles: Mapping[str, str],
    results: Mapping[str, Mapping[str, Summary]],
    disk: Mapping[str, Mapping[str, DiskUse]],
    command: Sequence[str],
) -> str:
    """The whole report as markdown."""
    parts = ["## Benchmark: roost vs virtualenv, uv and venv", "", header, "", f"Command: `{' '.join(command)}`", ""]
    if results:
        parts += ["### Time and memory", ""] + timing_table(titles, results) + [""]
    if disk:
        parts += ["### Disk used per env", ""] + disk_table(disk) + [""]
    parts += ["### Targets", ""] + target_lines(results, disk) + ["", FOOTNOTES]
    errors = [
        f"- {titles[key]}, {name}: {summary.error}"
        for key, per_tool in results.items()
        for name, summary in per_tool.items()
        if summary.error
    ]
    if errors:
        parts += ["Failures:", ""] + errors + [""]
    return "\n".join(parts)


def replace_block(readme: Path, text: str, start_marker: str, end_marker: str, prog: str) -> None:
    """Put *text* between *start_marker* and *end_marker* in *readme* (a note on stderr when absent)."""
    content = readme.read_text()
    start, end = content.find(start_marker), content.find(end_marker)
    if start < 0 or end < start:
        print(f"{prog}: {readme} has no {start_marker} ... {end_marker} block; left unchanged", file=sys.stderr)
        return
    readme.write_text(content[: start + len(start_marker)] + "\n" + text.strip() + "\n" + content[end:])
