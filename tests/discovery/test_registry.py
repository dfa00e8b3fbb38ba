"""PEP 514 registry discovery, on recorded registry data.

There is no Windows machine here, so the registry is a recording: the keys and values a
python.org installer (per-user and all-users, 64- and 32-bit, free-threaded, ARM64) and an
Anaconda install write, as PEP 514 documents them.  The code reading it is the same that
reads the real registry through ``winreg`` on Windows.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from roost.appdata import AppData
from roost.discovery import _first_match
from roost.discovery import registry as registry_module
from roost.discovery.cache import FactsCache
from roost.discovery.finders import Finder
from roost.discovery.registry import registry_entries
from roost.discovery.spec import parse_spec

from .conftest import base_env, pyenv_python

VALUES = "@values"
USER = "C:\\Users\\me\\AppData\\Local\\Programs\\Python"


def core(version: str, executable: str | None, install: str, architecture: str | None = "64bit") -> dict[str, object]:
    values: dict[str, object] = {"DisplayName": f"Python {version}", "Version": version, "SysVersion": version[:4]}
    if architecture:
        values["SysArchitecture"] = architecture
    install_path: dict[str, object] = {"": install}
    if executable:
        install_path["ExecutablePath"] = executable
        install_path["WindowedExecutablePath"] = executable.replace("python", "pythonw")
    return {VALUES: values, "InstallPath": {VALUES: install_path}}


RECORDED: dict[str, object] = {
    "HKEY_CURRENT_USER": {
        "Software": {
            "Python": {
                "PyLauncher": {VALUES: {"InstallDir": "C:\\Windows"}},
                "PythonCore": {
                    "3.12": core("3.12.1", f"{USER}\\Python312\\python.exe", f"{USER}\\Python312\\"),
                    "3.13t": core("3.13.0", f"{USER}\\Python313\\python3.13t.exe", f"{USER}\\Python313\\"),
                    "3.12-arm64": core("3.12.1", f"{USER}\\Python312-arm64\\python.exe", f"{USER}\\Python312-arm64\\"),
                    "3.9": {VALUES: {"Version": "3.9.13"}},  # a broken leftover without InstallPath
                },
            }
        }
    },
    "HKEY_LOCAL_MACHINE": {
        "Software": {
            "Python": {
                "PythonCore": {"3.11": core("3.11.7", None, "C:\\Program Files\\Python311", architecture=None)},
                "ContinuumAnalytics": {
                    "Anaconda39-64": {
                        VALUES: {"DisplayName": "Anaconda py39", "SysArchitecture": "64bit", "SysVersion": "3.9"},
                        "InstallPath": {VALUES: {"": "C:\\Anaconda3", "ExecutablePath": "C:\\Anaconda3\\python.exe"}},
                    }
                },
            },
            "WOW6432Node": {
                "Python": {
                    "PythonCore": {
                        "3.10-32": core("3.10.11", None, "C:\\Program Files (x86)\\Python310-32", architecture=None),
                    }
                }
            },
        }
    },
}


class RecordedRegistry:
    """A registry read from nested dicts; key lookups ignore case, as Windows does."""

    def __init__(self, data: dict[str, object]) -> None:
        self.data = data

    def _node(self, hive: str, key: str) -> dict[str, object] | None:
        node: object = self.data.get(hive)
        for part in key.split("\\"):
            if not isinstance(node, dict):
                return None
            node = next((value for name, value in node.items() if name.lower() == part.lower()), None)
        return node if isinstance(node, dict) else None

    def subkeys(self, hive: str, key: str) -> list[str]:
        node = self._node(hive, key)
        return [name for name in node if name != VALUES] if node else []

    def values(self, hive: str, key: str) -> dict[str, object]:
        node = self._node(hive, key)
        return dict(node.get(VALUES, {})) if node else {}  # type: ignore[call-overload]


def entries() -> list[tuple[str, str, str | None, tuple[int, ...], bool | None, int | None, str | None]]:
    return [
        (e.executable, e.tag, e.hint.implementation, e.hint.version, e.hint.free_threaded, e.hint.architecture, e.hint.machine)
        for e in registry_entries(RecordedRegistry(RECORDED))
    ]


def test_every_registered_interpreter_in_pep_514_order() -> None:
    assert entries() == [
        (f"{USER}\\Python312\\python.exe", "3.12", "cpython", (3, 12, 1), None, 64, None),
        (f"{USER}\\Python313\\python3.13t.exe", "3.13t", "cpython", (3, 13, 0), True, 64, None),
        (f"{USER}\\Python312-arm64\\python.exe", "3.12-arm64", "cpython", (3, 12, 1), None, 64, "aarch64"),
        # PythonCore without ExecutablePath: python.exe in InstallPath; HKLM's 64-bit view
        ("C:\\Program Files\\Python311\\python.exe", "3.11", "cpython", (3, 11, 7), None, 64, None),
        # other companies: the implementation is not assumed; SysVersion is Python's X.Y
        ("C:\\Anaconda3\\python.exe", "Anaconda39-64", None, (3, 9), None, 64, None),
        ("C:\\Program Files (x86)\\Python310-32\\python.exe", "3.10-32", "cpython", (3, 10, 11), None, 32, None),
    ]


@pytest.mark.parametrize(
    ("spec", "tags"),
    [
        ("3.12", ["3.12", "3.12-arm64"]),
        ("3.12-arm64", ["3.12", "3.12-arm64"]),  # an unlabelled machine is left to the probe
        ("3.13t", ["3.13t"]),
        ("3.10-32", ["3.10-32"]),
        ("3.10-64", []),
        ("3.9", ["Anaconda39-64"]),
        ("pypy3.9", ["Anaconda39-64"]),  # the company does not say which implementation: the probe will
    ],
)
def test_hints_prefilter_registry_entries(spec: str, tags: list[str]) -> None:
    parsed = parse_spec(spec)
    kept = [entry.tag for entry in registry_entries(RecordedRegistry(RECORDED)) if parsed.could_match(entry.hint)]
    assert kept == tags


def test_registry_candidates_flow_into_discovery(tmp_path: Path, app_data: AppData, monkeypatch: pytest.MonkeyPatch) -> None:
    # The recording points at this machine's interpreters so the probe can really run them.
    recorded = {
        "HKEY_CURRENT_USER": {
            "Software": {
                "Python": {
                    "PythonCore": {
                        "3.9": core("3.9.18", pyenv_python("3.9"), str(tmp_path)),
                        "3.12": core("3.12.1", pyenv_python("3.12"), str(tmp_path)),
                    }
                }
            }
        }
    }
    monkeypatch.setattr(registry_module, "WindowsRegistry", lambda: RecordedRegistry(recorded))
    finder = Finder(base_env(), tmp_path)
    candidates = list(finder.registry())
    assert [c.found_by for c in candidates] == ["registry", "registry"]
    found = _first_match(parse_spec("3.12"), candidates, FactsCache(app_data, base_env()))
    assert found is not None and found.version_str == "3.12.1" and found.found_by == "registry"
