"""Reading pip requirements files (``-r``) into a :class:`RequirementSet`.

The format is pip's (its "Requirements File Format"): one requirement per line with
optional ``--hash`` options, ``#`` comments, ``\\`` continuations, ``${VAR}`` expansion,
nested ``-r``/``-c`` files relative to the file naming them, and pip options that change
where pip finds files (``--index-url``, ``--find-links``, ``--no-index``...).  roost reads
the file for what it can install itself: a requirement pinned with ``==`` (no wildcard) or
``===``.  Everything else is kept, as written, for pip to do in the same run
(:class:`Handoff`).  The pip options become ``PIP_*`` variables of every pip roost runs for
this set (downloads, builds and the hand-off), so they apply as in ``pip install -r``.

A pylock.toml (PEP 751) is read by :mod:`roost.seed.pylock` into the same set.  Loaded only
with ``-r``; it needs :mod:`packaging` to read requirement lines.
"""

from __future__ import annotations

import os
import re

from ..errors import UsageError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Callable

    from packaging.markers import Marker

    # A marker judged for the target: True, False, or None when roost cannot tell.
    Judge = Callable[[Marker, "frozenset[str]"], "bool | None"]

HASH_ALGORITHMS = ("sha256", "sha384", "sha512")  # what pip accepts in --hash
_SIMPLE_PIN = re.compile(r"^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*==\s*([A-Za-z0-9.!+_-]+)\s*$")
_COMMENT = re.compile(r"(^|\s+)#.*$")
_ENV_VAR = re.compile(r"\$\{([A-Z0-9_]+)\}")
_URL_OR_PATH = re.compile(r"^([a-z][a-z0-9+.-]*://|file:|\.{0,2}/|[A-Za-z]:[\\/])|\.(whl|zip|tar\.gz|tgz|tar\.bz2|tar)$")
# pip options in a file that change where it looks: (flag, PIP_ variable, takes a value, appends)
_FILE_OPTIONS = {
    "-i": ("PIP_INDEX_URL", True, False),
    "--index-url": ("PIP_INDEX_URL", True, False),
    "--extra-index-url": ("PIP_EXTRA_INDEX_URL", True, True),
    "--no-index": ("PIP_NO_INDEX", False, False),
    "-f": ("PIP_FIND_LINKS", True, True),
    "--find-links": ("PIP_FIND_LINKS", True, True),
    "--pre": ("PIP_PRE", False, False),
    "--trusted-host": ("PIP_TRUSTED_HOST", True, True),
    "--prefer-binary": ("PIP_PREFER_BINARY", False, False),
    "--only-binary": ("PIP_ONLY_BINARY", True, True),
    "--no-binary": ("PIP_NO_BINARY", True, True),
    "--use-feature": ("PIP_USE_FEATURE", True, True),
}


class Wanted:
    """One distribution roost installs from an image: an exact version, perhaps hashes and a file."""

    __slots__ = ("name", "version", "extras", "hashes", "origin", "text", "url", "path", "sdist")

    def __init__(self, name: str, version: str, origin: str, text: str) -> None:
        self.name = name  # canonical (PEP 503)
        self.version = version
        self.extras: frozenset[str] = frozenset()
        self.hashes: dict[str, set[str]] = {}  # algorithm -> accepted hex digests
        self.origin = origin  # "requirements.txt:3", for messages
        self.text = text  # the requirement as pip would take it (``name==1.0``)
        self.url: str | None = None  # pylock: where the wheel is
        self.path: str | None = None  # pylock: a local wheel file
        self.sdist: str | None = None  # pylock: the sdist pip may build (url or path)

    def __repr__(self) -> str:
        return f"Wanted({self.name}=={self.version})"


class Handoff:
    """What pip installs inside the environment, and why roost does not (one word or two)."""

    __slots__ = ("args", "reason", "origin", "name")

    def __init__(self, args: list[str], reason: str, origin: str, name: str | None = None) -> None:
        self.args = args  # as one line of a requirements file: ["-e", "./proj"], ["foo>=1", "--hash=..."]
        self.reason = reason
        self.origin = origin
        self.name = name  # canonical, when the line names a project

    def __repr__(self) -> str:
        return f"Handoff({' '.join(self.args)!r}, {self.reason})"


class RequirementSet:
    """Everything the ``-r`` files ask for, split into roost's part and pip's part."""

    def __init__(self) -> None:
        self.wanted: list[Wanted] = []
        self.handoffs: list[Handoff] = []
        self.constraints: list[str] = []  # -c files, for pip's part
        self.pip_env: dict[str, str] = {}  # PIP_* from the files' options
        self.require_hashes = False
        self.no_binary: set[str] = set()  # canonical names (":all:" for every one)
        self.sources: list[str] = []  # every file read, for the plan cache
        self.force = False  # reinstall a pin already installed at its version (--force-reinstall)
        self.no_deps = False  # no dependency check (--no-deps)
        self.transient_local = False  # images of local wheel files are not kept (tox's package)

    def add(self, wanted: Wanted) -> None:
        """Add *wanted*; the same name twice must agree (pip refuses double requirements too)."""
        for known in self.wanted:
            if known.name == wanted.name:
                if known.version != wanted.version:
                    raise UsageError(
                        f"{wanted.origin}: {wanted.name}=={wanted.version} conflicts with {known.text} ({known.origin})",
                        "pin each project once",
                    )
                for algorithm, digests in wanted.hashes.items():
                    known.hashes.setdefault(algorithm, set()).update(digests)
                known.extras = known.extras | wanted.extras
                return
        self.wanted.append(wanted)

    def set_option(self, flag: str, value: str | None) -> None:
        """Record one pip option from a file as the PIP_* variable pip reads."""
        variable, _takes_value, appends = _FILE_OPTIONS[flag]
        if value is None:
            self.pip_env[variable] = "1"
        elif appends and variable in self.pip_env:
            self.pip_env[variable] += " " + value
        else:
            self.pip_env[variable] = value
        if flag == "--no-binary" and value is not None:
            from .versions import canonical_name

            self.no_binary.update(":all:" if part == ":all:" else canonical_name(part) for part in value.split(","))


def canonical(name: str) -> str:
    """PEP 503 name."""
    from .versions import canonical_name

    return canonical_name(name)


def logical_lines(text: str) -> list[tuple[int, str]]:
    """(first line number, text) of each logical line: comments gone, continuations joined."""
    lines: list[tuple[int, str]] = []
    pending: list[str] = []
    start = 0
    for number, raw in enumerate(text.splitlines(), 1):
        if not pending:
            start = number
        if raw.endswith("\\") and not raw.endswith("\\\\"):
            pending.append(raw[:-1])
            continue
        pending.append(raw)
        joined = _COMMENT.sub("", "".join(pending)).strip()
        pending = []
        if joined:
            lines.append((start, joined))
    if pending:
        joined = _COMMENT.sub("", "".join(pending)).strip()
        if joined:
            lines.append((start, joined))
    return lines


def _expand(text: str, env: Mapping[str, str]) -> str:
    # pip expands ${NAME} (upper case, digits, underscore) and leaves unknown names alone.
    return _ENV_VAR.sub(lambda match: env.get(match.group(1), match.group(0)), text)


def read_requirements(
    path: str, env: Mapping[str, str], judge: Judge, into: RequirementSet | None = None, relative_to: str | None = None
) -> RequirementSet:
    """Read the requirements file at *path* (and the files it names) into a set.

    Paths in the file are relative to its folder, or to *relative_to* when given (a file
    written for arguments that were given relative to a working folder).
    """
    result = into if into is not None else RequirementSet()
    _read_file(os.path.abspath(path), env, judge, result, [], relative_to)
    return result


def _read_file(
    path: str, env: Mapping[str, str], judge: Judge, result: RequirementSet, stack: list[str], relative_to: str | None = None
) -> None:
    if path in stack:
        raise UsageError(f"{stack[-1]} includes {path}, which includes it again", "remove the loop of -r lines")
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as exc:
        where = f"{stack[-1]}: " if stack else ""
        raise UsageError(f"{where}cannot read requirements file {path}: {exc.strerror or exc}", "check the -r path") from None
    text = raw.decode("utf-8-sig", "replace")
    result.sources.append(path)
    folder = relative_to or os.path.dirname(path)
    for number, line in logical_lines(text):
        origin = f"{path}:{number}"
        _read_line(_expand(line, env), origin, folder, env, judge, result, [*stack, path])


def _split_options(line: str) -> tuple[str, list[str]]:
    """``foo==1 --hash=sha256:ab --hash sha256:cd`` -> ("foo==1", ["--hash=sha256:ab", "--hash", "sha256:cd"])."""
    tokens = line.split()
    for index, token in enumerate(tokens):
        if token.startswith("-") and index:
            return " ".join(tokens[:index]), tokens[index:]
    return line, []


def _option_value(tokens: list[str], index: int, origin: str) -> tuple[str, str, int]:
    """(flag, value, next index) for ``--flag=value`` or ``--flag value``."""
    flag, equals, value = tokens[index].partition("=")
    if equals:
        return flag, value, index + 1
    if flag.startswith("-") and not flag.startswith("--") and len(flag) > 2:
        return flag[:2], flag[2:], index + 1
    if index + 1 >= len(tokens):
        raise UsageError(f"{origin}: {flag} needs a value", "see pip's requirements file format")
    return flag, tokens[index + 1], index + 2


def _read_line(
    line: str, origin: str, folder: str, env: Mapping[str, str], judge: Judge, result: RequirementSet, stack: list[str]
) -> None:
    if line.startswith("-"):
        tokens = line.split()
        if re.match(r"^-[rcefi][^-=\s]", tokens[0]):  # -cconstraints.txt, as tox writes it
            tokens[:1] = [tokens[0][:2], tokens[0][2:]]
        flag = tokens[0].partition("=")[0]
        if flag in ("-r", "--requirement", "-c", "--constraint"):
            flag, value, _ = _option_value(tokens, 0, origin)
            target = value if re.match(r"^[a-z]+://", value) else os.path.join(folder, value)
            if flag in ("-c", "--constraint"):
                result.constraints.append(target)
                return
            if "://" in target:
                raise UsageError(f"{origin}: -r {value} is a URL", "download the file and name it with -r")
            _read_file(os.path.normpath(target), env, judge, result, stack)
            return
        if flag in ("-e", "--editable"):
            flag, value, _ = _option_value(tokens, 0, origin)
            local = os.path.join(folder, value) if not re.match(r"^[a-z+]+:", value) else value
            result.handoffs.append(Handoff(["-e", local], "editable", origin))
            return
        if flag == "--require-hashes":
            result.require_hashes = True
            return
        index = 0
        while index < len(tokens):
            flag = tokens[index].partition("=")[0]
            known = _FILE_OPTIONS.get(flag) or _FILE_OPTIONS.get(flag[:2])
            if known is None:
                raise UsageError(f"{origin}: unknown option {tokens[index]}", "see pip's requirements file format")
            if known[1]:
                flag, value, index = _option_value(tokens, index, origin)
                if flag in ("-f", "--find-links") and "://" not in value and os.path.exists(os.path.join(folder, value)):
                    value = os.path.join(folder, value)  # as pip: relative to the file, when it is there
                result.set_option(flag, value)
            else:
                result.set_option(flag, None)
                index += 1
        return
    _read_requirement(line, origin, folder, judge, result)


def _read_requirement(line: str, origin: str, folder: str, judge: Judge, result: RequirementSet) -> None:
    spec, options = _split_options(line)
    hashes, per_requirement = _hash_options(options, origin)
    simple = _SIMPLE_PIN.match(spec)
    if simple and not per_requirement and not ({":all:", canonical(simple.group(1))} & result.no_binary):
        # NAME==VERSION, the common line of a pinned set: no need to load packaging's parser.
        from ..pep440 import version_key

        if version_key(simple.group(2)) is not None:
            wanted = Wanted(
                canonical(simple.group(1)), simple.group(2), origin, f"{canonical(simple.group(1))}=={simple.group(2)}"
            )
            wanted.hashes = hashes
            result.add(wanted)
            return
    from packaging.requirements import InvalidRequirement, Requirement

    head = spec.split(";")[0].strip()
    if _URL_OR_PATH.search(head) and "@" not in head:
        path = head if "://" in head or head.startswith("file:") else os.path.join(folder, head)
        if not _local_wheel(path, hashes, per_requirement, origin, result):
            result.handoffs.append(Handoff([path, *options], "a URL or file", origin))
        return
    try:
        requirement = Requirement(spec)
    except InvalidRequirement as exc:
        first = str(exc).splitlines()[0]
        raise UsageError(f"{origin}: {line!r} is not a requirement ({first})", "see pip's requirements file format") from None
    name = canonical(requirement.name)
    if requirement.marker is not None:
        verdict = judge(requirement.marker, frozenset())
        if verdict is False:
            return  # pip too ignores a requirement whose markers do not match
        if verdict is None:
            result.handoffs.append(Handoff([spec, *options], "a marker roost cannot judge", origin, name))
            return
    pin = _pinned_version(requirement)
    if requirement.url:
        reason = "a URL"
    elif per_requirement:
        reason = f"per-requirement pip options ({' '.join(per_requirement)})"
    elif pin is None:
        reason = "not pinned with =="
    elif ":all:" in result.no_binary or name in result.no_binary:
        reason = "--no-binary"
    else:
        text = f"{name}=={pin}"
        wanted = Wanted(name, pin, origin, text)
        wanted.extras = frozenset(canonical(extra) for extra in requirement.extras)
        wanted.hashes = hashes
        result.add(wanted)
        return
    result.handoffs.append(Handoff([spec, *options], reason, origin, name))


def _local_wheel(path: str, hashes: dict[str, set[str]], others: list[str], origin: str, result: RequirementSet) -> bool:
    """A wheel file on this machine is a pin of its name and version, installed from an image."""
    from .versions import WheelName

    parsed = WheelName.parse(os.path.basename(path))
    if parsed is None or others or not os.path.isfile(path):
        return False
    wanted = Wanted(parsed.name, parsed.version, origin, f"{parsed.name}=={parsed.version}")
    wanted.path = os.path.abspath(path)
    wanted.hashes = hashes
    result.add(wanted)
    return True


def _pinned_version(requirement: object) -> str | None:
    specifiers = list(getattr(requirement, "specifier"))  # noqa: B009  (typed as object to keep packaging lazy)
    if len(specifiers) != 1:
        return None
    operator, version = specifiers[0].operator, specifiers[0].version
    if operator == "===" or (operator == "==" and "*" not in version):
        from ..pep440 import version_key

        return version if version_key(version) is not None else None
    return None


def _hash_options(options: list[str], origin: str) -> tuple[dict[str, set[str]], list[str]]:
    """``--hash`` values by algorithm; the other per-requirement options (those go to pip)."""
    hashes: dict[str, set[str]] = {}
    others: list[str] = []
    index = 0
    while index < len(options):
        token = options[index]
        if token.partition("=")[0] != "--hash":
            others.append(token)
            index += 1
            continue
        _flag, value, index = _option_value(options, index, origin)
        algorithm, colon, digest = value.partition(":")
        if not colon or algorithm not in HASH_ALGORITHMS or not re.fullmatch(r"[0-9a-fA-F]+", digest):
            raise UsageError(
                f"{origin}: --hash {value!r} is not ALGORITHM:HEX",
                f"use one of {', '.join(HASH_ALGORITHMS)}, as `pip hash` prints",
            )
        hashes.setdefault(algorithm, set()).add(digest.lower())
    return hashes, others


def check_constraints(result: RequirementSet, env: Mapping[str, str], judge: Judge) -> None:
    """Refuse a pin that a constraint excludes, as pip's resolver does (``-c``, and pip's own
    ``constraint`` setting: ``PIP_CONSTRAINT`` or ``pip.conf``).

    The pins skip pip, so the constraints must be applied to them here: otherwise a version
    the user's constraint file forbids would be installed without a word.
    """
    from .pipconfig import constraint_files

    pins = {wanted.name: wanted for wanted in result.wanted}
    lines = _constraint_lines([*result.constraints, *constraint_files(env)], env, [])
    if not lines:
        return
    from packaging.requirements import InvalidRequirement, Requirement

    for origin, line in lines:
        spec = _split_options(line)[0]
        if _URL_OR_PATH.search(spec.split(";")[0].strip()):
            continue  # a file or URL constraint: pip's part
        try:
            constraint = Requirement(spec)
        except InvalidRequirement as exc:
            first = str(exc).splitlines()[0]
            raise UsageError(f"{origin}: {line!r} is not a constraint ({first})", "see pip's constraints files") from None
        wanted = pins.get(canonical(constraint.name))
        if wanted is None or (constraint.marker is not None and judge(constraint.marker, frozenset()) is not True):
            continue
        if not constraint.specifier.contains(wanted.version, prereleases=True):
            raise UsageError(
                f"{wanted.origin}: {wanted.text} is excluded by the constraint {spec} ({origin})",
                "change the pin or the constraint",
            )


def _constraint_lines(paths: list[str], env: Mapping[str, str], seen: list[str]) -> list[tuple[str, str]]:
    """("file:line", line) of every requirement line in the constraint files, nested ones too."""
    lines: list[tuple[str, str]] = []
    for path in paths:
        if "://" in path or path in seen:
            continue  # a URL is read by pip alone; a file twice (or in a loop) adds nothing
        seen.append(path)
        try:
            with open(path, "rb") as handle:
                text = handle.read().decode("utf-8-sig", "replace")
        except OSError as exc:
            raise UsageError(f"cannot read constraints file {path}: {exc.strerror or exc}", "check the -c path") from None
        for number, line in logical_lines(text):
            line = _expand(line, env)
            tokens = line.split()
            if re.match(r"^-[rc][^-=\s]", tokens[0]):
                tokens[:1] = [tokens[0][:2], tokens[0][2:]]
            if tokens[0].partition("=")[0] in ("-r", "--requirement", "-c", "--constraint"):
                _flag, value, _ = _option_value(tokens, 0, f"{path}:{number}")
                nested = value if re.match(r"^[a-z]+://", value) else os.path.join(os.path.dirname(path), value)
                lines += _constraint_lines([os.path.normpath(nested)], env, seen)
            elif not line.startswith("-"):
                lines.append((f"{path}:{number}", line))
    return lines
