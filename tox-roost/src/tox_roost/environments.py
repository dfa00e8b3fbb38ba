"""tox environment types whose environments roost makes.

Each class is tox's virtualenv-based type with one change of substance: the session comes
from :func:`roost.session_via_cli`, with the arguments and ``VIRTUALENV_*`` variables tox
gives virtualenv.  roost's Session, creator and interpreter offer the attributes tox reads
(``creator.exe``, ``script_dir``, ``purelib``, ``interpreter.marker_environment``, ...), so
everything else in tox's classes works unchanged.  A missing interpreter raises the
``RuntimeError`` tox turns into a skip.
"""

from __future__ import annotations

from contextlib import redirect_stderr
from io import StringIO
from typing import TYPE_CHECKING, Any

from tox.report import HandledError
from tox.tox_env.python.api import Python
from tox.tox_env.python.pip.pip_install import Pip
from tox.tox_env.python.virtual_env.api import VirtualEnv
from tox.tox_env.python.virtual_env.package.cmd_builder import VirtualEnvCmdBuilder
from tox.tox_env.python.virtual_env.package.pyproject import Pep517VirtualEnvPackager
from tox.tox_env.python.virtual_env.runner import VirtualEnvRunner

if TYPE_CHECKING:
    from tox.config.main import Config
    from tox.tox_env.api import ToxEnvCreateArgs

    from roost.session import Session

# Settings tox makes through VIRTUALENV_* variables; a ROOST_* variable of the same name
# would outrank them inside roost, so it is dropped: tox's configuration decides.
_TOX_DECIDES = ("CLEAR", "SYSTEM_SITE_PACKAGES", "COPIES", "DOWNLOAD", "NO_VENV_REDIRECT", "PYTHON", "TRY_FIRST_WITH")


class RoostEnv(VirtualEnv):
    """The part every roost-made tox environment shares: the session, its cache key, pip."""

    def __init__(self, create_args: ToxEnvCreateArgs) -> None:
        self._roost_session: Session | None = None
        self._roost_session_error: RuntimeError | None = None
        super().__init__(create_args)

    @property
    def session(self) -> Session:  # type: ignore[override]
        """roost's session for this environment (resolved once; a failure is remembered)."""
        if self._roost_session_error is not None:
            raise self._roost_session_error
        if self._roost_session is None:
            try:
                self._roost_session = self.make_session(self.virtualenv_env_vars())
            except HandledError:  # tox's own configuration errors are not a missing interpreter
                raise
            except RuntimeError as exc:  # roost's errors, a missing interpreter among them
                self._roost_session_error = exc
                raise
        return self._roost_session

    def make_session(self, env: dict[str, str]) -> Session:
        """``roost.session_via_cli`` with the arguments tox gives virtualenv: DEST and each base python."""
        from roost import session_via_cli

        # tox puts its log/ and tmp/ folders, .tox-info.json and (package environments)
        # file.lock into the folder before it asks for the environment: the folder is tox's
        # (--recreate deletes it whole), and virtualenv creates in it, so roost may create
        # beside what is there (keeping all of it, refusing if bin/ or lib/ hold anything).
        args = [str(self.env_dir), "--allow-existing"]
        args += [f"--python={spec}" for spec in self.conf.get("base_python", list[str])]
        with redirect_stderr(StringIO()):  # as tox does for virtualenv: the API must not print
            return session_via_cli(args, setup_logging=False, env=env)

    def virtualenv_env_vars(self) -> dict[str, str]:
        """tox's VIRTUALENV_* settings, without ROOST_* variables that would override them."""
        env = super().virtualenv_env_vars()
        for suffix in _TOX_DECIDES:
            env.pop(f"ROOST_{suffix}", None)
        return env

    def _default_pass_env(self) -> list[str]:
        return [*super()._default_pass_env(), "ROOST_*"]

    def _default_virtualenv_spec(self, conf: Config, name: str | None) -> str:
        return ""  # roost supports the interpreters itself: never a pinned virtualenv in a subprocess

    def python_cache(self) -> dict[str, Any]:
        """What decides whether the environment must be made again: the base python and roost's version."""
        from roost import __version__

        base = Python.python_cache(self)
        base["executable"] = str(self.base_python.extra["executable"])
        if self.conf["system_site_packages"]:
            base["system_site_packages"] = True
        base["roost version"] = __version__
        return base

    @property
    def installer(self) -> Pip:
        if self._installer is None:
            self._installer = self.make_installer()
        return self._installer

    def make_installer(self) -> Pip:
        """The installer of deps and the package: pip, with roost's fast path for ``deps``.

        Override to install another way; the installer's ``install(arguments, section,
        of_type)`` gets every request.
        """
        from .installer import RoostPip

        return RoostPip(self)


class RoostRunner(RoostEnv, VirtualEnvRunner):
    """tox's run environment (``runner = roost``), made by roost."""

    @staticmethod
    def id() -> str:
        return "roost"

    @property
    def _package_tox_env_type(self) -> str:
        return RoostPep517Packager.id()

    @property
    def _external_pkg_tox_env_type(self) -> str:
        return RoostCmdBuilder.id()


class RoostPep517Packager(RoostEnv, Pep517VirtualEnvPackager):
    """Builds the package through its PEP 517 backend, in an environment roost made."""

    @staticmethod
    def id() -> str:
        return "roost-pep-517"


class RoostCmdBuilder(RoostEnv, VirtualEnvCmdBuilder):
    """Builds the package with an external command, in an environment roost made."""

    @staticmethod
    def id() -> str:
        return "roost-cmd-builder"


__all__ = ["RoostCmdBuilder", "RoostEnv", "RoostPep517Packager", "RoostRunner"]
