"""``activate_this.py``: activation from inside a running interpreter."""

from __future__ import annotations

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


def _under(path: str, ctx: ActivationContext) -> str:
    # relative when inside the env (so the env may move); absolute otherwise,
    # which os.path.join in the script keeps as it is
    pathmod = ctx.pathmod
    try:
        inside = pathmod.relpath(path, ctx.dest)
    except ValueError:  # another drive
        return path
    return path if inside.split(pathmod.sep, 1)[0] == pathmod.pardir else str(inside)
