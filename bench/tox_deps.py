"""tox on a real project, ``--recreate``: tox-roost against tox-uv and plain tox (virtualenv + pip).

    python bench/tox_deps.py [--runs N] [--python /path/to/python] [--readme README.md]

The project is pluggy 1.5.0's source distribution from the package index, with a tox.ini
that runs its test suite under pytest and a handful of pinned dependencies.  Each tool gets
its own tool environment (tox from the index; plus this checkout's roost and tox-roost, or
tox-uv) under bench/.tools, its own copy of the project and its own caches.  One first run
per tool warms the caches (pip's, uv's, roost's app data); the measured runs are
``tox run -e py --recreate``, alternating between the tools.  Standard library only.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _measure import Sample, Summary, run_sequence  # noqa: E402
from _report import machine_line  # noqa: E402
from _tools import target_version  # noqa: E402
from deps import replace_block, table_rows  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TOOLS = ROOT / "bench" / ".tools"
WORK = ROOT / "bench" / ".work"
PROJECT = "pluggy==1.5.0"
TOX_INI = """
[tox]
env_list = py
[testenv]
package = wheel
deps =
    pytest==8.3.3
    iniconfig==2.0.0
    packaging==24.1
    pytest-benchmark==4.0.0
    py-cpuinfo==9.0.0
set_env = _PYTEST_SETUP_SKIP_PLUGGY_DEP=1
commands = pytest -q -p no:cacheprovider --benchmark-disable testing
"""
# tool -> what its tool environment installs besides tox.
VARIANTS = {
    "tox + tox-roost": ["-e", str(ROOT), "-e", str(ROOT / "tox-roost")],
    "tox + tox-uv": ["tox-uv"],
    "tox (virtualenv + pip)": [],
}
README_START, README_END = "<!-- tox-bench:start -->", "<!-- tox-bench:end -->"


FOLDERS = {"tox + tox-roost": "tox-roost", "tox + tox-uv": "tox-uv", "tox (virtualenv + pip)": "tox-virtualenv"}


def tool_env_dir(tool: str) -> Path:
    return TOOLS / FOLDERS[tool]


def ensure_tool(tool: str, python: str) -> Path:
    """The bin folder of *tool*'s environment (made once; this checkout is installed editable)."""
    folder = tool_env_dir(tool)
    marker = folder / ".bench-ready"
    if not marker.exists():
        shutil.rmtree(folder, ignore_errors=True)
        subprocess.run([python, "-m", "venv", str(folder)], check=True)
        pip = [str(folder / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
        subprocess.run([*pip, "tox", *VARIANTS[tool]], check=True)
        marker.write_text("ok\n")
    return folder / "bin"


def fetch_project(work: Path) -> Path:
    """pluggy's sdist, downloaded once into bench/.tools and unpacked under *work*."""
    cache = TOOLS / "tox-project"
    cache.mkdir(parents=True, exist_ok=True)
    found = list(cache.glob("pluggy-*.tar.gz"))
    if not found:
        command = [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:", "-d", str(cache), PROJECT]
        subprocess.run(command, check=True)
        found = list(cache.glob("pluggy-*.tar.gz"))
    with tarfile.open(found[0]) as archive:
        archive.extractall(work / "source", filter="data") if sys.version_info >= (3, 12) else archive.extractall(work / "source")
    source = next((work / "source").iterdir())
    (source / "tox.ini").write_text(TOX_INI)
    return source


def environment(work: Path, tool: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("ROOST_", "VIRTUALENV_", "UV_", "TOX"))}
    env.pop("VIRTUAL_ENV", None)
    env.update(
        ROOST_OVERRIDE_APP_DATA=str(work / "roost-app-data"),
        ROOST_NO_PERIODIC_UPDATE="1",
        ROOST_CONFIG_FILE=os.devnull,
        VIRTUALENV_OVERRIDE_APP_DATA=str(work / "virtualenv-app-data"),
        VIRTUALENV_CONFIG_FILE=os.devnull,
        UV_CACHE_DIR=str(work / "uv-cache"),
        PIP_CACHE_DIR=str(work / f"pip-cache-{tool_env_dir(tool).name}"),
        PIP_DISABLE_PIP_VERSION_CHECK="1",
    )
    return env


def measure(python: str, runs: int, work: Path) -> dict[str, Summary]:
    source = fetch_project(work)
    projects: dict[str, Path] = {}
    bins: dict[str, Path] = {}
    for tool in VARIANTS:
        bins[tool] = ensure_tool(tool, python)
        projects[tool] = work / tool_env_dir(tool).name
        shutil.copytree(source, projects[tool])
        command = [str(bins[tool] / "tox"), "run", "-e", "py", "-x", f"testenv.base_python={python}"]
        warm = run_sequence([command], environment(work, tool), projects[tool], work / "warm.log")
        if not warm.ok:
            raise SystemExit(f"warming {tool} failed: {warm.error}")
    samples: dict[str, list[Sample]] = {tool: [] for tool in VARIANTS}
    names = list(VARIANTS)
    for round_number in range(runs):
        order = names[round_number % len(names) :] + names[: round_number % len(names)]
        for tool in order:
            command = [str(bins[tool] / "tox"), "run", "-e", "py", "--recreate", "-x", f"testenv.base_python={python}"]
            samples[tool].append(run_sequence([command], environment(work, tool), projects[tool], work / "run.log"))
    return {tool: Summary(values) for tool, values in samples.items()}


def render(results: Mapping[str, Summary], machine: str, runs: int) -> str:
    lines = [
        "### Benchmark: tox on a real project (`tox run -e py --recreate`)",
        "",
        machine,
        "",
        f"Project: {PROJECT}'s sdist from the package index, its test suite under pytest with five pinned"
        f" dependencies (`deps` in bench/tox_deps.py), package built as a wheel. Warm caches, {runs} runs per tool,"
        " alternating. Command: `python bench/tox_deps.py --readme README.md`.",
        "",
        "| tool | median s | min s | max s | tox-roost ÷ tool |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    lines += table_rows(results, "tox + tox-roost", 1, 2, {})
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--python", default=sys.executable, help="the interpreter tox's environments use")
    parser.add_argument("--readme", type=Path, help="replace the tox table in this README")
    options = parser.parse_args(argv)
    WORK.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="tox-", dir=WORK))
    try:
        load = os.getloadavg()[0]
        results = measure(options.python, options.runs, work)
        code = "import sys, importlib.metadata as m; print(*(m.version(name) for name in sys.argv[1:]))"
        versions: dict[str, str] = {}
        for tool, names in (("tox + tox-roost", ["tox-roost", "roost"]), ("tox + tox-uv", ["tox-uv", "uv"])):
            python = str(tool_env_dir(tool) / "bin" / "python")
            found = subprocess.run([python, "-c", code, *names], capture_output=True, text=True).stdout.split()
            versions.update(zip(names, found))
        python = str(tool_env_dir("tox (virtualenv + pip)") / "bin" / "python")
        found = subprocess.run([python, "-c", code, "tox", "virtualenv"], capture_output=True, text=True).stdout.split()
        versions.update(zip(["tox", "virtualenv"], found))
        machine = machine_line(options.python, target_version(options.python), sys.executable, versions, work, load)
        report = render(results, machine, options.runs)
        print(report)
        if options.readme:
            replace_block(options.readme, report, README_START, README_END)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
