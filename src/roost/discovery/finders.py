"""Where to look for interpreters, in order, as lazy streams of candidate files.

Order: ``--try-first-with``; the interpreter running roost; PATH (the exact name the spec
spells, then version-named executables, pyenv/asdf/mise shims resolved from their data
files); pyenv's versions; asdf's and mise's installs; uv-managed installs; conda
environments; common prefixes (``/usr/local``, ``/opt``); on Windows the PEP 514 registry.

Nothing here runs an interpreter.  Each candidate carries a :class:`Hint` read from its
name or folder so the caller can skip ``python3.11`` when asked for 3.12 without probing it.

Paths are plain strings handled with :mod:`os.path`, and names are read by hand, so a search
imports neither :mod:`pathlib` nor :mod:`re`; :mod:`.shims` loads only when a folder on the
way is a version manager's shims folder (or the search reaches the install folders).
"""

from __future__ import annotations

import os
import sys

from . import clean_path
from .hints import Candidate, Hint, executable_hint, release_digits, running_candidate, version_dir_hint

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence

    from .shims import ShimResolver
    from .spec import PythonSpec

_WINDOWS = os.name == "nt"
_EXE = ".exe" if _WINDOWS else ""
# Inside an install folder (pyenv version, uv install, conda env), the executables to try.
_INSTALL_EXECUTABLES = (
    ("python.exe", "pypy.exe", "graalpy.exe") if _WINDOWS else ("python3", "python", "python3t", "pypy3", "pypy", "graalpy")
)
_LISTED_IMPLEMENTATIONS = ("python", "pypy", "graalpy")
_LOWER_ASCII = "abcdefghijklmnopqrstuvwxyz"


def _is_executable(path: str) -> bool:
    return os.path.isfile(path) and (_WINDOWS or os.access(path, os.X_OK))


def listed_implementation(name: str) -> str | None:
    """The implementation word of an interpreter-like file name, None for other names.

    The names: ``<letters>[X[.Y]][t][.exe]`` (lowercased): ``python3.12`` -> ``python``,
    ``pypy3`` -> ``pypy``, ``python3.13t`` -> ``python``; ``python3-config`` -> None.
    """
    lowered = name.lower()
    if lowered.endswith(".exe"):
        lowered = lowered[:-4]
    letters = len(lowered) - len(lowered.lstrip(_LOWER_ASCII))
    if letters == 0:
        return None
    rest = lowered[letters:]
    if not rest:
        # All letters: a final "t" (after at least one letter) is the free-threading mark.
        return lowered[:-1] if lowered.endswith("t") and letters > 1 else lowered
    if rest.endswith("t"):
        rest = rest[:-1]
    return lowered[:letters] if release_digits(rest, 2) else None


def _sort_key(spec: PythonSpec | None, name: str) -> tuple[int, int, bool, str]:
    """Names spelling more of the wanted version first; among equals, the shorter (python3 before
    python3.12), then python before pypy/graalpy."""
    hint = executable_hint(name)
    version = hint.version if hint else ()
    wanted = spec.version if spec is not None else ()
    agreeing = 0
    for have, want in zip(version, wanted):
        if have != want:
            break
        agreeing += 1
    return (-agreeing, len(version), not name.startswith("python"), name)


def generated_names(spec: PythonSpec) -> list[str]:
    """Executable names worth a stat for a spec with a major.minor version, most specific first."""
    implementations = {
        None: ("python", "pypy", "graalpy"),
        "cpython": ("python",),
        "pypy": ("pypy", "python"),
        "graalpy": ("graalpy", "python"),
    }.get(spec.implementation, (str(spec.implementation), "python"))
    threaded = "t" if spec.free_threaded else ""
    suffixes = [f"{spec.major}.{spec.minor}{threaded}"]
    if threaded:
        suffixes.append(f"{spec.major}t")
    suffixes += [str(spec.major), ""]
    return [f"{implementation}{suffix}{_EXE}" for suffix in suffixes for implementation in implementations]


class Finder:
    """Produces candidates for one discovery; caches directory facts for its lifetime."""

    __slots__ = ("env", "cwd", "_home", "_shims")

    # Prefixes searched after everything else: bin folders, and parents of <name>/bin folders.
    PREFIX_FOLDERS: tuple[str, ...] = ("/usr/local/bin",)
    PREFIX_PARENTS: tuple[str, ...] = ("/opt", "/opt/python")

    def __init__(self, env: Mapping[str, str], cwd: str | os.PathLike[str]) -> None:
        self.env = env
        self.cwd = os.fspath(cwd)
        self._home: str | None = None
        self._shims: ShimResolver | None = None

    @property
    def home(self) -> str:
        """The user's home folder, as the environment says."""
        if self._home is None:
            from .shims import home_folder

            self._home = home_folder(self.env)
        return self._home

    @property
    def shims(self) -> ShimResolver:
        """The version managers' shim resolver (its module loads on first use)."""
        if self._shims is None:
            from .shims import ShimResolver

            self._shims = ShimResolver(self.env, self.cwd)
        return self._shims

    def shim_kind(self, folder: str) -> str | None:
        """The manager whose shims *folder* holds; only a folder named ``shims`` can be one."""
        if os.path.basename(folder) != "shims":
            return None
        return self.shims.kind(folder)

    # -- the orders ----------------------------------------------------------------------------

    def for_spec(self, spec: PythonSpec, try_first_with: Sequence[str], running: bool = True) -> Iterator[Candidate]:
        """Every place *spec* may be found, in the documented order (lazily: stop when matched).

        A path or a bare executable name is looked up as such, without *try_first_with*:
        the user named one file, and any other would not be it.  *running* false leaves out
        the running interpreter (the caller has tried it already).
        """
        if spec.path is not None:
            candidate = self.from_path(spec.path, "path")
            if candidate is not None:
                yield candidate
            return
        if spec.name is not None:
            yield from self.on_path_exact(spec.name)
            return
        for path in try_first_with:
            candidate = self.from_path(path, "try-first-with")
            if candidate is not None:
                yield candidate
        if running:
            yield running_candidate()
        if spec.exact_name:
            yield from self.on_path_exact(spec.exact_name)
        yield from self.everywhere(spec)

    def everything(self) -> Iterator[Candidate]:
        """Every interpreter roost can see (``roost python list``)."""
        yield running_candidate()
        yield from self.everywhere(None)

    def everywhere(self, spec: PythonSpec | None) -> Iterator[Candidate]:
        """PATH and every install location, for *spec* (None: all).

        A spec that names no implementation (``3.9``) accepts any, but prefers CPython as
        virtualenv and uv do: files whose name or folder says PyPy/GraalPy come after all
        the others, so ``/usr/bin/pypy3.9`` is not picked over a CPython 3.9 found later.
        """
        if spec is None or spec.implementation is not None:
            yield from self._everywhere(spec)
            return
        deferred = []
        for candidate in self._everywhere(spec):
            if candidate.hint is not None and candidate.hint.implementation not in (None, "cpython"):
                deferred.append(candidate)
            else:
                yield candidate
        yield from deferred

    def _everywhere(self, spec: PythonSpec | None) -> Iterator[Candidate]:
        yield from self.on_path(spec)
        yield from self.pyenv(spec)
        yield from self.tool_installs(spec)
        yield from self.uv(spec)
        yield from self.conda()
        yield from self.prefixes(spec)
        if _WINDOWS:
            yield from self.registry()

    # -- single files ----------------------------------------------------------------------------

    def from_path(self, text: str, found_by: str) -> Candidate | None:
        """A path the user typed: ~ expanded, relative to the cwd, an install folder's python found.

        A version manager's shim is mapped to what it would run; None when that cannot be told.
        """
        path = os.path.expanduser(text)
        if not os.path.isabs(path):
            path = os.path.join(self.cwd, path)
        path = clean_path(path)
        if os.path.isdir(path):
            inner = self.install_executable(path)
            if inner is not None:
                path = inner
        if self.shim_kind(os.path.dirname(path)) is not None:
            resolved = self.shims.resolve(path)
            if resolved is None:  # the manager falls back to the same name further along PATH
                name = os.path.basename(path)
                resolved = next(((c.path, c.hint) for c in self.on_path_exact(name, skip_shims=True)), None)
            if resolved is None:
                return None
            return Candidate(resolved[0], found_by, resolved[1], explicit=True)
        return Candidate(path, found_by, None, explicit=True)

    def path_dirs(self) -> list[str]:
        """The folders of PATH, relative ones taken against the cwd, each once."""
        seen: list[str] = []
        for entry in (self.env.get("PATH") or "").split(os.pathsep):
            folder = os.path.join(self.cwd, entry) if entry and not os.path.isabs(entry) else entry
            if folder and folder not in seen:
                seen.append(folder)
        return seen

    def on_path_exact(self, name: str, skip_shims: bool = False) -> Iterator[Candidate]:
        """The first executable called *name* on PATH (as a shell would run it)."""
        names = [name, name + ".exe"] if _WINDOWS and not name.lower().endswith(".exe") else [name]
        for folder in self.path_dirs():
            if skip_shims and self.shim_kind(folder) is not None:
                continue
            for each in names:
                candidate = self._on_path(folder, each)
                if candidate is not None:
                    yield candidate
                    return

    def _on_path(self, folder: str, name: str) -> Candidate | None:
        path = os.path.join(folder, name)
        if not _is_executable(path):
            return None
        kind = self.shim_kind(folder)
        if kind is not None:
            resolved = self.shims.resolve(path)
            if resolved is None:
                return None  # that manager would fall through to the next PATH entry
            return Candidate(resolved[0], f"PATH ({kind} shim)", resolved[1] or executable_hint(name))
        return Candidate(path, "PATH", _folder_hint(folder) or executable_hint(name))

    # -- folders of executables -------------------------------------------------------------------

    def names_in(self, folder: str, spec: PythonSpec | None) -> list[str]:
        """Interpreter-like names in *folder* worth a look for *spec*, best first."""
        if spec is not None and spec.major is not None and spec.minor is not None and spec.specifier is None:
            # A precise version: stat a dozen likely names rather than list a folder of thousands.
            base = os.path.join(folder, "")  # one join, not one per name
            return [name for name in generated_names(spec) if os.path.lexists(base + name)]
        try:
            entries = os.listdir(folder)
        except OSError:
            return []
        wanted: tuple[str, ...] = _LISTED_IMPLEMENTATIONS
        if spec is not None and spec.implementation and spec.implementation not in wanted:
            wanted = wanted + (spec.implementation,)
        initials = {implementation[0] for implementation in wanted}
        names = []
        for name in entries:
            if name[:1].lower() not in initials:
                continue  # most of /usr/bin: not even a look at the rest of the name
            if listed_implementation(name) in wanted:
                names.append(name)
        names.sort(key=lambda name: _sort_key(spec, name))
        return names

    def on_path(self, spec: PythonSpec | None) -> Iterator[Candidate]:
        """Interpreters on PATH, folder by folder."""
        for folder in self.path_dirs():
            for name in self.names_in(folder, spec):
                candidate = self._on_path(folder, name)
                if candidate is not None:
                    yield candidate

    def prefixes(self, spec: PythonSpec | None) -> Iterator[Candidate]:
        """Common install prefixes outside PATH: /usr/local, /opt/* (and macOS framework builds)."""
        folders = [(folder, f"prefix {os.path.dirname(folder)}") for folder in self.PREFIX_FOLDERS]
        for parent in self.PREFIX_PARENTS:
            try:
                names = sorted(os.listdir(parent))
            except OSError:
                continue
            label = f"prefix {self.PREFIX_PARENTS[0]}"
            folders += [(os.path.join(parent, name, "bin"), label) for name in names]
        if sys.platform == "darwin":
            from .shims import natural_key

            frameworks = "/Library/Frameworks/Python.framework/Versions"
            try:
                names = sorted(os.listdir(frameworks), key=natural_key, reverse=True)
            except OSError:
                names = []
            folders += [(os.path.join(frameworks, name, "bin"), "prefix /Library/Frameworks") for name in names]
            folders.append(("/opt/homebrew/bin", "prefix /opt/homebrew"))
        for folder, label in folders:
            for name in self.names_in(folder, spec):
                path = os.path.join(folder, name)
                if _is_executable(path):
                    yield Candidate(path, label, executable_hint(name))

    # -- install folders ------------------------------------------------------------------------------

    def install_executable(self, folder: str) -> str | None:
        """The interpreter of an install folder: a usual name, else any interpreter-like name in
        its bin/ (a free-threaded build may only have ``python3.13t``)."""
        subfolders = ("bin", "Scripts", "")
        for sub in subfolders:
            for name in _INSTALL_EXECUTABLES:
                path = os.path.join(folder, sub, name) if sub else os.path.join(folder, name)
                if _is_executable(path):
                    return path
        for sub in subfolders[:2]:
            for name in self.names_in(os.path.join(folder, sub), None):
                path = os.path.join(folder, sub, name)
                if _is_executable(path):
                    return path
        return None

    def _installs(self, root: str, found_by: str, spec: PythonSpec | None) -> Iterator[Candidate]:
        """One interpreter per install folder under *root*, newest version first."""
        from .shims import natural_key

        try:
            names = [name for name in os.listdir(root) if not name.startswith(".")]
        except OSError:
            return
        names.sort(key=natural_key, reverse=True)
        for name in names:
            hint = version_dir_hint(name)
            if spec is not None and not spec.could_match(hint):
                continue  # the folder's name rules it out: not even a stat
            executable = self.install_executable(os.path.join(root, name))
            if executable is not None:
                yield Candidate(executable, found_by, hint)

    def pyenv(self, spec: PythonSpec | None) -> Iterator[Candidate]:
        """pyenv's installed versions (``$PYENV_ROOT/versions``)."""
        from .shims import pyenv_root

        yield from self._installs(os.path.join(pyenv_root(self.env), "versions"), "pyenv", spec)

    def _folder(self, variable: str, *default: str) -> str:
        """Folder *variable* names, else *default* under the home folder."""
        value = self.env.get(variable)
        return clean_path(value) if value else os.path.join(self.home, *default)

    def tool_installs(self, spec: PythonSpec | None) -> Iterator[Candidate]:
        """asdf's and mise's python installs."""
        asdf = self._folder("ASDF_DATA_DIR", ".asdf")
        yield from self._installs(os.path.join(asdf, "installs", "python"), "asdf", spec)
        data = self._folder("XDG_DATA_HOME", ".local", "share")
        mise = self._folder("MISE_DATA_DIR") if self.env.get("MISE_DATA_DIR") else os.path.join(data, "mise")
        yield from self._installs(os.path.join(mise, "installs", "python"), "mise", spec)

    def uv(self, spec: PythonSpec | None) -> Iterator[Candidate]:
        """uv-managed installs (``uv python dir``)."""
        override = self.env.get("UV_PYTHON_INSTALL_DIR")
        if override:
            root = self._folder("UV_PYTHON_INSTALL_DIR")
        elif _WINDOWS:
            root = os.path.join(self._folder("APPDATA", "AppData", "Roaming"), "uv", "python")
        else:
            root = os.path.join(self._folder("XDG_DATA_HOME", ".local", "share"), "uv", "python")
        yield from self._installs(root, "uv", spec)

    def conda(self) -> Iterator[Candidate]:
        """conda environments (:mod:`.conda`, loaded only when the search gets this far)."""
        from .conda import conda_candidates

        yield from conda_candidates(self)

    def registry(self) -> Iterator[Candidate]:
        """PEP 514 registrations (Windows only)."""
        from .registry import WindowsRegistry, registry_entries

        for entry in registry_entries(WindowsRegistry()):
            yield Candidate(entry.executable, "registry", entry.hint)


def _folder_hint(folder: str) -> Hint | None:
    """What a version manager's install folder says of the executables in its bin/ (pyenv exec
    puts ``$PYENV_ROOT/versions/3.11.7/bin`` first on PATH, for one)."""
    install, bin_name = os.path.split(folder.rstrip("/\\"))
    holder = os.path.basename(os.path.dirname(install))
    if bin_name.lower() not in ("bin", "scripts") or holder not in ("versions", "python"):
        return None
    return version_dir_hint(os.path.basename(install))
