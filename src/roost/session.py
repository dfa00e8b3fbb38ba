"""Session: the four phases of making an environment, in order, and the API that runs them.

:func:`cli_run` and :func:`session_via_cli` are virtualenv's API (``roost.cli_run``).
``session_via_cli`` resolves everything (options, interpreter, creator, seeder,
activators) without writing the environment; :meth:`Session.run` then discovers nothing
new and only acts: create, seed, activate, and write ``pyvenv.cfg`` last.
"""

from __future__ import annotations

import os
import time

from . import _log
from .appdata import AppData, default_root

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~4 ms)
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

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

    @property
    def verbosity(self) -> int:
        return self.options.verbosity

    def run(self) -> None:
        """Create, seed, activate; pyvenv.cfg last so an interrupted run never looks finished."""
        started = time.perf_counter()
        try:
            self.creator.create()
            if self.seeder.needs_working_env:
                self.creator.write_pyvenv_cfg()
            # The activation scripts are written while a second thread links seed files.
            self.seeder.seed(self.creator.layout, meanwhile=self._activate)
            self.creator.write_pyvenv_cfg()
            self.seeder.finish(self.creator.layout)
        except BaseException:
            # A failed run leaves no half environment behind where roost made the folder.
            self.creator.discard_partial()
            raise
        from .create.destination import point_venv_redirect

        point_venv_redirect(self.creator.layout.dest, self.options.redirect_mode)
        elapsed_ms = (time.perf_counter() - started) * 1000
        _log.result(self.summary(elapsed_ms))

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


def session_via_cli(
    args: Sequence[str],
    options: Options | None = None,
    setup_logging: bool = True,
    env: Mapping[str, str] | None = None,
) -> Session:
    """Parse *args* (as the command line would) and resolve a Session without creating anything.

    *options*, when given, is filled with the parsed values.  *env* replaces ``os.environ``
    for ROOST_*/VIRTUALENV_* defaults and discovery.  With *setup_logging* false, roost's
    messages go to the ``roost`` logger instead of the console.  Safe to call from many
    threads at once: no process-wide state is changed.
    """
    from .cli import parse

    environment = dict(os.environ) if env is None else dict(env)
    parsed = parse(args, environment, into=options)
    _log.set_thread_level(parsed.verbosity, use_logging=not setup_logging)
    for warning in parsed.warnings:
        _log.warning(warning)
    return build_session(parsed, environment, os.getcwd())


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
    """Resolve every phase's inputs; writes nothing but caches."""
    cwd = os.fspath(cwd)
    app_data = AppData(
        os.path.expanduser(options.app_data) if options.app_data else default_root(env),
        read_only=bool(options.read_only_app_data),
    )
    if options.reset_app_data:
        app_data.reset()
    from .create import build_creator, check_supported
    from .discovery import discover

    interpreter = discover(
        options.python,
        options.try_first_with,
        app_data,
        env,
        cwd,
        use_version_file=not options.no_python_version_file,
        check=check_supported,
    )
    _log.info(f"interpreter: {interpreter.describe} (found by {interpreter.found_by or 'spec'})")

    creator = build_creator(options, interpreter, cwd)
    seeder: Seeder
    if options.no_seed and not options.upgrade_embed_wheels:
        # The bare path loads only the seed package's small public face, none of its machinery.
        from .seed import NoSeeder

        seeder = NoSeeder()
    else:
        from .seed import build_seeder

        if options.upgrade_embed_wheels:
            from .seed import upgrade_embed_wheels

            upgrade_embed_wheels(options, app_data, env)
        seeder = build_seeder(options, interpreter, app_data, env)
    if options.requirement:
        from .seed.reqinstall import with_requirements  # -r only: packaging and friends load here

        seeder = with_requirements(seeder, options, interpreter, app_data, env, cwd)
    activators = _select_activators(options, interpreter)
    return Session(options, app_data, interpreter, creator, seeder, activators, env)


def _select_activators(options: Options, interpreter: Interpreter) -> list[Activator]:
    names: Sequence[str] | None = options.activators
    if names is not None and not names:
        return []
    from .activation import select_activators

    return select_activators(names, interpreter.is_windows)
