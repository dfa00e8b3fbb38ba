"""Building seed images: unpack a wheel, byte-compile it, write the manifest (the cold path).

:mod:`roost.seed.image` reads finished images on every run; this module runs only when an
image is missing or damaged, so none of it (zipfile, subprocess, configparser) loads on a
warm creation.
"""

from __future__ import annotations

import os

from ..appdata import store_bytes
from ..discovery.interpreter import last_line
from ..errors import RoostError
from .image import DATA, FORMAT, MANIFEST, SITE, Image, image_key, load

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from typing import Any

    from ..appdata import AppData
    from ..discovery.interpreter import Interpreter
    from .wheels import WheelFile

INSTALLER_TEXT = b"pip\n"
_DATA_SCHEMES = ("purelib", "platlib", "scripts", "headers", "data")


def verify(image: Image) -> bool:
    """Every file the manifest lists is there, unchanged (cold path: after a damaged image was reported)."""
    mtime = image.data["mtime"]
    for relative in image.files:
        try:
            found = os.stat(os.path.join(image.site, relative), follow_symlinks=False).st_mtime_ns
        except OSError:
            return False
        if mtime is not None and found != mtime:
            return False
    for relative in image.data["data_files"]:
        if not os.path.exists(os.path.join(image.root, DATA, relative)):
            return False
    return True


def build(app_data: AppData, wheel: WheelFile, interpreter: Interpreter, writable: bool, damaged: bool = False) -> Image:
    """Build (or, if *damaged*, rebuild) the image; private and temporary when app data is read-only."""
    import shutil

    from ..appdata import unique_name

    if not writable:
        import tempfile

        temporary = tempfile.mkdtemp(prefix="roost-image-")
        try:
            _build_into(temporary, wheel, interpreter)
        except BaseException:
            shutil.rmtree(temporary, ignore_errors=True)
            raise
        image = load(temporary, temporary=True)
        assert image is not None
        return image
    key = image_key(wheel, interpreter)
    images = str(app_data.images)
    final = os.path.join(images, key)
    os.makedirs(images, exist_ok=True)
    with app_data.lock(f"image-{key}"):
        existing = load(final)
        if existing is not None and (not damaged or verify(existing)):
            return existing  # another process published it while we waited
        _remove_leftovers(app_data, images, key)
        building = os.path.join(images, unique_name(key))
        try:
            _build_into(building, wheel, interpreter)
            if os.path.lexists(final):
                # Move the damaged (or unreadable) image aside in one step, then swap in.
                trash = os.path.join(images, unique_name(key))
                os.rename(final, trash)
                shutil.rmtree(trash, ignore_errors=True)
            os.rename(building, final)
        except BaseException:
            shutil.rmtree(building, ignore_errors=True)
            raise
    image = load(final)
    if image is None:
        raise RoostError(f"the seed image {final} vanished right after it was built", "run again")
    return image


def _remove_leftovers(app_data: AppData, images: str, key: str) -> None:
    """Temporary folders of builders that were killed, of any image.

    We hold *key*'s lock: nobody else builds it, so its leftovers go.  Another image's go
    when its lock is free at this moment (no builder of it is alive: a killed process's
    lock is let go by the kernel); one still being built is left to its builder.
    """
    import shutil

    from filelock import Timeout

    by_key: dict[str, list[str]] = {}
    for name in os.listdir(images):
        if name.startswith(".") and name.endswith(".tmp"):
            by_key.setdefault(name[1:].rsplit(".", 4)[0], []).append(os.path.join(images, name))
    for other, folders in by_key.items():
        if other == key:
            for folder in folders:
                shutil.rmtree(folder, ignore_errors=True)
            continue
        lock = app_data.lock(f"image-{other}")
        try:
            lock.acquire(timeout=0)
        except Timeout:
            continue
        try:
            for folder in folders:
                shutil.rmtree(folder, ignore_errors=True)
        finally:
            lock.release()


def _build_into(root: str, wheel: WheelFile, interpreter: Interpreter) -> None:
    import time

    os.makedirs(root, exist_ok=True)
    site = os.path.join(root, SITE)
    os.mkdir(site)
    # The one mtime of every file (whole seconds: a filesystem keeping only those keeps it
    # exactly).  Sources get it before they are compiled, since a .pyc records its source's
    # mtime: the bytecode stays valid, in the image and in copies, which keep mtimes.
    mtime = time.time_ns() // 10**9 * 10**9
    dist_info, data_files = _extract(wheel.path, root, mtime)
    dist_info_path = os.path.join(site, dist_info)
    wheel_meta = _read_headers(os.path.join(dist_info_path, "WHEEL"))
    for name in ("RECORD", "RECORD.jws", "RECORD.p7s"):
        try:
            os.unlink(os.path.join(dist_info_path, name))
        except FileNotFoundError:
            pass
    # pip writes "pip" here; so do we (as virtualenv does): pip only offers its own
    # upgrade notice when INSTALLER says pip, and everything else treats it alike.
    with open(os.path.join(dist_info_path, "INSTALLER"), "wb") as handle:
        handle.write(INSTALLER_TEXT)
    open(os.path.join(dist_info_path, "REQUESTED"), "wb").close()
    _compile(site, interpreter, wheel)
    console, gui = _entry_points(os.path.join(dist_info_path, "entry_points.txt"))
    manifest = _manifest(site, dist_info, mtime)
    manifest.update(
        format=FORMAT,
        name=wheel.name,
        version=wheel.version,
        wheel=os.path.basename(wheel.path),
        sha256=wheel.sha256,
        dist_info=dist_info,
        purelib=wheel_meta.get("root-is-purelib", "true").strip().lower() == "true",
        console_scripts=console,
        gui_scripts=gui,
        data_files=data_files,
    )
    path = os.path.join(root, MANIFEST)
    with open(path, "wb") as handle:
        handle.write(store_bytes(manifest))
        handle.flush()
        os.fsync(handle.fileno())


def _safe_parts(name: str) -> list[str]:
    parts = name.split("/")
    if name.startswith("/") or "\\" in name or any(part in ("..", "") for part in parts) or ":" in parts[0]:
        raise RoostError(f"refusing a wheel entry that points outside its folder: {name!r}")
    return parts


def _extract(wheel_path: str, root: str, mtime: int) -> tuple[str, list[str]]:
    """Unpack into ``site/`` (and ``data/<scheme>/``), files of *mtime*; returns the .dist-info name and data files."""
    import zipfile

    site = os.path.join(root, SITE)
    dist_info = None
    data_files: list[str] = []
    try:
        archive = zipfile.ZipFile(wheel_path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise RoostError(f"cannot read wheel {wheel_path}: {exc}") from None
    with archive:
        for info in archive.infolist():
            if info.filename.endswith("/"):
                continue
            parts = _safe_parts(info.filename)
            if parts[0].endswith(".data") and len(parts) > 2:
                scheme, rest = parts[1], parts[2:]
                if scheme not in _DATA_SCHEMES:
                    raise RoostError(f"wheel {os.path.basename(wheel_path)} has an unknown data folder {scheme!r}")
                if scheme in ("purelib", "platlib"):
                    target = os.path.join(site, *rest)
                else:
                    relative = "/".join([scheme] + rest)
                    data_files.append(relative)
                    target = os.path.join(root, DATA, *relative.split("/"))
            else:
                target = os.path.join(site, *parts)
                if len(parts) == 2 and parts[0].endswith(".dist-info") and parts[1] == "METADATA":
                    dist_info = parts[0]
            os.makedirs(os.path.dirname(target), exist_ok=True)
            executable = (info.external_attr >> 16) & 0o111
            try:
                with archive.open(info) as source, open(target, "wb") as sink:
                    while True:
                        block = source.read(1 << 20)
                        if not block:
                            break
                        sink.write(block)
            except (zipfile.BadZipFile, OSError, EOFError) as exc:
                raise RoostError(f"cannot unpack {info.filename} from {wheel_path}: {exc}") from None
            if executable:
                os.chmod(target, 0o755)
            os.utime(target, ns=(mtime, mtime))
    if dist_info is None:
        raise RoostError(f"wheel {wheel_path} has no .dist-info/METADATA")
    return dist_info, sorted(data_files)


def _read_headers(path: str) -> dict[str, str]:
    headers: dict[str, str] = {}
    try:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                key, sep, value = line.partition(":")
                if sep:
                    headers[key.strip().lower()] = value.strip()
    except OSError:
        pass
    return headers


def _entry_points(path: str) -> tuple[list[list[str]], list[list[str]]]:
    import configparser

    parser = configparser.RawConfigParser(delimiters=("=",))
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # script names keep their case
    try:
        parser.read(path, encoding="utf-8")
    except configparser.Error as exc:
        raise RoostError(f"cannot read {path}: {exc}") from None
    found: dict[str, list[list[str]]] = {"console_scripts": [], "gui_scripts": []}
    for section in found:
        if parser.has_section(section):
            for name, value in parser.items(section):
                module, _, attr = value.partition(":")
                attr = attr.split("[")[0].strip()  # drop extras
                found[section].append([name.strip(), module.strip(), attr])
    return found["console_scripts"], found["gui_scripts"]


def _compile(site: str, interpreter: Interpreter, wheel: WheelFile) -> None:
    """Byte-compile the image with the target interpreter, in one process per core (two at most).

    Compiling is nearly all of an image's build time (~1 s for pip); the files are dealt
    out in turn, so the halves are about equal.
    """
    import subprocess

    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_compile.py")
    from .linker import cores

    count = min(2, cores())
    what = f"{wheel.name} {wheel.version} with {interpreter.system_executable}"
    processes: list[subprocess.Popen[bytes]] = []
    try:
        for index in range(count):
            # -S: no site, so no .pth file of the target's own site-packages runs (a busy one
            # costs tens of ms per start); compiling needs nothing beyond the standard library.
            command = [interpreter.system_executable, "-E", "-s", "-S", script, site, str(index), str(count), str(os.getpid())]
            processes.append(
                subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            )
        for process in processes:
            _out, err = process.communicate(timeout=900)
            if process.returncode:
                raise RoostError(f"could not byte-compile {what}: {last_line(err)}")
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise RoostError(f"could not byte-compile {what}: {exc}") from None
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()


def _manifest(site: str, dist_info: str, mtime: int) -> dict[str, Any]:
    """Walk the unpacked tree once: folders, files and RECORD text; files get *mtime* and are made read-only.

    The manifest's ``mtime`` is None (nothing checked when linking) if a file does not keep
    *mtime* exactly (a filesystem with coarser times).
    """
    from .scripts import record_line

    dirs: list[str] = []
    files: list[str] = []
    record: list[str] = []
    kept = True
    for current, subdirs, names in os.walk(site):
        subdirs.sort()
        relative_dir = os.path.relpath(current, site).replace(os.sep, "/")
        if relative_dir != ".":
            dirs.append(relative_dir)
        for name in sorted(names):
            full = os.path.join(current, name)
            relative = name if relative_dir == "." else f"{relative_dir}/{name}"
            with open(full, "rb") as handle:
                content = handle.read()
            record.append(record_line(relative, content) + "\n")
            info = os.stat(full)
            if info.st_mtime_ns != mtime:  # the .pyc files, INSTALLER and REQUESTED
                os.utime(full, ns=(mtime, mtime))
                info = os.stat(full)
            kept = kept and info.st_mtime_ns == mtime
            os.chmod(full, info.st_mode & 0o555)  # keeps the mtime
            files.append(relative)
    top = sorted({relative.split("/")[0] for relative in files} | {entry.split("/")[0] for entry in dirs})
    spine, parts = _partition(dirs, files, always=(dist_info,))
    return {"record": "".join(record), "top": top, "spine": spine, "parts": parts, "mtime": mtime if kept else None}


# A mkdir costs about as much as five hard links (ext4: ~70 us against ~13 us).
MKDIR_WEIGHT = 5
# What a folder of files costs beyond its links: opening it on both sides, and closing.
GROUP_WEIGHT = 1


def _partition(dirs: list[str], files: list[str], always: tuple[str, ...] = ()) -> tuple[list[str], list[Any]]:
    """Cut the tree into a *spine* of folders and *parts* that can be filled independently.

    A part is a subtree small enough (at most about an eighth of the whole) whose parent
    is on the spine, or the files that sit directly in spine folders.  Once the spine
    folders exist, any part can be made (its folders, then its files) by any thread in
    any order, and no two threads write into one folder.  A part's files come in groups,
    one per folder (``("pip/_vendor/", ("__init__.py", ...))``), so the linker opens each
    folder once and links by name.  Parts are sorted heaviest first, for the greedy split
    between threads when an environment is seeded.  The folders in *always* are on the
    spine whatever their size (the .dist-info folder: RECORD is written into it while the
    parts are being filled).  *files* come folder by folder, as :func:`os.walk` gives them.
    """
    weight: dict[str, int] = {}

    def charge(folder: str, amount: int) -> None:
        while folder:
            weight[folder] = weight.get(folder, 0) + amount
            folder = folder.rpartition("/")[0]

    for folder in dirs:
        charge(folder, MKDIR_WEIGHT)
    for relative in files:
        charge(relative.rpartition("/")[0], 1)
    limit = max((len(dirs) * MKDIR_WEIGHT + len(files)) // 8, 64)
    owner: dict[str, str] = {}  # folder -> the part root it belongs to
    spine: list[str] = []
    grouped: dict[str, tuple[list[str], list[str]]] = {}
    for folder in dirs:  # os.walk order: every parent before its children
        parent = folder.rpartition("/")[0]
        if parent in owner:
            owner[folder] = owner[parent]
        elif weight[folder] <= limit and folder not in always:
            owner[folder] = folder
            grouped[folder] = ([], [])
        else:
            spine.append(folder)
            continue
        grouped[owner[folder]][0].append(folder)
    loose: list[str] = []
    for relative in files:
        root = owner.get(relative.rpartition("/")[0])
        if root is None:
            loose.append(relative)
        else:
            grouped[root][1].append(relative)
    parts = [_part(ds, fs) for ds, fs in grouped.values()]
    if loose:
        parts.append(_part([], loose))
    parts.sort(key=lambda part: -part[0])
    return spine, parts


def _part(folders: list[str], files: list[str]) -> tuple[int, tuple[str, ...], tuple[tuple[str, tuple[str, ...]], ...]]:
    """One part: its weight, its folders, and its files grouped by folder (in order)."""
    groups: list[tuple[str, list[str]]] = []
    for relative in files:
        folder, slash, name = relative.rpartition("/")
        prefix = folder + slash
        if not groups or groups[-1][0] != prefix:
            groups.append((prefix, []))
        groups[-1][1].append(name)
    weight = len(folders) * MKDIR_WEIGHT + len(files) + len(groups) * GROUP_WEIGHT
    return weight, tuple(folders), tuple((prefix, tuple(names)) for prefix, names in groups)
