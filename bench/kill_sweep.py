"""Kill roost at many moments of a run and check what it leaves behind (issue 14).

    python bench/kill_sweep.py                       # every scenario, signal and delay (slow)
    python bench/kill_sweep.py --step 0.002 --scenario update --signal KILL

For each scenario (a fresh seeded creation, ``--clear`` of an environment that shares its
folder with the user's files, an update in place from pip 23.0.1 to 24.2, a cold image
build) the run is timed once, then started again and sent SIGKILL, SIGTERM or SIGINT after
0, step, 2*step ... seconds up to its length.  After each kill:

* a ``pyvenv.cfg`` is only ever beside a working environment (its python starts; after
  SIGTERM or SIGINT its pip imports too: a stopped update is rolled back);
* nothing outside DEST changed, and the user's files in DEST are intact;
* the next plain ``roost DEST`` succeeds, and leaves a working pip; after it, no compile
  process is left and no temporary folder is in the image cache.

The test suite runs a few sampled delays of the same sweep (tests/test_kills.py); this
script is the exhaustive version.  Exit status 1 when any kill left a problem.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
SCENARIOS = ("fresh", "clear", "update", "cold")
SIGNALS = ("KILL", "TERM", "INT")
_ONLY_PIP = ["--no-setuptools", "--no-wheel"]


class Scenario:
    """One kind of run, prepared afresh in *work* before each kill."""

    def __init__(self, name: str, work: Path, app_data: Path) -> None:
        self.name = name
        self.work = work
        self.dest = work / "outer" / "env"
        self.app_data = work / "cold-app-data" if name == "cold" else app_data
        self.user_files = {self.dest / "notes.txt": b"precious\n", self.dest / "data" / "table.csv": b"1,2\n"}
        self.outside = {work / "outer" / "sibling.txt": b"not roost's\n"}

    def env(self) -> dict[str, str]:
        env = {key: value for key, value in os.environ.items() if not key.startswith(("ROOST_", "VIRTUALENV_", "PIP_"))}
        env.update(
            PYTHONPATH=str(SRC),
            ROOST_OVERRIDE_APP_DATA=str(self.app_data),
            ROOST_CONFIG_FILE=os.devnull,
            ROOST_NO_PERIODIC_UPDATE="1",
            PIP_NO_INDEX="1",
        )
        return env

    def roost(self, args: list[str]) -> subprocess.Popen[str]:
        command = [sys.executable, "-m", "roost", *args, str(self.dest)]
        return subprocess.Popen(command, env=self.env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def prepare(self) -> list[str]:
        """Set the folder up; returns the arguments of the run to be killed."""
        if self.work.exists():
            shutil.rmtree(self.work)
        (self.work / "outer").mkdir(parents=True)
        for path, data in self.outside.items():
            path.write_bytes(data)
        if self.name == "fresh":
            return _ONLY_PIP
        if self.name == "cold":
            return ["--pip", "23.0.1", *_ONLY_PIP]
        for path, data in self.user_files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        first = ["--pip", "23.0.1", *_ONLY_PIP, "--allow-existing"]
        done = self.roost(first)
        out, err = done.communicate()
        if done.returncode:
            raise SystemExit(f"could not prepare {self.name}: {err}")
        return ["--clear", *_ONLY_PIP] if self.name == "clear" else ["--pip", "24.2", *_ONLY_PIP]

    def problems(self, signal_name: str) -> list[str]:
        """What is wrong right after the kill, and after the next plain run."""
        found = []
        if (self.dest / "pyvenv.cfg").is_file():
            code = "import sys"
            if signal_name != "KILL":
                code += "; import pip._internal.cli.main"  # a stopped run was rolled back or finished
            if not _runs(self.dest, code):
                found.append(f"pyvenv.cfg beside an environment that does not work ({code})")
        found += self._damage()
        next_run = self.roost(_ONLY_PIP)
        try:
            out, err = next_run.communicate(timeout=300)
        except subprocess.TimeoutExpired:
            next_run.kill()
            return [*found, "the next run hung"]
        if next_run.returncode or not out.startswith("created "):
            found.append(f"the next run failed: {err.strip()}")
        elif not _runs(self.dest, "import pip._internal.cli.main"):
            found.append("after the next run, pip does not import")
        found += self._damage()
        images = self.app_data / "images"
        leftovers = [name for name in os.listdir(images) if name.endswith(".tmp")] if images.is_dir() else []
        if leftovers:
            found.append(f"temporary folders left in the image cache: {leftovers}")
        if _compilers_alive(self.app_data):
            found.append("a compile process is still running")
        return found

    def _damage(self) -> list[str]:
        found = [f"{path} changed or lost" for path, data in {**self.outside, **self.user_files}.items() if _read(path) != data]
        if self.name in ("fresh", "cold"):
            found = [line for line in found if not line.startswith(str(self.dest))]
        extra = sorted(set(os.listdir(self.work / "outer")) - {"env", "sibling.txt"})
        if extra:
            found.append(f"new entries beside DEST: {extra}")
        return found


def _roost_traceback(err: str) -> bool:
    """A traceback through roost's running code.  A signal that lands while the interpreter
    is still starting and importing (frames at module level, ``<module>``, or in runpy) is
    Python's own start-up, before roost's first handler exists: not counted."""
    frames = [line for line in err.splitlines() if line.lstrip().startswith("File ") and str(SRC) in line]
    return "Traceback" in err and any(not frame.rstrip().endswith("<module>") for frame in frames)


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _runs(dest: Path, code: str) -> bool:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTHON")}
    done = subprocess.run([str(dest / "bin" / "python"), "-c", code], capture_output=True, env=env, timeout=120)
    return done.returncode == 0


def _compilers_alive(app_data: Path) -> bool:
    marker = str(app_data / "images")
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                command = Path("/proc", pid, "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if "_compile.py" in command and marker in command:
                return True
    return False


def length_of(scenario: Scenario) -> float:
    """How long one whole run of *scenario* takes here."""
    args = scenario.prepare()
    started = time.perf_counter()
    run = scenario.roost(args)
    _out, err = run.communicate()
    if run.returncode:
        raise SystemExit(f"{scenario.name} does not run: {err}")
    return time.perf_counter() - started


def kill_once(scenario: Scenario, signal_name: str, delay: float) -> list[str]:
    """Start the run, send the signal after *delay* seconds; the problems found."""
    args = scenario.prepare()
    run = scenario.roost(args)
    time.sleep(delay)
    try:
        run.send_signal(getattr(signal, f"SIG{signal_name}"))
    except ProcessLookupError:
        pass
    try:
        _out, err = run.communicate(timeout=300)
    except subprocess.TimeoutExpired:
        run.kill()
        _out, err = run.communicate()
        return [f"it hung after the signal: {err.strip()}"]
    problems = []
    if signal_name != "KILL" and _roost_traceback(err):
        problems.append(f"a traceback: {err.strip().splitlines()[-1]}")
    time.sleep(0.05)  # a compile worker of a killed run notices within one file
    return problems + scenario.problems(signal_name)


def sweep(names: list[str], signals: list[str], delays_for: object, work: Path, app_data: Path) -> list[str]:
    """Every kill of every scenario; *delays_for(length)* gives the delays to try."""
    report = []
    for name in names:
        scenario = Scenario(name, work / name, app_data)
        length = length_of(scenario)
        for signal_name in signals:
            for delay in delays_for(length):  # type: ignore[operator]
                for problem in kill_once(scenario, signal_name, delay):
                    report.append(f"{name}, SIG{signal_name} after {delay:.3f}s of {length:.3f}s: {problem}")
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", nargs="+", choices=SCENARIOS, default=list(SCENARIOS))
    parser.add_argument("--signal", nargs="+", choices=SIGNALS, default=list(SIGNALS))
    parser.add_argument("--step", type=float, default=0.01, help="seconds between two delays (default 0.01)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="roost-kill-sweep-") as temporary:
        work = Path(temporary)
        app_data = work / "app-data"

        def every_step(length: float) -> list[float]:
            return [index * options.step for index in range(int(length / options.step) + 2)]

        report = sweep(options.scenario, options.signal, every_step, work, app_data)
    print("\n".join(report) or "no problems")
    return 1 if report else 0


if __name__ == "__main__":
    sys.exit(main())
