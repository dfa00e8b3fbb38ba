"""The byte-compile script a cold image build runs in the target: it never outlives roost's
interest in the folder it writes to (a killed build's folder is removed by the next run)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "src" / "roost" / "seed" / "_compile.py"


def _tree(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    (site / "pkg").mkdir(parents=True)
    (site / "pkg" / "__init__.py").write_text("x = 1\n")
    return site


def test_a_worker_whose_roost_is_already_gone_writes_nothing(tmp_path: Path) -> None:
    """roost's id is passed in: a worker started just before roost was killed (and so
    already reparented when it looks) stops instead of compiling into the dead build."""
    site = _tree(tmp_path)
    not_our_parent = 1 if os.getppid() != 1 else 2
    done = subprocess.run([sys.executable, str(SCRIPT), str(site), "0", "1", str(not_our_parent)], capture_output=True)
    assert done.returncode == 3
    assert not (site / "pkg" / "__pycache__").exists()


def test_a_removed_folder_is_never_made_again(tmp_path: Path) -> None:
    """py_compile makes missing folders on the way to a .pyc; the script makes only the
    cache folder, so a tree the next run removed does not come back piece by piece."""
    site = _tree(tmp_path)
    (site / "gone").mkdir()
    (site / "gone" / "mod.py").write_text("y = 2\n")
    # Compile with the 'gone' folder's cache parent missing: remove it after listing, as the next run would.
    code = (
        "import os, shutil, sys; sys.argv = sys.argv[1:]; import runpy; "
        "real_walk = os.walk\n"
        "def walk(top):\n"
        "    for root, dirs, files in real_walk(top):\n"
        "        if root.endswith('gone'): shutil.rmtree(root)\n"
        "        yield root, dirs, files\n"
        "os.walk = walk\n"
        "runpy.run_path(sys.argv[0], run_name='__main__')"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(SCRIPT), str(site), "0", "1", str(os.getpid())], capture_output=True, text=True
    )
    assert done.returncode == 3, done.stderr
    assert not (site / "gone").exists()
