"""Side-by-side benchmark of environment creation: roost, virtualenv, uv and stdlib venv.

    python bench/run.py [--runs N] [--out bench/results.md] [--python /path/to/python]

Installs its tools under bench/.tools (latest virtualenv and uv from PyPI, roost from this
checkout), runs every scenario with the tools alternating run by run, prints a markdown
report and writes it to --out.  Standard library only; see bench/README.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _measure import DiskUse, Sample, Summary, disk_use, filesystem_costs, run_parallel, run_sequence  # noqa: E402
from _report import filesystem_line, machine_line, render, replace_block  # noqa: E402
from _tools import (  # noqa: E402
    BENCH_DIR,
    LAUNCHER_SCENARIOS,
    TOOL_NAMES,
    TOOLS_DIR,
    SetupError,
    Tool,
    install_tools,
    make_tools,
    target_version,
    tool_env,
)

SCENARIOS = {
    "bare": "bare env",
    "seeded": "seeded env",
    "pip": "create + first `pip --version`",
    "parallel": "parallel seeded",
    "cold-bare": "cold cache, bare",
    "cold-seeded": "cold cache, seeded",
    "disk": "disk used",
}
SLOW_SECONDS = 3.0
README_START, README_END = "<!-- bench:start -->", "<!-- bench:end -->"


def _list(text: str, allowed: Sequence[str], what: str) -> list[str]:
    items = [item.strip() for item in text.split(",") if item.strip()]
    unknown = [item for item in items if item not in allowed]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown {what} {', '.join(unknown)}; choose from {', '.join(allowed)}")
    return items


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    # 20: one run of a warm env varies by a third on a busy VM disk; the median of 20 moves
    # a few percent between runs of the benchmark, the median of 10 twice that.  The slow
    # scenarios keep their own small counts.
    parser.add_argument("--runs", type=int, default=20, help="timed runs per tool in the fast scenarios (default 20)")
    parser.add_argument("--cold-runs", type=int, default=3, help="runs in the cold-cache scenarios (default 3)")
    parser.add_argument("--parallel-runs", type=int, default=2, help="runs of the parallel scenario (default 2)")
    parser.add_argument(
        "--slow-runs", type=int, default=3, help=f"runs of a tool whose warm-up took over {SLOW_SECONDS:.0f} s (default 3)"
    )
    parser.add_argument("--parallel", type=int, default=16, help="creations started at once in the parallel scenario")
    parser.add_argument("--python", help="target interpreter for every tool (default: the one running this script)")
    parser.add_argument("--out", type=Path, default=BENCH_DIR / "results.md", help="where to write the markdown report")
    parser.add_argument(
        "--readme", type=Path, help=f"also replace the block between {README_START} and {README_END} in this file"
    )
    parser.add_argument(
        "--scenarios",
        type=lambda text: _list(text, list(SCENARIOS), "scenario"),
        default=list(SCENARIOS),
        help="comma separated subset",
    )
    parser.add_argument(
        "--tools", type=lambda text: _list(text, TOOL_NAMES, "tool"), default=list(TOOL_NAMES), help="comma separated subset"
    )
    parser.add_argument("--tools-dir", type=Path, default=TOOLS_DIR, help="where the tools are installed (default bench/.tools)")
    parser.add_argument("--no-install", action="store_true", help="reuse the installed tools as they are (no network)")
    parser.add_argument(
        "--workdir",
        type=Path,
        help="where envs and caches go (default: a new folder under bench/.work, removed after)",
    )
    args = parser.parse_args(argv)
    for name in ("runs", "cold_runs", "parallel_runs", "slow_runs", "parallel"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")
    if "roost" not in args.tools:
        args.tools.insert(0, "roost")
    args.tools.sort(key=TOOL_NAMES.index)
    return args


def default_target() -> str:
    """The interpreter running this script, or its base interpreter when that is a venv."""
    if sys.prefix != sys.base_prefix:
        version = f"{sys.version_info[0]}.{sys.version_info[1]}"
        for name in (f"python{version}", "python3"):
            candidate = Path(sys.base_prefix) / "bin" / name
            if candidate.exists():
                return str(candidate.resolve())
    return os.path.realpath(sys.executable)


Build = Callable[[Tool, Path], "list[list[str]]"]


def create_bare(tool: Tool, dest: Path) -> list[list[str]]:
    return [tool.create(dest, seeded=False)]


def create_seeded(tool: Tool, dest: Path) -> list[list[str]]:
    return [tool.create(dest, seeded=True)]


def create_seeded_online(tool: Tool, dest: Path) -> list[list[str]]:
    """Seeded, and uv may download (it cannot seed from an empty cache offline)."""
    return [tool.create(dest, seeded=True, offline=False)]


def create_then_pip(tool: Tool, dest: Path) -> list[list[str]]:
    return [tool.create(dest, seeded=True), [str(dest / "bin" / "python"), "-m", "pip", "--version"]]


def balanced_orders(count: int) -> list[list[int]]:
    """Orders of ``range(count)`` in which each index runs right after each other one equally often.

    A Williams design: the first row goes 0, 1, n-1, 2, n-2, ...; row i adds i to it (mod n).
    Over the n rows every ordered pair of neighbours occurs once; for an odd n the mirrored
    rows are needed as well, and then every pair occurs twice.
    """
    first, low, high = [0], 1, count - 1
    while len(first) < count:
        if len(first) % 2:
            first.append(low)
            low += 1
        else:
            first.append(high)
            high -= 1
    rows = [[(index + shift) % count for index in first] for shift in range(count)]
    if count % 2:
        rows += [row[::-1] for row in rows]
    return rows


class Bench:
    """Runs scenarios in one work folder and collects their summaries."""

    def __init__(self, tools: Sequence[Tool], workdir: Path, slow_runs: int) -> None:
        self.tools = list(tools)
        self.slow_runs = slow_runs
        self.workdir = workdir
        self.config_home = workdir / "config"  # empty: no user config file reaches a tool
        self.config_home.mkdir(parents=True, exist_ok=True)
        self.counter = 0
        self.primed: set[str] = set()

    def prime(self, tool: Tool) -> None:
        """Fill *tool*'s warm cache once, online (uv's offline seeding needs pip in its cache)."""
        if tool.name in self.primed:
            return
        self.primed.add(tool.name)
        for build in (create_bare, create_seeded_online):
            sample = self._once(tool, self.warm_cache(tool), build)
            if not sample.ok:
                print(f"bench: warming {tool.name}'s cache failed: {sample.error}", file=sys.stderr)

    def env_for(self, tool: Tool, cache: Path) -> dict[str, str]:
        return tool_env({**tool.cache_env(cache), "XDG_CONFIG_HOME": str(self.config_home)})

    def warm_cache(self, tool: Tool) -> Path:
        return self.workdir / "cache" / tool.name

    def new_dest(self, tool: Tool) -> Path:
        self.counter += 1
        return self.workdir / "envs" / f"{tool.name}-{self.counter}"

    def _once(self, tool: Tool, cache: Path, build: Build) -> Sample:
        dest = self.new_dest(tool)
        dest.parent.mkdir(parents=True, exist_ok=True)
        sample = run_sequence(build(tool, dest), self.env_for(tool, cache), self.workdir, self.workdir / f"{tool.name}.log")
        self.clean([dest])
        return sample

    def rotation(self, round_index: int) -> list[Tool]:
        """The tools in this round's order: the rows of a balanced Latin square, in turn.

        Deleting a big env leaves the disk slower for whoever runs next, so every tool must
        follow every other equally often.  Rotating one order (A B C D, then B C D A, ...)
        does not do that: A would nearly always run right after D.
        """
        rows = balanced_orders(len(self.tools))
        return [self.tools[index] for index in rows[round_index % len(rows)]]

    def clean(self, dests: Sequence[Path]) -> None:
        """Remove *dests*, then flush the disk so this run's writes don't slow the next tool's."""
        for dest in dests:
            shutil.rmtree(dest, ignore_errors=True)
        os.sync()

    def sequential(self, runs: int, cold: bool, build: Build) -> dict[str, Summary]:
        """*runs* rounds of one run per tool, tools alternating; warm-up first unless *cold*."""
        samples: dict[str, list[Sample]] = {tool.name: [] for tool in self.tools}
        limit = {tool.name: runs for tool in self.tools}
        if not cold:
            for tool in self.tools:
                self.prime(tool)
                warm_up = self._once(tool, self.warm_cache(tool), build)
                if warm_up.seconds > SLOW_SECONDS:  # e.g. venv's ensurepip: a few runs tell enough
                    limit[tool.name] = min(runs, self.slow_runs)
        for round_index in range(runs):
            for tool in self.rotation(round_index):
                if round_index >= limit[tool.name]:
                    continue
                cache = self.workdir / "cold" / f"{tool.name}-{round_index}" if cold else self.warm_cache(tool)
                samples[tool.name].append(self._once(tool, cache, build))
                if cold:
                    self.clean([cache])
        return {name: Summary(values) for name, values in samples.items()}

    def parallel(self, runs: int, width: int) -> dict[str, Summary]:
        """*width* seeded creations at once per run, tools alternating run by run."""
        samples: dict[str, list[Sample]] = {tool.name: [] for tool in self.tools}
        limit = {tool.name: runs for tool in self.tools}
        for tool in self.tools:
            self.prime(tool)
            if self._once(tool, self.warm_cache(tool), create_seeded).seconds > SLOW_SECONDS:
                limit[tool.name] = 1  # 16 ensurepips at once take a minute: once tells enough
        for run_index in range(runs):
            for tool in self.rotation(run_index):
                if run_index >= limit[tool.name]:
                    continue
                dests = [self.new_dest(tool) for _ in range(width)]
                dests[0].parent.mkdir(parents=True, exist_ok=True)
                log_dir = self.workdir / "logs" / tool.name
                log_dir.mkdir(parents=True, exist_ok=True)
                commands = [tool.create(dest, seeded=True) for dest in dests]
                samples[tool.name].append(
                    run_parallel(commands, self.env_for(tool, self.warm_cache(tool)), self.workdir, log_dir)
                )
                self.clean(dests)
        return {name: Summary(values) for name, values in samples.items()}

    def disk(self) -> dict[str, dict[str, DiskUse]]:
        """Disk use of one warm bare and one warm seeded env per tool."""
        found: dict[str, dict[str, DiskUse]] = {"bare": {}, "seeded": {}}
        for kind, seeded in (("bare", False), ("seeded", True)):
            for tool in self.tools:
                self.prime(tool)
                dest = self.new_dest(tool)
                dest.parent.mkdir(parents=True, exist_ok=True)
                sample = run_sequence(
                    [tool.create(dest, seeded)],
                    self.env_for(tool, self.warm_cache(tool)),
                    self.workdir,
                    self.workdir / "disk.log",
                )
                if sample.ok:
                    found[kind][tool.name] = disk_use(dest)
                else:
                    print(f"bench: {kind} env of {tool.name} for the disk scan failed: {sample.error}", file=sys.stderr)
                shutil.rmtree(dest, ignore_errors=True)
        return found


def run_scenarios(args: argparse.Namespace, bench: Bench) -> tuple[dict[str, dict[str, Summary]], dict[str, dict[str, DiskUse]]]:
    results: dict[str, dict[str, Summary]] = {}
    disk: dict[str, dict[str, DiskUse]] = {}
    plans: dict[str, Callable[[], dict[str, Summary]]] = {
        "bare": lambda: bench.sequential(args.runs, False, create_bare),
        "seeded": lambda: bench.sequential(args.runs, False, create_seeded),
        "pip": lambda: bench.sequential(args.runs, False, create_then_pip),
        "parallel": lambda: bench.parallel(args.parallel_runs, args.parallel),
        "cold-bare": lambda: bench.sequential(args.cold_runs, True, create_bare),
        "cold-seeded": lambda: bench.sequential(args.cold_runs, True, create_seeded_online),
    }
    every_tool = list(bench.tools)
    for key in args.scenarios:
        print(f"bench: {SCENARIOS[key]} ...", file=sys.stderr, flush=True)
        bench.tools = [tool for tool in every_tool if tool.name != "roost-pip" or key in LAUNCHER_SCENARIOS]
        if key == "disk":
            disk = bench.disk()
            continue
        results[key] = plans[key]()
        summary = ", ".join(
            f"{name} {'failed' if s.median is None else f'{s.median * 1000:.1f} ms'}" for name, s in results[key].items()
        )
        print(f"bench:   {summary}", file=sys.stderr, flush=True)
    return results, disk


def update_readme(readme: Path, report: str) -> None:
    replace_block(readme, report, README_START, README_END, "bench")


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    target = default_target()
    if args.python:
        found = args.python if os.sep in args.python else shutil.which(args.python)
        if not found or not (os.path.isfile(found) and os.access(found, os.X_OK)):
            print(f"bench: --python {args.python} is not an interpreter; give its path or a name on PATH", file=sys.stderr)
            return 2
        target = os.path.abspath(found)
    try:
        install_tools(args.tools_dir, install=not args.no_install)
        tools = make_tools(args.tools, target, args.tools_dir)
        version = target_version(target)
    except SetupError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 1
    load_at_start = os.getloadavg()[0]
    # Envs go where a project's .venv would: beside the checkout, not in /tmp, which on some
    # machines (this one) is a much slower place to create folders and skews every tool.
    default_root = Path(__file__).resolve().parent / ".work"
    default_root.mkdir(parents=True, exist_ok=True)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="run-", dir=default_root))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        costs_before = filesystem_costs(workdir)
        results, disk = run_scenarios(args, Bench(tools, workdir, args.slow_runs))
        costs_after = filesystem_costs(workdir)
        header = machine_line(
            target, version, default_target(), {tool.name: tool.version for tool in tools}, workdir, load_at_start
        )
        header += "\n\n" + filesystem_line(workdir, costs_before, costs_after)
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    command = [sys.executable, "bench/run.py"] + list(sys.argv[1:] if argv is None else argv)
    report = render(header, SCENARIOS, results, disk, command)
    print(report)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report)
    if args.readme:
        update_readme(args.readme, report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
