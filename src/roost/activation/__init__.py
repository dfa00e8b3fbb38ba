"""Activation scripts: one per shell, every value quoted for that shell.

Each activator reads its template (package data in ``templates/``), quotes
the environment's values with its own ``quote()`` and substitutes them in a
single pass, so a value that looks like a placeholder stays data.  A value a
shell cannot hold safely leaves that one script out, with a warning on the
``roost`` logger; an unsafe script is never written.

What every script does: set ``VIRTUAL_ENV`` and ``VIRTUAL_ENV_PROMPT`` (the
bare prompt text), put the environment's scripts folder first on PATH, unset
``PYTHONHOME``, show ``(prompt) `` in the prompt unless
``VIRTUAL_ENV_DISABLE_PROMPT`` is non-empty, define ``pydoc`` and
``deactivate``.  ``deactivate`` puts PATH, the prompt and each of those
variables back exactly as they were (unset included) and removes itself.
Activating again first undoes the earlier activation, so activating twice and
deactivating once leaves the shell as it was.

Shell notes:

* sh family (``activate``): bash (``BASH_SOURCE``), zsh (``%x``) and ksh93
  (``.sh.file``) find the script's own folder, so a moved or copied
  environment activates at its new place.  **dash, mksh and other POSIX
  shells cannot know the path of a sourced file**: they use the path written
  at creation.  The prompt text never enters PS1 as code: shells that expand
  ``$...`` in prompts get a reference to ``VIRTUAL_ENV_PROMPT`` (bash with
  promptvars, zsh with PROMPT_SUBST, ksh93 with ``!`` doubled, dash, mksh);
  otherwise the text is escaped for the prompt's own codes (zsh ``%``/``!``,
  bash backslashes).  A dash older than 0.5.11 does not expand PS1 and shows
  the reference itself.
* fish: fish 3.5 or later (the ``path`` builtin) finds the script's folder
  via ``status filename``; older fish uses the written path.
* csh/tcsh: **cannot know the path of a sourced file**; the written path is
  used.  A value with a line break cannot be held, so ``activate.csh`` is left
  out for it.  tcsh prompt escapes (``% ! ^ \\``) in the prompt text are
  made literal.
* nushell: used as an overlay (``overlay use activate.nu``); ``deactivate``
  hides it and nushell restores everything.  ``$env.FILE_PWD`` gives the
  folder.
* xonsh: ``__file__`` gives the folder; xonsh draws the prompt itself from
  ``VIRTUAL_ENV_PROMPT`` in its ``{env_name}`` field.
* PowerShell: ``$PSScriptRoot`` gives the folder.  cmd: ``%~dp0`` does;
  a value with ``"`` or a line break leaves the ``.bat`` scripts out.  cmd
  sessions with delayed expansion on keep the prompt text intact, but
  ``!`` elsewhere in their PATH is mangled by cmd itself.
* ``activate_this.py``: paths relative to its own ``__file__``.
* A scripts folder whose path contains the PATH separator (``:``, or ``;`` on
  Windows) would split into two PATH entries: every script is left out.
"""

from __future__ import annotations

from ._base import ActivationContext, Activator

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

__all__ = [
    "ACTIVATORS",
    "ActivationContext",
    "Activator",
    "default_activator_names",
    "generate_all",
    "select_activators",
]

# Built-in activators by the name ``--activators`` uses (virtualenv's names): the module
# of this package that holds each, and its class.  A run imports only the modules of the
# scripts it writes (POSIX never loads the PowerShell and cmd ones).
_WHERE: dict[str, tuple[str, str]] = {
    "bash": ("shells", "BashActivator"),
    "batch": ("windows", "BatchActivator"),
    "cshell": ("shells", "CShellActivator"),
    "fish": ("shells", "FishActivator"),
    "nushell": ("shells", "NushellActivator"),
    "powershell": ("windows", "PowerShellActivator"),
    "python": ("python", "PythonActivator"),
    "xonsh": ("shells", "XonshActivator"),
}

# csh and fish do not run on Windows; cmd runs nowhere else.  bash stays on
# Windows for Git Bash and MSYS, where BASH_SOURCE finds the environment.
_NOT_ON_WINDOWS = frozenset({"cshell", "fish"})
_ONLY_ON_WINDOWS = frozenset({"batch"})

#: Built-in activator classes by name; made on first use (see :func:`__getattr__`).
ACTIVATORS: dict[str, type[Activator]]


def activator_class(name: str) -> type[Activator]:
    """The built-in activator called *name* (a key of :data:`ACTIVATORS`), its module imported now."""
    module_name, class_name = _WHERE[name]
    # __import__ rather than importlib.import_module: importlib is not loaded at startup.
    module = __import__(f"{__name__}.{module_name}", fromlist=[class_name])
    found: type[Activator] = getattr(module, class_name)
    return found


def __getattr__(name: str) -> object:
    # ACTIVATORS (name -> class) imports every activator module: built on first use.
    if name == "ACTIVATORS":
        activators = {key: activator_class(key) for key in _WHERE}
        globals()["ACTIVATORS"] = activators
        return activators
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def default_activator_names(windows: bool) -> list[str]:
    """The activators written when the user chose none: every one that fits the platform."""
    left_out = _NOT_ON_WINDOWS if windows else _ONLY_ON_WINDOWS
    return [name for name in _WHERE if name not in left_out]


def select_activators(names: Sequence[str] | None, windows: bool) -> list[Activator]:
    """Activator instances for ``names`` (``None``: the platform's defaults).

    Entries may themselves hold comma-separated names; repeats count once.
    An unknown name raises :class:`~roost.errors.UsageError`.
    """
    if names is None:
        chosen: Iterable[str] = default_activator_names(windows)
    else:
        chosen = [part.strip() for entry in names for part in entry.split(",") if part.strip()]
    unique = list(dict.fromkeys(chosen))
    for name in unique:
        if name not in _WHERE:
            from ..errors import UsageError

            raise UsageError(f"unknown activator {name!r}", hint="choose from: " + ", ".join(_WHERE))
    return [activator_class(name)() for name in unique]


def generate_all(activators: Iterable[Activator], ctx: ActivationContext) -> list[str]:
    """Write every activator's scripts into ``ctx.bin_dir``; return all paths written."""
    written: list[str] = []
    for activator in activators:
        written.extend(activator.generate(ctx))
    return written
