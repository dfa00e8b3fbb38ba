"""Version ordering, ``Requires-Python`` checks and wheel file names, without :mod:`packaging`.

Choosing a seed wheel sits on the warm path, where importing :mod:`packaging` would cost
more than the whole choice.  This covers what seeding needs from PEP 440 and PEP 427:
ordering versions (epoch, release, pre, post, dev; local labels after the public part),
checking a target Python version against ``Requires-Python``, reading a wheel's file
name and deciding whether its tags fit a target interpreter.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from typing import Any

    from ..discovery.interpreter import Interpreter

    VersionKey = tuple[Any, ...]

_VERSION_PATTERN = r"""^\s*v?
    (?:(?P<epoch>\d+)!)?
    (?P<release>\d+(?:\.\d+)*)
    (?:[-_.]?(?P<pre_l>a|b|c|rc|alpha|beta|pre|preview)[-_.]?(?P<pre_n>\d+)?)?
    (?:-(?P<post_n1>\d+)|[-_.]?(?P<post_l>post|rev|r)[-_.]?(?P<post_n2>\d+)?)?
    (?:[-_.]?(?P<dev_l>dev)[-_.]?(?P<dev_n>\d+)?)?
    (?:\+(?P<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?
    \s*$"""
_compiled: dict[str, re.Pattern[str]] = {}


def _version_re() -> re.Pattern[str]:
    # Compiled on first use: the warm path never parses a version.
    pattern = _compiled.get("version")
    if pattern is None:
        pattern = _compiled["version"] = re.compile(_VERSION_PATTERN, re.VERBOSE | re.IGNORECASE)
    return pattern


_PRE_RANK = {"a": 0, "alpha": 0, "b": 1, "beta": 1, "c": 2, "rc": 2, "pre": 2, "preview": 2}


def canonical_name(name: str) -> str:
    """PEP 503 normalised project name: ``Foo_Bar`` -> ``foo-bar``."""
    return re.sub(r"[-_.]+", "-", name).lower()


def version_key(text: str) -> VersionKey | None:
    """A sort key that orders versions as PEP 440 does, or None if *text* is not a version."""
    match = _version_re().match(text)
    if match is None:
        return None
    release = tuple(int(part) for part in match.group("release").split("."))
    while len(release) > 1 and release[-1] == 0:
        release = release[:-1]
    pre_l, dev_l = match.group("pre_l"), match.group("dev_l")
    post_n = match.group("post_n1") or match.group("post_n2")
    has_post = match.group("post_n1") is not None or match.group("post_l") is not None
    if pre_l is not None:
        pre: tuple[int, ...] = (1, _PRE_RANK[pre_l.lower()], int(match.group("pre_n") or 0))
    elif dev_l is not None and not has_post:
        pre = (0,)  # 1.0.dev1 sorts before 1.0a1
    else:
        pre = (2,)
    post = (1, int(post_n or 0)) if has_post else (0,)
    dev = (0, int(match.group("dev_n") or 0)) if dev_l is not None else (1,)
    local = match.group("local") or ""
    local_key = (
        tuple((1, int(part), "") if part.isdigit() else (0, 0, part) for part in re.split(r"[-_.]", local)) if local else ()
    )
    return (int(match.group("epoch") or 0), release, pre, post, dev, local_key)


def is_prerelease(text: str) -> bool:
    """True for alpha/beta/rc and dev releases (never chosen unless pinned)."""
    key = version_key(text)
    return key is not None and (key[2] != (2,) or key[4] != (1,))


def _release(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def _padded(values: tuple[int, ...], size: int) -> tuple[int, ...]:
    return values + (0,) * (size - len(values))


def _clause_allows(operator: str, version: str, target: tuple[int, ...]) -> bool:
    if operator in ("==", "!=") and version.endswith(".*"):
        prefix = _release(version[:-2])
        matches = _padded(target, len(prefix))[: len(prefix)] == prefix
        return matches if operator == "==" else not matches
    if operator == "===":
        return version == ".".join(str(part) for part in target)
    wanted = version_key(version)
    if wanted is None:
        raise ValueError(version)
    have = version_key(".".join(str(part) for part in target))
    assert have is not None
    if operator == "==":
        return have[:5] == wanted[:5]
    if operator == "!=":
        return have[:5] != wanted[:5]
    if operator == ">=":
        return have >= wanted
    if operator == "<=":
        return have <= wanted
    if operator == ">":
        return have > wanted
    if operator == "<":
        return have < wanted
    if operator == "~=":
        match = _version_re().match(version)
        assert match is not None  # version_key accepted it
        prefix = _release(match.group("release"))[:-1]
        if not prefix:
            raise ValueError(version)
        return have >= wanted and _padded(target, len(prefix))[: len(prefix)] == prefix
    raise ValueError(operator)


_CLAUSE = r"^\s*(~=|===|==|!=|<=|>=|<|>)\s*([^\s,;]+)\s*$"


def python_allowed(requires_python: str | None, target: tuple[int, ...]) -> bool:
    """Does ``Requires-Python`` admit a Python of release *target* (e.g. ``(3, 11, 7)``)?

    Like pip, a specifier that cannot be parsed is ignored (the wheel is allowed).
    """
    if not requires_python or not requires_python.strip():
        return True
    try:
        for clause in requires_python.split(","):
            if not clause.strip():
                continue
            match = re.match(_CLAUSE, clause)
            if match is None:
                return True
            if not _clause_allows(match.group(1), match.group(2), tuple(target)):
                return False
    except ValueError:
        return True
    return True


class WheelName:
    """The parts of a wheel's file name (PEP 427)."""

    __slots__ = ("filename", "name", "version", "python_tags", "abi_tags", "platform_tags")

    def __init__(self, filename: str, name: str, version: str, python: str, abi: str, platform: str) -> None:
        self.filename = filename
        self.name = name
        self.version = version
        self.python_tags = tuple(python.split("."))
        self.abi_tags = tuple(abi.split("."))
        self.platform_tags = tuple(platform.split("."))

    @classmethod
    def parse(cls, filename: str) -> WheelName | None:
        """None when *filename* is not a wheel's name."""
        if not filename.endswith(".whl"):
            return None
        parts = filename[:-4].split("-")
        if len(parts) not in (5, 6):
            return None
        name, version = parts[0], parts[1]
        python, abi, platform = parts[-3], parts[-2], parts[-1]
        if not name or version_key(version) is None:
            return None
        return cls(filename, canonical_name(name), version, python, abi, platform)

    @property
    def is_pure(self) -> bool:
        return self.abi_tags == ("none",) and self.platform_tags == ("any",)

    def fits(self, interpreter: Interpreter) -> bool:
        """Can *interpreter* install this wheel (its python, ABI and platform tags)?"""
        major, minor = interpreter.version_info[0], interpreter.version_info[1]
        short = {"cpython": "cp", "pypy": "pp", "graalpy": "graalpy"}.get(interpreter.implementation_tag, "")
        pythons = {f"py{major}", f"py{major}{minor}"} | {f"py{major}{older}" for older in range(minor)}
        if short:
            pythons |= {f"{short}{major}{minor}", f"{short}{major}"}
        abi3_ok = interpreter.implementation == "CPython" and not interpreter.free_threaded
        if not any(tag in pythons or (abi3_ok and _abi3_python(tag, major, minor)) for tag in self.python_tags):
            return False
        abis = {"none"} | ({"abi3"} if abi3_ok else set()) | {_abi_tag(interpreter)}
        if not any(tag in abis for tag in self.abi_tags):
            return False
        return any(_platform_fits(tag, interpreter) for tag in self.platform_tags)


def _abi3_python(tag: str, major: int, minor: int) -> bool:
    # cp36-abi3 wheels run on any CPython 3.6 or newer.
    if not tag.startswith(f"cp{major}"):
        return False
    rest = tag[len(f"cp{major}") :]
    return rest.isdigit() and int(rest) <= minor


def _abi_tag(interpreter: Interpreter) -> str:
    soabi = str(interpreter.config.get("SOABI") or "")
    if interpreter.implementation == "CPython" and soabi.startswith("cpython-"):
        return "cp" + soabi.split("-")[1]
    if soabi:
        return "_".join(soabi.split("-")[:2]).replace(".", "_")
    return ""


def _platform_fits(tag: str, interpreter: Interpreter) -> bool:
    if tag == "any":
        return True
    machine = interpreter.machine
    if interpreter.platform.startswith("linux"):
        # glibc assumed: musllinux wheels are left out, manylinux versions are not checked.
        return tag.endswith(f"_{machine}") and (tag.startswith("manylinux") or tag.startswith("linux_"))
    if interpreter.platform == "darwin":
        return tag.startswith("macosx_") and (
            tag.endswith(f"_{machine}") or tag.endswith("_universal2") or (machine == "aarch64" and tag.endswith("_arm64"))
        )
    return False
