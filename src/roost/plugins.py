"""roost's plugin interface, version 1: third-party discovery, creators, seeders and activators.

A distribution offers plugins through entry points in four groups; the entry point's name
is what the user selects, with virtualenv's flags (so ``virtualenv.ini`` keys keep working)::

    [project.entry-points."roost.discovery"]   # --discovery NAME
    [project.entry-points."roost.create"]      # --creator NAME
    [project.entry-points."roost.seed"]        # --seeder NAME
    [project.entry-points."roost.activate"]    # --activators NAME[,NAME...]

Each entry point names a class that declares ``roost_plugin_api = 1`` (the version of this
interface it was written for; roost refuses another with one clear line) and:

* ``roost.discovery``: has ``find(self, specs, env, cwd) -> str | None``, called with the
  ``-p`` values (a list of str), the environment variables and the working folder; it
  returns the path of an interpreter, which roost then inspects (and caches) as its own
  discovery's finds, or None when it has none (roost then reports no match).
* ``roost.create``: a subclass of :class:`roost.create.Creator`, built with its keyword
  arguments; :meth:`~roost.create.Creator.create` lays out everything but ``pyvenv.cfg``.
* ``roost.seed``: a subclass of :class:`roost.seed.Seeder`, built as
  ``cls(options, interpreter, app_data, env)``; ``seed(layout, meanwhile=None)`` installs
  into the environment at *layout* (a :class:`roost.create.Layout`) and, when roost passes
  *meanwhile* (other work of the run to overlap with seeding), calls it exactly once.
* ``roost.activate``: a subclass of :class:`roost.activation.Activator`, built with no
  arguments; set ``template_dir`` to the folder of its templates.

Built-in names always win, and finding them costs nothing: entry points are looked up only
for a name roost does not know.  The answer of that scan is kept in app data, keyed by
every ``sys.path`` folder and its modification time (installing or removing a
distribution changes the folder it goes into), so a plugin's users do not pay
``importlib.metadata`` on every run either.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~4 ms)
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Any

    from .appdata import AppData
    from .errors import UsageError

API_VERSION = 1

# kind -> entry-point group
GROUPS = {
    "discovery": "roost.discovery",
    "creator": "roost.create",
    "seeder": "roost.seed",
    "activator": "roost.activate",
}
_FLAGS = {"discovery": "--discovery", "creator": "--creator", "seeder": "--seeder", "activator": "--activators"}
CACHE_NAME = "plugins.store"


def _usage(message: str, hint: str | None = None) -> UsageError:
    from .errors import UsageError

    return UsageError(message, hint)


def _path_key() -> list[tuple[str, int]]:
    """Every sys.path entry with its modification time: what decides which entry points exist."""
    key = []
    for entry in sys.path:
        try:
            key.append((entry, os.stat(entry or ".").st_mtime_ns))
        except OSError:
            key.append((entry, -1))
    return key


def scan() -> dict[str, dict[str, str]]:
    """Every roost entry point installed: group -> name -> ``module:attribute``."""
    from importlib.metadata import entry_points

    found: dict[str, dict[str, str]] = {group: {} for group in GROUPS.values()}
    everything = entry_points()
    for group in GROUPS.values():
        selected = everything.select(group=group) if hasattr(everything, "select") else everything.get(group, ())
        for entry in selected:
            found[group].setdefault(entry.name, entry.value)
    return found


def entry_points_cached(app_data: AppData | None) -> dict[str, dict[str, str]]:
    """:func:`scan`, answered from the store file in *app_data* while sys.path is unchanged."""
    from .appdata import read_store, write_store

    key = _path_key()
    path = os.path.join(app_data.root, CACHE_NAME) if app_data is not None else None
    if path is not None:
        stored = read_store(path)
        if isinstance(stored, dict) and stored.get("api") == API_VERSION and stored.get("key") == key:
            groups: dict[str, dict[str, str]] = stored["groups"]
            return groups
    groups = scan()
    if path is not None and app_data is not None and not app_data.read_only:
        try:
            app_data.ensure()
            write_store(path, {"api": API_VERSION, "key": key, "groups": groups})
        except (OSError, RuntimeError):
            pass  # an unwritable app-data folder: scan again next time
    return groups


def available(kind: str, app_data: AppData | None) -> list[str]:
    """The names plugins offer for *kind* (``discovery``, ``creator``, ``seeder``, ``activator``)."""
    return sorted(entry_points_cached(app_data)[GROUPS[kind]])


def load(kind: str, name: str, app_data: AppData | None, built_in: Sequence[str] = ()) -> Any:
    """The plugin class called *name* of *kind*; UsageError (one line) when there is none or it
    is for another version of this interface."""
    target = entry_points_cached(app_data)[GROUPS[kind]].get(name)
    if target is None:
        choices = ", ".join([*built_in, *available(kind, app_data)])
        raise _usage(f"{_FLAGS[kind]}: no {kind} called {name!r}", f"choose from: {choices}")
    module_name, _, attribute = target.partition(":")
    from importlib import import_module

    try:
        found: Any = import_module(module_name)
        for part in attribute.split(".") if attribute else ():
            found = getattr(found, part)
    except Exception as exc:  # a broken plugin: say which, not a traceback from its import
        raise _usage(f"{kind} plugin {name!r} ({target}) cannot be loaded: {exc}", "reinstall or remove it") from None
    version = getattr(found, "roost_plugin_api", None)
    if version != API_VERSION:
        raise _usage(
            f"{kind} plugin {name!r} ({target}) is written for roost plugin API {version}; this roost speaks {API_VERSION}",
            "install a version of the plugin made for this roost",
        )
    base = _base_class(kind)
    if base is not None and not (isinstance(found, type) and issubclass(found, base)):
        raise _usage(f"{kind} plugin {name!r} ({target}) is not a subclass of {base.__module__}.{base.__name__}")
    if kind == "discovery" and not callable(getattr(found, "find", None)):
        raise _usage(f"{kind} plugin {name!r} ({target}) has no find(specs, env, cwd) method")
    return found


def _base_class(kind: str) -> type | None:
    if kind == "creator":
        from .create.creator import Creator

        return Creator
    if kind == "seeder":
        from .seed import Seeder

        return Seeder
    if kind == "activator":
        from .activation import Activator

        return Activator
    return None


def discover_with_plugin(name: str, specs: Sequence[str], env: Mapping[str, str], cwd: str, app_data: AppData | None) -> str:
    """Ask the discovery plugin *name* for an interpreter path; RoostError when it finds none."""
    finder = load("discovery", name, app_data, built_in=("builtin",))()
    found = finder.find(list(specs), env, cwd)
    if not found:
        from .errors import RoostError

        wanted = ", ".join(specs) or "the default interpreter"
        raise RoostError(f"--discovery {name}: no interpreter found for {wanted}", "check the plugin's configuration")
    return str(found)


def select_activators_with_plugins(names: Sequence[str], app_data: AppData | None) -> list[Any]:
    """``--activators`` naming plugins: built-in names as usual, the others from ``roost.activate``."""
    from .activation import NAMES, activator_class

    chosen = list(dict.fromkeys(part.strip() for entry in names for part in entry.split(",") if part.strip()))
    return [activator_class(name)() if name in NAMES else load("activator", name, app_data, built_in=NAMES)() for name in chosen]
