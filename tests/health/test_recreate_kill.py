"""Killing ``roost repair --recreate`` at sampled moments: the old environment survives intact,
or the new one is complete; never a half environment at the path."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from health_helpers import (
    assert_works,
    build_wheel,
    clean_env,
    create,
    install_packages,
    make_base,
    make_project,
    roost,
    tree_snapshot,
)


def _recreate(env_dir: Path, new_base: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "roost", "repair", "--recreate", "-p", str(new_base), str(env_dir)]
    # a session of its own, so the kill reaches pip's processes too
    return subprocess.Popen(
        command, env=clean_env(env), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )


@pytest.mark.slow
def test_killed_recreate_leaves_old_or_new_never_half(tmp_path: Path, roost_env: dict[str, str]) -> None:
    base = make_base("3.12.1", tmp_path / "base")
    env_dir = create("roost", base, tmp_path / "env", roost_env)
    install_packages(env_dir, build_wheel(tmp_path / "wheels"), make_project(tmp_path / "project"), roost_env)
    pristine = tmp_path / "pristine"
    shutil.copytree(env_dir, pristine, symlinks=True)  # byte for byte, so it can be put back at the same path
    shutil.rmtree(tmp_path / "base")
    new_base = make_base("3.13.0", tmp_path / "base")
    old = tree_snapshot(env_dir)

    started = time.monotonic()
    assert _recreate(env_dir, new_base, roost_env).wait(timeout=600) == 0
    whole = time.monotonic() - started

    outcomes = []
    rng = random.Random(16)
    fractions = [0.05, 0.2, 0.4, 0.6, 0.8, 0.9, 0.97] + [rng.uniform(0.1, 1.0) for _ in range(3)]
    for fraction in fractions:
        shutil.rmtree(env_dir)
        shutil.copytree(pristine, env_dir, symlinks=True)
        process = _recreate(env_dir, new_base, roost_env)
        time.sleep(whole * fraction)
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(timeout=60)
        if tree_snapshot(env_dir) == old:
            outcomes.append("old")
            continue
        # not the old one: then the new one, complete
        assert os.listdir(env_dir / "lib") == ["python3.13"], fraction
        assert_works(env_dir, roost_env)
        done = roost(["check", str(env_dir)], roost_env, check=False)
        assert done.returncode == 0, done.stdout
        outcomes.append("new")
    print(outcomes)
    # one more run, not killed: it completes and clears whatever the killed ones left beside
    shutil.rmtree(env_dir)
    shutil.copytree(pristine, env_dir, symlinks=True)
    assert _recreate(env_dir, new_base, roost_env).wait(timeout=600) == 0
    assert_works(env_dir, roost_env)
    assert [name for name in os.listdir(tmp_path) if name.startswith(".env.roost-recreate")] == []
