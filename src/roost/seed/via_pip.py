"""The ``pip`` seeder: install the same wheels by running pip inside the new environment."""

from __future__ import annotations

import os

from ..discovery.interpreter import last_line
from ..errors import RoostError
from . import Request, WheelSeeder

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..create import Layout

TIMEOUT = 900


class PipSeeder(WheelSeeder):
    """Runs ``pip install`` with the environment's python, pip itself taken from its wheel.

    pip runs in the environment's own folder, so nothing in the folder roost was started
    in (a ``pip.py``, a ``runpy.py``) can be imported in its place.
    """

    name = "pip"
    needs_working_env = True
    installed: Sequence[tuple[str, str]] = ()  # (name, version) of what pip installed

    def seed(self, layout: Layout) -> None:
        """Resolve the wheels as the app-data seeder does, then hand them to pip."""
        import subprocess

        from .download import PipRunner

        resolution = self.resolve_wheels(self.app_data.writable)
        try:
            if not resolution.wheels:
                return
            pip = next((wheel for wheel in resolution.wheels if wheel.name == "pip"), None)
            if pip is None:
                pip = resolution.finder.find(Request("pip", "bundle", explicit=False))
            if pip is None:
                raise RoostError(
                    f"the pip seeder needs a pip wheel for {self.interpreter.describe} to run", "use --seeder app-data"
                )
            runner = PipRunner(os.fspath(layout.exe), pip.path, self.interpreter.major_minor, is_target=True)
            command = runner.command(
                "install",
                "--no-deps",
                "--no-index",
                "--disable-pip-version-check",
                "--no-warn-script-location",
                "--quiet",
                *[os.path.abspath(wheel.path) for wheel in resolution.wheels],
            )
            environment = runner.environment(self.env)
            environment.pop("PIP_NO_INDEX", None)
            try:
                done = subprocess.run(
                    command,
                    cwd=layout.dest,
                    env=environment,
                    stdin=subprocess.DEVNULL,
                    capture_output=True,
                    timeout=TIMEOUT,
                    check=False,
                )
            except (OSError, subprocess.TimeoutExpired) as exc:
                raise RoostError(f"could not run pip in {layout.dest}: {exc}") from None
            if done.returncode:
                raise RoostError(f"pip failed to install the seed packages: {last_line(done.stderr)}")
            self.installed = [(wheel.name, wheel.version) for wheel in resolution.wheels]
        finally:
            resolution.cleanup()

    def describe(self) -> str:
        packages = ", ".join(f"{name} {version}" for name, version in self.installed) or ", ".join(r.name for r in self.requests)
        return f"{packages} (pip)"
