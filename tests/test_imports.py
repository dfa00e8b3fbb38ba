"""The warm creation path imports only modules it needs (issue 6's import budget).

Each case creates an environment twice with the same app-data folder and records every
module the second (warm) creation imports beyond what the interpreter had imported at
startup, with the module and function that imported it.  A module that is FORBIDDEN, or
missing from ALLOWED, fails the test; the failure names the chain of imports behind it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"

# Runs roost the way its console script does (no runpy: `-m` would add its own imports),
# with a meta-path finder that sees each first import and records who asked for it.  The
# finder answers None, so the imports themselves go on exactly as without it.
DRIVER = """
import sys
log_path = sys.argv[1]
del sys.argv[1]
sys.argv[0] = "roost"
at_start = set(sys.modules)
importers = {}

class Recorder:
    @staticmethod
    def find_spec(name, path=None, target=None):
        frame = sys._getframe(1)
        while frame is not None and (frame.f_code.co_filename.startswith("<frozen importlib")
                                     or frame.f_code.co_filename.endswith("importlib/__init__.py")):
            frame = frame.f_back
        if frame is None:
            importers.setdefault(name, "?")
        else:
            where = frame.f_globals.get("__name__", "?")
            if frame.f_code.co_name != "<module>":
                where += "." + frame.f_code.co_name + "()"
            importers.setdefault(name, where)
        return None

sys.meta_path.insert(0, Recorder)
try:
    from roost.__main__ import main
    code = main()
finally:
    sys.meta_path.remove(Recorder)
    # Only names a finder was asked for and that loaded: a failed optional import (copy tries
    # org.python.core) costs nothing, and typing.io or importlib._bootstrap are aliases, no import.
    loaded = sorted(name for name in importers if name in sys.modules and name not in at_start)
    with open(log_path, "w") as handle:
        handle.write("\\n".join(name + " " + importers[name] for name in loaded))
sys.exit(code)
"""

# Never on the warm path: each is slow to import and stands for work a warm creation must
# not do (spawning, compiling, unzipping, networking, locking, parsing metadata), or for a
# convenience the warm path does without (pathlib, re, json, typing: several ms each here).
FORBIDDEN = frozenset(
    {
        "compileall",
        "zipfile",
        "email",
        "ssl",
        "urllib",
        "http",
        "packaging",
        "filelock",
        "platformdirs",
        "subprocess",
        "tempfile",
        "dataclasses",
        "inspect",
        "logging",
        "hashlib",
        "csv",
        "ast",
        "tokenize",
        "argparse",
        "configparser",
        "pathlib",
        "re",
        "sre_compile",
        "enum",
        "json",
        "typing",
        "threading",
        "shutil",
        "zlib",
        "sysconfig",
    }
)

# Every module the warm path may import beyond interpreter startup, and why it is needed.
# roost's own modules (``roost``, ``roost.*``) are always allowed.
ALLOWED: dict[str, str] = {
    "__future__": "`from __future__ import annotations` in every roost module (house style, Python 3.9)",
    "_sha256": "RECORD hashes of the scripts written into each env: the C module, not hashlib (which loads OpenSSL)",
    "_sha2": "the same as _sha256 on Python 3.12+",
    "fcntl": "flock on DEST/.roost.lock, serialising runs on one DEST (measured 0.2 ms to import with"
    " -X importtime; filelock took 62 ms on the same loaded machine); and the FICLONE ioctl that reflinks seed files",
}


def _top(module: str) -> str:
    return module.split(".", 1)[0]


def _is_roost(module: str) -> bool:
    return module == "roost" or module.startswith("roost.") or module.startswith("roost(")


class ImportLog:
    """The modules one run imported first-hand, each with the module (and function) that asked."""

    def __init__(self, text: str) -> None:
        self.importer: dict[str, str] = {}
        for line in text.splitlines():
            name, _, where = line.partition(" ")
            self.importer[name] = where

    @property
    def modules(self) -> set[str]:
        """Every module imported after the interpreter had started."""
        return set(self.importer)

    def links(self, module: str) -> list[str]:
        """``[subprocess, roost.discovery.probe(), roost.discovery, ...]``: who pulled *module* in."""
        links = [module]
        current = module
        while current in self.importer and len(links) < 30:
            where = self.importer[current]
            links.append(where)
            current = where.rsplit(".", 1)[0] if where.endswith("()") else where
            if current == links[-2]:
                break
        return links

    def chain(self, module: str) -> str:
        """The :meth:`links` of *module* as ``a <- b <- c``."""
        return " <- ".join(self.links(module))

    def culprit(self, module: str) -> tuple[str, str]:
        """(roost code, module it imported) through which *module* arrived."""
        links = self.links(module)
        for index in range(1, len(links)):
            if _is_roost(links[index]):
                return links[index], links[index - 1]
        return links[-1], links[-2] if len(links) > 1 else module


def _environment(tmp_path: Path) -> dict[str, str]:
    # No user configuration, no PYTHONPATH/PYTHONHOME/PYTHONSTARTUP; PYTHONDONTWRITEBYTECODE
    # may stay (it changes no import, and spares the checkout __pycache__ folders).
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("ROOST_", "VIRTUALENV_", "PYTHON")) or key == "PYTHONDONTWRITEBYTECODE"
    }
    env.pop("VIRTUAL_ENV", None)
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")  # no user config file
    # A periodic update may land a newer pip between the two runs, and the second one would
    # then rightly take the cold path (new wheel, new image): keep the second run warm.
    env["ROOST_NO_PERIODIC_UPDATE"] = "1"
    return env


@pytest.fixture(scope="module")
def clean_python(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A venv's python seeing roost's source and its dependencies, as an installed roost would.

    The test's own interpreter may import a lot at startup (``.pth`` files of everything
    installed beside pytest: pathlib, re, typing ...), which would hide those imports from
    the check.  This venv's site imports next to nothing; a path-only ``.pth`` (no import
    lines) makes roost's source and the test interpreter's site-packages importable.
    """
    venv = tmp_path_factory.mktemp("clean") / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, env=_environment(venv.parent))
    python = venv / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    outer = [path for path in sys.path if path.endswith(("site-packages", "dist-packages")) and os.path.isdir(path)]
    Path(purelib, "_roost_test_paths.pth").write_text("\n".join([str(SRC)] + outer) + "\n")
    return str(python)


def _run(python: str, args: list[str], env: dict[str, str], log: Path) -> subprocess.CompletedProcess[str]:
    command = [python, "-c", DRIVER, str(log)] + args
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)


def _warm_import_log(python: str, tmp_path: Path, flags: list[str]) -> ImportLog:
    env = _environment(tmp_path)
    common = ["--app-data", str(tmp_path / "app-data")] + flags
    first = _run(python, common + [str(tmp_path / "first")], env, tmp_path / "first.log")
    assert first.returncode == 0, f"the cold creation failed:\n{first.stdout}{first.stderr}"
    second = _run(python, common + [str(tmp_path / "second")], env, tmp_path / "second.log")
    assert second.returncode == 0, f"the warm creation failed:\n{second.stdout}{second.stderr}"
    assert (tmp_path / "second" / "pyvenv.cfg").is_file()
    return ImportLog((tmp_path / "second.log").read_text())


_VERSION = f"{sys.version_info[0]}.{sys.version_info[1]}"


# How many of roost's own modules a warm creation may load.  Each costs ~0.1 ms of import
# machinery alone on a slow machine (finding, stat, reading, module object), whatever its
# size: modules always loaded together are one module.  Raise a budget only for a reason.
BARE_BUDGET = 17
REQUIREMENT_MODULES = ("roost.seed.req", "roost.seed.pylock")
SEEDED_BUDGET = 23


@pytest.mark.slow  # two environments per case
@pytest.mark.parametrize(
    ("flags", "budget"),
    [
        (["-p", sys.executable, "--no-seed"], BARE_BUDGET),
        (["-p", sys.executable], SEEDED_BUDGET),
        (["--no-seed"], BARE_BUDGET),  # no -p: the interpreter running roost (or a .python-version file)
        # A version: parsed (discovery.spec, .hints), found without searching PATH when roost runs on it.
        (["-p", _VERSION, "--no-seed"], BARE_BUDGET + 2),
    ],
    ids=["bare", "seeded", "bare-no-spec", "bare-version-spec"],
)
def test_warm_creation_imports_only_allowed_modules(clean_python: str, tmp_path: Path, flags: list[str], budget: int) -> None:
    log = _warm_import_log(clean_python, tmp_path, flags)
    forbidden = {module for module in log.modules if _top(module) in FORBIDDEN}
    unexplained = {module for module in log.modules if not _is_roost(module) and module not in ALLOWED} - forbidden
    assert not (forbidden or unexplained), "the warm creation path imports:\n" + _explain(log, forbidden, unexplained)
    own = sorted(module for module in log.modules if _is_roost(module))
    assert len(own) <= budget, f"{len(own)} roost modules (budget {budget}): {', '.join(own)}"
    # -r's machinery (requirement files, pylock, markers, dependency checks) loads only with -r.
    requirement_modules = [module for module in own if module.startswith(REQUIREMENT_MODULES)]
    assert not requirement_modules, f"the warm path without -r imports {', '.join(requirement_modules)}"


def _explain(log: ImportLog, forbidden: set[str], unexplained: set[str]) -> str:
    """One line per import in roost's code that brought in what is not allowed."""
    by_cause: dict[tuple[str, str], list[str]] = {}
    for module in sorted(forbidden | unexplained):
        by_cause.setdefault(log.culprit(module), []).append(module)
    lines = []
    for (where, entry), modules in sorted(by_cause.items()):
        bad = [module for module in modules if module in forbidden]
        other = [module for module in modules if module not in forbidden]
        what = (f"FORBIDDEN {', '.join(bad)}" if bad else "") + ("; " if bad and other else "")
        what += f"not in ALLOWED {', '.join(other)}" if other else ""
        lines.append(f"- {where} imports {entry}, bringing {what}\n    e.g. {log.chain(modules[0])}")
    return "\n".join(lines)


def test_allow_list_explains_every_entry_and_forbids_nothing_forbidden() -> None:
    assert all(reason.strip() for reason in ALLOWED.values())
    assert not [module for module in ALLOWED if _top(module) in FORBIDDEN]


def test_import_log_names_the_importer() -> None:
    log = ImportLog(
        "\n".join(
            [
                "_json json.scanner",
                "json roost.discovery",
                "json.scanner json.decoder",
                "json.decoder json",
                "roost.discovery roost.session.build_session()",
                "roost.session roost.__main__.main()",
                "select subprocess",
                "subprocess roost.discovery.probe()",
            ]
        )
    )
    assert "select" in log.modules
    assert log.chain("_json") == (
        "_json <- json.scanner <- json.decoder <- json <- roost.discovery <- roost.session.build_session()"
        " <- roost.__main__.main()"
    )
    assert log.culprit("_json") == ("roost.discovery", "json")
    assert log.culprit("select") == ("roost.discovery.probe()", "subprocess")
    assert log.chain("select") == (
        "select <- subprocess <- roost.discovery.probe() <- roost.session.build_session() <- roost.__main__.main()"
    )
