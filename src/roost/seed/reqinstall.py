"""``roost DEST -r FILE``: install a pinned requirement set from byte-compiled images.

:class:`RequirementSeeder` wraps the seeder of the run.  After the seed packages it
installs every pinned requirement from its image (:mod:`roost.seed.image`, built once per
target from the wheel :mod:`roost.seed.reqfetch` found), by the seeder's own
:func:`~roost.seed.via_app_data.install_images`, so ``RECORD``, ``INSTALLER`` and console
scripts are what pip writes.  Then, once ``pyvenv.cfg`` is written, pip installs what
roost did not (one line says what and why).

Dependencies are checked as pip would: each installed wheel's ``Requires-Dist`` (with the
requested extras, markers judged for the target) must be met by the set or by what the
environment already has; a version the set pins that a dependency excludes is an error,
and a dependency the set does not name goes to pip with the rest.

A run killed while files go in never leaves a package pip takes for installed: pip (and
``importlib.metadata``) know a distribution by its ``.dist-info`` folder, even one without
METADATA, so each package's files go in first, its ``.dist-info`` is filled under a hidden
name (``.roost-NAME-VERSION.dist-info.partial``) and renamed into place last: a package is
complete or invisible, and the next run removes the hidden folder and puts it in again.
"""

from __future__ import annotations

import os

from .. import _log
from ..errors import RoostError
from . import Seeder

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from ..appdata import AppData
    from ..create import Layout
    from ..discovery.interpreter import Interpreter
    from ..options import Options
    from .image import Image
    from .reqfile import Handoff, RequirementSet
    from .reqset import MarkerJudge
    from .wheels import WheelFile


class RequirementSeeder(Seeder):
    """The run's seeder, then the ``-r`` set: images first, pip for the rest."""

    def __init__(
        self,
        inner: Seeder,
        options: Options,
        interpreter: Interpreter,
        app_data: AppData,
        env: Mapping[str, str],
        requirements: RequirementSet,
        judge: MarkerJudge,
    ) -> None:
        self.inner = inner
        self.name = inner.name
        self.needs_working_env = inner.needs_working_env
        self.options = options
        self.interpreter = interpreter
        self.app_data = app_data
        self.env = env
        self.requirements = requirements
        self.judge = judge
        self.handoffs: list[Handoff] = list(requirements.handoffs)
        self.linked: list[str] = []  # "name version" of each package linked from an image
        self.kept: list[str] = []  # already installed at the pinned version

    def seed(self, layout: Layout) -> None:
        """Seed as the inner seeder does, then link the pinned set's images."""
        self.inner.seed(layout)
        if self.requirements.wanted:
            self._install_pinned(layout)

    def commit(self) -> None:
        """The run succeeded: the inner seeder lets go of what it kept to undo an update."""
        self.inner.commit()

    def rollback(self) -> None:
        """The run failed: the inner seeder puts back what it replaced."""
        self.inner.rollback()

    def finish(self, layout: Layout) -> None:
        """pip installs what roost could not, inside the finished environment."""
        if self.handoffs:
            run_pip(self.handoffs, self.requirements, layout, self.interpreter, self.app_data, self.env)

    def describe(self) -> str:
        inner = self.inner.describe()
        count = len(self.linked) + len(self.kept)
        own = f"{count} requirement{'s' if count != 1 else ''} from images" if count else ""
        return ", ".join(part for part in (inner if self.inner.name != "none" else "", own) if part)

    def _install_pinned(self, layout: Layout) -> None:
        from ..pep440 import version_key
        from . import image as images
        from .reqdeps import check_remembered
        from .reqfetch import WheelSearch

        writable = self.app_data.writable
        wanted = self.requirements.wanted
        search = WheelSearch(self.app_data, self.interpreter, self.options.extra_search_dir or (), self.env, writable)
        obtained: list[Image] = []
        try:
            wheels = search.find_all(wanted, not self.options.no_download, self.requirements.pip_env)
            transient = self.requirements.transient_local
            for item in wanted:
                # A local wheel rebuilt on every run (tox's package) gets a private image, not a kept one.
                keep = writable and not (transient and item.path)
                obtained.append(images.obtain(self.app_data, wheels[item.name], self.interpreter, keep))
            present = installed_distributions(layout)
            versions = {**present, **{item.name: item.version for item in wanted}}
            origins = {item.name: item.origin for item in wanted}
            extras = {item.name: item.extras for item in wanted}
            pinned = [item.name for item in wanted]
            if not self.requirements.no_deps:
                self.handoffs += check_remembered(self.app_data, obtained, extras, versions, pinned, self.judge, origins)
            todo: list[int] = []
            for number, item in enumerate(wanted):
                have = present.get(item.name)
                if not self.requirements.force and have is not None and version_key(have) == version_key(item.version):
                    self.kept.append(f"{item.name} {item.version}")  # as pip: already satisfied
                else:
                    todo.append(number)
            if todo:
                self._link([obtained[n] for n in todo], [wheels[wanted[n].name] for n in todo], layout)
        except OSError as exc:
            raise RoostError(f"could not install the requirements into {layout.dest}: {exc}") from None
        finally:
            for image in obtained:
                images.discard(image)
            search.cleanup()

    def _link(self, chosen: list[Image], wheels: Sequence[WheelFile], layout: Layout) -> None:
        """Install the images, each ``.dist-info`` last and whole; a damaged image is rebuilt once."""
        from .build import build
        from .linker import ImageDamaged, Linker
        from .via_app_data import install_images

        symlink = self.options.effective_link_mode == "symlink"
        linker = Linker("auto" if symlink else self.options.effective_link_mode)
        rebuilt: set[int] = set()
        while True:
            try:
                for image in chosen:
                    clear_previous(image, layout)
                install_images([staged(image) for image in chosen], layout, linker, {}, symlink)
                publish_dist_info(chosen, layout, linker)
                break
            except ImageDamaged as damaged:
                number = next((n for n, image in enumerate(chosen) if str(damaged).startswith(image.root + "/")), -1)
                if number < 0 or number in rebuilt or chosen[number].temporary:
                    raise RoostError(f"an image is damaged: {damaged.problem}", "run again") from None
                _log.warning(f"the image {chosen[number].root} is damaged ({damaged.problem}); rebuilding it")
                rebuilt.add(number)
                chosen[number] = build(self.app_data, wheels[number], self.interpreter, self.app_data.writable, damaged=True)
        self.linked = [f"{image.name} {image.version}" for image in chosen]


def installed_distributions(layout: Layout) -> dict[str, str]:
    """Canonical name -> version of each distribution in the environment (by its .dist-info name)."""
    from .versions import canonical_name

    found: dict[str, str] = {}
    for site in dict.fromkeys(layout.site_packages):
        try:
            entries = os.listdir(site)
        except OSError:
            continue
        for entry in entries:
            if entry.endswith(".dist-info"):
                name, _, version = entry[: -len(".dist-info")].partition("-")
                found[canonical_name(name)] = version
    return found


def _partial(dist_info: str) -> str:
    # Not ending in .dist-info: pip and importlib.metadata never take it for a distribution.
    return f".roost-{dist_info}.partial"


def staged(image: Image) -> Image:
    """*image* without its ``.dist-info`` files, which write RECORD into a hidden folder instead.

    install_images then links the package's own files and writes its scripts, while
    :func:`publish_dist_info` makes the ``.dist-info`` appear, whole, by one rename.
    """
    from .image import Image

    data = image.data
    real = image.dist_info
    prefix = real + "/"

    def outside(folder: str) -> bool:
        return folder != real and not folder.startswith(prefix)

    parts = []
    for weight, folders, groups in data["parts"]:
        kept_folders = tuple(folder for folder in folders if outside(folder))
        kept_groups = tuple(group for group in groups if not group[0].startswith(prefix))
        if kept_folders or kept_groups:
            parts.append((weight, kept_folders, kept_groups))
    return Image(
        image.root,
        dict(
            data,
            parts=parts,
            spine=[folder for folder in data["spine"] if outside(folder)],
            top=[top for top in data["top"] if top != real],
            dist_info=_partial(real),
        ),
        image.temporary,
    )


def clear_previous(image: Image, layout: Layout) -> None:
    """Remove another version of *image*'s project, and what a killed run left of this one."""
    from .versions import canonical_name

    site = _site(image, layout)
    try:
        entries = os.listdir(site)
    except FileNotFoundError:
        return
    name = canonical_name(image.name)
    for entry in entries:
        if entry.startswith(".roost-") and ".dist-info.partial" in entry:
            # What a killed run left of this project: a half-filled or half-removed .dist-info.
            if canonical_name(entry[len(".roost-") :].split("-")[0]) == name:
                _discard(os.path.join(site, entry))
        elif entry.endswith(".dist-info") and entry != image.dist_info and canonical_name(entry.split("-")[0]) == name:
            uninstall(site, entry, layout.dest)


def uninstall(site: str, dist_info: str, dest: str) -> None:
    """Remove a distribution as pip does: hide its ``.dist-info`` first, then its RECORD's files.

    Only paths that stay inside the environment *dest* are touched (a RECORD is read from
    disk: ``../../etc/passwd`` in it removes nothing).  Renaming the ``.dist-info`` away
    first means a run killed half way leaves no half package that pip takes for installed.
    """
    hidden = os.path.join(site, _partial(dist_info) + ".old")
    os.rename(os.path.join(site, dist_info), hidden)
    try:
        with open(os.path.join(hidden, "RECORD"), encoding="utf-8") as handle:
            lines = handle.read().splitlines()
    except OSError:
        lines = []
    from ..create.destination import contained
    from .update import prune_empty_folders

    site_relative = os.path.relpath(site, dest)
    parents: set[str] = set()
    for line in lines:
        relative = line.rsplit(",", 2)[0].strip('"')
        if not relative or relative.startswith(dist_info + "/"):
            continue
        path = contained(dest, os.path.join(site_relative, relative))  # None: it would leave the env
        if path is not None and (os.path.islink(path) or os.path.isfile(path)):
            os.unlink(path)
            parents.add(os.path.dirname(path))
    prune_empty_folders(parents, site)
    _discard(hidden)


def _discard(folder: str) -> None:
    """Remove a ``.dist-info`` folder roost hid, never entering a mount inside it; errors are ignored.

    What stays (a mount, an unreadable file) is hidden and harmless: pip does not read it.
    """
    from ..appdata import remove_tree

    try:
        remove_tree(folder, os.lstat(os.path.dirname(folder)).st_dev)
    except OSError:
        pass


def _site(image: Image, layout: Layout) -> str:
    return layout.purelib if image.data["purelib"] else layout.platlib


def publish_dist_info(chosen: Sequence[Image], layout: Layout, linker: object) -> None:
    """Fill each hidden ``.dist-info`` (RECORD is there already) and rename it into place."""
    from .linker import ImageDamaged, Linker

    assert isinstance(linker, Linker)
    for image in chosen:
        site = _site(image, layout)
        real = image.dist_info
        partial = os.path.join(site, _partial(real))
        devices = (os.stat(image.site).st_dev, os.stat(site).st_dev)
        for relative in image.files:
            if not relative.startswith(real + "/"):
                continue
            target = os.path.join(partial, relative[len(real) + 1 :])
            if relative.count("/") > 1:
                os.makedirs(os.path.dirname(target), exist_ok=True)
            linker.place(os.path.join(image.site, relative), target, *devices, image.data["mtime"])
        _fix_record(os.path.join(partial, "RECORD"), image)
        final = os.path.join(site, real)
        if os.path.lexists(final):  # the same version again: the old folder goes first
            old = partial + ".old"
            os.rename(final, old)
            _discard(old)
        os.rename(partial, final)
        if not os.path.isfile(os.path.join(final, "METADATA")):
            raise ImageDamaged(os.path.join(image.site, real, "METADATA"))


def _fix_record(path: str, image: Image) -> None:
    """RECORD names the hidden folder for itself, and in symlink mode lacks the .dist-info files."""
    from ..appdata import write_new_file

    real = image.dist_info
    with open(path, encoding="utf-8") as handle:
        lines = [line for line in handle.read().splitlines() if line and not line.startswith(_partial(real) + "/")]
    present = {line.rsplit(",", 2)[0] for line in lines}
    for line in image.data["record"].splitlines():
        if line.startswith(real + "/") and line.rsplit(",", 2)[0] not in present:
            lines.append(line)
    lines.append(f"{real}/RECORD,,")
    write_new_file(path, ("\n".join(lines) + "\n").encode("utf-8"), 0o644)


def run_pip(
    handoffs: Sequence[Handoff],
    requirements: RequirementSet,
    layout: Layout,
    interpreter: Interpreter,
    app_data: AppData,
    env: Mapping[str, str],
) -> None:
    """``pip install`` the hand-offs inside the environment (its own pip, else a pip wheel)."""
    import subprocess
    import tempfile

    from .download import OWN_PIP_UNUSABLE, PipRunner
    from .wheels import WheelFinder

    summary = ", ".join(f"{' '.join(item.args)} ({item.reason})" for item in handoffs)
    _log.result(f"pip installs what roost cannot: {summary}")
    finder = WheelFinder(app_data, interpreter, (), app_data.writable, dict(env))
    from . import Request

    pip_wheel = finder.find(Request("pip", "bundle", explicit=False))
    finder.save()
    runner = PipRunner(layout.exe, pip_wheel.path if pip_wheel else "", interpreter.major_minor, is_target=True)
    scratch = tempfile.mkdtemp(prefix="roost-pip-")
    try:
        listed = os.path.join(scratch, "requirements.txt")
        # The pins roost installed are pip's constraints too: pip's part may not swap one for
        # another version (pip -r refuses such a set as ResolutionImpossible, and so does this run).
        pinned = os.path.join(scratch, "pinned.txt")
        with open(pinned, "w", encoding="utf-8") as handle:
            handle.write("".join(f"{wanted.name}=={wanted.version}\n" for wanted in requirements.wanted))
        lines = [f"-c {path}" for path in [*requirements.constraints, pinned]] + [" ".join(item.args) for item in handoffs]
        with open(listed, "w", encoding="utf-8") as handle:
            handle.write("".join(line + "\n" for line in lines))
        environment = runner.environment({**env, **requirements.pip_env})

        def run(own_pip: bool) -> subprocess.CompletedProcess[bytes]:
            command = runner.command("install", "--disable-pip-version-check", "-r", listed, own_pip=own_pip)
            verbose = _log.level() > _log.RESULT
            return subprocess.run(
                command, cwd=scratch, env=environment, stdin=subprocess.DEVNULL, capture_output=not verbose, check=False
            )

        try:
            done = run(own_pip=True)
            if done.returncode == OWN_PIP_UNUSABLE:
                if pip_wheel is None:
                    raise RoostError(
                        "pip is needed for the rest of the requirements, and there is none", "drop --no-pip / --no-seed"
                    )
                done = run(own_pip=False)
        except OSError as exc:
            raise RoostError(f"could not run pip in {layout.dest}: {exc}") from None
        if done.returncode:
            lines = [line for line in (done.stderr or b"").decode("utf-8", "replace").splitlines() if line.strip()]
            reason = next(
                (line for line in reversed(lines) if line.startswith("ERROR")),
                lines[-1] if lines else f"exit code {done.returncode}",
            )
            raise RoostError(f"pip could not install {summary}: {reason.strip()}", "see pip's message; run with -v for all of it")
    finally:
        import shutil

        shutil.rmtree(scratch, ignore_errors=True)


def with_requirements(
    seeder: Seeder, options: Options, interpreter: Interpreter, app_data: AppData, env: Mapping[str, str], cwd: str
) -> RequirementSeeder:
    """*seeder* followed by the ``-r`` files' set (read now: a bad line fails before anything is made)."""
    from .reqset import read_set

    paths = [os.path.join(cwd, os.path.expanduser(str(path))) for path in options.requirement]
    requirements, judge = read_set(paths, interpreter, env)
    return RequirementSeeder(seeder, options, interpreter, app_data, env, requirements, judge)
