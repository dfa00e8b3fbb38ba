"""``-r FILE``: read the requirement files and lock files for one target, judging markers.

Markers are evaluated with :mod:`packaging` against the *target*'s marker environment,
built from the interpreter facts discovery already has.  Two names are not among those
facts, ``platform_release`` and ``platform_version`` (the kernel's release and build
string): a marker naming either, or one :mod:`packaging` cannot evaluate, is not judged by
roost; that requirement goes to pip inside the environment, which judges it there.
"""

from __future__ import annotations

import os
import re

from .pylock import is_lock_file, read_lock
from .reqfile import RequirementSet, read_requirements

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from packaging.markers import Marker

    from ..discovery.interpreter import Interpreter

# Marker names roost cannot know for the target without running it.
UNKNOWN_NAMES = ("platform_release", "platform_version")
_SYSTEMS = {"linux": "Linux", "darwin": "Darwin", "win32": "Windows", "cygwin": "CYGWIN_NT", "freebsd": "FreeBSD"}
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")


def marker_environment(interpreter: Interpreter) -> dict[str, str]:
    """The target's PEP 508 marker values that the interpreter facts determine."""
    info = interpreter.version_info
    full = interpreter.version_str
    if info[3] != "final":
        full += {"alpha": "a", "beta": "b", "candidate": "rc"}.get(str(info[3]), str(info[3])) + str(info[4])
    environment = {
        "python_version": interpreter.major_minor,
        "python_full_version": full,
        "implementation_name": {"GraalVM": "graalpy"}.get(interpreter.implementation, interpreter.implementation.lower()),
        "platform_python_implementation": interpreter.implementation,
        "os_name": interpreter.os,
        "sys_platform": interpreter.platform,
        "extra": "",
    }
    if interpreter.implementation == "CPython":
        environment["implementation_version"] = full
    system = next((value for key, value in _SYSTEMS.items() if interpreter.platform.startswith(key)), None)
    if system is not None:
        environment["platform_system"] = system
    machine = _raw_machine(interpreter)
    if machine is not None:
        environment["platform_machine"] = machine
    return environment


def _raw_machine(interpreter: Interpreter) -> str | None:
    """``platform.machine()`` as the target reports it (discovery keeps a normalised name)."""
    machine = interpreter.machine
    if interpreter.os == "nt":
        return {"x86_64": "AMD64", "aarch64": "ARM64"}.get(machine)
    if interpreter.platform == "darwin":
        return {"aarch64": "arm64"}.get(machine, machine)
    return None if machine == "x86" else machine  # x86 stands for i386, i586 and i686


class MarkerJudge:
    """Evaluates markers for one target: True, False, or None when roost cannot tell."""

    def __init__(self, interpreter: Interpreter) -> None:
        self.environment = marker_environment(interpreter)
        self.missing = [
            name
            for name in (*UNKNOWN_NAMES, "implementation_version", "platform_system", "platform_machine")
            if name not in self.environment
        ]

    def __call__(self, marker: Marker, groups: frozenset[str], extras: frozenset[str] = frozenset()) -> bool | None:
        """Judge *marker*; *groups* and *extras* are a lock file's selected groups and extras."""
        names = _QUOTED.sub("", str(marker))
        if any(re.search(rf"\b{name}\b", names) for name in self.missing):
            return None
        environment: dict[str, object] = dict(self.environment)
        try:
            if "dependency_groups" in names or "extras" in names:
                environment.update(extras=set(extras), dependency_groups=set(groups))
                return bool(marker.evaluate(environment, "lock_file"))  # type: ignore[arg-type,call-arg,unused-ignore]
            return bool(marker.evaluate(environment))  # type: ignore[arg-type,unused-ignore]
        except Exception:  # noqa: BLE001  (packaging raises several kinds; any means "cannot tell")
            return None

    def with_extra(self, marker: Marker, extra: str) -> bool | None:
        """Judge a dependency's marker for one requested *extra* ("" for none)."""
        names = _QUOTED.sub("", str(marker))
        if any(re.search(rf"\b{name}\b", names) for name in self.missing):
            return None
        environment = dict(self.environment, extra=extra)
        try:
            return bool(marker.evaluate(environment))
        except Exception:  # noqa: BLE001
            return None


def read_set(
    paths: Sequence[str], interpreter: Interpreter, env: Mapping[str, str], relative_to: str | None = None
) -> tuple[RequirementSet, MarkerJudge]:
    """Read every ``-r`` file (requirements files and pylock files) into one set.

    *relative_to*: the folder relative paths in the (top-level) requirements files start from.
    """
    judge = MarkerJudge(interpreter)
    result = RequirementSet()
    for path in paths:
        path = os.path.expanduser(os.fspath(path))
        if is_lock_file(path):
            read_lock(path, interpreter, judge, into=result)
        else:
            read_requirements(path, env, judge, into=result, relative_to=relative_to)
    if result.wanted:
        from .reqfile import check_constraints

        check_constraints(result, env, judge)
    from ..errors import UsageError

    if result.require_hashes or any(wanted.hashes for wanted in result.wanted):
        unhashed = [wanted for wanted in result.wanted if not wanted.hashes]
        if unhashed:
            first = unhashed[0]
            raise UsageError(
                f"{first.origin}: {first.text} has no --hash, but hashes are required (another requirement has one)",
                "add --hash=sha256:... to every pinned requirement (pip hash FILE prints it)",
            )
    return result, judge
