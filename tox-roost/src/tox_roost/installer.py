"""tox's pip installer, with roost's fast path for ``deps``.

tox decides *what* to install and when to recreate exactly as with pip (its own cache of
deps in ``.tox-info.json`` is unchanged); only the step that would run
``python -I -m pip install ARGS`` for ``deps``, the package's dependencies and its build
requirements (in the package environment), and the package's wheel itself, goes through
:func:`roost.seed.reqapi.install_requirements` instead: pinned requirements are linked from
roost's byte-compiled images, anything else is resolved by pip in the same step, and a
resolution pip made is remembered and re-used for the same inputs (see the README of
roost, "Installing requirements").  The package's wheel, built anew on each run, gets a
private image that is not kept.  A custom ``install_command`` keeps pip for everything, and
so do editable and sdist packages.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from tox.report import HandledError
from tox.tox_env.python.pip.pip_install import Pip

if TYPE_CHECKING:
    from collections.abc import Sequence

# tox's default install command (after tox put ``--pre`` in or took ``{opts}`` out): the one
# roost can stand in for.
DEFAULT_INSTALL = ["python", "-I", "-m", "pip", "install"]
# ... and its form for Python 2, which has no -I.
DEFAULT_INSTALL_PY2 = ["python", "-E", "-m", "pip", "install"]
# deps, the package's dependencies, and build requirements ("requires", "requires_for_build_wheel"...).
FAST_STEPS = ("deps", "package_deps", "requires")


class RoostPip(Pip):
    """pip, except that ``deps`` and the package's dependencies go through roost."""

    def _execute_installer(self, deps: Sequence[str], of_type: str) -> None:
        from tox.config.types import Command

        command = self._env.conf.get("install_command", Command).args
        if (
            not (of_type.startswith(FAST_STEPS) or (of_type == "package" and _only_wheels(deps)))
            or command[:5] not in (DEFAULT_INSTALL, DEFAULT_INSTALL_PY2)
            or command[5:] not in (["{packages}"], ["--pre", "{packages}"])
        ):
            super()._execute_installer(deps, of_type)
            return
        arguments = [*command[5:-1], *deps]  # "--pre" stays a pip option
        if of_type == "package_deps" and self.constrain_package_deps and not self._has_constraints:
            frozen = self.constraints_file()
            if frozen.exists():
                arguments.append(f"-c{frozen}")
        from roost.errors import RoostError
        from roost.seed.reqapi import install_requirements

        try:
            environment = dict(self._env.environment_variables)
            root = str(self._env.core["tox_root"])  # where tox runs pip
            session = self._env.session  # type: ignore[attr-defined]
            # The package's wheel is built anew on each run: its image is private, not kept.
            said = install_requirements(session, arguments, environment, cwd=root, transient_local=of_type == "package")
        except RoostError as exc:
            raise HandledError(f"installing {of_type} failed: {exc}") from None
        logging.warning("%s", said)
        if of_type == "deps" and self.constrain_package_deps and self.use_frozen_constraints and not self._has_constraints:
            self.constraints_file().write_text("\n".join(self.installed()))


def _only_wheels(arguments: Sequence[str]) -> bool:
    """tox's package step: ``--force-reinstall --no-deps`` and wheel files, nothing else."""
    return all(item in ("--force-reinstall", "--no-deps") or item.endswith(".whl") for item in arguments)


__all__ = ["DEFAULT_INSTALL", "RoostPip"]
