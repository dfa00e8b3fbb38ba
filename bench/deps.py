"""Installing a pinned set: ``roost DEST -r reqs`` against ``uv venv && uv pip install -r reqs``.

    python bench/deps.py [--runs N] [--python /path/to/python] [--readme README.md]

Warm caches, offline: a first, online round fills each tool's own cache (roost's app data
and wheel house, uv's cache), then every measured run is offline (``PIP_NO_INDEX=1`` for
roost, ``--offline`` for uv).  The tools alternate run by run; each run makes a new
environment.  Reports medians, minimums and ratios, and how many ``.pyc`` files each env
holds: roost's images are byte-compiled, uv compiles only with ``--compile-bytecode``, so
that variant is measured too.  Standard library only; uv from PATH (or bench/.tools).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _measure import Sample, Summary, run_sequence  # noqa: E402
from _report import machine_line  # noqa: E402
from _tools import target_version  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "bench" / ".work"
# pytest with its dependencies, plus requests with its own and two binary wheels.
DEFAULT_SET = (
    "pytest==8.3.3",
    "iniconfig==2.0.0",
    "packaging==24.1",
    "pluggy==1.5.0",
    "requests==2.32.3",
    "urllib3==2.2.3",
    "idna==3.10",
    "certifi==2024.8.30",
    "charset-normalizer==3.4.0",
    "markupsafe==3.0.2",
    "attrs==24.2.0",
)
README_START, README_END = "<!-- deps-bench:start -->", "<!-- deps-bench:end -->"


def _uv() -> str:
    for candidate in (ROOT / "bench" / ".tools" / "peers" / "bin" / "uv", shutil.which("uv")):
        if candidate and os.access(str(candidate), os.X_OK):
            return str(candidate)
    raise SystemExit("uv not found: pip install uv (or run bench/run.py once)")


def runner_python(work: Path) -> str:
    """A venv's python that sees roost's source and its three dependencies, and nothing else.

    The interpreter running the benchmark may import a lot at start-up (``.pth`` files of
    everything installed beside it: ~90 ms here); an installed roost would not pay that.
    """
    import subprocess

    venv = work / "runner"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    code = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    purelib = subprocess.run([str(python), "-c", code], check=True, capture_output=True, text=True).stdout.strip()
    import filelock
    import packaging
    import platformdirs

    folders = {str(Path(module.__file__ or "").resolve().parents[1]) for module in (filelock, packaging, platformdirs)}
    Path(purelib, "_roost_bench.pth").write_text("\n".join([str(ROOT / "src"), *sorted(folders)]) + "\n")
    return str(python)


def _env(work: Path, offline: bool) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("ROOST_", "VIRTUALENV_", "UV_"))}
    env.pop("VIRTUAL_ENV", None)
    env.update(
        ROOST_OVERRIDE_APP_DATA=str(work / "roost-app-data"),
        ROOST_NO_PERIODIC_UPDATE="1",
        ROOST_CONFIG_FILE=os.devnull,
        UV_CACHE_DIR=str(work / "uv-cache"),
        UV_NO_PROGRESS="1",
        PIP_DISABLE_PIP_VERSION_CHECK="1",
    )
    if offline:
        env["PIP_NO_INDEX"] = "1"
    return env


RUNNER: list[str] = [sys.executable]  # replaced by runner_python() in main()


def commands(tool: str, target: str, reqs: Path, dest: Path, offline: bool) -> list[list[str]]:
    """The commands one run of *tool* takes to make *dest* with the set installed."""
    if tool.startswith("roost"):
        extra = ["--without-pip"] if tool.endswith("without pip") else []
        return [[RUNNER[0], "-m", "roost", "-p", target, str(dest), "-r", str(reqs), *extra]]
    uv = _uv()
    install = [uv, "pip", "install", "-q", "-r", str(reqs), "--python", str(dest / "bin" / "python")]
    if offline:
        install.append("--offline")
    if tool.endswith("--compile-bytecode"):
        install.append("--compile-bytecode")
    return [[uv, "venv", "-q", "--python", target, str(dest)], install]


TOOLS = ("roost -r", "roost -r without pip", "uv venv + uv pip install", "uv venv + uv pip install --compile-bytecode")


def _pyc_count(dest: Path) -> int:
    return sum(1 for _ in dest.glob("lib/python*/site-packages/**/*.pyc"))


def measure(target: str, reqs: Path, runs: int, work: Path) -> tuple[dict[str, Summary], dict[str, int]]:
    """Warm every cache online once, then *runs* offline rounds in rotating order."""
    warm_env = _env(work, offline=False)
    for tool in TOOLS:
        dest = work / "warm"
        sample = run_sequence(commands(tool, target, reqs, dest, offline=False), warm_env, work, work / "warm.log")
        if not sample.ok:
            raise SystemExit(f"warming {tool} failed: {sample.error}")
        shutil.rmtree(dest)
    env = _env(work, offline=True)
    samples: dict[str, list[Sample]] = {tool: [] for tool in TOOLS}
    pyc: dict[str, int] = {}
    for round_number in range(runs):
        order = TOOLS[round_number % len(TOOLS) :] + TOOLS[: round_number % len(TOOLS)]
        for tool in order:
            dest = work / f"env-{len(samples[tool])}"
            sample = run_sequence(commands(tool, target, reqs, dest, offline=True), env, work, work / "run.log")
            samples[tool].append(sample)
            if sample.ok and tool not in pyc:
                probe = [[str(dest / "bin" / "python"), "-c", "import pytest, requests, markupsafe"]]
                check = run_sequence(probe, env, work, work / "check.log")
                if not check.ok:
                    raise SystemExit(f"{tool} made an environment that cannot import the set: {check.error}")
                pyc[tool] = _pyc_count(dest)
            shutil.rmtree(dest, ignore_errors=True)
    return {tool: Summary(values) for tool, values in samples.items()}, pyc


def render(results: Mapping[str, Summary], pyc: Mapping[str, int], machine: str, reqs: Sequence[str], runs: int) -> str:
    """The markdown report: machine, set, and one row per tool."""
    lines = [
        "### Benchmark: installing a pinned set (`roost DEST -r` vs `uv venv && uv pip install -r`)",
        "",
        machine,
        "",
        f"Set ({len(reqs)} pinned): {', '.join(f'`{line}`' for line in reqs)}. Warm caches, offline, {runs} runs per tool,"
        " alternating; each run makes a new environment. Command: `python bench/deps.py --readme README.md`.",
        "",
        "| tool | median ms | min ms | max ms | roost ÷ tool | .pyc in env |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    lines += table_rows(results, "roost -r", 1000, 0, {tool: [str(count)] for tool, count in pyc.items()})
    lines += [
        "",
        "roost's row includes seeding pip and setuptools (as `roost DEST` does); uv's env has no pip. roost's packages"
        " come byte-compiled from their images; uv compiles only with `--compile-bytecode`.",
    ]
    return "\n".join(lines) + "\n"


def table_rows(
    results: Mapping[str, Summary], base_tool: str, scale: float, digits: int, extra: Mapping[str, list[str]]
) -> list[str]:
    """One markdown row per tool: median, min, max (times *scale*), *base_tool*'s median ÷ the tool's, *extra* cells."""
    base = results[base_tool].median
    rows = []
    for tool, summary in results.items():
        cells = list(extra.get(tool, []))
        if summary.median is None:
            rows.append(f"| {tool} | failed: {summary.error} | | | |" + " |" * len(cells))
            continue
        times = [f"{value * scale:.{digits}f}" for value in (summary.median, summary.low or 0.0, summary.high or 0.0)]
        ratio = f"{base / summary.median:.2f}" if base else "-"
        rows.append("| " + " | ".join([tool, *times, ratio, *cells]) + " |")
    return rows


def replace_block(readme: Path, report: str, start: str, end: str) -> None:
    """Put *report* between the *start* and *end* markers of *readme* (appended when missing)."""
    text = readme.read_text()
    block = f"{start}\n{report}{end}"
    if start in text:
        head, _, rest = text.partition(start)
        text = head + block + rest.partition(end)[2]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    readme.write_text(text)


def run_text(command: Sequence[str], env: Mapping[str, str] | None = None) -> str:
    import subprocess

    return subprocess.run(list(command), env=env, capture_output=True, text=True, check=True).stdout.strip()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--python", default=sys.executable, help="target interpreter (default: the one running this)")
    parser.add_argument("--requirements", type=Path, help="a requirements file of pinned lines (default: the built-in set)")
    parser.add_argument("--readme", type=Path, help="replace the deps table in this README")
    options = parser.parse_args(argv)
    WORK.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="deps-", dir=WORK))
    try:
        if options.requirements:
            reqs = options.requirements.resolve()
            lines = [line.strip() for line in reqs.read_text().splitlines() if line.strip() and not line.startswith("#")]
        else:
            reqs = work / "requirements.txt"
            lines = list(DEFAULT_SET)
            reqs.write_text("\n".join(lines) + "\n")
        RUNNER[0] = runner_python(work)
        load = os.getloadavg()[0]
        uv_version = run_text([_uv(), "--version"]).split()[1]
        roost_version = run_text([RUNNER[0], "-m", "roost", "--version"], _env(work, True)).split()[1]
        results, pyc = measure(options.python, reqs, options.runs, work)
        versions = {"roost": roost_version, "uv": uv_version}
        machine = machine_line(options.python, target_version(options.python), sys.executable, versions, work, load)
        report = render(results, pyc, machine, lines, options.runs)
        print(report)
        if options.readme:
            replace_block(options.readme, report, README_START, README_END)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
