"""``roost --upgrade DEST`` and ``roost --upgrade-deps DEST``: act on an existing environment.

``--upgrade`` is what venv's ``--upgrade`` promises, done right: the environment is
re-pointed at its upgraded interpreter in place (dangling links replaced, ``pyvenv.cfg``
and the scripts rewritten) by the same code as ``roost repair``.  The interpreter is the
one ``-p`` names, else the environment's own base (or another of its version when that is
gone).  A different minor version is refused: ``roost repair --recreate`` rebuilds.

``--upgrade-deps`` installs the seed packages (pip, and setuptools/wheel where they are
seeded) again at the versions roost would seed today, as venv's ``--upgrade-deps`` does
with pip; the seeder replaces older versions in place.
"""

from __future__ import annotations

import os

from .. import _log
from ..errors import RoostError
from ..session import Session

__all__ = ["UpgradeSession", "upgrade"]


class UpgradeSession(Session):
    """The session of ``roost --upgrade``/``--upgrade-deps DEST``: :meth:`run` acts on DEST as it is."""

    def run(self) -> None:
        """Upgrade the existing environment (nothing is created), holding DEST's lock as a creation does."""
        with self.creator.claim:
            upgrade(self)


def upgrade(session: Session) -> None:
    """Run ``--upgrade`` and/or ``--upgrade-deps`` for the session's DEST."""
    from ..envreader import read_environment
    from .repair import find_interpreter, repair_in_place

    dest = session.creator.layout.dest
    flags = " ".join(
        flag for flag, on in (("--upgrade", session.options.upgrade), ("--upgrade-deps", session.options.upgrade_deps)) if on
    )
    if not os.path.isfile(os.path.join(dest, "pyvenv.cfg")):
        raise RoostError(f"{flags}: {dest} is not an environment (no pyvenv.cfg)", "create it first: roost DEST")
    env = read_environment(dest)
    given = "python" in session.options.sources
    interpreter = session.interpreter if given else find_interpreter(env, [], session.app_data, session.env)
    if interpreter.major_minor != env.major_minor or interpreter.implementation.lower() != env.implementation.lower():
        raise RoostError(
            f"{flags}: {dest} is {env.implementation} {env.major_minor}, {interpreter.system_executable} is"
            f" {interpreter.implementation} {interpreter.major_minor}: an upgrade in place needs the same minor version",
            f"roost repair --recreate -p {interpreter.system_executable} {dest} rebuilds it with its packages",
        )
    done = []
    if session.options.upgrade:
        steps = repair_in_place(env, interpreter)
        done.append(
            f"re-pointed at {interpreter.implementation} {interpreter.version_str}" if steps else "interpreter up to date"
        )
    if session.options.upgrade_deps:
        seeder = session.seeder
        if interpreter is not session.interpreter:
            from ..seed import build_seeder

            seeder = build_seeder(session.options, interpreter, session.app_data, session.env)
        from ..create.creator import Layout

        try:
            seeder.seed(Layout(dest, interpreter))
        except BaseException:
            seeder.rollback()  # the seed packages that were there go back
            raise
        seeder.commit()
        described = seeder.describe()
        done.append(f"seed packages: {described}" if described else "no seed packages")
    _log.result(f"upgraded environment at {dest}: {'; '.join(done)}")
