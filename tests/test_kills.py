"""Kills at sampled moments of a run (the exhaustive sweep is bench/kill_sweep.py).

After SIGKILL, SIGTERM or SIGINT at a fraction of each scenario's length (a fresh seeded
creation, --clear of an environment sharing its folder with the user's files, an update in
place, a cold image build): a pyvenv.cfg is only ever beside a working environment, nothing
outside DEST and none of the user's files changed, the next plain run succeeds, and no
compile process or temporary image folder is left.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCH_DIR = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH_DIR))

import kill_sweep  # noqa: E402

FRACTIONS = (0.2, 0.5, 0.8)


@pytest.mark.slow
@pytest.mark.parametrize("signal_name", kill_sweep.SIGNALS)
@pytest.mark.parametrize("scenario", kill_sweep.SCENARIOS)
def test_a_kill_at_sampled_moments_leaves_nothing_broken(scenario: str, signal_name: str, tmp_path: Path) -> None:
    report = kill_sweep.sweep(
        [scenario],
        [signal_name],
        lambda length: [length * fraction for fraction in FRACTIONS],
        tmp_path / "work",
        tmp_path / "app-data",
    )
    assert not report, "\n".join(report)
