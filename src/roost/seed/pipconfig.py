"""pip's own settings, read the way pip reads them, for the parts of ``-r`` roost does itself.

roost installs pinned requirements without pip, so the settings that change what pip would
install (``constraint``, ``cache-dir``, ``no-cache-dir``) must be honoured from the same
places pip takes them: its configuration files, the ``[global]`` section overridden by the
command's own (``[install]``), and then ``PIP_*`` variables over all files.  The file order
is pip's: the site-wide files, the user's (skipped when ``PIP_CONFIG_FILE`` names a file that
exists), then ``PIP_CONFIG_FILE``; ``PIP_CONFIG_FILE=/dev/null`` means no files at all.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Mapping


def _config_files(env: Mapping[str, str]) -> list[str]:
    chosen = env.get("PIP_CONFIG_FILE")
    if chosen == os.devnull:
        return []
    home = os.path.expanduser("~")
    site_dirs = (env.get("XDG_CONFIG_DIRS") or "/etc/xdg").split(os.pathsep)
    files = [os.path.join(folder, "pip", "pip.conf") for folder in site_dirs if folder] + ["/etc/pip.conf"]
    if not (chosen and os.path.exists(chosen)):
        config_home = env.get("XDG_CONFIG_HOME") or os.path.join(home, ".config")
        files += [os.path.join(home, ".pip", "pip.conf"), os.path.join(config_home, "pip", "pip.conf")]
    if chosen:
        files.append(chosen)
    return files


def pip_settings(env: Mapping[str, str], command: str = "install") -> dict[str, str]:
    """Every setting pip's *command* would see, by its long option name (``constraint``)."""
    import configparser

    settings: dict[str, str] = {}
    for path in _config_files(env):
        parser = configparser.RawConfigParser()
        try:
            parser.read(os.path.expanduser(path), encoding="utf-8")
        except (configparser.Error, UnicodeError, OSError):
            continue  # pip refuses such a file; pip's own run will say so
        for section in ("global", command):
            if parser.has_section(section):
                settings.update((key.replace("_", "-"), value) for key, value in parser.items(section))
    for name, value in env.items():
        if name.startswith("PIP_") and value:
            settings[name[4:].lower().replace("_", "-")] = value
    return settings


def truthy(value: str | None) -> bool:
    """pip's reading of a yes/no setting."""
    return bool(value) and str(value).strip().lower() not in ("0", "false", "no", "off", "")


def constraint_files(env: Mapping[str, str]) -> list[str]:
    """The constraint files pip's configuration adds to every install (absolute paths or URLs)."""
    value = pip_settings(env).get("constraint", "")
    return [path if "://" in path else os.path.abspath(os.path.expanduser(path)) for path in value.split()]
