"""``roost shell-init SHELL``: virtualenvwrapper's functions for one shell, from a template.

The template is package data beside this module; the only values put into it are the
command that runs roost and the shell's name, each quoted by that shell's activator
(:mod:`roost.activation.shells`), and substituted in one pass by the activation package's
:func:`~roost.activation.render`.
"""

from __future__ import annotations

import os
import sys

from ..activation import Activator, UnsafeValue, render
from ..activation.shells import (
    BashActivator,
    CShellActivator,
    FishActivator,
    NushellActivator,
    PowerShellActivator,
    XonshActivator,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

_TEMPLATES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates")

#: shell name -> (template file, activator whose quote() the values go through)
SHELLS: dict[str, tuple[str, type[Activator]]] = {
    "bash": ("init.sh", BashActivator),
    "zsh": ("init.sh", BashActivator),
    "ksh": ("init.sh", BashActivator),
    "fish": ("init.fish", FishActivator),
    "nushell": ("init.nu", NushellActivator),
    "xonsh": ("init.xsh", XonshActivator),
    "tcsh": ("init.csh", CShellActivator),
    "powershell": ("init.ps1", PowerShellActivator),
}


def roost_command() -> list[str]:
    """How the shell functions start roost: this interpreter with ``-m roost``."""
    return [sys.executable, "-m", "roost"]


def render_init(shell: str, command: Sequence[str] | None = None) -> str:
    """The init script for *shell* (a key of :data:`SHELLS`)."""
    template, activator_class = SHELLS[shell]
    quote = activator_class().quote
    words = list(command) if command is not None else roost_command()
    try:
        quoted = [quote(word) for word in words]
        values = {
            "COMMAND": " ".join(quoted),
            "COMMAND_WORDS": ", ".join(quoted),
            "SHELL": quote(shell),
            "TEMPLATES": quote(_TEMPLATES),
        }
    except UnsafeValue as exc:
        from ..errors import RoostError

        raise RoostError(
            f"{shell} cannot hold the path roost runs from: it {exc}", hint="install roost at a plainer path"
        ) from None
    with open(os.path.join(_TEMPLATES, template), encoding="utf-8") as handle:
        return render(handle.read(), values)
