"""Console scripts work from awkward places: spaces, shell characters, very long paths."""

# ruff: noqa: F401, F811  (pytest fixtures imported from seed_helpers, then requested by name)

from __future__ import annotations

from pathlib import Path

import pytest
from seed_helpers import PY312, create, demo_wheels, need, offline_env, run, shared_app_data


@pytest.mark.slow
@pytest.mark.parametrize(
    "name",
    ["with space", 'quote"dollar$back`slash\\', "x" * 100 + "/" + "y" * 60],
    ids=["space", "shell-characters", "long"],
)
def test_scripts_run_from_awkward_paths(name: str, shared_app_data: Path, tmp_path: Path, demo_wheels: Path) -> None:
    dest = tmp_path / name / "env"
    create(need(PY312), dest, shared_app_data, "--extra-search-dir", str(demo_wheels), "--seed-packages", "roost-demo")
    env = offline_env()
    first_line = (dest / "bin" / "pip").read_bytes().split(b"\n", 1)[0]
    if len(str(dest / "bin" / "python")) + 3 > 127 or " " in str(dest):
        assert first_line == b"#!/bin/sh"
    assert run([dest / "bin" / "pip", "--version"], env).stdout.startswith("pip ")
    assert run([dest / "bin" / "roost-demo"], env).stdout.strip() == "roost_demo 1.0"
    assert run([dest / "bin" / "pip3.12", "list"], env).returncode == 0
