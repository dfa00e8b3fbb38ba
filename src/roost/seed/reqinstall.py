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

A run killed while files go in never leaves a package pip takes for installed: each
``.dist-info/METADATA`` goes in after every other file of every package (pip and
``importlib.metadata`` ignore a ``.dist-info`` without it), so a package is either
complete or invisible, and the next run puts it in again.
"""

from __future__ import annotations

import os

from .. import _log
from ..errors import RoostError
from . import Seeder

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Callable

    from ..appdata import AppData
    from ..create import Layout
    from ..discovery.interpreter import Interpreter
    from ..options import Options
    from .image import Image
    from .reqfile import Handoff, RequirementSet, Wanted
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

    def seed(self, layout: Layout, meanwhile: Callable[[], None] | None = None) -> None:
        """Seed as the inner seeder does, then link the pinned set's images."""
        self.inner.seed(layout, meanwhile)
        if self.requirements.wanted:
            self._install_pinned(layout)

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
        from . import image as images
        from .reqfetch import WheelSearch

        writable = self.app_data.writable
        search = WheelSearch(self.app_data, self.interpreter, self.options.extra_search_dir or (), self.env, writable)
        chosen: list[Image] = []
        try:
            wheels = search.find_all(self.requirements.wanted, not self.options.no_download, self.requirements.pip_env)
            present = installed_distributions(layout)
            todo: list[tuple[Wanted, WheelFile]] = []
            for wanted in self.requirements.wanted:
                if present.get(wanted.name) == _normal(wanted.version):
                    self.kept.append(f"{wanted.name} {wanted.version}")
                else:
                    todo.append((wanted, wheels[wanted.name]))
            for _wanted, wheel in todo:
                chosen.append(images.obtain(self.app_data, wheel, self.interpreter, writable))
            from .reqdeps import check_dependencies

            versions = {**present, **{wanted.name: _normal(wanted.version) for wanted in self.requirements.wanted}}
            all_images = chosen + [images.obtain(self.app_data, wheels[w.name], self.interpreter, writable) for w in self.requirements.wanted if f"{w.name} {w.version}" in self.kept]
            extras = {wanted.name: wanted.extras for wanted in self.requirements.wanted}
            self.handoffs += check_dependencies(all_images, extras, versions, self.judge, {w.name: w.origin for w in self.requirements.wanted})
            if chosen:
                self._link(chosen, [wheel for _wanted, wheel in todo], layout)
        except OSError as exc:
            raise RoostError(f"could not install the requirements into {layout.dest}: {exc}") from None
        finally:
            for image in chosen:
                images.discard(image)
            search.cleanup()

    def _link(self, chosen: list[Image], wheels: Sequence[WheelFile], layout: Layout) -> None:
        """Install the images, every METADATA last; a damaged image is rebuilt once."""
        from .build import build
        from .linker import ImageDamaged, Linker
        from .via_app_data import install_images

        symlink = self.options.effective_link_mode == "symlink"
        linker = Linker("auto" if symlink else self.options.effective_link_mode)
        rebuilt: set[int] = set()
        while True:
            try:
                install_images([without_metadata(image) for image in chosen], layout, linker, {}, None, symlink)
                place_metadata(chosen, layout, linker)
                break
            except ImageDamaged as damaged:
                number = next((n for n, image in enumerate(chosen) if str(damaged).startswith(image.root + "/")), -1)
                if number < 0 or number in rebuilt or chosen[number].temporary:
                    raise RoostError(f"an image is incomplete: {damaged} is missing", "run again") from None
                _log.warning(f"the image {chosen[number].root} is damaged ({damaged} is missing); rebuilding it")
                rebuilt.add(number)
                chosen[number] = build(self.app_data, wheels[number], self.interpreter, self.app_data.writable, damaged=True)
        self.linked = [f"{image.name} {image.version}" for image in chosen]


def _normal(version: str) -> str:
    from ..pep440 import version_key

    return str(version_key(version))


def installed_distributions(layout: Layout) -> dict[str, str]:
    """Canonical name -> normalised version of each complete distribution in the environment."""
    from .versions import canonical_name

    found: dict[str, str] = {}
    for site in dict.fromkeys(layout.site_packages):
        try:
            entries = os.listdir(site)
        except OSError:
            continue
        for entry in entries:
            if not entry.endswith(".dist-info") or not os.path.isfile(os.path.join(site, entry, "METADATA")):
                continue
            name, _, version = entry[: -len(".dist-info")].partition("-")
            found[canonical_name(name)] = _normal(version.partition("-")[0])
    return found


def without_metadata(image: Image) -> Image:
    """*image* with its ``.dist-info/METADATA`` left out of the files to link."""
    from .image import Image

    prefix = image.dist_info + "/"
    parts = []
    for weight, folders, groups in image.data["parts"]:
        kept = [(folder, tuple(n for n in names if folder != prefix or n != "METADATA")) for folder, names in groups]
        parts.append((weight, folders, tuple(group for group in kept if group[1])))
    return Image(image.root, dict(image.data, parts=parts), image.temporary)


def place_metadata(chosen: Sequence[Image], layout: Layout, linker: object) -> None:
    """Put each image's METADATA in, the step that makes its package visible to pip."""
    from .linker import ImageDamaged, Linker

    assert isinstance(linker, Linker)
    for image in chosen:
        site = layout.purelib if image.data["purelib"] else layout.platlib
        source = os.path.join(image.site, image.dist_info, "METADATA")
        target = os.path.join(site, image.dist_info, "METADATA")
        try:
            devices = (os.stat(source).st_dev, os.stat(site).st_dev)
        except FileNotFoundError:
            raise ImageDamaged(source) from None
        linker.place(source, target, *devices)


def run_pip(
    handoffs: Sequence[Handoff], requirements: RequirementSet, layout: Layout, interpreter: Interpreter, app_data: AppData, env: Mapping[str, str]
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
        lines = [f"-c {path}" for path in requirements.constraints] + [" ".join(item.args) for item in handoffs]
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
                    raise RoostError("pip is needed for the rest of the requirements, and there is none", "drop --no-pip / --no-seed")
                done = run(own_pip=False)
        except OSError as exc:
            raise RoostError(f"could not run pip in {layout.dest}: {exc}") from None
        if done.returncode:
            lines = [line for line in (done.stderr or b"").decode("utf-8", "replace").splitlines() if line.strip()]
            reason = next((line for line in reversed(lines) if line.startswith("ERROR")), lines[-1] if lines else f"exit code {done.returncode}")
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
