# Activates this roost environment in xonsh.
# Source it, do not run it:      source bin/activate.xsh
# Leave the environment with:    deactivate
#
# xonsh shows the environment in its own {env_name} prompt field, which reads
# VIRTUAL_ENV_PROMPT; this file does not touch $PROMPT.
#
# Written by roost: every value below is a Python string literal.


def _roost_activate(script):
    import os

    venv = __ROOST_VIRTUAL_ENV__
    bin_name = __ROOST_BIN_NAME__
    up = __ROOST_UP__
    prompt = __ROOST_PROMPT__

    # this file's own folder wins when the environment was moved or copied, if
    # that folder is in an environment (not where a link to this file lives)
    here = os.path.dirname(os.path.abspath(script))
    try:
        moved = not os.path.samefile(here, os.path.join(venv, bin_name))
    except OSError:
        moved = True
    if moved and os.path.isfile(os.path.join(here, up, "pyvenv.cfg")):
        venv = os.path.normpath(os.path.join(here, up))

    env = __xonsh__.env
    unset = object()

    # undo an earlier activation first so that one deactivate restores the shell
    earlier = getattr(__xonsh__, "_roost_deactivate", None)
    if earlier is not None:
        earlier(["nondestructive"])

    names = ("PATH", "PYTHONHOME", "VIRTUAL_ENV", "VIRTUAL_ENV_PROMPT")
    saved = {name: (list(env[name]) if name == "PATH" else env[name]) if name in env else unset for name in names}

    def deactivate(args=None):
        for name, value in saved.items():
            if value is unset:
                env.pop(name, None)
            else:
                env[name] = value
        __xonsh__._roost_deactivate = None
        if not args or args[0] != "nondestructive":
            aliases.pop("deactivate", None)
            aliases.pop("pydoc", None)

    env["PATH"] = [os.path.join(venv, bin_name), *env["PATH"]]
    env.pop("PYTHONHOME", None)
    env["VIRTUAL_ENV"] = venv
    env["VIRTUAL_ENV_PROMPT"] = prompt
    __xonsh__._roost_deactivate = deactivate
    aliases["deactivate"] = deactivate
    aliases["pydoc"] = ["python", "-m", "pydoc"]


_roost_activate(__file__)
del _roost_activate
