"""``activate_this.py``: activation from inside a running interpreter."""

from __future__ import annotations

from pathlib import PurePath

from ._base import ActivationContext, Activator, common_values


class PythonActivator(Activator):
    """Writes ``activate_this.py``, whose paths are relative to its own folder where they can be."""

    name = "python"
    templates = (("activate_this.py.tmpl", "activate_this.py"),)

    def quote(self, value: str) -> str:
        """An ASCII-only Python string literal, so the file reads the same under any source encoding."""
        return ascii(value)

    def values(self, ctx: ActivationContext) -> dict[str, str]:
        """The up-path and the prompt; the site-packages tuple is added in :meth:`quoted_values`."""
        common = common_values(ctx)
        return {"UP": common["UP"], "PROMPT": ctx.prompt}

    def quoted_values(self, ctx: ActivationContext) -> dict[str, str]:
        """As the base class, plus ``SITE_PACKAGES``: a tuple literal of paths relative to the env root."""
        quoted = super().quoted_values(ctx)
        libs = tuple(dict.fromkeys(_under(path, ctx) for path in ctx.site_packages))
        quoted["SITE_PACKAGES"] = ascii(libs)
        return quoted


def _under(path: PurePath, ctx: ActivationContext) -> str:
    # relative when inside the env (so the env may move); absolute otherwise,
    # which os.path.join in the script keeps as it is
    try:
        return str(path.relative_to(ctx.dest))
    except ValueError:
        return str(path)
