"""tox on a small project with each way tox can make environments: virtualenv (tox's own),
roost (tox-roost) and uv (tox-uv), side by side.

    python bench/tox.py                   # installs the tools into bench/.tools/tox/, ~5 minutes
    python bench/tox.py --runs 5 --no-install
    python bench/tox.py --readme README.md   # also refresh the <!-- bench-tox:start --> block

Each tool gets its own venv under ``bench/.tools/tox/``: ``tox`` alone (virtualenv runner),
``tox`` + roost and tox-roost built from this checkout, ``tox`` + ``tox-uv``; all from PyPI,
then no network: the ``deps`` environment installs three small pure wheels (``packaging``,
``six``, ``attrs``) from a local wheelhouse (``PIP_FIND_LINKS`` / ``UV_FIND_LINKS``, no
index).  Every tool has its own caches, filled by one untimed run per scenario.

Scenarios (wall time of the whole ``tox`` command, which is what a user waits for):

- ``bare``: ``tox run -e bare -r``: make the environment again (``skip_install``, no deps)
  and run ``python -c pass``;
- ``deps``: ``tox run -e deps -r``: the same, plus installing the three wheels;
- ``reuse``: ``tox run -e deps``: the environment exists and is up to date.

Tools alternate run by run (each round rotates the order).  Medians; the ratios compare
roost's median with each other tool's.
"""

from __future__ import annotations

import argparse
import os
import sys
import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _measure import Sample, Summary, run_sequence  # noqa: E402
from _report import replace_block  # noqa: E402
from _tools import SetupError, _check, _fresh_venv, _venv_python  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parent.parent
TOOLS = ("roost", "virtualenv", "tox-uv")
# What each tool's venv gets from PyPI (the roost venv also gets this checkout, see install()).
REQUIREMENTS = {"roost": ["tox"], "virtualenv": ["tox"], "tox-uv": ["tox", "tox-uv"]}
DEPS = ("packaging", "six", "attrs")
SCENARIOS = {
    "bare": ["run", "-e", "bare", "-r"],
    "deps": ["run", "-e", "deps", "-r"],
    "reuse": ["run", "-e", "deps"],
}
TITLES = {
    "bare": "new env, no deps (`tox r -e bare -r`)",
    "deps": "new env + 3 wheels (`tox r -e deps -r`)",
    "reuse": "env up to date (`tox r -e deps`)",
}
README_START, README_END = "<!-- bench-tox:start -->", "<!-- bench-tox:end -->"

TOX_INI = """
[tox]
env_list = bare, deps
[testenv]
skip_install = true
commands = python -c pass
[testenv:deps]
deps =
{deps}
"""


def install(base: Path, do_install: bool) -> None:
    """The three tool venvs and the wheelhouse under *base* (only checked with *do_install* false)."""
    wheels = base / "wheels"
    if not do_install:
        for tool in TOOLS:
            if not (base / tool / "bin" / "tox").exists():
                raise SetupError(f"{base / tool} has no tox: run once without --no-install")
        return
    pip_env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    for tool in TOOLS:
        venv = base / tool
        _fresh_venv(venv)
        print(f"bench/tox: installing {' '.join(REQUIREMENTS[tool])} into {venv} ...", file=sys.stderr)
        python = str(_venv_python(venv))
        _check([python, "-m", "pip", "install", "-q", "--upgrade", *REQUIREMENTS[tool]], f"pip install for {tool}", pip_env)
    python = str(_venv_python(base / "roost"))
    # roost and tox-roost from this checkout, rebuilt even when their versions did not change.
    checkout = [str(REPO_ROOT), str(REPO_ROOT / "tox-roost")]
    _check([python, "-m", "pip", "install", "-q", *checkout], "pip install roost tox-roost", pip_env)
    _check([python, "-m", "pip", "install", "-q", "--force-reinstall", "--no-deps", *checkout], "reinstall roost", pip_env)
    _check([python, "-m", "pip", "download", "-q", "--only-binary=:all:", "-d", str(wheels), *DEPS], "pip download", pip_env)


def tool_environment(base: Path, tool: str) -> dict[str, str]:
    """os.environ for one tool: private caches, the wheelhouse, no index, no user config."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("ROOST_", "VIRTUALENV_", "PIP_", "UV_", "TOX", "PYTHON")) and key != "VIRTUAL_ENV"
    }
    cache = base / "cache" / tool
    wheels = str(base / "wheels")
    env.update(
        ROOST_OVERRIDE_APP_DATA=str(cache / "roost"),
        ROOST_CONFIG_FILE=os.devnull,
        VIRTUALENV_OVERRIDE_APP_DATA=str(cache / "virtualenv"),
        VIRTUALENV_CONFIG_FILE=os.devnull,
        PIP_CACHE_DIR=str(cache / "pip"),
        PIP_NO_INDEX="1",
        PIP_FIND_LINKS=wheels,
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        UV_CACHE_DIR=str(cache / "uv"),
        UV_NO_INDEX="1",
        UV_FIND_LINKS=wheels,
        UV_NO_CONFIG="1",
    )
    return env


def make_project(base: Path) -> Path:
    project = base / "project"
    project.mkdir(parents=True, exist_ok=True)
    deps = "\n".join(f"    {name}" for name in DEPS)
    (project / "tox.ini").write_text(textwrap.dedent(TOX_INI).format(deps=deps))
    return project


def tox_command(base: Path, tool: str, scenario: str) -> list[str]:
    """tox with the tool's default runner, in a work folder of the tool's own."""
    return [str(base / tool / "bin" / "tox"), *SCENARIOS[scenario], "--workdir", str(base / "work" / tool)]


def measure(base: Path, runs: int, scenarios: Sequence[str]) -> dict[str, dict[str, Summary]]:
    project = make_project(base)
    log = base / "last.log"
    results: dict[str, dict[str, Summary]] = {}
    for scenario in scenarios:
        samples: dict[str, list[Sample]] = {tool: [] for tool in TOOLS}
        for tool in TOOLS:  # warm-up: caches filled, environment present for `reuse`
            warm = run_sequence([tox_command(base, tool, scenario)], tool_environment(base, tool), project, log)
            if not warm.ok:
                raise SetupError(f"{tool} {scenario}: {warm.error}")
        for index in range(runs):
            order = TOOLS[index % len(TOOLS) :] + TOOLS[: index % len(TOOLS)]
            for tool in order:
                command = tox_command(base, tool, scenario)
                samples[tool].append(run_sequence([command], tool_environment(base, tool), project, log))
        results[scenario] = {tool: Summary(samples[tool]) for tool in TOOLS}
        medians = ", ".join(f"{tool} {_ms(results[scenario][tool].median)}" for tool in TOOLS)
        print(f"bench/tox: {scenario}: {medians}", file=sys.stderr)
    return results


def _ms(seconds: float | None) -> str:
    return "failed" if seconds is None else f"{seconds * 1000:.0f} ms"


def _ratio(mine: Summary, other: Summary) -> str:
    if mine.median is None or other.median is None:
        return "n/a"
    return f"{other.median / mine.median:.2f}x"


def report(results: Mapping[str, Mapping[str, Summary]], runs: int, versions: Mapping[str, str]) -> str:
    lines = [
        f"tox {versions['tox']} on a two-env project; median of {runs} runs each, tools alternating"
        f" (`python bench/tox.py`; roost {versions['roost']}, virtualenv {versions['virtualenv']},"
        f" tox-uv {versions['tox-uv']} with uv {versions['uv']}; Python {sys.version.split()[0]}).",
        "",
        "| scenario | roost (tox-roost) | virtualenv (tox) | uv (tox-uv) | virtualenv / roost | tox-uv / roost |",
        "|---|---|---|---|---|---|",
    ]
    for scenario, by_tool in results.items():
        roost = by_tool["roost"]
        lines.append(
            f"| {TITLES[scenario]} | {_ms(roost.median)} | {_ms(by_tool['virtualenv'].median)} | {_ms(by_tool['tox-uv'].median)}"
            f" | {_ratio(roost, by_tool['virtualenv'])} | {_ratio(roost, by_tool['tox-uv'])} |"
        )
    failures = [
        f"{tool} {scenario}: {summary.error}"
        for scenario, by_tool in results.items()
        for tool, summary in by_tool.items()
        if summary.failures
    ]
    if failures:
        lines += ["", "Failures: " + "; ".join(failures)]
    return "\n".join(lines)


def versions(base: Path) -> dict[str, str]:
    def version(tool: str, name: str) -> str:
        code = f"import importlib.metadata as m; print(m.version({name!r}))"
        return _check([str(_venv_python(base / tool)), "-c", code], f"version of {name}")

    return {
        "tox": version("virtualenv", "tox"),
        "virtualenv": version("virtualenv", "virtualenv"),
        "roost": version("roost", "roost"),
        "tox-uv": version("tox-uv", "tox-uv"),
        "uv": version("tox-uv", "uv"),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/tox.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10, help="timed runs per tool and scenario (default 10)")
    parser.add_argument("--no-install", action="store_true", help="reuse the tools installed by an earlier run")
    parser.add_argument("--scenarios", default=",".join(SCENARIOS), help=f"comma separated, from {', '.join(SCENARIOS)}")
    parser.add_argument("--readme", type=Path, help="also write the table into this README's bench-tox block")
    args = parser.parse_args(argv)
    scenarios = [name for name in args.scenarios.split(",") if name]
    unknown = sorted(set(scenarios) - set(SCENARIOS))
    if unknown or args.runs < 1:
        parser.error(f"unknown scenario {', '.join(unknown)}" if unknown else "--runs must be at least 1")
    base = REPO_ROOT / "bench" / ".tools" / "tox"
    try:
        install(base, not args.no_install)
        results = measure(base, args.runs, scenarios)
        text = report(results, args.runs, versions(base))
    except SetupError as exc:
        print(f"bench/tox: {exc}", file=sys.stderr)
        return 1
    print(text)
    (REPO_ROOT / "bench" / "results-tox.md").write_text(text + "\n")
    if args.readme:
        replace_block(args.readme, text, README_START, README_END, "bench/tox")
    return 0


if __name__ == "__main__":
    sys.exit(main())
