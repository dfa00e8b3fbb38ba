"""Discovery: turn the user's ``-p`` specs into one :class:`Interpreter`.

Public face: :func:`discover`, :func:`current_interpreter` and :func:`list_interpreters`.
The grammar lives in :mod:`.spec`, the places to look in :mod:`.finders` (with version
managers' shims in :mod:`.shims`), the probe and its cache in :mod:`.cache`.

Speed: candidates come lazily in search order; a candidate whose name or folder rules it
out (``python3.11`` for ``3.12``) is skipped without a stat; the rest are answered from the
cache (one small JSON read) or, on a miss, probed.  The first match ends the search, so a
warm ``-p 3.12`` starts no subprocess and never imports :mod:`subprocess`.
"""

from __future__ import annotations

import os

from .. import _log
from ..errors import RoostError, UsageError
from .interpreter import Interpreter

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence
    from pathlib import Path

    from ..appdata import AppData
    from .cache import FactsCache
    from .finders import Candidate, Finder
    from .spec import PythonSpec

__all__ = ["Interpreter", "current_interpreter", "discover", "list_interpreters"]

_current: Interpreter | None = None


def current_interpreter() -> Interpreter:
    """Facts about the interpreter running roost, gathered in-process (no subprocess)."""
    global _current
    if _current is None:
        from . import _probe

        _current = Interpreter(_probe.collect(), "running roost")
    return _current


def discover(
    specs: Sequence[str],
    try_first_with: Sequence[str],
    app_data: AppData,
    env: Mapping[str, str],
    cwd: Path,
    use_version_file: bool = True,
) -> Interpreter:
    """The interpreter for ``-p`` values *specs*: the first spec that any interpreter matches wins.

    Each spec is searched in order: *try_first_with* paths, the running interpreter, PATH,
    pyenv, asdf/mise, uv, conda, common prefixes (and the Windows registry).

    With no *specs*: the interpreter running roost, unless *use_version_file* is true and a
    ``.python-version`` file (the pyenv/uv convention) in *cwd* or a parent names versions;
    then those are the specs, and ``-v`` says which file chose (``--no-python-version-file``
    turns that off).  With no specs but *try_first_with*, any interpreter given there wins.

    Raises :class:`RoostError` with one line when nothing matches:
    ``no interpreter matches cpython9.99; found: 3.13.0, 3.12.1, ...``.
    """
    texts = list(specs)
    origin = None
    if not texts and use_version_file:
        origin, texts = _version_file(cwd, env)
    if not texts and not try_first_with:
        current = current_interpreter()
        _log.info(f"using the interpreter running roost: {current.describe}")
        return current
    from .cache import FactsCache
    from .finders import Finder
    from .spec import parse_spec

    try:
        parsed = [parse_spec(text) for text in texts] or [parse_spec("python")]
    except UsageError as error:
        if origin is None:
            raise
        raise UsageError(f"{error.message} (from {origin})", error.hint) from None
    finder = Finder(env, cwd)
    cache = FactsCache(app_data, env)
    for spec in parsed:
        found = _first_match(spec, finder.for_spec(spec, try_first_with), cache)
        if found is not None:
            why = f" (from {origin})" if origin else ""
            _log.info(f"{spec.text}{why} -> {found.describe}, found by {found.found_by}")
            return found
    raise _no_match(parsed, origin, finder, cache)


def list_interpreters(app_data: AppData, env: Mapping[str, str], cwd: Path) -> list[Interpreter]:
    """Every interpreter roost can find, in search order, each once; broken ones are warned about."""
    from .cache import FactsCache
    from .finders import Finder

    return _describe_all(Finder(env, cwd).everything(), FactsCache(app_data, env))


# -- internals -------------------------------------------------------------------------------


def _version_file(cwd: Path, env: Mapping[str, str]) -> tuple[str | None, list[str]]:
    from .shims import VERSION_FILE, find_upwards, pyenv_root, version_file_specs

    found = find_upwards(cwd, [VERSION_FILE])
    if found is None:
        return None, []
    texts = version_file_specs(found, pyenv_root(env))
    _log.info(f"{found} asks for {', '.join(texts) or 'nothing usable'} (ignore it with --no-python-version-file)")
    return str(found), texts


def _identity(path: str) -> tuple[int, int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_dev, stat.st_ino


def _first_match(spec: PythonSpec, candidates: Iterable[Candidate], cache: FactsCache) -> Interpreter | None:
    from .cache import ProbeError

    seen: set[tuple[int, int]] = set()
    for candidate in candidates:
        if not spec.could_match(candidate.hint):
            continue
        identity = _identity(candidate.path)
        if identity is None:
            if candidate.explicit and candidate.found_by != "path":
                _log.warning(f"no interpreter at {candidate.path} ({candidate.found_by})")
            continue
        if identity in seen:
            continue
        seen.add(identity)
        if candidate.current:
            interpreter = current_interpreter()
        else:
            try:
                interpreter = cache.facts(candidate.path, candidate.found_by, retry_failures=candidate.explicit)
            except ProbeError as error:
                if candidate.found_by == "path":
                    raise  # the user named this very file: its failure is the answer
                _log.warning(str(error))
                continue
        if spec.matches(interpreter):
            return interpreter
        _log.debug(f"{spec.text}: skipping {interpreter.describe}")
    return None


def _describe_all(candidates: Iterable[Candidate], cache: FactsCache, warn: bool = True) -> list[Interpreter]:
    """Facts for every distinct candidate, probing the unknown ones a few at a time."""
    from .cache import ProbeError

    unique: list[Candidate] = []
    seen: set[tuple[int, int]] = set()
    for candidate in candidates:
        identity = _identity(candidate.path)
        if identity is not None and identity not in seen:
            seen.add(identity)
            unique.append(candidate)

    def describe(candidate: Candidate) -> Interpreter | ProbeError:
        if candidate.current:
            return current_interpreter()
        try:
            return cache.facts(candidate.path, candidate.found_by)
        except ProbeError as error:
            return error

    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=min(8, (os.cpu_count() or 1) * 2)) as pool:
        answers = list(pool.map(describe, unique))
    found = []
    for answer in answers:
        if isinstance(answer, ProbeError):
            if warn:
                _log.warning(str(answer))
        else:
            found.append(answer)
    return found


def short_version(interpreter: Interpreter) -> str:
    """``3.12.1``, ``3.13.0t``, ``PyPy 3.9.18``: how the no-match message lists what it found."""
    text = interpreter.version_str + ("t" if interpreter.free_threaded else "")
    return text if interpreter.implementation == "CPython" else f"{interpreter.implementation} {text}"


def _no_match(parsed: Sequence[PythonSpec], origin: str | None, finder: Finder, cache: FactsCache) -> RoostError:
    wanted = ", ".join(spec.text for spec in parsed)
    source = f" (from {origin})" if origin else ""
    hint = "install it, or pass --no-python-version-file to use the running interpreter" if origin else None
    if all(spec.path is not None for spec in parsed):
        return RoostError(f"no interpreter at {wanted}{source}", hint)
    if all(not spec.is_description for spec in parsed):
        return RoostError(f"no interpreter matches {wanted}{source}: not found on PATH", hint)
    everything = _describe_all(finder.everything(), cache, warn=False)  # the search warned already
    versions: list[str] = []
    for interpreter in sorted(everything, key=_newest_first):
        text = short_version(interpreter)
        if text not in versions:
            versions.append(text)
    found = ", ".join(versions) or "none"
    return RoostError(f"no interpreter matches {wanted}{source}; found: {found}", hint)


def _newest_first(interpreter: Interpreter) -> tuple[int, tuple[int, ...]]:
    version = tuple(-part for part in interpreter.version_info[:3])
    return (0 if interpreter.implementation == "CPython" else 1, version)
