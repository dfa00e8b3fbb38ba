"""The ``app-data`` seeder: put pre-compiled images from app data into the environment.

Files enter by clone, hard link or copy (:mod:`roost.seed.linker`), or in symlink mode
(``--symlink-app-data``) each top-level package folder or module is a symbolic link into
the image and ``.dist-info`` is a real folder per environment.  Console scripts and
``RECORD`` are written per environment.

``pip uninstall`` never changes the image: pip removes files by renaming or unlinking
them (a hard link's other names keep the data), and in symlink mode ``RECORD`` lists the
links themselves, which pip moves away as links.
"""

from __future__ import annotations

import os
import time

from .. import _log
from ..appdata import write_new_file
from ..errors import RoostError
from . import WheelSeeder
from .image import DATA
from .linker import ImageDamaged, Linker, Tree, _copy_file, fill, recall_no_clone
from .scripts import console_scripts, record_line, script_body, shebang

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Callable

    from ..create import Layout
    from ..options import LinkMode
    from .image import Image
    from .update import SetAside


# Where an update in place keeps the files it replaces until the run ends (roost.seed.update).
ASIDE = ".roost-previous"


class AppDataSeeder(WheelSeeder):
    """Installs each wheel's image (built once per target) by clone, hard link, copy or symlink."""

    name = "app-data"
    needs_working_env = False
    installed: Sequence[Installed] = ()  # what seed() installed, in order
    aside: SetAside | None = None  # the files an update in place replaced, until the run ends
    used_mode = ""  # how the files went in, once seeded (``hardlink``, ``copy`` ...)

    @property
    def link_mode(self) -> LinkMode:
        """The link mode the options ask for (``auto`` lets the linker find the best)."""
        return self.options.effective_link_mode

    def seed(self, layout: Layout) -> None:
        """Find the wheels, get their images (building any that are missing) and install them."""
        from . import image as images

        writable = self.app_data.writable
        resolution = self.resolve_wheels(writable)
        index = resolution.finder.index
        now = time.time()
        # Filesystems known not to clone: skip the attempt (and the fcntl import) on warm runs.
        known = recall_no_clone(index.no_clone, now)
        symlink = self.link_mode == "symlink"
        # In symlink mode the links are made here; the linker puts in what cannot be a link.
        linker = Linker("auto" if symlink else self.link_mode, known)
        listing: dict[str, list[str]] = {}
        chosen: list[Image] = []
        rebuilt: set[int] = set()

        def set_aside(site_dir: str, image: Image, listing: list[str]) -> None:
            if self.aside is None:
                from .update import SetAside

                self.aside = SetAside(layout)
            self.aside.replace(site_dir, image, listing)

        if os.path.lexists(os.path.join(layout.dest, ASIDE)):  # what a killed update left
            from .update import drop

            drop(os.path.join(layout.dest, ASIDE))
        try:
            for wheel in resolution.wheels:
                chosen.append(images.obtain(self.app_data, wheel, self.interpreter, writable))
            while True:
                try:
                    self.installed = install_images(chosen, layout, linker, listing, symlink, set_aside)
                    break
                except ImageDamaged as damaged:
                    # Which image lacks the file (or has a changed one); rebuild it once, then
                    # install everything again (what went in already is simply replaced).
                    number = next((n for n, image in enumerate(chosen) if str(damaged).startswith(image.root + "/")), -1)
                    if number < 0:  # not under any image: nothing to rebuild
                        raise RoostError(f"a seed image is damaged: {damaged.problem}") from None
                    image, wheel = chosen[number], resolution.wheels[number]
                    if image.temporary or number in rebuilt:
                        raise RoostError(f"the seed image for {wheel.name} is damaged: {damaged.problem}") from None
                    _log.warning(f"the seed image {image.root} is damaged ({damaged.problem}); rebuilding it")
                    rebuilt.add(number)
                    from .build import build

                    chosen[number] = build(self.app_data, wheel, self.interpreter, writable, damaged=True)
        except OSError as exc:
            if str(exc.filename or "").startswith(self.app_data.root + os.sep):
                # The cache failed, not DEST: say so, and where it is.
                raise RoostError(f"could not read the seed image cache in {self.app_data.root}: {exc}") from None
            raise RoostError(f"could not install the seed packages into {layout.dest}: {exc}") from None
        finally:
            for image in chosen:
                images.discard(image)
            resolution.cleanup()
        self.used_mode = linker.describe if linker.used else self.link_mode
        if linker.learned:
            index.no_clone = linker.no_clone_memory(now)
            index.changed = True
            index.save()

    def commit(self) -> None:
        """The run succeeded: the files an update replaced go."""
        if self.aside is not None:
            self.aside.commit()

    def rollback(self) -> None:
        """The run failed: an update in place puts the replaced seed packages back."""
        if self.aside is not None:
            try:
                self.aside.restore()
            except OSError as exc:
                _log.warning(f"could not put back the previous seed packages in {self.aside.dest}: {exc}")

    def describe(self) -> str:
        packages = ", ".join(f"{item.name} {item.version}" for item in self.installed) or ", ".join(
            f"{request.name}" for request in self.requests
        )
        return f"{packages} (app-data, {self.used_mode or self.link_mode})"


class Installed:
    """What one image put into the environment."""

    __slots__ = ("name", "version", "scripts")

    def __init__(self, name: str, version: str, scripts: list[str]) -> None:
        self.name = name
        self.version = version
        self.scripts = scripts


def install_images(
    images: Sequence[Image],
    layout: Layout,
    linker: Linker,
    listing: dict[str, list[str]],
    symlink: bool = False,
    set_aside: Callable[[str, Image, list[str]], None] | None = None,
) -> list[Installed]:
    """Install *images* into *layout*'s environment, all their files at once (raises ImageDamaged).

    With *symlink* (``--symlink-app-data``), an image's top-level folders become links into
    it where :func:`_may_link_tops` allows; the other images' files go in through *linker*.

    The files of every image go in together (on two threads when there are many), while
    this thread writes each image's console scripts and ``RECORD``.  *listing* (site
    folder -> names in it before seeding) is kept across calls, so a retry after rebuilding
    a damaged image still knows what the environment had.  *set_aside* is given the images
    whose distribution the environment already has (an update in place).
    """
    sites: list[str] = []
    trees: list[Tree] = []
    devices: dict[str, int] = {}
    as_links: list[bool] = []  # per image: its top-level folders become links into it
    shared = _tops_in_several(images) if symlink else set()
    for image in images:
        data = image.data
        site_dir = layout.purelib if data["purelib"] else layout.platlib
        sites.append(site_dir)
        if site_dir not in listing:
            try:
                listing[site_dir] = os.listdir(site_dir)
            except FileNotFoundError:
                listing[site_dir] = []
        if set_aside is not None and listing[site_dir]:  # an update in place
            set_aside(site_dir, image, listing[site_dir])
        symlinked = symlink and not image.temporary and _may_link_tops(image, site_dir, shared)
        as_links.append(symlinked)
        if symlinked:
            continue
        if listing[site_dir]:
            _unlink_symlinked_tops(site_dir, data["top"], listing[site_dir])
        if site_dir not in devices:
            os.makedirs(site_dir, exist_ok=True)
            devices[site_dir] = os.stat(site_dir).st_dev
        try:
            pair = (os.stat(image.site).st_dev, devices[site_dir])
        except FileNotFoundError:
            raise ImageDamaged(image.site) from None  # its whole site/ is gone: rebuilt like any damage
        trees.append(Tree(image.site + "/", site_dir + "/", data["spine"], data["parts"], pair, data["mtime"]))
    installed: list[Installed] = [Installed(image.name, image.version, []) for image in images]
    hashes: dict[bytes, str] = {}  # pip, pip3 and pip3.X have the same text: hash it once

    def own_files(symlinked: bool) -> None:
        """Scripts and RECORD of the images whose files are linked in (or, after that, the symlinked ones)."""
        for image, site_dir, done, linked_tops in zip(images, sites, installed, as_links):
            if linked_tops is not symlinked:
                continue
            record = [image.data["record"]]  # the image's own files, hashed when it was built
            if symlinked:
                record = []
                _symlink_tree(image, site_dir, record)
                linker.used.add("symlink")
            done.scripts = _write_env_files(image, layout, site_dir, record, hashes)

    # Written while the other thread links; then this thread links too.
    fill(trees, linker, lambda: own_files(symlinked=False))
    own_files(symlinked=True)
    return installed


def _tops_in_several(images: Sequence[Image]) -> set[str]:
    """Top-level names more than one image has (a namespace package's folder, say)."""
    seen: set[str] = set()
    several: set[str] = set()
    for image in images:
        for top in image.data["top"]:
            (several if top in seen else seen).add(top)
    return several


def _may_link_tops(image: Image, site_dir: str, shared: set[str]) -> bool:
    """Whether *image*'s top-level folders can be symbolic links into it (--symlink-app-data).

    Not when another image, or a folder already in site-packages, shares one (a link would
    hide the other's files, or replace a folder that may hold packages the user installed),
    nor for a namespace package's folder (no ``__init__.py``), which pip would later install
    other packages into, through the link, into the cache.
    """
    dist_info = image.data["dist_info"]
    for top in image.data["top"]:
        if top in (dist_info, "__pycache__"):
            continue
        if top in shared:
            return False
        target = os.path.join(site_dir, top)
        if os.path.isdir(target) and not os.path.islink(target):
            return False
        source = os.path.join(image.site, top)
        if os.path.isdir(source) and not os.path.isfile(os.path.join(source, "__init__.py")):
            return False
    return True


def _unlink_symlinked_tops(site_dir: str, tops: Sequence[str], present: Sequence[str]) -> None:
    """Remove the links a ``--symlink-app-data`` seed left where files now go in for real.

    Linking through such a link would write into the image it points at: a file linked onto
    itself, then "replaced", deletes it from the cache.  Only when re-seeding (*present*:
    what the site folder held before).
    """
    for top in set(tops).intersection(present):
        target = os.path.join(site_dir, top)
        if os.path.islink(target):
            os.unlink(target)


def _symlink_tree(image: Image, site_dir: str, record: list[str]) -> None:
    """Top-level packages and modules become links into the image; .dist-info is copied."""
    data = image.data
    dist_info = data["dist_info"]
    os.makedirs(site_dir, exist_ok=True)
    by_top: dict[str, list[str]] = {}
    for relative in image.files:
        by_top.setdefault(relative.split("/")[0], []).append(relative)
    info_lines = {line.split(",")[0]: line + "\n" for line in data["record"].splitlines() if line.startswith(dist_info + "/")}
    for top in data["top"]:
        source = os.path.join(image.site, top)
        target = os.path.join(site_dir, top)
        if top == dist_info or top == "__pycache__":
            # Per-environment folders: copies of the small files, links for cached bytecode.
            os.makedirs(target, exist_ok=True)
            for relative in by_top.get(top, []):
                src, dst = os.path.join(image.site, relative), os.path.join(site_dir, relative)
                if not os.path.exists(src):
                    raise ImageDamaged(src)
                if relative.count("/") > 1:  # e.g. PEP 639's .dist-info/licenses/ (pip 25.1 on)
                    os.makedirs(os.path.dirname(dst), exist_ok=True)
                if top == dist_info:
                    _copy_or_replace(src, dst, data["mtime"])
                    record.append(info_lines.get(relative, f"{relative},,\n"))
                else:
                    _symlink_or_replace(src, dst)
                    record.append(f"{relative},,\n")
            continue
        if not os.path.lexists(source):
            raise ImageDamaged(source)
        _symlink_or_replace(source, target)
        record.append(f"{top},,\n")


def _copy_or_replace(src: str, dst: str, mtime: int | None) -> None:
    if os.path.lexists(dst):
        os.unlink(dst)
    _copy_file(src, dst, clone=False, mtime=mtime)


def _symlink_or_replace(src: str, dst: str) -> None:
    # A real folder is never here (see _may_link_tops): unlink fails on one, nothing is deleted.
    if os.path.lexists(dst):
        os.unlink(dst)
    os.symlink(src, dst)


def _relative_to_site(path: str, site_dir: str) -> str:
    return os.path.relpath(path, site_dir).replace(os.sep, "/")


def _record_line(path: str, site_dir: str, content: bytes, hashes: dict[bytes, str] | None = None) -> str:
    return record_line(_relative_to_site(path, site_dir), content, hashes) + "\n"


def _write_env_files(image: Image, layout: Layout, site_dir: str, record: list[str], hashes: dict[bytes, str]) -> list[str]:
    """Console scripts, ``.data`` files and ``RECORD`` (listing *record* and those); returns the script names."""
    scripts = _write_scripts(image, layout, site_dir, record, hashes)
    _install_data(image, layout, site_dir, record)
    dist_info = image.data["dist_info"]
    record.append(f"{dist_info}/RECORD,,\n")
    path = f"{site_dir}/{dist_info}/RECORD"
    content = "".join(record).encode("utf-8")
    # Its folder is on the spine of new images, not of every image.
    write_new_file(path, content, 0o644, make_folder=True)
    return scripts


def _write_scripts(image: Image, layout: Layout, site_dir: str, record: list[str], hashes: dict[bytes, str]) -> list[str]:
    data = image.data
    entries = list(data["console_scripts"]) + list(data["gui_scripts"])
    if not entries:
        return []
    bin_dir = layout.script_dir
    os.makedirs(bin_dir, exist_ok=True)
    head = shebang(layout.exe, layout.interpreter.version_info[0] == 2)
    written = []
    for name, module, attr in console_scripts(entries, layout.interpreter.version_info):
        content = head + script_body(module, attr)
        path = bin_dir + "/" + name
        write_new_file(path, content, 0o755)
        record.append(_record_line(path, site_dir, content, hashes))
        written.append(name)
    return written


def _install_data(image: Image, layout: Layout, site_dir: str, record: list[str]) -> None:
    """The wheel's ``.data`` files: scripts to bin/ (shebang fixed), headers, data (rare)."""
    for relative in image.data["data_files"]:
        scheme, _, rest = relative.partition("/")
        source = os.path.join(image.root, DATA, *relative.split("/"))
        if scheme == "scripts":
            target = os.path.join(layout.script_dir, rest)
        elif scheme == "headers":
            name = image.data["name"]
            target = os.path.join(layout.include, "site", f"python{layout.interpreter.major_minor}", name, rest)
        else:
            target = os.path.join(layout.dest, rest)
        try:
            with open(source, "rb") as handle:
                content = handle.read()
        except FileNotFoundError:
            raise ImageDamaged(source) from None
        mode = 0o644
        if scheme == "scripts":
            mode = 0o755
            if content.startswith(b"#!python"):
                content = shebang(layout.exe, layout.interpreter.version_info[0] == 2) + content.split(b"\n", 1)[1]
        write_new_file(target, content, mode, make_folder=True)
        record.append(_record_line(target, site_dir, content))
