"""Check a pinned set's dependencies as ``pip check`` would, before anything goes in.

Each image's ``Requires-Dist`` lines (its METADATA, read from the image) are judged for
the target with the extras the set asks for; a dependency must be met by a version the
set pins or the environment already has.  A pinned version a dependency excludes is an
error (pip's resolver would refuse the set as well); a dependency nobody pins goes to pip.

Reading the dependencies needs :mod:`packaging`, which costs more to import than linking a
small set, so an outcome that passed is remembered in ``requirements-checked.store`` in app
data, keyed by everything it depends on: the images (project, version, wheel digest,
target), the extras asked for, the versions the environment had that the set does not pin,
and the target's marker environment.  A warm run with the same inputs reads the answer
instead of the metadata.
"""

from __future__ import annotations

import os

from ..errors import RoostError
from .reqfile import Handoff

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from packaging.requirements import Requirement

    from ..appdata import AppData
    from .image import Image
    from .reqset import MarkerJudge

CHECKED_STORE = "requirements-checked.store"
CHECKED_KEEP = 200  # outcomes remembered; the oldest go first


def check_remembered(
    app_data: AppData,
    images: Sequence[Image],
    extras: Mapping[str, frozenset[str]],
    versions: Mapping[str, str],
    pinned: Sequence[str],
    judge: MarkerJudge,
    origins: Mapping[str, str],
) -> list[Handoff]:
    """:func:`check_dependencies`, answered from the store when the same inputs passed before."""
    from ..appdata import read_store, write_store

    others = sorted(f"{name}=={version}" for name, version in versions.items() if name not in pinned)
    key = "|".join(
        [
            *sorted(os.path.basename(image.root) for image in images),
            *sorted(f"{name}[{','.join(sorted(value))}]" for name, value in extras.items() if value),
            *others,
            *sorted(f"{name}={value}" for name, value in judge.environment.items()),
        ]
    )
    path = os.path.join(app_data.root, CHECKED_STORE)
    known = read_store(path)
    known = known if isinstance(known, dict) else {}
    if key in known:
        return [Handoff(list(args), reason, origin, name) for args, reason, origin, name in known[key]]
    handoffs = check_dependencies(images, extras, versions, judge, origins)
    if app_data.writable:
        known.pop(key, None)
        known[key] = [(item.args, item.reason, item.origin, item.name) for item in handoffs]
        while len(known) > CHECKED_KEEP:
            known.pop(next(iter(known)))
        try:
            write_store(path, known)
        except OSError:
            pass  # a cache we cannot write only costs speed
    return handoffs


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
