"""The ``app-data`` seeder: link pre-compiled images from app data into the environment."""

from __future__ import annotations

import time

from .. import _log
from ..errors import RoostError
from . import WheelSeeder

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..create.layout import Layout
    from .install import Installed


# How long "this filesystem cannot clone" is believed (device numbers can be reused).
NO_CLONE_MEMORY = 7 * 24 * 3600


class AppDataSeeder(WheelSeeder):
    """Installs each wheel's image (built once per target) by clone, hard link, copy or symlink."""

    name = "app-data"
    needs_working_env = False
    installed: Sequence[Installed] = ()  # what seed() installed, in order
    used_mode = ""  # how the files went in, once seeded (``hardlink``, ``copy`` ...)

    @property
    def link_mode(self) -> str:
        """The link mode the options ask for (``auto`` lets the linker find the best)."""
        return self.options.effective_link_mode

    def seed(self, layout: Layout) -> None:
        """Find the wheels, get their images (building any that are missing) and install them."""
        from . import image as images
        from .install import install_image
        from .linker import ImageDamaged, Linker

        writable = self.app_data.writable
        resolution = self.resolve_wheels(writable)
        installed: list[Installed] = []
        self.installed = installed
        index = resolution.finder.index
        now = time.time()
        # Filesystems known not to clone: skip the attempt (and the fcntl import) on warm runs.
        known = {(int(a), int(b)) for a, b, when in index.data.get("no_clone", []) if now - when < NO_CLONE_MEMORY}
        linker = Linker(self.link_mode, known)
        listing: dict[str, list[str]] = {}
        try:
            for wheel in resolution.wheels:
                image = images.obtain(self.app_data, wheel, self.interpreter, writable)
                try:
                    try:
                        installed.append(install_image(image, layout, linker, listing))
                    except ImageDamaged as damaged:
                        if image.temporary:
                            raise RoostError(f"the seed image for {wheel.name} is incomplete: {damaged} is missing") from None
                        _log.warning(f"the seed image {image.root} is damaged ({damaged} is missing); rebuilding it")
                        image = images.build(self.app_data, wheel, self.interpreter, writable, damaged=True)
                        installed.append(install_image(image, layout, linker, listing))
                finally:
                    images.discard(image)
        except OSError as exc:
            raise RoostError(f"could not install the seed packages into {layout.dest}: {exc}") from None
        finally:
            resolution.cleanup()
        self.used_mode = linker.describe
        if linker.learned:
            index.data["no_clone"] = [[a, b, now] for a, b in sorted(linker.no_clone)]
            index.changed = True
            index.save()

    def describe(self) -> str:
        packages = ", ".join(f"{item.name} {item.version}" for item in self.installed) or ", ".join(
            f"{request.name}" for request in self.requests
        )
        return f"{packages} (app-data, {self.used_mode or self.link_mode})"
