"""Many runs on one DEST at once: processes and API threads, with and without --clear, one
failing on purpose.  Runs on one DEST are serialised, so afterwards there is exactly one
working environment, every run that said "created" succeeded, and the failing one said why
in one line (a RoostError from the API)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import roost
from roost.errors import RoostError

ROUNDS = 3
WORKERS = 6
_FAILING = ["--pip", "99.0", "--no-download"]  # no such pip anywhere: fails after DEST is taken


def _arguments(index: int, clear: bool, dest: Path) -> list[str]:
    args = ["--no-seed"] if index % 2 else ["--no-setuptools", "--no-wheel"]
    if index == WORKERS - 1:
        args = [*_FAILING, "--no-setuptools", "--no-wheel"]
    if clear and index % 3 == 0:
        args.append("--clear")
    return [*args, str(dest)]


def _check_one_working_environment(dest: Path) -> None:
    """DEST is a finished environment whose python runs, and whose pip (if any) is whole."""
    assert (dest / "pyvenv.cfg").is_file()
    assert not (dest / ".roost-previous").exists()
    site = next((dest / "lib").glob("python*/site-packages"))
    code = "import sys; print(sys.prefix)"
    if any(site.glob("pip-*.dist-info")):
        assert len(list(site.glob("pip-*.dist-info"))) == 1, sorted(p.name for p in site.iterdir())
        record = next(site.glob("pip-*.dist-info")) / "RECORD"
        for line in record.read_text().splitlines():
            path = os.path.normpath(site / line.rsplit(",", 2)[0])
            assert os.path.lexists(path), f"RECORD lists {path}, which is missing"
        code += "; import pip._internal.cli.main"
    done = subprocess.run([str(dest / "bin" / "python"), "-c", code], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.strip() == str(dest), done.stderr


@pytest.mark.slow
@pytest.mark.parametrize("clear", [False, True], ids=["plain", "with-clear"])
def test_processes_racing_on_one_destination(clear: bool, tmp_path: Path, roost_env: dict[str, str]) -> None:
    dest = tmp_path / "env"
    for _round in range(ROUNDS):
        runs = [
            subprocess.Popen(
                [sys.executable, "-m", "roost", *_arguments(index, clear, dest)],
                env=roost_env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for index in range(WORKERS)
        ]
        results = [(run.communicate(timeout=600), run.returncode) for run in runs]
        for index, ((out, err), code) in enumerate(results):
            if index == WORKERS - 1:
                assert code == 1 and err.count("\n") == 1 and err.startswith("roost: error: "), err
                assert "99.0" in err, err
            else:
                assert code == 0 and out.startswith("created "), err
                assert "Traceback" not in err
        _check_one_working_environment(dest)


@pytest.mark.slow
@pytest.mark.parametrize("clear", [False, True], ids=["plain", "with-clear"])
def test_api_threads_racing_on_one_destination(clear: bool, tmp_path: Path, roost_env: dict[str, str]) -> None:
    dest = tmp_path / "env"
    for _round in range(ROUNDS):
        outcome: dict[int, BaseException | None] = {}

        def create(index: int, outcome: dict[int, BaseException | None] = outcome) -> None:
            try:
                roost.cli_run(_arguments(index, clear, dest), setup_logging=False, env=roost_env)
            except BaseException as exc:  # recorded, checked below
                outcome[index] = exc
            else:
                outcome[index] = None

        threads = [threading.Thread(target=create, args=(index,)) for index in range(WORKERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(600)
        for index in range(WORKERS):
            if index == WORKERS - 1:
                assert isinstance(outcome[index], RoostError) and "99.0" in str(outcome[index]), repr(outcome[index])
            else:
                assert outcome[index] is None, repr(outcome[index])
        _check_one_working_environment(dest)
