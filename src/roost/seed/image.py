"""Images: a wheel unpacked and byte-compiled once per target, kept in app data.

An image is a folder ``images/<name>-<version>-<digest>-<cache tag>-f<format>`` holding

* ``site/``: what goes into site-packages, ``.py`` files with their ``__pycache__``
  compiled by the target interpreter, the wheel's ``RECORD`` removed (each environment
  gets its own) and ``INSTALLER``/``REQUESTED`` added; files are made read-only, so an
  editor cannot change the cache through a hard link by accident, and all have one
  modification time, recorded in the manifest, so a file changed anyway is noticed when it
  is linked (:class:`roost.seed.linker.ImageChanged`) and the image rebuilt;
* ``data/``: the wheel's ``.data`` scripts, headers and data files, if any;
* ``image.store``: the manifest (a :mod:`roost.appdata` store file, read on every warm run),
  written last: the ``RECORD`` text with hashes and sizes, top-level names, entry points,
  the files' one ``mtime`` (in ns; None where the filesystem would not keep it), and the
  tree cut into parts that two threads can link at once
  (:func:`roost.seed.build._partition`).  It lists names only: a warm run hard-links by
  name, and the rare copy reads size, mode and time from the file it copies, so the
  manifest loads in a third of the time.

It is built (by :mod:`roost.seed.build`, the cold path) in a uniquely named temporary
folder beside the final one and published by one ``rename``, so readers never lock and
never see half an image: a folder under its final name is complete.  Builders lock only
while they build; a killed builder leaves a temporary folder that the next builder of that
image removes.  An image found damaged
(manifest unreadable, a file missing) is rebuilt and swapped in.
"""

from __future__ import annotations

import os

from ..appdata import read_store

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from typing import Any

    from ..appdata import AppData
    from ..discovery.interpreter import Interpreter
    from .wheels import WheelFile

# Format 4: every site/ file has the one mtime the manifest records (3 had none: its files
# kept their unpacking times; a format-4 image is built beside each once); 3 brought parts holding
# file names grouped by folder (2 held (path, size, mtime, mode) for every file, twice; 1 was
# image.json).  The folder name carries the format, so an older
# roost sharing this app data keeps its own images.
FORMAT = 4
MANIFEST = "image.store"
SITE = "site"
DATA = "data"


class Image:
    """A finished image (read from its manifest)."""

    __slots__ = ("root", "site", "data", "temporary")

    def __init__(self, root: str, data: dict[str, Any], temporary: bool = False) -> None:
        self.root = root
        self.site = os.path.join(root, SITE)
        self.data = data
        self.temporary = temporary

    @property
    def name(self) -> str:
        return self.data["name"]  # type: ignore[no-any-return]

    @property
    def version(self) -> str:
        return self.data["version"]  # type: ignore[no-any-return]

    @property
    def dist_info(self) -> str:
        return self.data["dist_info"]  # type: ignore[no-any-return]

    @property
    def files(self) -> list[str]:
        """Every file below ``site/``, relative to it (folder by folder, as the parts list them)."""
        return [folder + name for _weight, _dirs, groups in self.data["parts"] for folder, names in groups for name in names]

    def __repr__(self) -> str:
        return f"Image({self.root!r})"


def image_key(wheel: WheelFile, interpreter: Interpreter) -> str:
    """The folder name of *wheel*'s image for *interpreter* (bytecode differs per cache tag)."""
    tag = interpreter.cache_tag or f"{interpreter.implementation_tag}-{interpreter.version_info[0]}{interpreter.version_info[1]}"
    return f"{wheel.name}-{wheel.version}-{wheel.sha256[:16]}-{tag}-f{FORMAT}"


# What a warm seed reads from a manifest: one without them is treated as no manifest.
_MANIFEST_KEYS = (
    "console_scripts", "data_files", "dist_info", "gui_scripts", "mtime", "name", "parts",
    "purelib", "record", "spine", "top", "version",
)  # fmt: skip


def load(root: str, temporary: bool = False) -> Image | None:
    """The image at *root*, or None if there is none or its manifest is unreadable or incomplete."""
    data = read_store(root + "/" + MANIFEST)
    if not isinstance(data, dict) or data.get("format") != FORMAT or not all(key in data for key in _MANIFEST_KEYS):
        return None
    return Image(root, data, temporary)


def obtain(app_data: AppData, wheel: WheelFile, interpreter: Interpreter, writable: bool) -> Image:
    """The image of *wheel* for *interpreter*: the published one, else built now."""
    image = load(app_data.images + "/" + image_key(wheel, interpreter))
    if image is not None:
        return image  # read-only app data still lends its finished images
    from .build import build

    return build(app_data, wheel, interpreter, writable)


def discard(image: Image) -> None:
    """Delete a private image made for a read-only app data run."""
    if image.temporary:
        import shutil

        shutil.rmtree(image.root, ignore_errors=True)
