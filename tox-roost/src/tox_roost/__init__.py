"""tox-roost: tox environments made by roost instead of virtualenv (see :mod:`tox_roost.plugin`)."""

from __future__ import annotations

__version__ = "0.1.0"
