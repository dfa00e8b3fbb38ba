"""Check a pinned set's dependencies as ``pip check`` would, before anything goes in.

Each image's ``Requires-Dist`` lines (its METADATA, read from the image) are judged for
the target with the extras the set asks for; a dependency must be met by a version the
set pins or the environment already has.  A pinned version a dependency excludes is an
error (pip's resolver would refuse the set as well); a dependency nobody pins goes to pip.
"""

from __future__ import annotations

import os

from ..errors import RoostError
from .reqfile import Handoff

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from packaging.requirements import Requirement

    from .image import Image
    from .reqset import MarkerJudge


def requires_dist(image: Image) -> list[str]:
    """The ``Requires-Dist`` values of the image's METADATA (headers only)."""
    path = os.path.join(image.site, image.dist_info, "METADATA")
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            text = handle.read()
    except OSError:
        return []
    found = []
    for line in text.splitlines():
        if not line.strip():
            break  # the body (long description) starts here
        key, _, value = line.partition(":")
        if key.strip().lower() == "requires-dist":
            found.append(value.strip())
    return found


def check_dependencies(
    images: Sequence[Image],
    extras: Mapping[str, frozenset[str]],
    versions: Mapping[str, str],
    judge: MarkerJudge,
    origins: Mapping[str, str],
) -> list[Handoff]:
    """Dependencies nobody provides (for pip); raises RoostError when a pinned version conflicts.

    *versions*: canonical name -> normalised version of everything the set pins or the
    environment has; *extras*: the extras asked for per name.
    """
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.version import InvalidVersion, Version

    from .versions import canonical_name

    by_name = {canonical_name(image.name): image for image in images}
    asked = {name: set(value) for name, value in extras.items()}
    parsed: dict[str, list[Requirement]] = {}
    handoffs: dict[str, Handoff] = {}
    todo = list(by_name)
    done: set[tuple[str, frozenset[str]]] = set()
    while todo:
        name = todo.pop()
        image = by_name[name]
        key = (name, frozenset(asked.get(name, ())))
        if key in done:
            continue
        done.add(key)
        if name not in parsed:
            parsed[name] = []
            for text in requires_dist(image):
                try:
                    parsed[name].append(Requirement(text))
                except InvalidRequirement:
                    continue  # pip skips a dependency it cannot read, with a warning
        for requirement in parsed[name]:
            applies = _applies(requirement, key[1], judge)
            if applies is False:
                continue
            dependency = canonical_name(requirement.name)
            have = versions.get(dependency)
            if applies is None or have is None:
                # pip judges the marker, or finds the project: it resolves from here.
                handoffs.setdefault(dependency, _as_handoff(requirement, name, image.version))
                continue
            try:
                fits = requirement.specifier.contains(Version(have), prereleases=True)
            except InvalidVersion:
                fits = True
            if not fits:
                where = origins.get(dependency, "the environment")
                raise RoostError(
                    f"{image.name} {image.version} requires {requirement}, but {dependency} {have} is pinned ({where})",
                    "change that pin, or leave it unpinned so pip chooses",
                )
            if requirement.extras and dependency in by_name:
                wanted = asked.setdefault(dependency, set())
                if not requirement.extras <= wanted:
                    wanted.update(canonical_name(extra) for extra in requirement.extras)
                    todo.append(dependency)
    return list(handoffs.values())


def _applies(requirement: Requirement, extras: frozenset[str], judge: MarkerJudge) -> bool | None:
    if requirement.marker is None:
        return True
    verdicts = [judge.with_extra(requirement.marker, extra) for extra in ("", *sorted(extras))]
    if True in verdicts:
        return True
    return None if None in verdicts else False


def _as_handoff(requirement: Requirement, needed_by: str, version: str) -> Handoff:
    extras = f"[{','.join(sorted(requirement.extras))}]" if requirement.extras else ""
    text = f"{requirement.name}{extras}{requirement.specifier}"
    return Handoff([text], f"needed by {needed_by} {version}, not in the set", f"{needed_by} {version}", requirement.name)
