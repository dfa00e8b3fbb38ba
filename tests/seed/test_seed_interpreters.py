"""Every interpreter on the machine gets a working pip, offline, from app-data images."""

# ruff: noqa: F401, F811  (pytest fixtures imported from seed_helpers, then requested by name)

from __future__ import annotations

import json
from pathlib import Path

from seed_helpers import (
    create,
    demo_wheels,
    image_dirs,
    image_intact,
    offline_env,
    run,
    shared_app_data,
    site_packages,
    snapshot,
    tree,
)


def test_seed_offline_then_use_and_uninstall_pip(
    target_python: str, shared_app_data: Path, demo_wheels: Path, tmp_path: Path
) -> None:
    env = offline_env()
    dest = tmp_path / "env"
    done = create(target_python, dest, shared_app_data, env=env)
    assert "pip" in done.stdout, done.stdout
    python = dest / "bin" / "python"
    site = site_packages(dest)

    # The image's bytecode is valid in the env: running pip writes no new .pyc.
    before = tree(site)
    run([python, "-m", "pip", "--version"], env)
    run([python, "-m", "pip", "list"], env)
    assert tree(site) - before == set()

    info = next(site.glob("pip-*.dist-info"))
    assert (info / "INSTALLER").read_text() == "pip\n"
    record = (info / "RECORD").read_text().splitlines()
    assert f"{info.name}/RECORD,," in record
    assert any(line.startswith("../../../bin/pip,sha256=") for line in record)
    assert any("__pycache__" in line and ".pyc,sha256=" in line for line in record)

    # pip works offline in the env: install a local wheel (and its console script), import it.
    wheel = next(demo_wheels.glob("*.whl"))
    run([dest / "bin" / "pip", "install", wheel], env)
    shown = run([python, "-c", "import roost_demo; print(roost_demo.VERSION)"], env)
    assert shown.stdout.strip() == "1.0"
    assert run([dest / "bin" / "roost-demo"], env).stdout.strip() == "roost_demo 1.0"

    images = {path: snapshot(path) for path in image_dirs(shared_app_data)}
    listed = json.loads(run([python, "-m", "pip", "list", "--format", "json"], env).stdout)
    assert {"pip", "roost-demo"} <= {entry["name"].lower() for entry in listed}

    run([python, "-m", "pip", "uninstall", "-y", "pip"], env)
    assert not list(site.glob("pip*"))
    assert not (dest / "bin" / "pip").exists()
    for path, files in images.items():
        assert snapshot(path) == files, f"pip uninstall changed the image {path}"
        assert image_intact(path)

    # A new env from the same images still works.
    again = tmp_path / "again"
    create(target_python, again, shared_app_data, env=env)
    run([again / "bin" / "python", "-m", "pip", "--version"], env)
