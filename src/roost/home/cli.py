"""``roost home VERB ...`` and ``roost shell-init SHELL``: split the arguments, call the verb."""

from __future__ import annotations

from ..errors import UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from .store import Home

USAGE = """\
usage: roost home VERB ...

  new NAME [-a PROJECT] [-i PKG]... [-r REQS] [roost options]   make an environment
  ls [--brief|--long|--json]          list the environments
  show NAME                           facts about one environment
  rm NAME...                          remove environments
  cp SRC [DEST] | mv SRC DEST         copy / rename (every written path follows)
  run NAME -- CMD...                  run a command in an environment
  run-all -- CMD...                   run a command in every environment
  dir NAME | site-packages NAME       print its folder / its site-packages
  add [-d] NAME DIR...                add (remove) folders on its import path
  global-site-packages NAME on|off|toggle
  project new [-f] NAME [new's options] | project set NAME [DIR]
  wipe NAME                           uninstall all but the seed packages
  shell NAME                          a subshell with the environment active
  tmp [roost options]                 a subshell in a new environment, removed at exit

The home is $WORKON_HOME (default ~/.virtualenvs); hooks live in $VIRTUALENVWRAPPER_HOOK_DIR.
In a shell: eval "$(roost shell-init bash)" defines workon, mkvirtualenv, ... (see README)."""


def _one(verb: str, args: Sequence[str]) -> str:
    if len(args) != 1:
        raise UsageError(f"{verb} needs exactly one NAME", hint=f"roost home {verb} NAME")
    return args[0]


def _active(home: Home) -> list[str]:
    """The active environment as the one argument, for verbs whose NAME defaults to it."""
    active = home.env.get("VIRTUAL_ENV")
    return [active] if active else []


def _after_dashes(verb: str, args: Sequence[str]) -> list[str]:
    """The command after ``--`` (the ``--`` may be left out when the command starts with no dash)."""
    items = list(args)
    if items and items[0] == "--":
        items = items[1:]
    if not items:
        raise UsageError(f"{verb} needs a command", hint=f"roost home {verb} -- COMMAND [ARGS...]")
    return items


def _ls(home: Home, args: Sequence[str]) -> int:
    from .verbs import ls

    modes = {"--brief": "brief", "-b": "brief", "--long": "long", "-l": "long", "--json": "json"}
    unknown = [arg for arg in args if arg not in modes]
    if unknown:
        raise UsageError(f"ls takes --brief, --long or --json (got {' '.join(unknown)})")
    return ls(home, modes[args[-1]] if args else "default")  # the last one wins, as with most tools


def _run(home: Home, args: Sequence[str]) -> int:
    from .verbs import run_in

    if not args:
        raise UsageError("run needs a NAME and a command", hint="roost home run NAME -- COMMAND [ARGS...]")
    command = _after_dashes("run", args[1:])
    return run_in(dict(home.env), home.target(args[0]), command)


def _verbs() -> dict[str, Callable[[Home, Sequence[str]], int]]:
    from . import copying, edits, subshell, verbs

    return {
        "new": verbs.new,
        "ls": _ls,
        "show": lambda home, args: verbs.show(home, _one("show", args or _active(home))),
        "rm": verbs.rm,
        "cp": copying.cp,
        "mv": copying.mv,
        "run": _run,
        "run-all": lambda home, args: verbs.run_all(home, _after_dashes("run-all", args)),
        "dir": lambda home, args: verbs.print_dir(home, _one("dir", args)),
        "site-packages": lambda home, args: verbs.print_site_packages(home, _one("site-packages", args)),
        "add": edits.add,
        "global-site-packages": edits.global_site_packages,
        "project": edits.project,
        "wipe": lambda home, args: edits.wipe(home, _one("wipe", args)),
        "shell": lambda home, args: subshell.shell(home, _one("shell", args)),
        "tmp": subshell.tmp,
    }


def home_main(args: Sequence[str], env: Mapping[str, str]) -> int:
    """``roost home VERB ...``: run one verb against the home *env* names; the exit code."""
    if not args or args[0] in ("-h", "--help", "help"):
        print(USAGE)
        return 0 if args else 2
    verbs = _verbs()
    handler = verbs.get(args[0])
    if handler is None:
        raise UsageError(f"unknown home command {args[0]!r}", hint="choose from: " + ", ".join(verbs))
    from .store import Home

    return handler(Home(env), list(args[1:]))


def shell_init_main(args: Sequence[str], env: Mapping[str, str]) -> int:
    """``roost shell-init SHELL``: print the shell functions (workon, mkvirtualenv, ...) for SHELL."""
    from .shellinit import SHELLS, render_init

    if len(args) != 1 or args[0] not in SHELLS:
        raise UsageError("shell-init needs one SHELL", hint="choose from: " + ", ".join(SHELLS))
    import sys

    sys.stdout.write(render_init(args[0]))
    return 0
