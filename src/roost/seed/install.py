"""Put an image into an environment: files, console scripts, ``RECORD``.

How files enter (clone, hard link, copy) is :mod:`roost.seed.linker`'s business; symlink
mode (``--symlink-app-data``) is done here: each top-level package folder or module is a
symbolic link into the image, and ``.dist-info`` is a real folder per environment.

``pip uninstall`` never changes the image: pip removes files by renaming or unlinking
them (a hard link's other names keep the data), and in symlink mode ``RECORD`` lists the
links themselves, which pip moves away as links.
"""

from __future__ import annotations

import os

from .image import DATA
from .linker import _O_WRITE, ImageDamaged, _copy_file, _no_hardlink
from .record import record_line
from .scripts import console_scripts, script_body, shebang

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from ..create.layout import Layout
    from .image import Image
    from .linker import Linker


def _makedirs(root: str, dirs: list[str]) -> None:
    os.makedirs(root, exist_ok=True)
    for relative in dirs:
        try:
            os.mkdir(root + "/" + relative)
        except FileExistsError:
            pass


# -- one image -----------------------------------------------------------------------------


def _remove_previous(site_dir: str, image: Image, listing: list[str]) -> None:
    """Remove another version of the same distribution that this env already has."""
    prefix = image.dist_info.split("-")[0].lower() + "-"
    for entry in listing:
        if entry.lower().startswith(prefix) and entry.endswith(".dist-info") and entry != image.dist_info:
            _uninstall(site_dir, entry)


def _uninstall(site_dir: str, dist_info: str) -> None:
    """Remove an installed distribution by its RECORD (rare: re-seeding an existing env)."""
    import shutil

    try:
        with open(os.path.join(site_dir, dist_info, "RECORD"), encoding="utf-8") as handle:
            lines = handle.read().splitlines()
    except OSError:
        lines = []
    parents: set[str] = set()
    for line in lines:
        relative = line.rsplit(",", 2)[0].strip('"')
        if not relative:
            continue
        path = os.path.normpath(os.path.join(site_dir, relative))
        if os.path.islink(path) or os.path.isfile(path):
            os.unlink(path)
            parents.add(os.path.dirname(path))
    # Prune folders left empty, deepest first; folders shared with others stay.
    for folder in sorted(parents, key=len, reverse=True):
        for candidate in (os.path.join(folder, "__pycache__"), folder):
            while candidate.startswith(site_dir + os.sep):
                try:
                    os.rmdir(candidate)
                except OSError:
                    break
                candidate = os.path.dirname(candidate)
    shutil.rmtree(os.path.join(site_dir, dist_info), ignore_errors=True)


class Installed:
    """What one image put into the environment."""

    __slots__ = ("name", "version", "scripts")

    def __init__(self, name: str, version: str, scripts: list[str]) -> None:
        self.name = name
        self.version = version
        self.scripts = scripts


def install_image(image: Image, layout: Layout, linker: Linker, listing: dict[str, list[str]]) -> Installed:
    """Install *image* into *layout*'s environment (raises ImageDamaged for a broken image)."""
    data = image.data
    site_dir = os.fspath(layout.purelib if data["purelib"] else layout.platlib)
    if site_dir not in listing:
        try:
            listing[site_dir] = os.listdir(site_dir)
        except FileNotFoundError:
            listing[site_dir] = []
    _remove_previous(site_dir, image, listing[site_dir])
    record: list[str] = []
    dist_info = data["dist_info"]
    if linker.requested == "symlink" and not image.temporary:
        _symlink_tree(image, site_dir, record)
        linker.used.add("symlink")
    else:
        _link_tree(image, site_dir, linker)
        record.extend(data["record"])
    scripts = _write_scripts(image, layout, site_dir, record)
    _install_data(image, layout, site_dir, record)
    record.append(f"{dist_info}/RECORD,,")
    with open(os.path.join(site_dir, dist_info, "RECORD"), "w", encoding="utf-8", newline="\n") as handle:
        handle.write("\n".join(record) + "\n")
    return Installed(data["name"], data["version"], scripts)


def _link_tree(image: Image, site_dir: str, linker: Linker) -> None:
    data = image.data
    _makedirs(site_dir, data["dirs"])
    src_root = image.site + "/"
    dst_root = site_dir + "/"
    src_dev = os.stat(image.site).st_dev
    dst_dev = os.stat(site_dir).st_dev
    place = linker.place
    files = data["files"]
    start = 0
    mode = linker.requested
    if mode == "auto" and (src_dev, dst_dev) not in linker.no_clone and files:
        relative, size, mtime, file_mode = files[0]
        place(src_root + relative, dst_root + relative, size, mtime, file_mode, src_dev, dst_dev)
        start = 1
    hardlinking = mode == "hardlink" or (mode == "auto" and (src_dev, dst_dev) in linker.no_clone)
    if hardlinking and (src_dev, dst_dev) not in _no_hardlink:
        # The common case, kept tight: one link() per file, no Python-level checks.
        link = os.link
        for index in range(start, len(files)):
            relative = files[index][0]
            try:
                link(src_root + relative, dst_root + relative)
            except OSError:
                start = index
                break
        else:
            linker.used.add("hardlink")
            return
    for relative, size, mtime, file_mode in files[start:]:
        place(src_root + relative, dst_root + relative, size, mtime, file_mode, src_dev, dst_dev)


def _symlink_tree(image: Image, site_dir: str, record: list[str]) -> None:
    """Top-level packages and modules become links into the image; .dist-info is copied."""
    data = image.data
    dist_info = data["dist_info"]
    os.makedirs(site_dir, exist_ok=True)
    by_top: dict[str, list[list[object]]] = {}
    for entry in data["files"]:
        by_top.setdefault(str(entry[0]).split("/")[0], []).append(entry)
    info_lines = {line.split(",")[0]: line for line in data["record"] if line.startswith(dist_info + "/")}
    for top in data["top"]:
        source = os.path.join(image.site, top)
        target = os.path.join(site_dir, top)
        if top == dist_info or top == "__pycache__":
            # Per-environment folders: copies of the small files, links for cached bytecode.
            os.makedirs(target, exist_ok=True)
            for relative, size, mtime, mode in by_top.get(top, []):
                src, dst = os.path.join(image.site, str(relative)), os.path.join(site_dir, str(relative))
                if not os.path.exists(src):
                    raise ImageDamaged(src)
                if top == dist_info:
                    _copy_or_replace(src, dst, int(size), int(mtime), int(mode))  # type: ignore[call-overload]
                    record.append(info_lines.get(str(relative), f"{relative},,"))
                else:
                    _symlink_or_replace(src, dst)
                    record.append(f"{relative},,")
            continue
        if not os.path.lexists(source):
            raise ImageDamaged(source)
        _symlink_or_replace(source, target)
        record.append(f"{top},,")


def _copy_or_replace(src: str, dst: str, size: int, mtime: int, mode: int) -> None:
    if os.path.lexists(dst):
        os.unlink(dst)
    _copy_file(src, dst, size, mtime, mode, clone=False)


def _symlink_or_replace(src: str, dst: str) -> None:
    if os.path.lexists(dst):
        if os.path.isdir(dst) and not os.path.islink(dst):
            import shutil

            shutil.rmtree(dst)
        else:
            os.unlink(dst)
    os.symlink(src, dst)


def _relative_to_site(path: str, site_dir: str) -> str:
    return os.path.relpath(path, site_dir).replace(os.sep, "/")


def _write_scripts(image: Image, layout: Layout, site_dir: str, record: list[str]) -> list[str]:
    data = image.data
    entries = list(data["console_scripts"]) + list(data["gui_scripts"])
    if not entries:
        return []
    bin_dir = os.fspath(layout.script_dir)
    os.makedirs(bin_dir, exist_ok=True)
    head = shebang(os.fspath(layout.exe))
    written = []
    for name, module, attr in console_scripts(entries, layout.interpreter.version_info):
        content = head + script_body(module, attr)
        path = os.path.join(bin_dir, name)
        _write_new(path, content, 0o755)
        record.append(record_line(_relative_to_site(path, site_dir), content))
        written.append(name)
    return written


def _write_new(path: str, content: bytes, mode: int) -> None:
    try:
        handle = os.open(path, _O_WRITE, mode)
    except FileExistsError:
        os.unlink(path)
        handle = os.open(path, _O_WRITE, mode)
    try:
        os.write(handle, content)
    finally:
        os.close(handle)


def _install_data(image: Image, layout: Layout, site_dir: str, record: list[str]) -> None:
    """The wheel's ``.data`` files: scripts to bin/ (shebang fixed), headers, data (rare)."""
    for relative in image.data["data_files"]:
        scheme, _, rest = relative.partition("/")
        source = os.path.join(image.root, DATA, *relative.split("/"))
        if scheme == "scripts":
            target = os.path.join(os.fspath(layout.script_dir), rest)
        elif scheme == "headers":
            name = image.data["name"]
            target = os.path.join(os.fspath(layout.include), "site", f"python{layout.interpreter.major_minor}", name, rest)
        else:
            target = os.path.join(os.fspath(layout.dest), rest)
        try:
            with open(source, "rb") as handle:
                content = handle.read()
        except FileNotFoundError:
            raise ImageDamaged(source) from None
        mode = 0o644
        if scheme == "scripts":
            mode = 0o755
            if content.startswith(b"#!python"):
                content = shebang(os.fspath(layout.exe)) + content.split(b"\n", 1)[1]
        os.makedirs(os.path.dirname(target), exist_ok=True)
        _write_new(target, content, mode)
        record.append(record_line(_relative_to_site(target, site_dir), content))
