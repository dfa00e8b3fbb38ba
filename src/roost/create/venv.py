"""The ``venv`` creator: the target's own stdlib venv lays the environment out.

Useful when an interpreter needs a layout only its own venv knows.  Runs in-process when
the target is the interpreter running roost, in a subprocess otherwise.  roost then adds
its own parts (seed packages, activators, VCS ignore, its pyvenv.cfg keys).  Unlike the
builtin creator, stdlib venv writes pyvenv.cfg early; roost rewrites it at the end.
"""

from __future__ import annotations

import os
import sys

from ..discovery.interpreter import child_environment, last_line
from ..errors import RoostError
from .creator import Creator


class VenvCreator(Creator):
    """Delegates the layout to ``python -m venv --without-pip``."""

    name = "venv"

    def lay_out(self) -> None:
        """The stdlib's venv makes the folders and the interpreter (and an early pyvenv.cfg)."""
        if not self.interpreter.has_venv:
            raise RoostError(f"{self.interpreter.system_executable} has no venv module", "use --creator builtin (the default)")
        if os.path.realpath(self.interpreter.system_executable) == os.path.realpath(sys.executable) and not hasattr(
            sys, "pypy_version_info"
        ):
            self._in_process()
        else:
            self._subprocess()

    def _in_process(self) -> None:
        import venv

        builder = venv.EnvBuilder(
            system_site_packages=self.system_site_packages,
            symlinks=not self.copies,
            with_pip=False,
            prompt=self.configured_prompt,
        )
        builder.create(self.layout.dest)

    def _subprocess(self) -> None:
        import subprocess

        command = [self.interpreter.system_executable, "-m", "venv", "--without-pip"]
        command.append("--copies" if self.copies else "--symlinks")
        if self.system_site_packages:
            command.append("--system-site-packages")
        if self.configured_prompt is not None:
            command += ["--prompt", self.configured_prompt]
        command.append(self.layout.dest)
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, env=child_environment(self.env), timeout=300, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise RoostError(f"stdlib venv of {self.interpreter.system_executable} failed: {exc}") from None
        if done.returncode:
            raise RoostError(
                f"stdlib venv of {self.interpreter.system_executable} failed: {last_line(done.stderr)}", "try --creator builtin"
            )
