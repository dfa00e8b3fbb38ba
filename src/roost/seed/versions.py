"""What a wheel says about itself: its file name, tags and ``Requires-Python``, without :mod:`packaging`.

Choosing a seed wheel sits on the warm path, where importing :mod:`packaging` would cost
more than the whole choice.  Version order and specifier clauses come from
:mod:`roost.pep440`; this adds what seeding needs on top (PEP 427): checking a target
Python version against ``Requires-Python`` the way pip does, reading a wheel's file name,
deciding whether its tags fit a target interpreter, and reading the facts the seed index
remembers from inside a wheel (:func:`read_wheel_facts`).  Cold path only: a warm run
reads the seed index instead.
"""

from __future__ import annotations

import os
import re

from ..pep440 import SpecifierError, parse_clause, parse_version, version_key

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from ..discovery.interpreter import Interpreter
    from .wheels import WheelFacts


def canonical_name(name: str) -> str:
    """PEP 503 normalised project name: ``Foo_Bar`` -> ``foo-bar``."""
    return re.sub(r"[-_.]+", "-", name).lower()


def python_allowed(requires_python: str | None, target: tuple[int, ...]) -> bool:
    """Does ``Requires-Python`` admit a Python of release *target* (e.g. ``(3, 11, 7)``)?

    Like pip, a specifier that cannot be parsed is ignored as a whole (the wheel is allowed).
    """
    if not requires_python or not requires_python.strip():
        return True
    try:
        clauses = [parse_clause(text) for text in requires_python.split(",") if text.strip()]
    except SpecifierError:
        return True
    python = parse_version(".".join(str(part) for part in target))
    assert python is not None  # a release tuple always reads as a version
    return all(clause.allows(python) for clause in clauses)


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
        """A wheel for any platform (ABI ``none``, platform ``any``): -r prefers a binary one, as pip does."""
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


def file_digest(path: str, algorithm: str = "sha256") -> str:
    """The hex digest of the file at *path* (read in 1 MiB blocks)."""
    import hashlib

    hasher = hashlib.new(algorithm)
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            hasher.update(block)
    return hasher.hexdigest()


def read_wheel_facts(path: str) -> WheelFacts:
    """Name, version, Requires-Python, digest and build date of a wheel (opens the zip; cold path)."""
    import zipfile

    parsed = WheelName.parse(os.path.basename(path))
    if parsed is None:
        raise ValueError(f"{path} is not a wheel file name")
    sha256 = file_digest(path)
    requires_python = None
    newest = (1980, 1, 1, 0, 0, 0)
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise ValueError(f"{path} is not a zip file: {exc}") from None
    with archive:
        metadata = None
        for info in archive.infolist():
            newest = max(newest, info.date_time)
            parts = info.filename.split("/")
            if len(parts) == 2 and parts[0].endswith(".dist-info") and parts[1] == "METADATA":
                metadata = info.filename
        if metadata is None:
            raise ValueError(f"{path} has no .dist-info/METADATA")
        for line in archive.read(metadata).decode("utf-8", "replace").splitlines():
            if not line.strip():
                break  # headers end at the first blank line
            key, _, value = line.partition(":")
            if key.strip().lower() == "requires-python":
                requires_python = value.strip()
    import calendar

    return {
        "name": parsed.name,
        "version": parsed.version,
        "requires_python": requires_python,
        "sha256": sha256,
        # The newest time stamp inside the wheel stands in for its release date: it works
        # for any index (and offline), where asking the index would not.
        "released": float(calendar.timegm(newest + (0, 0, 0))),
    }
