"""``get_embed_wheel``: the wheel roost would seed, for API users (virtualenv's
``virtualenv.seed.wheels.embed.get_embed_wheel``, which poetry calls).

virtualenv answers from the wheels it ships; roost ships none, so the answer is the wheel
roost itself would install into a new environment of that Python: found the same way (the
interpreter's own ensurepip wheels, app data's wheelhouse, the machine's wheel folders),
without downloading.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~4 ms)
if TYPE_CHECKING:
    from collections.abc import Mapping

    from .wheels import WheelFile


def get_embed_wheel(distribution: str, for_py_version: str, env: Mapping[str, str] | None = None) -> WheelFile | None:
    """The wheel of *distribution* (``pip``, ``setuptools``, ``wheel``) roost would seed for a
    Python matching *for_py_version* (``"3.12"``), or None when there is none on this machine.

    Raises RoostError when no interpreter matches *for_py_version*.  The result's ``path``
    is the wheel file's path (a ``str``), ``version`` its version.
    """
    from ..appdata import AppData, default_root
    from ..discovery import discover
    from . import Request
    from .wheels import WheelFinder

    environment = dict(os.environ if env is None else env)
    app_data = AppData(default_root(environment))
    interpreter = discover([for_py_version], [], app_data, environment, os.getcwd())
    finder = WheelFinder(app_data, interpreter, (), app_data.writable, environment)
    return finder.find(Request(distribution, "bundle", explicit=False))
