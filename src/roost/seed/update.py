"""Updating the seed packages of an existing environment, so a failure leaves it as it was.

Before an image goes into an environment that already has a version of the same
distribution (any version, the same one included), every file that distribution's
``RECORD`` lists is moved (renamed) into ``DEST/.roost-previous/``, at the same path
relative to DEST.  The new files then go in.  When the run succeeds the folder is deleted;
when it fails, the new distribution's files are removed and the old ones moved back.

A path in ``RECORD`` is only acted on when it stays inside the environment
(:func:`roost.create.destination.contained`): a crafted ``RECORD`` naming ``/etc/passwd``
or ``../../../notes.txt`` moves nothing.  A run killed half way leaves the folder: the next
run on DEST installs the seed packages again (what the folder holds is the old version,
not needed any more) and deletes it.

Loaded only when an environment is updated in place: never on a fresh creation.
"""

from __future__ import annotations

import os

from .. import _log
from ..appdata import remove_tree
from ..create.destination import contained
from .scripts import console_scripts
from .via_app_data import ASIDE

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..create import Layout
    from .image import Image


class SetAside:
    """The files of the distributions one run replaces, kept until it ends."""

    def __init__(self, layout: Layout) -> None:
        self.dest = layout.dest
        self.script_dir = layout.script_dir
        self.version_info = layout.interpreter.version_info
        self.folder = os.path.join(layout.dest, ASIDE)
        self.moved: list[tuple[str, str]] = []  # (where it was, where it is now)
        self.handled: set[str] = set()  # dist-info folders already set aside (a retry skips them)
        self.installed: list[tuple[Image, str]] = []  # (image, site folder) put in by this run
        if os.path.lexists(self.folder):
            # A run killed while updating: the old files it kept are not needed any more.
            drop(self.folder)

    def replace(self, site_dir: str, image: Image, listing: Sequence[str]) -> None:
        """Set aside every installed version of *image*'s distribution (found in *listing*)."""
        from .versions import canonical_name

        name = canonical_name(image.dist_info.split("-")[0])
        for entry in listing:
            if entry.endswith(".dist-info") and entry not in self.handled and canonical_name(entry.split("-")[0]) == name:
                self.handled.add(entry)
                self._set_aside_distribution(site_dir, entry)
        self.installed.append((image, site_dir))

    def _set_aside_distribution(self, site_dir: str, dist_info: str) -> None:
        try:
            with open(os.path.join(site_dir, dist_info, "RECORD"), encoding="utf-8") as handle:
                lines = handle.read().splitlines()
        except OSError:
            lines = []
        site_relative = os.path.relpath(site_dir, self.dest)
        info = os.path.join(site_dir, dist_info)
        parents: set[str] = set()
        for line in lines:
            relative = line.rsplit(",", 2)[0].strip('"')
            if not relative:
                continue
            path = contained(self.dest, os.path.join(site_relative, relative))
            if path is None:
                _log.warning(f"{dist_info}/RECORD names {relative!r}, outside the environment: left alone")
                continue
            if path.startswith(info + os.sep):
                continue  # goes with its folder, below
            if os.path.islink(path) or os.path.isfile(path):
                self._move(path)
                parents.add(os.path.dirname(path))
        if os.path.isdir(info) and not os.path.islink(info):
            self._move(info)
        prune_empty_folders(parents, site_dir)

    def _move(self, path: str) -> None:
        aside = os.path.join(self.folder, os.path.relpath(path, self.dest))
        os.makedirs(os.path.dirname(aside), exist_ok=True)
        os.rename(path, aside)
        self.moved.append((path, aside))

    def restore(self) -> None:
        """The run failed: remove the new distributions' files, put the old ones back."""
        for image, site_dir in self.installed:
            parents: set[str] = set()
            for relative in image.files:
                path = contained(site_dir, relative)
                if path is not None and (os.path.islink(path) or os.path.isfile(path)):
                    os.unlink(path)
                    parents.add(os.path.dirname(path))
            entries = list(image.data["console_scripts"]) + list(image.data["gui_scripts"])
            for name, _module, _attr in console_scripts(entries, self.version_info):
                script = contained(self.script_dir, name)
                if script is not None and os.path.lexists(script):
                    os.unlink(script)
            info = os.path.join(site_dir, image.dist_info)
            if os.path.isdir(info) and not os.path.islink(info):
                drop(info)
            # The image's folders the attempt made, where they are empty (deepest first).
            folders = list(image.data["spine"]) + [folder for part in image.data["parts"] for folder in part[1]]
            for folder in sorted(folders, key=lambda name: name.count("/"), reverse=True):
                path = contained(site_dir, folder)
                if path is not None:
                    parents.add(path)
            prune_empty_folders(parents, site_dir)
        for path, aside in reversed(self.moved):
            os.makedirs(os.path.dirname(path), exist_ok=True)
            os.replace(aside, path)
        self.moved = []
        drop(self.folder)

    def commit(self) -> None:
        """The run succeeded: the old files go."""
        drop(self.folder)


def drop(folder: str) -> None:
    """Delete *folder* (roost's own), never across a mount point."""
    try:
        skipped = remove_tree(folder, os.stat(os.path.dirname(folder)).st_dev)
    except FileNotFoundError:
        return
    if skipped:
        _log.warning(f"left {', '.join(skipped)} in place: another filesystem is mounted there")


def prune_empty_folders(parents: set[str], site_dir: str) -> None:
    """Remove folders left empty, deepest first; folders shared with others stay."""
    for folder in sorted(parents, key=len, reverse=True):
        for candidate in (os.path.join(folder, "__pycache__"), folder):
            while candidate.startswith(site_dir + os.sep):
                try:
                    os.rmdir(candidate)
                except OSError:
                    break
                candidate = os.path.dirname(candidate)
