"""The benchmark harness's own logic: the order tools run in, and which Python runs them."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from support import EXPECTED_INTERPRETERS, require_executable

BENCH_DIR = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH_DIR))  # the bench's modules import each other by bare name

import _tools  # noqa: E402
import run  # noqa: E402


@pytest.mark.parametrize("count", range(1, 8))
def test_every_tool_follows_every_other_equally_often(count: int) -> None:
    rows = run.balanced_orders(count)
    assert all(sorted(row) == list(range(count)) for row in rows)
    neighbours = Counter(pair for row in rows for pair in zip(row, row[1:]))
    assert len(neighbours) == count * (count - 1)  # every ordered pair occurs ...
    assert len(set(neighbours.values())) <= 1  # ... equally often


def test_rounds_take_the_rows_in_turn(tmp_path: Path) -> None:
    tools = [_tools.Tool(name, "0", sys.executable, tmp_path) for name in ("roost", "virtualenv", "uv", "venv")]
    bench = run.Bench(tools, tmp_path, slow_runs=3)
    orders = [[tool.name for tool in bench.rotation(index)] for index in range(8)]
    assert orders[0] == ["roost", "virtualenv", "venv", "uv"]
    assert orders[1] == ["virtualenv", "uv", "roost", "venv"]
    assert orders[4] == orders[0]
    after_roost = Counter(order[order.index("roost") + 1] for order in orders[:4] if order[-1] != "roost")
    assert set(after_roost) == {"virtualenv", "uv", "venv"}


def test_a_tool_venv_made_by_another_python_is_remade(tmp_path: Path) -> None:
    name = "cpython3.11" if sys.version_info[:2] == (3, 12) else "cpython3.12"
    other = require_executable(EXPECTED_INTERPRETERS[name], name)
    venv = tmp_path / "tool"
    subprocess.run([other, "-m", "venv", "--without-pip", str(venv)], check=True)
    _tools._fresh_venv(venv, with_pip=False)
    probe = [str(venv / "bin" / "python"), "-c", "import sys; print(sys.base_prefix)"]
    base = subprocess.run(probe, capture_output=True, text=True, check=True).stdout.strip()
    assert Path(base).resolve() == Path(sys.base_prefix).resolve()


def test_a_tool_venv_of_the_same_python_is_kept(tmp_path: Path) -> None:
    venv = tmp_path / "tool"
    _tools._fresh_venv(venv, with_pip=False)
    marker = venv / "kept"
    marker.write_text("")
    config = (venv / "pyvenv.cfg").stat()
    _tools._fresh_venv(venv, with_pip=False)
    # Kept as it was (not remade: the same pyvenv.cfg file, untouched), and still usable.
    assert marker.exists()
    again = (venv / "pyvenv.cfg").stat()
    assert (again.st_ino, again.st_mtime_ns) == (config.st_ino, config.st_mtime_ns)
    probe = [str(venv / "bin" / "python"), "-c", "import sys; print(sys.prefix)"]
    assert Path(subprocess.run(probe, capture_output=True, text=True, check=True).stdout.strip()) == venv
