"""Interpreter: the facts about one Python installation, as the probe reported them.

This is the one shape every phase shares: discovery produces it, the creator lays out an
environment from it and the seeder picks wheels and builds images for it.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~4 ms)
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

PROBE_VERSION = 1

_FIELDS = (
    "implementation",
    "version_info",
    "version",
    "executable",
    "system_executable",
    "prefix",
    "exec_prefix",
    "base_prefix",
    "base_exec_prefix",
    "in_venv",
    "architecture",
    "machine",
    "platform",
    "os",
    "scheme",
    "paths",
    "config",
    "free_threaded",
    "shared_library",
    "abiflags",
    "platlibdir",
    "cache_tag",
    "ensurepip_dir",
    "ensurepip_wheel_dirs",
    "has_venv",
    "stdlib",
    "sys_path",
    "filesystem_encoding",
    "max_size",
    "probe_version",
    "found_by",
    "default_scheme",
    "site_packages",
)
# Facts an older probe may not report, with the value to assume.
_OPTIONAL: dict[str, Any] = {
    "found_by": "",
    "probe_version": PROBE_VERSION,
    "cache_tag": None,
    "ensurepip_dir": None,
    "default_scheme": None,
    "site_packages": (),
}


class VersionInfo(tuple):  # type: ignore[type-arg]
    """``sys.version_info`` of an interpreter: a plain 5-tuple with its field names.

    API users reach for ``interpreter.version_info.major`` as they do with virtualenv; a
    tuple subclass rather than a namedtuple keeps :mod:`collections` off the warm path.
    """

    __slots__ = ()

    @property
    def major(self) -> int:
        return int(self[0])

    @property
    def minor(self) -> int:
        return int(self[1])

    @property
    def micro(self) -> int:
        return int(self[2])

    @property
    def releaselevel(self) -> str:
        return str(self[3])

    @property
    def serial(self) -> int:
        return int(self[4])

    def __repr__(self) -> str:
        return "VersionInfo(major={!r}, minor={!r}, micro={!r}, releaselevel={!r}, serial={!r})".format(*self)


class Interpreter:
    """What roost knows about one interpreter (all values as the probe saw them).

    A plain slotted class rather than a dataclass: it sits on the warm path, and
    ``dataclasses`` pulls in ``inspect`` (~10 ms of imports).  Treat instances as immutable.
    """

    implementation: str  # "CPython", "PyPy", "GraalVM", ...
    version_info: VersionInfo  # (major, minor, micro, releaselevel, serial)
    version: str  # sys.version
    executable: str  # sys.executable as the interpreter reported it
    system_executable: str  # the real interpreter behind a venv or shim
    prefix: str
    exec_prefix: str
    base_prefix: str
    base_exec_prefix: str
    in_venv: bool
    architecture: int  # 32 or 64
    machine: str  # normalised: x86_64, aarch64, ...
    platform: str  # sys.platform
    os: str  # os.name
    scheme: str  # the sysconfig scheme a venv of this interpreter uses
    paths: Mapping[str, str]  # scheme paths relative to an environment's root
    config: Mapping[str, Any]  # selected sysconfig config vars
    free_threaded: bool
    shared_library: bool
    abiflags: str
    platlibdir: str
    cache_tag: str | None
    ensurepip_dir: str | None
    ensurepip_wheel_dirs: tuple[str, ...]
    has_venv: bool
    stdlib: str | None
    sys_path: tuple[str, ...]
    filesystem_encoding: str
    max_size: int
    probe_version: int
    # Where discovery found it ("running roost", "PATH", "pyenv", ...); not from the probe.
    found_by: str
    default_scheme: str | None  # where it installs outside a venv (Debian: posix_local)
    site_packages: tuple[str, ...]  # the system site-packages folders (Debian: dist-packages)

    __slots__ = _FIELDS

    def __init__(self, data: Mapping[str, Any], found_by: str = "") -> None:
        missing = [name for name in _FIELDS if name not in data and name not in _OPTIONAL]
        if missing:
            raise ValueError(f"interpreter facts lack {', '.join(missing)}")
        for name in _FIELDS:
            setattr(self, name, data.get(name, _OPTIONAL.get(name)))
        # Normalise the JSON lists into tuples so facts compare and hash predictably.
        self.version_info = VersionInfo(data["version_info"])
        self.ensurepip_wheel_dirs = tuple(data.get("ensurepip_wheel_dirs") or ())
        self.sys_path = tuple(data.get("sys_path") or ())
        self.site_packages = tuple(data.get("site_packages") or ())
        self.found_by = found_by or data.get("found_by") or ""

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], found_by: str = "") -> Interpreter:
        """Build from the probe's JSON; unknown keys are ignored so old caches can't crash us."""
        return cls(data, found_by)

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form, the inverse of :meth:`from_dict`."""
        data = {name: getattr(self, name) for name in _FIELDS}
        data["version_info"] = list(self.version_info)
        data["ensurepip_wheel_dirs"] = list(self.ensurepip_wheel_dirs)
        data["sys_path"] = list(self.sys_path)
        data["site_packages"] = list(self.site_packages)
        data["paths"] = dict(self.paths)
        data["config"] = dict(self.config)
        return data

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Interpreter):
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in _FIELDS if name != "found_by")

    def __hash__(self) -> int:
        return hash((self.system_executable, self.version_info, self.implementation))

    def __repr__(self) -> str:
        return f"Interpreter({self.describe!r})"

    # -- derived facts --------------------------------------------------------------------

    @property
    def major_minor(self) -> str:
        """``"3.12"``."""
        return f"{self.version_info[0]}.{self.version_info[1]}"

    @property
    def version_str(self) -> str:
        """``"3.12.1"``."""
        return ".".join(str(part) for part in self.version_info[:3])

    @property
    def is_pypy(self) -> bool:
        return self.implementation == "PyPy"

    @property
    def is_windows(self) -> bool:
        return self.os == "nt"

    # -- virtualenv's PythonInfo API, for tools that read it (tox, poetry, pdm) -----------
    # Derived from the probe's facts without a subprocess, except sysconfig_paths/_vars/
    # _scheme (rarely read), which ask the interpreter once (roost._api_facts).

    @property
    def debug_build(self) -> bool:
        """Built with ``Py_DEBUG``: its ABI flags carry ``d`` (POSIX; Windows builds report no flags)."""
        return "d" in (self.abiflags or "")

    @property
    def version_nodot(self) -> str:
        """``"312"``: sysconfig's ``py_version_nodot``."""
        return str(self.config.get("py_version_nodot") or f"{self.version_info[0]}{self.version_info[1]}")

    @property
    def python_name(self) -> str:
        """``"python3.12"``."""
        return f"python{self.major_minor}"

    @property
    def system_prefix(self) -> str:
        """The prefix of the installation behind any venv (``sys.base_prefix``)."""
        return self.base_prefix or self.prefix

    @property
    def system_exec_prefix(self) -> str:
        """``sys.base_exec_prefix``."""
        return self.base_exec_prefix or self.exec_prefix

    @property
    def spec(self) -> str:
        """``CPython3.12.1.final.0-64-x86_64``: virtualenv's spec string for this interpreter."""
        version = ".".join(str(part) for part in self.version_info)
        flags = ("t" if self.free_threaded else "") + ("d" if self.debug_build else "")
        return f"{self.implementation}{version}{flags}-{self.architecture}-{self.machine}"

    @property
    def marker_environment(self) -> dict[str, str]:
        """The PEP 508 marker environment (``packaging.markers.default_environment()`` in the target).

        The kernel facts (``platform_release``, ``platform_system``, ``platform_version``)
        are this machine's, which the target shares: roost only makes environments for
        interpreters of the operating system it runs on.
        """
        from .._api_facts import marker_environment

        return marker_environment(self)

    def satisfies(self, spec: object, *, impl_must_match: bool = True) -> bool:
        """Whether this interpreter matches *spec*: a spec string, roost's ``PythonSpec``, or
        virtualenv's (read through its text), as virtualenv's ``PythonInfo.satisfies``."""
        from .._api_facts import satisfies

        return satisfies(self, spec, impl_must_match)

    @property
    def sysconfig_scheme(self) -> str | None:
        """The sysconfig scheme virtualenv reads paths from (``venv`` on 3.11+, else None)."""
        from .._api_facts import sysconfig_facts

        scheme: str | None = sysconfig_facts(self)["scheme"]
        return scheme

    @property
    def sysconfig_paths(self) -> dict[str, str]:
        """The scheme's path templates, unexpanded (``{base}/lib/python{py_version_short}/...``)."""
        from .._api_facts import sysconfig_facts

        return dict(sysconfig_facts(self)["paths"])

    @property
    def sysconfig_vars(self) -> dict[str, Any]:
        """The config variables those templates name, plus the ones virtualenv always reads."""
        from .._api_facts import sysconfig_facts

        return dict(sysconfig_facts(self)["vars"])

    @property
    def implementation_tag(self) -> str:
        """Short lowercase implementation name: ``cpython``, ``pypy``, ``graalpy``."""
        return {"CPython": "cpython", "PyPy": "pypy", "GraalVM": "graalpy"}.get(self.implementation, self.implementation.lower())

    @property
    def describe(self) -> str:
        """One-line summary used in messages: ``CPython 3.12.1 (x86_64) /usr/bin/python3.12``."""
        threading = "t" if self.free_threaded else ""
        return f"{self.implementation} {self.version_str}{threading} ({self.machine}) {self.system_executable}"

    def executable_names(self) -> list[str]:
        """Names an environment's bin dir offers for this interpreter, the canonical one first."""
        major, minor = self.version_info[0], self.version_info[1]
        suffix = "t" if self.free_threaded else ""
        if self.is_windows:
            names = ["python.exe", "pythonw.exe"]
            if self.is_pypy:
                names += ["pypy3.exe", "pypyw.exe", f"pypy{major}.{minor}.exe"]
            return names
        names = [f"python{major}.{minor}{suffix}", f"python{major}", "python"]
        if suffix:
            names.insert(1, f"python{major}{suffix}")
            names.insert(2, f"python{suffix}")
        if self.is_pypy:
            names += [f"pypy{major}.{minor}", f"pypy{major}", "pypy"]
        return names

    @property
    def real_system_executable(self) -> str:
        """The system executable with every symlink resolved."""
        return os.path.realpath(self.system_executable)
