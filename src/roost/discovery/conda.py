"""conda environments as interpreter candidates: searched late, so this loads only then.

Where conda keeps environments: the active one (``CONDA_PREFIX``), each conda root's base
and ``envs/`` folders (the root found from ``CONDA_EXE`` or the usual install folders), and
the environments conda lists in ``~/.conda/environments.txt``.  An environment counts only
when conda installed a python package into it (``conda-meta/python-X.Y.Z-*.json``), whose
file name also gives the version without running anything.
"""

from __future__ import annotations

import os

from . import clean_path
from .hints import Candidate, Hint

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

    from .finders import Finder


def conda_candidates(finder: Finder) -> Iterator[Candidate]:
    """conda environments: the active one, each root's base and envs/, and environments.txt."""
    for env_dir in environments(finder.env, finder.home):
        hint = conda_hint(env_dir)
        if hint is None:
            continue  # no python package in that environment
        executable = finder.install_executable(env_dir)
        if executable is not None:
            yield Candidate(executable, "conda", hint)


def environments(env: Mapping[str, str], home: str) -> list[str]:
    """Folders of conda environments, each once, in the order conda would list them."""
    from .shims import read_text

    found: list[str] = []

    def add(path: str) -> None:
        path = clean_path(path)
        if path not in found and os.path.isdir(os.path.join(path, "conda-meta")):
            found.append(path)

    if env.get("CONDA_PREFIX"):
        add(env["CONDA_PREFIX"])
    roots = []
    if env.get("CONDA_EXE"):
        roots.append(os.path.dirname(os.path.dirname(clean_path(env["CONDA_EXE"]))) or ".")
    for name in ("miniconda3", "anaconda3", "miniforge3", "mambaforge", "micromamba"):
        roots.append(os.path.join(home, name))
    roots += ["/opt/conda", "/opt/miniconda3", "/opt/anaconda3"]
    for root in roots:
        add(root)
        try:
            names = sorted(os.listdir(os.path.join(root, "envs")))
        except OSError:
            continue
        for name in names:
            add(os.path.join(root, "envs", name))
    listed = read_text(os.path.join(home, ".conda", "environments.txt")) or ""
    for line in listed.splitlines():
        if line.strip():
            add(line.strip())
    return found


def conda_hint(env_dir: str) -> Hint | None:
    """The python version conda installed in *env_dir*, from ``conda-meta/python-X.Y.Z-*.json``."""
    import re  # conda is searched late, after the common places had no match

    try:
        names = os.listdir(os.path.join(env_dir, "conda-meta"))
    except OSError:
        return None
    for name in names:
        match = re.fullmatch(r"python-(\d+)\.(\d+)\.(\d+)-(.*)\.json", name)
        if match:
            build = match.group(4).lower()
            implementation = "pypy" if "pypy" in build else None
            threaded = True if re.search(r"cp3\d+t", build) else None
            return Hint(implementation, tuple(int(part) for part in match.groups()[:3]), threaded)
    return None
