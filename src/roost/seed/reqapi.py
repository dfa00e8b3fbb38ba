"""Installing requirements into an environment a Session made, for tools (the tox plugin).

:func:`install_requirements` takes pip-style arguments (``pytest==8.3.3``, ``-r FILE``,
``-c FILE``...) and installs them the way ``roost DEST -r`` does: pinned wheels from
images, the rest by pip in the same call.

Re-using pip's resolutions: when some requirements are not pinned, pip resolves them the
first time, and the versions that step installed are remembered (``resolutions.store`` in
app data).  The next call with the same inputs installs those exact versions from images,
with no pip at all.  The key of a remembered resolution is a digest of everything that can
change pip's answer: the arguments as given, the text of every requirement and constraint
file they name (recursively), the ``PIP_*`` variables that steer pip's resolution (index
URLs, find-links, ``--pre``, constraints, hashes, the proxy settings do not change an
answer), the target interpreter (implementation, version, platform, machine, ABI) and the
distributions the environment held before (pip keeps what already satisfies).  A
resolution (only of requirements that were ranges or names, and of dependencies nobody
pinned: never of URLs, files or editables) is thrown away after :data:`RESOLUTION_DAYS` days, so new releases arrive at
most that late, when installing it fails (then pip resolves again and the new answer is
kept), and by ``--reset-app-data``.
"""

from __future__ import annotations

import os
import time

from .. import _log
from ..errors import RoostError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from ..session import Session

RESOLUTIONS_STORE = "resolutions.store"
RESOLUTION_DAYS = 7
RESOLUTIONS_KEEP = 200
# pip settings (PIP_* or pip.conf) that change which versions pip picks, and so the key of a resolution.
RESOLUTION_SETTINGS = (
    "index-url",
    "extra-index-url",
    "find-links",
    "no-index",
    "pre",
    "constraint",
    "require-hashes",
    "only-binary",
    "no-binary",
    "prefer-binary",
)
# Options of pip's command line that take a value, as they can appear in a requirements file.
_VALUE_OPTIONS = {
    "-r",
    "--requirement",
    "-c",
    "--constraint",
    "-e",
    "--editable",
    "-i",
    "--index-url",
    "--extra-index-url",
    "-f",
    "--find-links",
}
# Lines that say where pip looks: kept when a remembered resolution replaces the requirements.
_WHERE_OPTIONS = ("-i ", "--index-url ", "--extra-index-url ", "-f ", "--find-links ", "--pre", "--no-index")
_INSTALL_ONLY = {"--force-reinstall", "--no-deps", "-U", "--upgrade"}


def as_requirement_lines(arguments: Sequence[str]) -> list[str]:
    """pip command-line arguments -> requirements-file lines (install-only flags dropped)."""
    lines: list[str] = []
    tokens = list(arguments)
    index = 0
    while index < len(tokens):
        token = tokens[index]
        index += 1
        if token in _INSTALL_ONLY:
            continue
        if token in _VALUE_OPTIONS and index < len(tokens):
            lines.append(f"{token} {tokens[index]}")
            index += 1
        else:
            lines.append(token)
    return lines


def install_requirements(
    session: Session, arguments: Sequence[str], env: Mapping[str, str], cwd: str | None = None, transient_local: bool = False
) -> str:
    """Install *arguments* (pip's syntax) into *session*'s environment; returns one line saying how.

    Relative paths in *arguments* start from *cwd* (the current folder by default), as for
    pip; ``--force-reinstall`` and ``--no-deps`` mean what they mean to pip.  With
    *transient_local*, the images of local wheel files are private and deleted afterwards
    (a wheel built anew on every run, such as tox's package, would otherwise pile up).
    Raises RoostError (one line) when it cannot; the environment keeps what was complete.
    """
    import tempfile

    from . import NoSeeder
    from .reqinstall import RequirementSeeder, installed_distributions
    from .reqset import read_set

    layout = session.creator.layout
    scratch = tempfile.mkdtemp(prefix="roost-requirements-")
    given = os.path.join(scratch, "requirements.txt")
    try:
        _write_lines(given, as_requirement_lines(arguments))
        folder = os.path.abspath(cwd or os.getcwd())
        requirements, judge = read_set([given], session.interpreter, env, relative_to=folder)
        requirements.force = "--force-reinstall" in arguments
        requirements.no_deps = "--no-deps" in arguments
        requirements.transient_local = transient_local
        before = installed_distributions(layout)
        key = _resolution_key(requirements.sources, env, session, before)
        remembered = _remembered(session, key)
        if remembered is not None:
            pinned = os.path.join(scratch, "resolved.txt")
            options = [line for line in as_requirement_lines(arguments) if line.startswith(_WHERE_OPTIONS)]
            _write_lines(pinned, [*options, *remembered])
            try:
                again, again_judge = read_set([pinned], session.interpreter, env, relative_to=folder)
                seeder = RequirementSeeder(
                    NoSeeder(), session.options, session.interpreter, session.app_data, env, again, again_judge
                )
                return _run(seeder, layout, "a remembered resolution")
            except RuntimeError as exc:
                _log.info(f"the remembered resolution did not install ({exc}); pip resolves again")
                _forget(session, key)
        seeder = RequirementSeeder(NoSeeder(), session.options, session.interpreter, session.app_data, env, requirements, judge)
        said = _run(seeder, layout, "")
        if seeder.handoffs and all(_resolvable(item.reason) for item in seeder.handoffs):
            after = installed_distributions(layout)
            added = sorted(f"{name}=={version}" for name, version in after.items() if before.get(name) != version)
            _remember(session, key, added)
        return said
    except RoostError as exc:  # name what the caller gave, not roost's scratch file
        exc.message = exc.message.replace(f"{given}:", "requirement ").replace(given, "the requirements given")
        raise
    finally:
        import shutil

        shutil.rmtree(scratch, ignore_errors=True)


def _resolvable(reason: str) -> bool:
    """A hand-off whose outcome pip's resolution fixes: a range, or a dependency nobody pinned."""
    return reason == "not pinned with ==" or reason.startswith("needed by ")


def _write_lines(path: str, lines: Sequence[str]) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("".join(line + "\n" for line in lines))


def _run(seeder: object, layout: object, how: str) -> str:
    from .reqinstall import RequirementSeeder

    assert isinstance(seeder, RequirementSeeder)
    seeder.seed(layout)  # type: ignore[arg-type]
    seeder.finish(layout)  # type: ignore[arg-type]
    linked = len(seeder.linked) + len(seeder.kept)
    handed = len(seeder.handoffs)
    via = f" ({how})" if how else ""
    return f"roost: {linked} pinned from images{via}" + (f", {handed} by pip" if handed else "")


def _resolution_key(sources: Sequence[str], env: Mapping[str, str], session: Session, before: Mapping[str, str]) -> str:
    import hashlib

    interpreter = session.interpreter
    parts = [
        interpreter.implementation,
        interpreter.version_str,
        interpreter.platform,
        interpreter.machine,
        str(interpreter.config.get("SOABI")),
    ]
    parts += [_contents(path) for path in sources]
    from .pipconfig import constraint_files, pip_settings

    settings = pip_settings(env)
    parts += [f"{name}={settings[name]}" for name in RESOLUTION_SETTINGS if settings.get(name)]
    parts += [_contents(path) for path in constraint_files(env)]  # a constraint edited in place
    parts += sorted(f"{name}=={version}" for name, version in before.items())
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


def _contents(path: str) -> str:
    try:
        with open(path, "rb") as handle:
            return handle.read().decode("utf-8", "replace")
    except OSError:
        return f"missing {path}"


def _store_path(session: Session) -> str:
    return os.path.join(session.app_data.root, RESOLUTIONS_STORE)


def _load(session: Session) -> dict[str, list[object]]:
    from ..appdata import read_store

    known = read_store(_store_path(session))
    return known if isinstance(known, dict) else {}


def _remembered(session: Session, key: str) -> list[str] | None:
    entry = _load(session).get(key)
    if not entry or time.time() - float(entry[0]) > RESOLUTION_DAYS * 86400:  # type: ignore[arg-type]
        return None
    return [str(line) for line in entry[1]]  # type: ignore[attr-defined]


def _save(session: Session, change: dict[str, object] | None, drop: str | None = None) -> None:
    from ..appdata import write_store

    if not session.app_data.writable:
        return
    known = _load(session)
    if drop is not None:
        known.pop(drop, None)
    for key, value in (change or {}).items():
        known.pop(key, None)
        known[key] = value  # type: ignore[assignment]
    while len(known) > RESOLUTIONS_KEEP:
        known.pop(next(iter(known)))
    try:
        session.app_data.ensure()
        write_store(_store_path(session), known)
    except OSError:
        pass  # a cache we cannot write only costs speed


def _remember(session: Session, key: str, pins: list[str]) -> None:
    _save(session, {key: [time.time(), pins]})


def _forget(session: Session, key: str) -> None:
    _save(session, None, drop=key)
