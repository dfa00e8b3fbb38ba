"""virtualenvwrapper's *run* hooks, for the commands that run in Python anyway.

A run hook is a program (its own shebang decides the language) given arguments, run from
``WORKON_HOME`` as virtualenvwrapper's hook loader does.  Global hooks live in
``VIRTUALENVWRAPPER_HOOK_DIR``; ``preactivate`` and ``get_env_details`` also have a local
one in the environment's ``bin``, run after the global one.  A hook file that is missing
is skipped; one that cannot be started is reported in one line and the command goes on,
as virtualenvwrapper does.  The *sourced* hooks belong to the shell (see :mod:`.shellinit`).
"""

from __future__ import annotations

import os
import subprocess

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .store import Home

#: Hooks run as programs, with what virtualenvwrapper passes them.
RUN_HOOKS = {
    "premkvirtualenv": "the new environment's name",
    "precpvirtualenv": "the source environment's path and the new name",
    "prermvirtualenv": "the environment's name",
    "postrmvirtualenv": "the environment's name",
    "preactivate": "the environment's name (global hook only)",
    "premkproject": "the new project's name",
    "get_env_details": "the environment's name",
}


def run_hook(home: Home, hook: str, *args: str, env_path: str | None = None) -> None:
    """Run the global *hook* with *args*, then the local one in *env_path*/bin when given."""
    if hook not in RUN_HOOKS:
        raise ValueError(f"{hook} is not a run hook")
    places = [os.path.join(home.hook_dir, hook)]
    if env_path is not None:
        places.append(os.path.join(env_path, "bin", hook))
    for script in places:
        if not os.path.isfile(script):
            continue
        try:
            subprocess.call([script, *args], cwd=home.root if os.path.isdir(home.root) else None, env=dict(home.env))
        except OSError as exc:
            from .. import _log

            _log.warning(f"could not run the {hook} hook {script}: {exc.strerror or exc}")
