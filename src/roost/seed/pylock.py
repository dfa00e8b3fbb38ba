"""Reading a PEP 751 lock file (``pylock.toml``, ``pylock.NAME.toml``) into a :class:`RequirementSet`.

What the specification's installation steps ask, roost does: refuse a ``lock-version`` it
does not know (major version other than 1), refuse a target that matches none of
``environments`` or falls outside ``requires-python``, then keep each package whose
``marker`` holds for the target (the lock's ``default-groups``, no extras).  A package with
``wheels`` gets the wheel whose tags fit the target, with that wheel's hashes; its ``path``
(relative to the lock file) or ``url`` says where the file is, else the package index has
it by name and version.  A package with only an ``sdist`` is built by pip and kept in the
wheel house; ``vcs``, ``directory`` and ``archive`` entries go to pip.  Hashes are always
checked.  TOML comes from :mod:`tomllib` (Python 3.11+) or ``tomli``.
"""

from __future__ import annotations

import os
import sys

from ..errors import UsageError
from .reqfile import HASH_ALGORITHMS, Handoff, RequirementSet, Wanted, canonical

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from typing import Any

    from ..discovery.interpreter import Interpreter
    from .reqfile import Judge


def is_lock_file(path: str) -> bool:
    """``pylock.toml`` or ``pylock.NAME.toml`` (PEP 751's names)."""
    name = os.path.basename(path)
    return name.startswith("pylock.") and name.endswith(".toml")


def _load_toml(path: str) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # the tomli dependency
        import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]  # not installed where mypy runs on 3.11+
    try:
        with open(path, "rb") as handle:
            data: dict[str, Any] = tomllib.load(handle)
    except OSError as exc:
        raise UsageError(f"cannot read lock file {path}: {exc.strerror or exc}", "check the -r path") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path} is not valid TOML: {exc}", "regenerate the lock file") from None
    return data


def read_lock(path: str, interpreter: Interpreter, judge: Judge, into: RequirementSet | None = None) -> RequirementSet:
    """Read the lock file at *path* for *interpreter*'s environment."""
    from .versions import WheelName, python_allowed

    path = os.path.abspath(path)
    data = _load_toml(path)
    result = into if into is not None else RequirementSet()
    result.sources.append(path)
    version = str(data.get("lock-version", ""))
    if version.split(".")[0] != "1":
        raise UsageError(f"{path}: lock-version {version or '(missing)'} is not one roost reads", "roost reads lock-version 1.x")
    target = f"{interpreter.implementation} {interpreter.version_str}"
    groups = frozenset(str(group) for group in data.get("default-groups", ()))
    environments = data.get("environments")
    if environments:
        verdicts = [_judge_text(str(marker), judge, groups, path) for marker in environments]
        if True not in verdicts and None not in verdicts:
            raise UsageError(f"{path} is not locked for {target} (environments: {'; '.join(environments)})", "lock again")
    if not python_allowed(data.get("requires-python"), tuple(interpreter.version_info[:3])):
        raise UsageError(f"{path} needs Python {data['requires-python']}, not {target}", "choose another interpreter with -p")
    folder = os.path.dirname(path)
    for number, package in enumerate(data.get("packages", ()), 1):
        if not isinstance(package, dict) or "name" not in package:
            raise UsageError(f"{path}: package {number} has no name", "regenerate the lock file")
        name = canonical(str(package["name"]))
        origin = f"{path} [{name}]"
        marker = package.get("marker")
        if marker:
            verdict = _judge_text(str(marker), judge, groups, origin)
            if verdict is False:
                continue
            if verdict is None:
                result.handoffs.append(_handoff(package, name, folder, "a marker roost cannot judge", origin))
                continue
        pinned = package.get("version")
        if "vcs" in package or "directory" in package or "archive" in package or not pinned:
            kind = next((key for key in ("vcs", "directory", "archive") if key in package), "unversioned")
            result.handoffs.append(_handoff(package, name, folder, f"a {kind} entry", origin))
            continue
        wanted = Wanted(name, str(pinned), origin, f"{name}=={pinned}")
        fitting = [
            wheel
            for wheel in package.get("wheels", ())
            if (parsed := WheelName.parse(_file_name(wheel))) is not None and parsed.fits(interpreter)
        ]
        if fitting:
            wheel = fitting[0]
            wanted.hashes = _hashes(wheel, origin)
            if wheel.get("path"):
                wanted.path = os.path.normpath(os.path.join(folder, str(wheel["path"])))
            elif wheel.get("url"):
                wanted.url = str(wheel["url"])
        elif "sdist" in package:
            sdist = package["sdist"]
            wanted.hashes = _hashes(sdist, origin)
            where = sdist.get("path") or sdist.get("url")
            wanted.sdist = os.path.normpath(os.path.join(folder, str(where))) if sdist.get("path") else where
        else:
            raise UsageError(f"{origin}: no wheel in the lock fits {target}, and there is no sdist", "lock again for this target")
        result.add(wanted)
    result.require_hashes = True
    return result


def _file_name(entry: dict[str, Any]) -> str:
    """A wheel's file name: its ``name`` key, else the end of its path or URL."""
    name = entry.get("name") or str(entry.get("path") or entry.get("url") or "").rstrip("/").rsplit("/", 1)[-1]
    return str(name)


def _hashes(entry: dict[str, Any], origin: str) -> dict[str, set[str]]:
    found = {str(key): {str(value).lower()} for key, value in (entry.get("hashes") or {}).items() if key in HASH_ALGORITHMS}
    if not found:
        raise UsageError(f"{origin}: {_file_name(entry)} has no sha256, sha384 or sha512 hash", "lock again with hashes")
    return found


def _judge_text(text: str, judge: Judge, groups: frozenset[str], origin: str) -> bool | None:
    from packaging.markers import InvalidMarker, Marker

    try:
        marker = Marker(text)
    except InvalidMarker as exc:
        raise UsageError(
            f"{origin}: marker {text!r} is not valid ({str(exc).splitlines()[0]})", "regenerate the lock file"
        ) from None
    return judge(marker, groups)


def _handoff(package: dict[str, Any], name: str, folder: str, reason: str, origin: str) -> Handoff:
    """The package as pip takes it: a VCS URL, a folder, an archive, or name==version."""
    if "vcs" in package:
        vcs = package["vcs"]
        url = vcs.get("url") or f"file://{os.path.join(folder, vcs.get('path', ''))}"
        return Handoff([f"{name} @ {vcs.get('type', 'git')}+{url}@{vcs.get('commit-id', '')}"], reason, origin, name)
    if "directory" in package:
        directory = os.path.join(folder, package["directory"].get("path", ""))
        args = ["-e", directory] if package["directory"].get("editable") else [directory]
        return Handoff(args, reason, origin, name)
    if "archive" in package:
        archive = package["archive"]
        where = archive.get("url") or os.path.join(folder, archive.get("path", ""))
        return Handoff([where], reason, origin, name)
    version = package.get("version")
    return Handoff([f"{name}=={version}" if version else name], reason, origin, name)
