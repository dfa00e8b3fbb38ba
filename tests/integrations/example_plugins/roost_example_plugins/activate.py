"""An activator for rc (the Plan 9 shell's Unix port): ``. bin/activate.rc``, then ``deactivate``."""

from __future__ import annotations

import os

from roost.activation import Activator, UnsafeValue


class RcActivator(Activator):
    """Writes ``activate.rc``; every value is one rc single-quoted word."""

    roost_plugin_api = 1
    name = "rc"
    templates = (("activate.rc", "activate.rc"),)
    template_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates")

    def quote(self, value: str) -> str:
        # In rc a single-quoted word ends only at a lone quote; '' stands for one quote.
        # Everything else, newlines included, is literal.
        if "\0" in value:
            raise UnsafeValue("contains a NUL character")
        return "'" + value.replace("'", "''") + "'"
