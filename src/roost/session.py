"""Session: the four phases of making an environment, in order, and the API that runs them.

:func:`cli_run` and :func:`session_via_cli` are virtualenv's API (``roost.cli_run``).
The split follows virtualenv's, and these words describe the code as it is (the code was
not moved to fit older words: tox and other callers of ``session_via_cli`` rely on it
being cheap):

* :func:`session_via_cli` decides: options, the interpreter (discovery, which may probe
  and fill the interpreter cache), the creator bound to its destination, the seeder's plan
  (which distributions, not yet which wheel files) and the activators.  It never writes
  the destination.  It does change app data when asked to on the command line
  (``--reset-app-data`` empties it, ``--upgrade-embed-wheels`` downloads into it), as
  virtualenv's does.
* :meth:`Session.run` acts: create the folders, seed, write the activation scripts, and
  write ``pyvenv.cfg`` last.  Seeding chooses the wheel files then (which may download
  with ``--download``, build missing images, and start the periodic update in the
  background), because only a run needs them.

Seeding and activation overlap: :func:`in_parallel` writes the activation scripts on a
second thread while this one seeds, so neither phase knows of the other.
"""

from __future__ import annotations

import _thread  # not threading: the same primitives without its import (~1 ms)
import os
import time

from . import _log
from .appdata import AppData, default_root

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~4 ms)
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from .activation import Activator
    from .create.creator import Creator
    from .discovery.interpreter import Interpreter
    from .options import Options
    from .seed import Seeder


class Session:
    """One environment being made: what was resolved, and :meth:`run` to make it."""

    def __init__(
        self,
        options: Options,
        app_data: AppData,
        interpreter: Interpreter,
        creator: Creator,
        seeder: Seeder,
        activators: list[Activator],
        env: Mapping[str, str],
    ) -> None:
        self.options = options
        self.app_data = app_data
        self.interpreter = interpreter
        self.creator = creator
        self.seeder = seeder
        self.activators = activators
        self.env = env
        # (verbosity, to logging): session_via_cli's choice, applied again by run(), which
        # callers such as tox may call from another thread.
        self.log_routing: tuple[int, bool] | None = None

    @property
    def verbosity(self) -> int:
        """The run's verbosity (2 by default; each -v adds one, each -q takes one away)."""
        return self.options.verbosity

    def __enter__(self) -> Session:
        """``with roost.cli_run([...]) as session:``, as virtualenv's Session allows."""
        return self

    def __exit__(self, *exc_info: object) -> None:
        """Nothing to release: roost holds no app-data handle between calls."""

    def run(self) -> None:
        """Create, seed and activate (overlapping); pyvenv.cfg last so an interrupted run never looks finished."""
        if self.log_routing is not None:
            _log.set_thread_level(*self.log_routing)
        started = time.perf_counter()
        creator = self.creator
        # One run on a DEST at a time: locked before DEST is looked at, let go however the
        # run ends (a waiting run then sees what this one left: an environment, or nothing).
        with creator.claim:
            try:
                creator.create()
                if self.seeder.needs_working_env:
                    creator.write_pyvenv_cfg()
                if self.seeder.installs_nothing or not self.activators:
                    self._seed()
                    self._activate()
                else:
                    # Seeding waits on the disk (links, or building images) or on pip; the
                    # activation scripts need none of its files, so a second thread writes them.
                    # Seeding stays on this thread, where a Ctrl-C lands.
                    in_parallel(self._seed, self._activate)
                if self.options.relocatable:
                    from .relocate import make_relocatable

                    make_relocatable(creator.layout.dest)
                creator.write_pyvenv_cfg()
                finish = getattr(self.seeder, "finish", None)  # a plugin's seeder may predate it
                if finish is not None:
                    finish(creator.layout)  # work that needs the finished env (-r's pip part)
                creator.mark_finished()
            except BaseException:
                # A failed run takes back what it wrote, and only that.
                self.seeder.rollback()
                creator.discard_partial()
                raise
            self.seeder.commit()
            from .create.destination import point_venv_redirect

            point_venv_redirect(creator.layout.dest, self.options.redirect_mode)
        elapsed_ms = (time.perf_counter() - started) * 1000
        _log.result(self.summary(elapsed_ms))

    def _seed(self) -> None:
        self.seeder.seed(self.creator.layout)

    def _activate(self) -> None:
        if not self.activators:
            return
        from .activation import ActivationContext, generate_all

        layout = self.creator.layout
        context = ActivationContext(
            dest=layout.dest,
            bin_dir=layout.bin_dir,
            prompt=self.creator.prompt,
            site_packages=layout.site_packages,
            windows=self.interpreter.is_windows,
        )
        written = generate_all(self.activators, context)
        _log.debug(f"activation scripts: {', '.join(os.path.basename(path) for path in written)}")

    def summary(self, elapsed_ms: float) -> str:
        """The one success line."""
        seeded = self.seeder.describe()
        extra = f", {seeded}" if seeded else ""
        return (
            f"created {self.interpreter.implementation} {self.interpreter.version_str} environment at "
            f"{self.creator.layout.dest} in {elapsed_ms:.0f} ms ({self.creator.mode}{extra})"
        )


def _nothing() -> None:
    pass


def in_parallel(here: Callable[[], None], there: Callable[[], None], stop: Callable[[], None] = _nothing) -> None:
    """Run *there* on a second thread while this thread runs *here*; return when both are done.

    Raises what *here* raised, else what *there* raised.  The second thread speaks with this
    thread's verbosity (:mod:`roost._log` settings are per thread).  Never returns while
    *there* still runs, because a failed run deletes what it writes next: when *here* fails,
    or a Ctrl-C lands in the wait, *stop* asks *there* to finish sooner, and the interrupt
    is raised once it has.  With no thread to be had, both run here, *there* first.
    """
    failure: list[BaseException] = []
    ended: list[bool] = []  # set once *there* has stopped writing
    level, routed = _log.level(), _log._routed_to_logging()
    finished = _thread.allocate_lock()
    finished.acquire()

    def second() -> None:
        _log.set_thread_level(level, routed)
        try:
            there()
        except BaseException as exc:  # noqa: BLE001 - handed to the calling thread
            failure.append(exc)
        finally:
            ended.append(True)
            finished.release()

    try:
        _thread.start_new_thread(second, ())
    except RuntimeError:  # no more threads to be had
        there()
        here()
        return
    try:
        here()
    except BaseException:
        stop()
        raise
    finally:
        _wait_for(finished, stop, ended)
    if failure:
        raise failure[0]


def _wait_for(finished: _thread.LockType, stop: Callable[[], None], ended: list[bool]) -> None:
    """Wait until *finished* is released, even through Ctrl-C.

    A lock wait is interrupted by a signal, so a Ctrl-C during it only calls *stop*; it is
    raised once the other thread is done.  A signal landing just after the lock was taken
    must not make this wait for it again (forever): *ended* says the other thread is done.
    """
    interrupted: KeyboardInterrupt | None = None
    while not ended:
        try:
            finished.acquire()
            break
        except KeyboardInterrupt as exc:
            stop()
            interrupted = exc
    if interrupted is not None:
        raise interrupted


def session_via_cli(
    args: Sequence[str],
    options: Options | None = None,
    setup_logging: bool = True,
    env: Mapping[str, str] | None = None,
) -> Session:
    """Parse *args* (as the command line would) and resolve a Session; the environment is not written.

    *options*, when given, is filled with the parsed values.  *env* replaces ``os.environ``
    for ROOST_*/VIRTUALENV_* defaults and discovery.  With *setup_logging* false, roost's
    messages go to the ``roost`` logger instead of the console.  Safe to call from many
    threads at once: no process-wide state is changed.
    """
    from .cli import parse

    environment = dict(os.environ) if env is None else _checked_env(env)
    if options is not None and not _is_options(options):
        from .errors import UsageError

        raise UsageError(f"options must be a roost Options, not {type(options).__name__}", "pass Options() or leave it out")
    parsed = parse(args, environment, into=options)
    _log.set_thread_level(parsed.verbosity, use_logging=not setup_logging)
    for warning in parsed.warnings:
        _log.warning(warning)
    session = build_session(parsed, environment, os.getcwd())
    session.log_routing = (parsed.verbosity, not setup_logging)
    return session


def _is_options(value: object) -> bool:
    from .options import Options

    return isinstance(value, Options)


def _checked_env(env: Mapping[str, str]) -> dict[str, str]:
    """An API caller's *env*, or a UsageError naming the entry that is not text."""
    try:
        environment = dict(env)
    except (TypeError, ValueError):
        from .errors import UsageError

        raise UsageError(f"env must be a mapping of names to values, not {type(env).__name__}", "pass a dict") from None
    for key, value in environment.items():
        if not isinstance(key, str) or not isinstance(value, str):
            from .errors import UsageError

            raise UsageError(f"env[{key!r}] = {value!r}: names and values must be text", "convert them with str()")
    return environment


def cli_run(
    args: Sequence[str],
    options: Options | None = None,
    setup_logging: bool = True,
    env: Mapping[str, str] | None = None,
) -> Session:
    """Create the environment *args* describe and return its Session."""
    session = session_via_cli(args, options, setup_logging, env)
    session.run()
    return session


def build_session(options: Options, env: Mapping[str, str], cwd: str | os.PathLike[str]) -> Session:
    """Resolve every phase's inputs; writes nothing but app data (caches, and what the flags ask)."""
    cwd = os.fspath(cwd)
    app_data = AppData(
        os.path.expanduser(options.app_data) if options.app_data else default_root(env),
        read_only=bool(options.read_only_app_data),
    )
    if options.reset_app_data:
        app_data.reset()
    from .create import build_creator, check_supported
    from .discovery import discover

    specs: Sequence[str] = options.python
    if not specs and not options.try_first_with and not (options.clear or options.upgrade):
        specs = _existing_environments_python(options, cwd)
    if options.discovery != "builtin":  # a roost.discovery plugin names the interpreter
        from .plugins import discover_with_plugin

        specs = [discover_with_plugin(options.discovery, specs, env, cwd, app_data)]
    interpreter = discover(
        specs,
        options.try_first_with,
        app_data,
        env,
        cwd,
        use_version_file=not options.no_python_version_file,
        check=check_supported,
    )
    _log.info(f"interpreter: {interpreter.describe} (found by {interpreter.found_by or 'spec'})")

    creator_class, seeder_class = _plugin_classes(options, app_data)
    creator = build_creator(options, interpreter, cwd, creator_class, env)
    seeder: Seeder
    if options.no_seed and not options.upgrade_embed_wheels:
        # The bare path loads only the seed package's small public face, none of its machinery.
        from .seed import NoSeeder

        seeder = NoSeeder()
    elif seeder_class is not None:
        seeder = seeder_class(options, interpreter, app_data, env)
    else:
        from .seed import build_seeder

        if options.upgrade_embed_wheels:
            from .seed import upgrade_embed_wheels

            upgrade_embed_wheels(options, app_data, env)
        seeder = build_seeder(options, interpreter, app_data, env)
    if options.requirement:
        from .seed.reqinstall import with_requirements  # -r only: packaging and friends load here

        seeder = with_requirements(seeder, options, interpreter, app_data, env, cwd)
    activators = _select_activators(options, interpreter, app_data)
    if options.upgrade or options.upgrade_deps:
        from .health.upgrade import UpgradeSession  # acts on an existing environment instead

        return UpgradeSession(options, app_data, interpreter, creator, seeder, activators, env)
    return Session(options, app_data, interpreter, creator, seeder, activators, env)


def _existing_environments_python(options: Options, cwd: str) -> list[str]:
    """DEST's own base interpreter when DEST is an environment and no interpreter was asked for.

    Running ``roost DEST`` (``-r``, new seed packages) again on an environment updates it as
    it is: with the interpreter roost runs on instead, a 3.12 environment would become a 3.11
    one with its packages stranded in ``lib/python3.12``.  When that base is gone, discovery
    goes on as usual and the creator refuses a change of minor version.
    """
    if not options.dest:
        return []
    cfg = os.path.join(cwd, os.path.expanduser(options.dest), "pyvenv.cfg")
    from .create.destination import read_pyvenv_cfg

    try:
        values = read_pyvenv_cfg(cfg)
    except OSError:
        return []
    for key in ("base-executable", "executable"):
        path = values.get(key)
        if path and os.path.isabs(path) and os.path.isfile(path):
            _log.info(f"{options.dest} is an environment of {path}: updating it with that interpreter (-p chooses another)")
            return [path]
    return []


_BUILT_IN_CREATORS = ("builtin", "venv")
_BUILT_IN_SEEDERS = ("app-data", "pip")


def _plugin_classes(options: Options, app_data: AppData) -> tuple[type[Creator] | None, Callable[..., Seeder] | None]:
    """The roost.create / roost.seed plugin classes the options name; None for a built-in.

    A seeder plugin is looked up even with --no-seed, so a misspelt name fails.
    """
    creator, seeder = options.creator_kind, options.seeder
    if creator in _BUILT_IN_CREATORS and seeder in _BUILT_IN_SEEDERS:
        return None, None  # the common case: no entry point is looked at
    from .plugins import load

    creator_class = None if creator in _BUILT_IN_CREATORS else load("creator", creator, app_data, _BUILT_IN_CREATORS)
    seeder_class = None if seeder in _BUILT_IN_SEEDERS else load("seeder", seeder, app_data, _BUILT_IN_SEEDERS)
    return creator_class, seeder_class


def _select_activators(options: Options, interpreter: Interpreter, app_data: AppData) -> list[Activator]:
    names: Sequence[str] | None = options.activators
    if names is not None and not names:
        return []
    from .activation import NAMES, select_activators

    if names is not None and not set(names) <= set(NAMES):  # roost.activate plugins among them
        from .plugins import select_activators_with_plugins

        return select_activators_with_plugins(names, app_data)
    return select_activators(names, interpreter.is_windows)
