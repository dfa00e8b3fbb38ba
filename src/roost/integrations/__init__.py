"""Plugins that let other tools make their environments with roost (pdm, hatch).

Each module is loaded only by its tool, through the tool's own plugin entry point; nothing
in roost imports them.  They add a choice (pdm's ``venv.backend = roost``, hatch's
``type = "roost"``) and change no default, which is why they ship inside roost rather
than as distributions of their own (tox's plugin, which becomes tox's default runner once
installed, is the separate ``tox-roost``).
"""
