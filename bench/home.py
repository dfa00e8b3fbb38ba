"""Shell start-up and ``workon NAME; deactivate`` in bash: roost's shell-init against the real
virtualenvwrapper, side by side in one hyperfine run.

    python bench/home.py [--runs 30] [--json results.json]

Needs hyperfine and bash on PATH, and virtualenvwrapper installed for this Python
(``pip install virtualenvwrapper``; the ``bench`` extra has it).  Both tools use one home
holding one environment made by ``roost home new`` (so both source the same activate
script, and only the wrappers differ), each with virtualenvwrapper's empty hook files in
place, as its ``initialize`` leaves them.  roost's init is cached in a file, as the README
recommends, so sourcing it starts no Python.  Each command is a fresh non-interactive bash
(``--norc --noprofile``); the cost of ``workon`` + ``deactivate`` is the median with them
minus the median of start-up alone, and is also timed inside one running bash (the usual
case) with ``EPOCHREALTIME`` over as many rounds as ``--runs``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"


def _virtualenvwrapper_sh() -> str:
    for folder in (sysconfig.get_path("scripts"), os.path.dirname(sys.executable)):
        candidate = Path(folder, "virtualenvwrapper.sh")
        if candidate.is_file():
            return str(candidate)
    found = shutil.which("virtualenvwrapper.sh")
    if not found:
        sys.exit("virtualenvwrapper is not installed for this Python: pip install virtualenvwrapper")
    return found


def _prepare(root: Path, env: dict[str, str]) -> dict[str, Path]:
    """The home, the cached init and one script per measured command."""
    home = root / "envs"
    subprocess.run([sys.executable, "-m", "roost", "home", "new", "web", "--no-seed"], env=env, check=True, capture_output=True)
    init = root / "roost-init.sh"
    init.write_text(
        subprocess.run(
            [sys.executable, "-m", "roost", "shell-init", "bash"], env=env, check=True, capture_output=True, text=True
        ).stdout
    )
    vew = _virtualenvwrapper_sh()
    # virtualenvwrapper's first start creates its hook files: do it once, outside the timing
    subprocess.run(["bash", "--norc", "--noprofile", "-c", f"source '{vew}'"], env=env, check=True)
    loaders = {"roost": f". '{init}'", "virtualenvwrapper": f"source '{vew}'"}
    scripts = {"bash": root / "bare.sh"}
    scripts["bash"].write_text(":\n")
    for tool, loader in loaders.items():
        scripts[f"{tool} start-up"] = root / f"{tool}-start.sh"
        scripts[f"{tool} start-up"].write_text(loader + "\n")
        scripts[f"{tool} start-up + workon + deactivate"] = root / f"{tool}-workon.sh"
        scripts[f"{tool} start-up + workon + deactivate"].write_text(
            loader + '\nworkon web || exit 1\n[ "$VIRTUAL_ENV" = "$WORKON_HOME/web" ] || exit 1\ndeactivate\n'
        )
    assert home.is_dir()
    return scripts


def _hyperfine(scripts: dict[str, Path], runs: int, env: dict[str, str], out: Path) -> dict[str, float]:
    """Median seconds per command name."""
    command = ["hyperfine", "-N", "--warmup", "3", "--runs", str(runs), "--export-json", str(out)]
    for name, script in scripts.items():
        command += ["--command-name", name, f"bash --norc --noprofile {script}"]
    subprocess.run(command, env=env, check=True)
    results = json.loads(out.read_text())["results"]
    return {result["command"]: result["median"] for result in results}


def _in_running_shell(scripts: dict[str, Path], env: dict[str, str], rounds: int) -> dict[str, float]:
    """Seconds per ``workon web; deactivate`` inside one running bash (the usual case: the
    shell is already up), timed by bash itself with EPOCHREALTIME over *rounds* rounds."""
    seconds = {}
    for tool in ("roost", "virtualenvwrapper"):
        loader = scripts[f"{tool} start-up"].read_text()
        body = (
            f"{loader}\nworkon web; deactivate\nstart=$EPOCHREALTIME\n"
            f"for i in $(seq {rounds}); do workon web; deactivate; done\n"
            "end=$EPOCHREALTIME; echo $(( ${end/./} - ${start/./} ))\n"
        )
        done = subprocess.run(["bash", "--norc", "--noprofile", "-c", body], env=env, check=True, capture_output=True, text=True)
        seconds[tool] = int(done.stdout.split()[-1]) / 1e6 / rounds
    return seconds


def _table(medians: dict[str, float], running: dict[str, float]) -> str:
    """The README's table: medians in ms, and virtualenvwrapper / roost."""

    def ms(value: float) -> str:
        return f"{value * 1000:.1f} ms"

    rows = ["| measured (bash) | roost | virtualenvwrapper | ratio |", "|---|---:|---:|---:|"]
    bare = medians["bash"]
    for label, key in (
        ("shell start-up with the init loaded", "start-up"),
        ("... then `workon web; deactivate`", "start-up + workon + deactivate"),
    ):
        ours, theirs = medians[f"roost {key}"], medians[f"virtualenvwrapper {key}"]
        rows.append(f"| {label} | {ms(ours)} | {ms(theirs)} | {theirs / ours:.1f}x |")
    added = {tool: medians[f"{tool} start-up"] - bare for tool in ("roost", "virtualenvwrapper")}
    rows.append(
        f"| start-up cost of the init (minus bare bash, {ms(bare)}) | {ms(added['roost'])} | {ms(added['virtualenvwrapper'])} | "
        f"{added['virtualenvwrapper'] / max(added['roost'], 1e-6):.0f}x |"
    )
    workon = {
        tool: medians[f"{tool} start-up + workon + deactivate"] - medians[f"{tool} start-up"]
        for tool in ("roost", "virtualenvwrapper")
    }
    rows.append(
        f"| `workon web; deactivate` alone | {ms(workon['roost'])} | {ms(workon['virtualenvwrapper'])} | "
        f"{workon['virtualenvwrapper'] / max(workon['roost'], 1e-6):.0f}x |"
    )
    rows.append(
        f"| `workon web; deactivate` in a running shell (mean) | {ms(running['roost'])} | {ms(running['virtualenvwrapper'])} | "
        f"{running['virtualenvwrapper'] / running['roost']:.0f}x |"
    )
    return "\n".join(rows)


def main() -> None:
    """Prepare a home, time both tools with hyperfine, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--json", type=Path, help="keep hyperfine's JSON here")
    options = parser.parse_args()
    if not shutil.which("hyperfine"):
        sys.exit("hyperfine is not installed")
    with tempfile.TemporaryDirectory(prefix="roost-bench-home-") as folder:
        root = Path(folder)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "ROOST_", "PIP_"))}
        env.update(
            WORKON_HOME=str(root / "envs"),
            HOME=str(root),
            VIRTUALENVWRAPPER_PYTHON=sys.executable,
            PATH=sysconfig.get_path("scripts") + os.pathsep + env.get("PATH", ""),
            PYTHONPATH=str(SRC) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else ""),
        )
        env.pop("VIRTUALENVWRAPPER_HOOK_DIR", None)
        scripts = _prepare(root, env)
        medians = _hyperfine(scripts, options.runs, env, options.json or root / "hyperfine.json")
        running = _in_running_shell(scripts, env, options.runs)
    print()
    print(_table(medians, running))


if __name__ == "__main__":
    main()
