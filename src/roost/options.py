"""Every option roost takes, declared once.

The same table drives the command line (argparse), the ``ROOST_*``/``VIRTUALENV_*``
environment variables and the ``roost.ini`` config file, so a new option is one row.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~4 ms)
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any, Literal

    # Vocabularies: strings at run time (no enum import on the warm path), checked by mypy.
    OptionKind = Literal["flag", "value", "list", "count"]
    LinkMode = Literal["auto", "clone", "hardlink", "copy", "symlink"]
    # Where the PEP 832 ``.venv`` redirect file is written: beside DEST always, never, or
    # only in a project folder (a pyproject.toml beside DEST and no .venv yet).
    RedirectMode = Literal["always", "never", "in-project"]

# Kinds of option value (OptionKind).
FLAG: OptionKind = "flag"  # on/off; the command line turns it on
VALUE: OptionKind = "value"  # one string
LIST: OptionKind = "list"  # many strings: repeat the flag, or comma/newline separated in env and config
COUNT: OptionKind = "count"  # -v / -q

LINK_MODES = ("auto", "clone", "hardlink", "copy", "symlink")
# virtualenv's creator names, accepted so scripts written for it keep working.
CREATOR_ALIASES = {
    "builtin": "builtin",
    "venv": "venv",
    "cpython2-posix": "builtin",
    "cpython3-posix": "builtin",
    "cpython3-mac-framework": "builtin",
    "cpython3-win": "builtin",
    "pypy3-posix": "builtin",
    "pypy3-win": "builtin",
    "graalpy-posix": "builtin",
}


class Option:
    """One row of the table."""

    __slots__ = ("flags", "dest", "kind", "default", "help", "choices", "group", "metavar", "spellings")

    def __init__(
        self,
        group: str,
        flags: Sequence[str],
        dest: str,
        kind: OptionKind,
        default: Any,
        help: str,
        choices: Sequence[str] | None = None,
        metavar: str | None = None,
    ) -> None:
        self.group = group
        self.flags = tuple(flags)
        self.dest = dest
        self.kind = kind
        self.default = default
        self.help = help
        self.choices = tuple(choices) if choices else None
        self.metavar = metavar
        # Every flag as a config key, the long name first: ("python", "p").  As in virtualenv,
        # any spelling names the option in the config file and, upper case, after
        # ROOST_/VIRTUALENV_ (always_copy, VIRTUALENV_WITHOUT_PIP).
        others = [flag.lstrip("-").replace("-", "_").lower() for flag in self.flags]
        self.spellings = (self.ini_key, *[name for name in others if name != self.ini_key])

    @property
    def env_suffix(self) -> str:
        """``PYTHON`` for ``-p/--python``: the name after ``ROOST_`` / ``VIRTUALENV_``."""
        long_flag = next((flag for flag in self.flags if flag.startswith("--")), self.dest)
        return long_flag.lstrip("-").replace("-", "_").upper()

    @property
    def ini_key(self) -> str:
        """``python`` for ``-p/--python``: the key in the config file."""
        return self.env_suffix.lower()


OPTIONS: tuple[Option, ...] = (
    # -- general --------------------------------------------------------------------------
    Option("general", ["-v", "--verbose"], "verbose", COUNT, 0, "show more output (repeat for more)"),
    Option("general", ["-q", "--quiet"], "quiet", COUNT, 0, "show less output (repeat for none)"),
    Option("general", ["--with-traceback"], "with_traceback", FLAG, False, "show a traceback on failure"),
    Option(
        "general", ["--app-data"], "app_data", VALUE, None, "folder for roost's cache (default: the user data dir)", metavar="DIR"
    ),
    Option("general", ["--reset-app-data"], "reset_app_data", FLAG, False, "empty the app-data cache first"),
    Option(
        "general", ["--read-only-app-data"], "read_only_app_data", FLAG, False, "use the app-data cache but never write to it"
    ),
    Option("general", ["--upgrade-embed-wheels"], "upgrade_embed_wheels", FLAG, False, "look for newer pip/setuptools/wheel now"),
    # -- discovery ------------------------------------------------------------------------
    Option(
        "discovery",
        ["--discovery"],
        "discovery",
        VALUE,
        "builtin",
        "interpreter discovery: builtin, or a roost.discovery plugin's name",
        metavar="NAME",
    ),
    Option(
        "discovery",
        ["-p", "--python"],
        "python",
        LIST,
        [],
        "interpreter to use: a path, a name on PATH, or a spec like 3.12, pypy3.10, cpython>=3.11 (repeat: first match wins)",
        metavar="SPEC",
    ),
    Option(
        "discovery",
        ["--no-python-version-file"],
        "no_python_version_file",
        FLAG,
        False,
        "with no -p, ignore a .python-version file in this folder or its parents",
    ),
    Option(
        "discovery",
        ["--try-first-with"],
        "try_first_with",
        LIST,
        [],
        "try this interpreter path before any other",
        metavar="PATH",
    ),
    # -- creator --------------------------------------------------------------------------
    Option(
        "creator",
        ["--creator"],
        "creator",
        VALUE,
        "builtin",
        "how to lay out the environment: builtin (roost's own), venv (the target's stdlib venv) or a roost.create plugin's name",
        metavar="NAME",
    ),
    Option("creator", ["--clear"], "clear", FLAG, False, "empty DEST first, only if it is an environment (has pyvenv.cfg)"),
    Option(
        "creator",
        ["--allow-existing"],
        "allow_existing",
        FLAG,
        False,
        "create inside a non-empty folder that is not an environment, keeping every file there",
    ),
    Option("creator", ["--no-vcs-ignore"], "no_vcs_ignore", FLAG, False, "don't write a .gitignore into DEST"),
    Option(
        "creator",
        ["--venv-redirect"],
        "venv_redirect",
        FLAG,
        False,
        "point a PEP 832 .venv redirect file beside DEST at it, even outside a project folder"
        " (by default only beside a pyproject.toml with no .venv yet)",
    ),
    Option("creator", ["--no-venv-redirect"], "no_venv_redirect", FLAG, False, "write no PEP 832 .venv redirect file"),
    Option(
        "creator",
        ["--system-site-packages"],
        "system_site_packages",
        FLAG,
        False,
        "give the env access to the base's site-packages",
    ),
    Option("creator", ["--symlinks"], "symlinks", FLAG, False, "symlink the interpreter (the default where possible)"),
    Option("creator", ["--copies", "--always-copy"], "copies", FLAG, False, "copy the interpreter instead of symlinking it"),
    Option("creator", ["--prompt"], "prompt", VALUE, None, "prompt prefix while active ('.' = the current folder's name)"),
    Option(
        "creator",
        ["--relocatable"],
        "relocatable",
        FLAG,
        False,
        "make an environment that keeps working when its folder is moved (console scripts and activation find it at run time)",
    ),
    Option(
        "creator",
        ["--upgrade"],
        "upgrade",
        FLAG,
        False,
        "re-point the existing environment DEST at its upgraded interpreter (same minor version), in place",
    ),
    Option(
        "creator",
        ["--upgrade-deps"],
        "upgrade_deps",
        FLAG,
        False,
        "upgrade the seed packages (pip...) of the existing environment DEST",
    ),
    # -- seeder ---------------------------------------------------------------------------
    Option(
        "seeder",
        ["--seeder"],
        "seeder",
        VALUE,
        "app-data",
        "how to install pip and friends: app-data, pip or a roost.seed plugin's name",
        metavar="NAME",
    ),
    Option("seeder", ["--no-seed", "--without-pip"], "no_seed", FLAG, False, "install no packages at all"),
    Option("seeder", ["--download"], "download", FLAG, False, "allow downloading newer wheels from the configured index"),
    Option("seeder", ["--no-download", "--never-download"], "no_download", FLAG, False, "never download wheels (the default)"),
    Option("seeder", ["--extra-search-dir"], "extra_search_dir", LIST, [], "look for wheels in this folder first", metavar="DIR"),
    Option("seeder", ["--pip"], "pip", VALUE, None, "pip version to install: VERSION, bundle, embed or none", metavar="VERSION"),
    Option(
        "seeder",
        ["--setuptools"],
        "setuptools",
        VALUE,
        None,
        "setuptools version: VERSION, bundle, embed or none",
        metavar="VERSION",
    ),
    Option("seeder", ["--wheel"], "wheel", VALUE, None, "wheel version: VERSION, bundle, embed or none", metavar="VERSION"),
    Option("seeder", ["--no-pip"], "no_pip", FLAG, False, "don't install pip"),
    Option("seeder", ["--no-setuptools"], "no_setuptools", FLAG, False, "don't install setuptools"),
    Option("seeder", ["--no-wheel"], "no_wheel", FLAG, False, "don't install wheel"),
    Option("seeder", ["--seed-packages"], "seed_packages", LIST, [], "also install these (NAME or NAME==VERSION)", metavar="REQ"),
    Option(
        "seeder",
        ["-r", "--requirement"],
        "requirement",
        LIST,
        [],
        "install the pinned wheels of this requirements file or pylock.toml from byte-compiled images;"
        " pip installs the rest in the same run (repeatable)",
        metavar="FILE",
    ),
    Option("seeder", ["--link-mode"], "link_mode", VALUE, "auto", "how seed files enter the env", choices=list(LINK_MODES)),
    Option(
        "seeder",
        ["--symlink-app-data"],
        "symlink_app_data",
        FLAG,
        False,
        "symlink seed packages from app data (--link-mode symlink)",
    ),
    Option(
        "seeder",
        ["--no-periodic-update"],
        "no_periodic_update",
        FLAG,
        False,
        "don't look for newer seed wheels in the background",
    ),
    # -- activators -----------------------------------------------------------------------
    Option(
        "activators",
        ["--activators"],
        "activators",
        LIST,
        None,
        "activation scripts to write, comma separated: built-in shells or roost.activate plugins' names"
        " (default: every built-in one that fits the platform)",
        metavar="NAMES",
    ),
)

OPTIONS_BY_DEST = {option.dest: option for option in OPTIONS}
# Each option by every spelling of its flags, as config key and after ROOST_/VIRTUALENV_.
OPTIONS_BY_SPELLING = {spelling: option for option in OPTIONS for spelling in option.spellings}


class Options:
    """The resolved options of one run.

    Attributes are the ``dest`` names of :data:`OPTIONS` plus ``dest`` (the target folder);
    ``sources`` maps an attribute to where its value came from when not built in
    (``"command line"``, ``"env var ROOST_PYTHON"``, ``"config file /path [roost]"``).
    """

    # One declaration per row of OPTIONS, so a misspelt option (``options.no_sead``) fails
    # mypy.  Annotations only: nothing runs at import.  tests/test_options.py checks that
    # every row has one, of the type its kind gives (flag: bool, count: int, list: list[str],
    # value: str, or a Literal of exactly its choices).
    # general
    verbose: int
    quiet: int
    with_traceback: bool
    app_data: str | None
    reset_app_data: bool
    read_only_app_data: bool
    upgrade_embed_wheels: bool
    # discovery
    discovery: str  # builtin, or a roost.discovery plugin's name
    python: list[str]
    no_python_version_file: bool
    try_first_with: list[str]
    # creator
    creator: str  # builtin, venv, one of virtualenv's names (see creator_kind), or a plugin's
    clear: bool
    allow_existing: bool
    no_vcs_ignore: bool
    venv_redirect: bool
    no_venv_redirect: bool
    system_site_packages: bool
    symlinks: bool
    copies: bool
    prompt: str | None
    relocatable: bool
    upgrade: bool
    upgrade_deps: bool
    # seeder
    seeder: str  # app-data, pip, or a roost.seed plugin's name
    requirement: list[str]
    no_seed: bool
    download: bool
    no_download: bool
    extra_search_dir: list[str]
    pip: str | None
    setuptools: str | None
    wheel: str | None
    no_pip: bool
    no_setuptools: bool
    no_wheel: bool
    seed_packages: list[str]
    link_mode: LinkMode
    symlink_app_data: bool
    no_periodic_update: bool
    # activators
    activators: list[str] | None  # None: the platform's defaults

    def __init__(self, **values: Any) -> None:
        self.dest: str | None = None
        self.argv: list[str] = []
        self.sources: dict[str, str] = {}
        self.warnings: list[str] = []  # about the configuration, shown once logging is set up
        for option in OPTIONS:
            default = option.default
            setattr(self, option.dest, list(default) if isinstance(default, list) else default)
        for key, value in values.items():
            if key not in OPTIONS_BY_DEST and key not in ("dest", "sources", "argv", "warnings"):
                raise TypeError(f"unknown option {key!r}")
            setattr(self, key, value)

    def __repr__(self) -> str:
        items = ", ".join(f"{option.dest}={getattr(self, option.dest)!r}" for option in OPTIONS)
        return f"Options(dest={self.dest!r}, {items})"

    @property
    def verbosity(self) -> int:
        """2 by default; each -v adds one, each -q takes one away."""
        return max(0, 2 + int(self.verbose) - int(self.quiet))

    @property
    def creator_kind(self) -> str:
        """``builtin`` or ``venv`` (virtualenv's creator names mapped), or a roost.create plugin's name."""
        return CREATOR_ALIASES.get(self.creator, self.creator)

    @property
    def use_symlinks(self) -> bool:
        """Symlink the interpreter unless copies were asked for."""
        return not self.copies

    @property
    def redirect_mode(self) -> RedirectMode:
        """Where the ``.venv`` redirect goes, decided here from the two flags (see RedirectMode)."""
        if self.no_venv_redirect:
            return "never"
        return "always" if self.venv_redirect else "in-project"

    @property
    def effective_link_mode(self) -> LinkMode:
        """``--link-mode``, or ``symlink`` with ``--symlink-app-data``."""
        return "symlink" if self.symlink_app_data else self.link_mode
