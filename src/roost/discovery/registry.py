"""Windows: interpreters registered under PEP 514 (``Software\\Python\\<Company>\\<Tag>``).

The walk reads through a small :class:`RegistryReader` interface, so the same code runs on
recorded registry data in the tests (there is no Windows machine in this project's CI) and
on the real registry through :class:`WindowsRegistry`, which imports :mod:`winreg` lazily.
"""

from __future__ import annotations

import re

from .hints import Hint, normalise_machine

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Any, Protocol

    class RegistryReader(Protocol):
        """Read access to a registry: key paths use backslashes, below a hive name."""

        def subkeys(self, hive: str, key: str) -> list[str]:
            """Names of the subkeys of *key*, or [] when it does not exist."""

        def values(self, hive: str, key: str) -> dict[str, object]:
            """Values of *key* by name ("" for the default value), or {} when it does not exist."""


# Where PEP 514 says to look, and the word size an unlabelled PythonCore entry there has.
ROOTS = (
    ("HKEY_CURRENT_USER", "Software\\Python", None),
    ("HKEY_LOCAL_MACHINE", "Software\\Python", 64),
    ("HKEY_LOCAL_MACHINE", "Software\\WOW6432Node\\Python", 32),
)
_TAG = re.compile(r"(?P<version>\d+(?:\.\d+){0,2})(?P<threaded>t)?(?:-(?P<arch>32|64|arm64|arm32))?", re.IGNORECASE)
_COMPANY_IMPLEMENTATIONS = {"pythoncore": "cpython", "pypy": "pypy", "graalpy": "graalpy"}


class RegistryEntry:
    """One registered interpreter: its executable and what the registry says about it."""

    __slots__ = ("executable", "company", "tag", "hint")

    def __init__(self, executable: str, company: str, tag: str, hint: Hint) -> None:
        self.executable = executable
        self.company = company
        self.tag = tag
        self.hint = hint

    def __repr__(self) -> str:
        return f"RegistryEntry({self.company}\\{self.tag}: {self.executable})"


def _join(folder: str, name: str) -> str:
    return folder.rstrip("\\/") + "\\" + name


def registry_entries(reader: RegistryReader) -> Iterator[RegistryEntry]:
    """Every interpreter PEP 514 registers, current user first, in registry order."""
    for hive, root, default_bits in ROOTS:
        for company in reader.subkeys(hive, root):
            if company.lower() == "pylauncher":  # the py.exe launcher's settings, not an interpreter
                continue
            for tag in reader.subkeys(hive, _join(root, company)):
                key = _join(_join(root, company), tag)
                entry = _entry(reader, hive, key, company, tag, default_bits)
                if entry is not None:
                    yield entry


def _entry(reader: RegistryReader, hive: str, key: str, company: str, tag: str, default_bits: int | None) -> RegistryEntry | None:
    install = reader.values(hive, _join(key, "InstallPath"))
    executable = install.get("ExecutablePath")
    core = company.lower() == "pythoncore"
    if not executable and core and install.get(""):
        # PEP 514: PythonCore entries may omit ExecutablePath; python.exe in InstallPath is implied.
        executable = _join(str(install[""]), "python.exe")
    if not executable or not isinstance(executable, str):
        return None
    values = reader.values(hive, key)
    implementation = _COMPANY_IMPLEMENTATIONS.get(company.lower())
    # PEP 514: SysVersion is the Python version (X.Y) for every company; Version is the
    # product's own version, which for PythonCore is Python's full version.
    version_text = str((values.get("Version") if core else None) or values.get("SysVersion") or "")
    tag_match = _TAG.fullmatch(tag)
    if core and tag_match:
        version_text = version_text or tag_match.group("version")
    version = tuple(int(part) for part in re.findall(r"\d+", version_text)[:3])
    architecture = str(values.get("SysArchitecture") or "")
    bits: int | None = int(architecture[:2]) if architecture[:2] in ("32", "64") else None
    machine = None
    if tag_match and tag_match.group("arch"):
        arch = tag_match.group("arch").lower()
        if arch in ("32", "64"):
            bits = int(arch)
        else:
            machine = normalise_machine("arm64" if arch == "arm64" else "arm")
    if bits is None and core:
        bits = default_bits
    threaded = bool(core and tag_match and tag_match.group("threaded"))
    hint = Hint(implementation, version, True if threaded else None, machine, bits)
    return RegistryEntry(executable, company, tag, hint)


def _winreg() -> Any:
    """The winreg module (Windows only), typed loosely so the code checks on any platform."""
    import importlib

    return importlib.import_module("winreg")


class WindowsRegistry:
    """The real registry (Windows only): 64-bit view, so WOW6432Node is read by its own path."""

    def _open(self, hive: str, key: str) -> Any:
        winreg = _winreg()
        access = winreg.KEY_READ | getattr(winreg, "KEY_WOW64_64KEY", 0)
        return winreg.OpenKey(getattr(winreg, hive), key, 0, access)

    def subkeys(self, hive: str, key: str) -> list[str]:
        """Subkey names, or [] when *key* is missing."""
        winreg = _winreg()
        try:
            handle = self._open(hive, key)
        except OSError:
            return []
        names = []
        with handle:
            index = 0
            while True:
                try:
                    names.append(winreg.EnumKey(handle, index))
                except OSError:
                    return names
                index += 1

    def values(self, hive: str, key: str) -> dict[str, object]:
        """Values by name ("" is the default value), or {} when *key* is missing."""
        winreg = _winreg()
        try:
            handle = self._open(hive, key)
        except OSError:
            return {}
        found: dict[str, object] = {}
        with handle:
            index = 0
            while True:
                try:
                    name, value, _kind = winreg.EnumValue(handle, index)
                except OSError:
                    return found
                found[name] = value
                index += 1
