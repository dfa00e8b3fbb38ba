"""``shell NAME`` and ``tmp``: a new interactive ``$SHELL`` with an environment active.

pew started the shell with PATH already changed, so rc files that set PATH (most do) put
the environment behind the system's Python, and the prompt never showed it.  Here the
environment's own activate script runs *after* the user's rc files, in each shell's own
way: bash ``--rcfile``, zsh a ``ZDOTDIR`` that forwards to the user's files, ksh/mksh
``ENV``, fish ``--init-command``, nushell ``--execute``, xonsh ``XONSHRC`` with one file
more.  csh/tcsh have no such hook: there the variables are set before it starts (an rc
file that resets PATH wins), and the same for any other shell.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile

from ..activation.shells import BashActivator, FishActivator, NushellActivator, XonshActivator
from ..errors import RoostError
from .verbs import activated_environ

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

    from .store import Home


def launch(env: dict[str, str], env_path: str) -> int:
    """Start ``$SHELL`` (``/bin/sh`` when unset) with *env_path* active; its exit code."""
    shell = env.get("SHELL") or "/bin/sh"
    kind = os.path.basename(shell)
    workdir = tempfile.mkdtemp(prefix="roost-shell-")
    try:
        argv, environ = _command(kind, shell, env, env_path, workdir)
        try:
            return subprocess.call(argv, env=environ)
        except OSError as exc:
            raise RoostError(
                f"cannot start the shell {shell}: {exc.strerror or exc}", hint="set SHELL to a shell that exists"
            ) from None
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _write(folder: str, name: str, text: str) -> str:
    path = os.path.join(folder, name)
    with open(path, "w", encoding="utf-8", errors="surrogateescape") as handle:
        handle.write(text)
    return path


def _command(kind: str, shell: str, env: dict[str, str], env_path: str, workdir: str) -> tuple[list[str], dict[str, str]]:
    """The shell's argv and environment, so that activation comes after its rc files."""
    bin_dir = os.path.join(env_path, "bin")
    environ = dict(env)
    sh = BashActivator().quote
    activate_sh = ". " + sh(os.path.join(bin_dir, "activate")) + "\n"
    if kind == "bash":
        rc = _write(workdir, "bashrc", "[ -f ~/.bashrc ] && . ~/.bashrc\n" + activate_sh)
        return [shell, "--rcfile", rc, "-i"], environ
    if kind == "zsh":
        original = env.get("ZDOTDIR") or env.get("HOME") or os.path.expanduser("~")
        keep = "_ROOST_ZDOTDIR=" + sh(original) + "\n"
        for name in (".zshenv", ".zprofile", ".zlogin"):
            _write(workdir, name, keep + f'[ -f "$_ROOST_ZDOTDIR/{name}" ] && . "$_ROOST_ZDOTDIR/{name}"\n')
        # The last file zsh reads for an interactive shell: put ZDOTDIR back, then activate.
        _write(
            workdir,
            ".zshrc",
            keep + '[ -f "$_ROOST_ZDOTDIR/.zshrc" ] && . "$_ROOST_ZDOTDIR/.zshrc"\n'
            "ZDOTDIR=$_ROOST_ZDOTDIR; unset _ROOST_ZDOTDIR\n" + activate_sh,
        )
        environ["ZDOTDIR"] = workdir
        return [shell, "-i"], environ
    if kind in ("ksh", "ksh93", "mksh", "pdksh"):
        original = env.get("ENV") or os.path.join(env.get("HOME", "~"), ".kshrc")
        environ["ENV"] = _write(workdir, "kshrc", f"[ -f {sh(original)} ] && . {sh(original)}\n" + activate_sh)
        return [shell, "-i"], environ
    if kind == "fish":
        return [shell, "-i", "-C", "source " + FishActivator().quote(os.path.join(bin_dir, "activate.fish"))], environ
    if kind == "nu":
        return [shell, "-e", "overlay use " + NushellActivator().quote(os.path.join(bin_dir, "activate.nu"))], environ
    if kind == "xonsh":
        extra = _write(workdir, "rc.xsh", "source " + XonshActivator().quote(os.path.join(bin_dir, "activate.xsh")) + "\n")
        rc_files = env.get("XONSHRC") or os.path.join(env.get("HOME", "~"), ".xonshrc")
        environ["XONSHRC"] = rc_files + os.pathsep + extra
        return [shell, "-i"], environ
    return [shell], activated_environ(env, env_path)


def shell(home: Home, name: str) -> int:
    """``shell NAME``: a subshell with the environment active."""
    return launch(dict(home.env), home.target(name))


def tmp(home: Home, creation_args: Sequence[str]) -> int:
    """``tmp [roost options]``: a new environment, a subshell in it, and the environment removed when it exits."""
    from .verbs import create

    name = "tmp-" + os.urandom(6).hex()
    path = create(home, name, creation_args)
    print(f"This is a temporary environment. It will be deleted when this shell exits: {path}")
    try:
        return launch(dict(home.env), path)
    finally:
        home.remove(name)
