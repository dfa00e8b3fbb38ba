"""roost: create isolated Python environments for any interpreter, fast.

The API mirrors virtualenv's::

    import roost
    session = roost.cli_run([".venv", "-p", "3.12"])     # create
    session = roost.session_via_cli([".venv"])            # describe, create nothing

Importing this package is cheap: the machinery loads on first use.
"""

from __future__ import annotations

__version__ = "0.1.0"  # the one place it is written (pyproject.toml reads it from here)

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~4 ms)
if TYPE_CHECKING:
    from .session import Session, cli_run, session_via_cli

__all__ = ["Session", "__version__", "cli_run", "session_via_cli"]


def __getattr__(name: str) -> object:
    # Lazy: `import roost` must not pay for argparse and the creator until they are used.
    if name in ("cli_run", "session_via_cli", "Session"):
        from . import session

        return getattr(session, name)
    raise AttributeError(f"module 'roost' has no attribute {name!r}")
