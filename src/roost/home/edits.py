"""Commands that change one environment in place: ``add``, ``global-site-packages``,
``project``, ``wipe``.  Each file is rewritten atomically, so an interruption leaves the
old content or the new, never a part."""

from __future__ import annotations

import os

from ..appdata import atomic_write_bytes
from ..errors import RoostError, UsageError
from .store import PATH_EXTENSIONS, Home, site_packages

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

# The two lines virtualenvwrapper's add2virtualenv puts around the folders, so that they go
# to the front of sys.path (before site-packages) as it arranges.
_PTH_HEAD = "import sys; sys.__plen = len(sys.path)"
_PTH_TAIL = (
    "import sys; new=sys.path[sys.__plen:]; del sys.path[sys.__plen:]; "
    "p=getattr(sys,'__egginsert',0); sys.path[p:p]=new; sys.__egginsert = p+len(new)"
)


def add(home: Home, args: Sequence[str]) -> int:
    """``add [-d] NAME DIR...``: add (or with ``-d`` remove) folders in ``_virtualenv_path_extensions.pth``.

    With no DIR, print the folders already there.  Relative folders are made absolute
    (with a warning), newest first, as add2virtualenv does.
    """
    remove = bool(args) and args[0] == "-d"
    rest = list(args[1:] if remove else args)
    if not rest:
        raise UsageError("add needs a NAME", hint="roost home add [-d] NAME DIR...")
    env_path = home.target(rest.pop(0))
    pth = os.path.join(site_packages(env_path), PATH_EXTENSIONS)
    folders = _read_folders(pth)
    if not rest:
        for folder in folders:
            print(folder)
        return 0
    for given in rest:
        folder = os.path.abspath(given)
        if folder != given:
            from .. import _log

            _log.warning(f'Converting "{given}" to "{folder}"')
        if "\n" in folder or "\r" in folder:
            raise UsageError(f"folder {folder!r} contains a line break, which a .pth file cannot hold")
        if remove:
            folders = [existing for existing in folders if existing != folder]
        elif folder not in folders:
            folders.insert(0, folder)
    text = "\n".join([_PTH_HEAD, *folders, _PTH_TAIL]) + "\n"
    atomic_write_bytes(pth, os.fsencode(text))
    return 0


def _read_folders(pth: str) -> list[str]:
    try:
        with open(pth, encoding="utf-8", errors="surrogateescape") as handle:
            lines = handle.read().splitlines()
    except FileNotFoundError:
        return []
    return [line for line in lines if line and not line.startswith("import ")]


def global_site_packages(home: Home, args: Sequence[str]) -> int:
    """``global-site-packages NAME on|off|toggle``: set ``include-system-site-packages`` in pyvenv.cfg."""
    if len(args) != 2 or args[1] not in ("on", "off", "toggle"):
        raise UsageError(
            "global-site-packages needs NAME and on, off or toggle", hint="roost home global-site-packages NAME toggle"
        )
    env_path = home.target(args[0])
    config = os.path.join(env_path, "pyvenv.cfg")
    try:
        with open(config, encoding="utf-8") as handle:
            lines = handle.read().splitlines()
    except FileNotFoundError:
        raise RoostError(f"{env_path} has no pyvenv.cfg", hint="it predates PEP 405; recreate it") from None
    key = "include-system-site-packages"
    index = next((i for i, line in enumerate(lines) if line.partition("=")[0].strip() == key), None)
    current = index is not None and lines[index].partition("=")[2].strip().lower() == "true"
    wanted = {"on": True, "off": False, "toggle": not current}[args[1]]
    line = f"{key} = {'true' if wanted else 'false'}"
    if index is None:
        lines.append(line)
    else:
        lines[index] = line
    atomic_write_bytes(config, ("\n".join(lines) + "\n").encode("utf-8"))
    print(f"{'Enabled' if wanted else 'Disabled'} global site-packages")
    return 0


def project(home: Home, args: Sequence[str]) -> int:
    """``project new [-f] NAME [new's options]`` or ``project set NAME [DIR]``."""
    if not args or args[0] not in ("new", "set"):
        raise UsageError("project needs `new` or `set`", hint="roost home project new NAME | project set NAME DIR")
    from .verbs import write_project

    if args[0] == "set":
        if len(args) not in (2, 3):
            raise UsageError("project set needs NAME and DIR", hint="roost home project set NAME DIR")
        env_path = home.target(args[1])
        folder = os.path.abspath(args[2] if len(args) == 3 else os.getcwd())
        if not os.path.isdir(folder):
            raise RoostError(f'cannot associate the environment with "{folder}": it is not a folder')
        write_project(home, env_path, folder)
        return 0
    return _new_project(home, list(args[1:]))


def _new_project(home: Home, args: list[str]) -> int:
    from .hooks import run_hook
    from .verbs import create, install, parse_new

    force = False
    for flag in ("-f", "--force"):
        while flag in args:
            args.remove(flag)
            force = True
    if home.project_home is None:
        raise RoostError("PROJECT_HOME is not set", hint="set it to the folder where projects should be created")
    if not os.path.isdir(home.project_home):
        raise RoostError(f"PROJECT_HOME {home.project_home} does not exist", hint="create it or set PROJECT_HOME to a folder")
    request = parse_new(args)
    folder = os.path.join(home.project_home, request.name)
    home.path(request.name)  # validates before anything is made
    if os.path.exists(folder) and not force:
        raise RoostError(f"project {request.name} already exists in {home.project_home}", hint="pass -f to use it anyway")
    env_path = create(home, request.name, request.creation_args)
    install(env_path, request.requirements, request.packages)
    run_hook(home, "premkproject", request.name)
    print(f"Creating {folder}")
    os.makedirs(folder, exist_ok=True)
    from .verbs import write_project

    write_project(home, env_path, folder)
    return 0


#: What ``wipe`` keeps: the seed packages.
SEED_PACKAGES = frozenset({"pip", "setuptools", "wheel"})


def wipe(home: Home, name: str) -> int:
    """``wipe NAME``: uninstall every distribution but the seed packages, with the environment's pip."""
    env_path = home.target(name)
    import re

    from ..envreader import read_environment
    from .verbs import env_python

    names = {dist.name for dist in read_environment(env_path).distributions() if dist.key not in SEED_PACKAGES}
    # A name is read from a METADATA file: one that is not a distribution name (``--log=FILE``)
    # would reach pip as an option, so it is skipped, and ``--`` ends pip's options anyway.
    valid = re.compile(r"[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?")
    doomed = sorted(name for name in names if valid.fullmatch(name))
    for name in sorted(names - set(doomed)):
        from .. import _log

        _log.warning(f"skipping {name!r}: not a distribution name (a damaged or crafted METADATA)")
    if not doomed:
        print("Nothing to remove.")
        return 0
    print("Uninstalling packages:\n" + "\n".join(doomed))
    import subprocess

    return subprocess.call([env_python(env_path), "-m", "pip", "uninstall", "-y", "--", *doomed])
