"""Discovery: turn the user's ``-p`` specs into one :class:`Interpreter`.

Public face: :func:`discover`, :func:`current_interpreter` and :func:`list_interpreters`.
The grammar lives in :mod:`.spec`, the places to look in :mod:`.finders` (with version
managers' shims in :mod:`.shims`), the probe and its cache in :mod:`.cache`.

Speed: candidates come lazily in search order; a candidate whose name or folder rules it
out (``python3.11`` for ``3.12``) is skipped without a stat; the rest are answered from the
cache (one small marshal read) or, on a miss, probed.  The first match ends the search, so a
warm ``-p 3.12`` starts no subprocess and never imports :mod:`subprocess`.

Each kind of request imports only what it needs: no ``-p`` (the running interpreter, after a
look for ``.python-version``) and ``-p /absolute/path/to/python`` are answered here and in
:mod:`.cache` alone; the spec grammar, the finders and the version-manager code load only for
a spec that needs a search.  None of them imports :mod:`re` or :mod:`pathlib` on its way to
a common answer (PATH, pyenv shims, install folders named by version).
"""

from __future__ import annotations

import os

from .. import _log
from ..errors import RoostError, UsageError
from .interpreter import Interpreter

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

    from ..appdata import AppData
    from .cache import FactsCache
    from .finders import Finder
    from .hints import Candidate
    from .spec import PythonSpec

__all__ = ["Interpreter", "current_interpreter", "discover", "list_interpreters"]

VERSION_FILE = ".python-version"
_current: Interpreter | None = None


def current_interpreter() -> Interpreter:
    """Facts about the interpreter running roost, gathered in-process (no subprocess).

    Once :func:`discover` has answered them from the cache, that same object.
    """
    global _current
    if _current is None:
        from . import _probe

        _current = Interpreter(_probe.collect(), "running roost")
    return _current


def _running(cache: FactsCache) -> Interpreter:
    """:func:`current_interpreter`, but from the facts cache when it is warm (no sysconfig)."""
    global _current
    if _current is None:
        _current = cache.running()
    return _current


def discover(
    specs: Sequence[str],
    try_first_with: Sequence[str],
    app_data: AppData,
    env: Mapping[str, str],
    cwd: str | os.PathLike[str],
    use_version_file: bool = True,
    check: Callable[[Interpreter], None] | None = None,
) -> Interpreter:
    """The interpreter for ``-p`` values *specs*: the first spec that any interpreter matches wins.

    *check* raises RoostError for an interpreter no environment can be made for (Python
    2.7, say); then the next spec is tried, as virtualenv does, and that error is raised
    when no later spec gives a usable one.

    Each spec is searched in order: *try_first_with* paths, the running interpreter, PATH,
    pyenv, asdf/mise, uv, conda, common prefixes (and the Windows registry).

    With no *specs*: the interpreter running roost, unless *use_version_file* is true and a
    ``.python-version`` file (the pyenv/uv convention) in *cwd* or a parent names versions;
    then those are the specs, and ``-v`` says which file chose (``--no-python-version-file``
    turns that off).  With no specs but *try_first_with*, any interpreter given there wins.

    Raises :class:`RoostError` with one line when nothing matches:
    ``no interpreter matches cpython9.99; found: 3.13.0, 3.12.1, ...``.
    """
    from .cache import FactsCache

    folder = os.fspath(cwd)
    texts = list(specs)
    origin = None
    if not texts and use_version_file:
        origin, texts = _version_file(folder, env)
    cache = FactsCache(app_data, env)
    if not texts and not try_first_with:
        current = _running(cache)
        _log.info(f"using the interpreter running roost: {current.describe}")
        return current
    search = _Search(env, folder, cache, try_first_with)
    # A spec that is the absolute path of a plain file needs no grammar and no search.
    plain = [_plain_file(text) for text in texts]
    parsed = _parse_specs([text for text, file in zip(texts, plain) if file is None] if texts else ["python"], origin)
    rejected: RoostError | None = None
    searched = iter(parsed)
    for file in plain or [None]:
        if file is not None:
            found: Interpreter | None = cache.facts(file, "path", retry_failures=True)  # the user named it: failures are news
            text = file
        else:
            spec = next(searched)
            found, text = search.first_match(spec), spec.text
        if found is None:
            continue
        why = f" (from {origin})" if origin else ""
        _log.info(f"{text}{why} -> {found.describe}, found by {found.found_by}")
        if check is not None:
            try:
                check(found)
            except RoostError as exc:
                _log.info(f"not using {found.describe}: {exc}")
                rejected = rejected or exc
                continue
        return found
    if rejected is not None:
        raise rejected
    raise _no_match(parsed, origin, search.finder, cache)


class _Search:
    """The search for one :func:`discover` call: the finders load on the first spec that needs them."""

    __slots__ = ("env", "folder", "cache", "try_first_with", "_finder")

    def __init__(self, env: Mapping[str, str], folder: str, cache: FactsCache, try_first_with: Sequence[str]) -> None:
        self.env = env
        self.folder = folder
        self.cache = cache
        self.try_first_with = try_first_with
        self._finder: Finder | None = None

    @property
    def finder(self) -> Finder:
        if self._finder is None:
            from .finders import Finder

            self._finder = Finder(self.env, self.folder)
        return self._finder

    def first_match(self, spec: PythonSpec) -> Interpreter | None:
        """The first interpreter matching *spec*, in search order."""
        seen: set[tuple[int, int]] = set()
        # The running interpreter comes first (after --try-first-with): when it matches,
        # the finders are not even imported.
        first = not self.try_first_with and spec.is_description
        match = _running_match(spec, self.cache, seen) if first else None
        if match is None:
            candidates = self.finder.for_spec(spec, self.try_first_with, running=not first)
            match = _first_match(spec, candidates, self.cache, seen)
        return match


def list_interpreters(app_data: AppData, env: Mapping[str, str], cwd: str | os.PathLike[str]) -> list[Interpreter]:
    """Every interpreter roost can find, in search order, each once; broken ones are warned about."""
    from .cache import FactsCache
    from .finders import Finder

    return _describe_all(Finder(env, os.fspath(cwd)).everything(), FactsCache(app_data, env))


# -- internals -------------------------------------------------------------------------------


def _plain_file(text: str) -> str | None:
    """*text* when it is the absolute, normalised path of an existing file outside a shims folder.

    :meth:`.finders.Finder.from_path` would take such a path as it is, so it is answered
    without the spec grammar and the finders.  Anything else (relative, ``~``, a folder, a
    version manager's shim, a missing file) goes the long way.
    """
    if not os.path.isabs(text) or os.path.normpath(text) != text or text != text.strip():
        return None
    if os.path.basename(os.path.dirname(text)) == "shims" or not os.path.isfile(text):
        return None
    return text


def _parse_specs(texts: Sequence[str], origin: str | None) -> list[PythonSpec]:
    if not texts:
        return []
    from .spec import parse_spec

    try:
        return [parse_spec(text) for text in texts]
    except UsageError as error:
        if origin is None:
            raise
        raise UsageError(f"{error.message} (from {origin})", error.hint) from None


def clean_path(path: str) -> str:
    """*path* as :mod:`pathlib` would spell it: no empty or ``.`` parts, no trailing separator.

    Unlike :func:`os.path.normpath`, ``..`` stays: ``link/..`` is not always the folder itself.
    """
    if os.sep != "/":
        return os.path.normpath(path)
    lead = "//" if path.startswith("//") and not path.startswith("///") else "/" if path.startswith("/") else ""
    return lead + "/".join(part for part in path.split("/") if part and part != ".") or "."


def parents(start: str | os.PathLike[str]) -> Iterator[str]:
    """Folder *start* and each of its parents, nearest first."""
    folder = clean_path(os.fspath(start))
    while True:
        yield folder
        parent = os.path.dirname(folder) or "."  # a relative start ends at "." as in pathlib
        if parent == folder:
            return
        folder = parent


def find_upwards(start: str | os.PathLike[str], names: Sequence[str]) -> str | None:
    """The nearest file called one of *names* in folder *start* or a parent."""
    for folder in parents(start):
        for name in names:
            candidate = os.path.join(folder, name)
            if os.path.isfile(candidate):
                return candidate
    return None


def _version_file(cwd: str, env: Mapping[str, str]) -> tuple[str | None, list[str]]:
    found = find_upwards(cwd, [VERSION_FILE])
    if found is None:
        return None, []
    from .shims import pyenv_root, version_file_specs

    texts = version_file_specs(found, pyenv_root(env))
    _log.info(f"{found} asks for {', '.join(texts) or 'nothing usable'} (ignore it with --no-python-version-file)")
    return found, texts


def _identity(path: str) -> tuple[int, int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_dev, stat.st_ino


def _running_match(spec: PythonSpec, cache: FactsCache, seen: set[tuple[int, int]]) -> Interpreter | None:
    """The running interpreter if it matches *spec*, without importing the finders."""
    from .hints import running_candidate

    return _first_match(spec, [running_candidate()], cache, seen)


def _first_match(
    spec: PythonSpec, candidates: Iterable[Candidate], cache: FactsCache, seen: set[tuple[int, int]] | None = None
) -> Interpreter | None:
    """The first of *candidates* that matches *spec*; *seen*: identities of files tried already."""
    from .cache import ProbeError

    seen = set() if seen is None else seen
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
            interpreter = _running(cache)
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
            return _running(cache)
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
