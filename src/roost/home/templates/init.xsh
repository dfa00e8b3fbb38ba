# roost shell-init for xonsh: virtualenvwrapper's commands as xonsh aliases.
# Load it with:  execx($(roost shell-init xonsh))   or, to start no extra process when
# xonsh starts:  roost shell-init xonsh > ~/.roost-home.xsh  and in ~/.xonshrc:
#   source ~/.roost-home.xsh
#
# workon and deactivate source the environment's activate.xsh and the hooks themselves;
# sourced hooks are the xonsh variants (postactivate.xsh, ...), run hooks are programs.
# Every value below is a Python string literal written by roost.


def _roost_home_setup():
    import os
    import subprocess

    command = [__ROOST_COMMAND_WORDS__]
    env = __xonsh__.env

    def derive_home():
        # WORKON_HOME as virtualenvwrapper_derive_workon_home makes it, and as roost's Python
        # side reads it (roost.home.store.derive_workon_home, whose rules these repeat):
        # '~' and '~user' expanded, other relative values taken from $HOME (never the
        # current folder), normalised, so comparisons with $VIRTUAL_ENV's folder hold.
        user_home = env.get("HOME") or os.path.expanduser("~")
        raw = env.get("WORKON_HOME") or os.path.join(user_home, ".virtualenvs")
        if raw == "~" or raw.startswith("~/"):
            raw = user_home + raw[1:]
        elif raw.startswith("~"):
            raw = os.path.expanduser(raw)
        return os.path.normpath(os.path.join(user_home, raw))

    env["WORKON_HOME"] = derive_home()
    env.setdefault("VIRTUALENVWRAPPER_HOOK_DIR", env["WORKON_HOME"])
    env.setdefault("VIRTUALENVWRAPPER_PROJECT_FILENAME", ".project")
    env.setdefault("VIRTUALENVWRAPPER_WORKON_CD", "1")
    state = {"original": None}

    def home():
        return env["WORKON_HOME"]

    def roost(*args):
        return subprocess.call([*command, "home", *args], env=env.detype())

    def source(hook):
        if os.path.isfile(hook + ".xsh"):
            aliases["source"]([hook + ".xsh"])

    def run(hook, *args):
        if os.path.isfile(hook):
            try:
                subprocess.call([hook, *args], cwd=home(), env=env.detype())
            except OSError as exc:
                print(f"could not run {hook}: {exc.strerror}", file=sys.stderr)

    import sys

    def err(message):
        print(message, file=sys.stderr)
        return 1

    def bad_name(name):
        return (
            not name
            or name[0] in "-."
            or any(c in "/\\:;" or ord(c) < 32 or ord(c) == 127 for c in name)
        )

    def active():
        venv = env.get("VIRTUAL_ENV", "")
        return venv if venv and os.path.isdir(venv) else None

    def project_dir():
        venv = env.get("VIRTUAL_ENV", "")
        try:
            with open(os.path.join(venv, env["VIRTUALENVWRAPPER_PROJECT_FILENAME"]), encoding="utf-8") as handle:
                return handle.readline().rstrip("\n") or None
        except OSError:
            return None

    def names():
        try:
            entries = sorted(os.listdir(home()))
        except OSError:
            return []
        return [n for n in entries if os.path.isfile(os.path.join(home(), n, "bin", "activate"))]

    def deactivate(args=None):
        old = env.get("VIRTUAL_ENV", "")
        project = project_dir()
        if project:
            source(os.path.join(project, ".virtualenvwrapper", "predeactivate"))
        source(os.path.join(old, "bin", "predeactivate"))
        source(os.path.join(env["VIRTUALENVWRAPPER_HOOK_DIR"], "predeactivate"))
        original = state["original"]
        if original is not None:
            original(args)
        env["VIRTUALENVWRAPPER_LAST_VIRTUAL_ENV"] = os.path.join(home(), os.path.basename(old))
        source(os.path.join(env["VIRTUALENVWRAPPER_LAST_VIRTUAL_ENV"], "bin", "postdeactivate"))
        source(os.path.join(env["VIRTUALENVWRAPPER_HOOK_DIR"], "postdeactivate"))
        env.pop("VIRTUALENVWRAPPER_LAST_VIRTUAL_ENV", None)
        if not args or args[0] != "nondestructive":
            state["original"] = None
            aliases.pop("deactivate", None)
            # (WORKON_HOME normalised as at start-up: a trailing '/' set since must not keep it)
            if os.path.isfile(os.path.join(old, "README.tmpenv")) and os.path.dirname(old) == derive_home():
                print("Removing temporary environment:", os.path.basename(old))
                if (os.getcwd() + os.sep).startswith(old + os.sep):
                    cd(home())
                rmvirtualenv([os.path.basename(old)])

    def workon(args):
        cd_after = env["VIRTUALENVWRAPPER_WORKON_CD"]
        name = None
        for arg in args:
            if arg in ("-h", "--help"):
                print("Usage: workon [-c|--cd] [-n|--no-cd] [NAME|.]  (no NAME: list the environments)")
                return 0
            if arg in ("-n", "--no-cd"):
                cd_after = "0"
            elif arg in ("-c", "--cd"):
                cd_after = "1"
            elif name is None:
                name = arg
        if name is None:
            lsvirtualenv(["-b"])
            return 1
        if name == ".":
            name = os.path.basename(os.getcwd())
        if bad_name(name):
            return err(f"roost: environment name {name!r} is not a plain name (no '/', ':', ';', leading '-' or '.')")
        venv = os.path.join(home(), name)
        if not os.path.isdir(venv):
            return err(f"ERROR: Environment '{name}' does not exist. Create it with 'mkvirtualenv {name}'.")
        if not os.path.isfile(os.path.join(venv, "bin", "activate.xsh")):
            return err(f"ERROR: Environment '{venv}' does not contain an activate.xsh script.")
        if state["original"] is not None:
            deactivate()
        run(os.path.join(env["VIRTUALENVWRAPPER_HOOK_DIR"], "preactivate"), name)
        run(os.path.join(venv, "bin", "preactivate"), name)
        aliases["source"]([os.path.join(venv, "bin", "activate.xsh")])
        original = aliases.get("deactivate")
        if isinstance(original, list) and len(original) == 1 and callable(original[0]):
            original = original[0]  # xonsh keeps a function alias wrapped in a list
        state["original"] = original if callable(original) else None
        aliases["deactivate"] = deactivate
        project = project_dir()
        if project:
            if cd_after == "1":
                os.chdir(project)
                env["PWD"] = project
            source(os.path.join(project, ".virtualenvwrapper", "postactivate"))
        source(os.path.join(env["VIRTUALENVWRAPPER_HOOK_DIR"], "postactivate"))
        source(os.path.join(venv, "bin", "postactivate"))
        return 0

    def new_name(args):
        rest, skip = [], False
        for arg in args:
            if skip:
                skip = False
            elif arg in ("-a", "-i", "-r"):
                skip = True
            else:
                rest.append(arg)
        return (rest[-1] if rest[0].startswith("-") else rest[0]) if rest else ""

    def mkvirtualenv(args):
        if roost("new", *args):
            return 1
        if workon([new_name(args)]):
            return 1
        source(os.path.join(env["VIRTUALENVWRAPPER_HOOK_DIR"], "postmkvirtualenv"))
        return 0

    def mkproject(args):
        if roost("project", "new", *args) or workon(["--cd", new_name(args)]):
            return 1
        source(os.path.join(env["VIRTUALENVWRAPPER_HOOK_DIR"], "postmkvirtualenv"))
        source(os.path.join(env["VIRTUALENVWRAPPER_HOOK_DIR"], "postmkproject"))
        return 0

    def mktmpenv(args):
        args = list(args)
        cd_after = env["VIRTUALENVWRAPPER_WORKON_CD"]
        if args and args[0] in ("-n", "--no-cd", "-c", "--cd"):
            cd_after = "1" if args.pop(0) in ("-c", "--cd") else "0"
        name = "tmp-" + os.urandom(6).hex()
        if roost("new", *args, name) or workon(["-n", name]):
            return 1
        source(os.path.join(env["VIRTUALENVWRAPPER_HOOK_DIR"], "postmkvirtualenv"))
        if cd_after == "1":
            os.chdir(env["VIRTUAL_ENV"])
            env["PWD"] = env["VIRTUAL_ENV"]
        message = "This is a temporary environment. It will be deleted when you run 'deactivate'."
        with open(os.path.join(env["VIRTUAL_ENV"], "README.tmpenv"), "w", encoding="utf-8") as handle:
            handle.write(message + "\n")
        print(message)
        return 0

    def lsvirtualenv(args):
        mode = args[0] if args else "-l"
        if mode not in ("-b", "-l"):
            return err("Usage: lsvirtualenv [-b|-l]")
        return roost("ls", "--brief" if mode == "-b" else "--long")

    def showvirtualenv(args):
        name = args[0] if args else os.path.basename(env.get("VIRTUAL_ENV", ""))
        if not name:
            return err("showvirtualenv [env]")
        return roost("show", name)

    def rmvirtualenv(args):
        if not args:
            return err("Please specify an environment.")
        return roost("rm", *args)

    def cpvirtualenv(args):
        # the copy's name: DEST, else SRC's last path part (SRC may be a path outside the home)
        target = args[1] if len(args) >= 2 else os.path.basename(args[0].rstrip("/")) if args else ""
        if roost("cp", *args) or workon([target]):
            return 1
        source(os.path.join(env["VIRTUALENVWRAPPER_HOOK_DIR"], "postmkvirtualenv"))
        source(os.path.join(env["VIRTUALENVWRAPPER_HOOK_DIR"], "postcpvirtualenv"))
        return 0

    def allvirtualenv(args):
        worst = 0
        for name in names():
            print(name)
            print("=" * len(name))
            worst = roost("run", name, "--", *args) or worst
            print()
        return worst

    def need_active():
        if active() is None:
            err("ERROR: no virtualenv active, or active virtualenv is missing")
            return False
        return True

    def cd(folder):
        os.chdir(folder)
        env["PWD"] = os.getcwd()
        return 0

    def cdvirtualenv(args):
        return cd(os.path.join(env["VIRTUAL_ENV"], *args[:1])) if need_active() else 1

    def site_packages():
        out = subprocess.run([*command, "home", "site-packages", env["VIRTUAL_ENV"]], env=env.detype(), capture_output=True, text=True)
        if out.returncode:
            err(out.stderr.strip())
            return None
        return out.stdout.rstrip("\n")

    def cdsitepackages(args):
        folder = site_packages() if need_active() else None
        return cd(os.path.join(folder, *args[:1])) if folder else 1

    def lssitepackages(args):
        folder = site_packages() if need_active() else None
        if not folder:
            return 1
        subprocess.call(["ls", *args, folder])
        pth = os.path.join(folder, "_virtualenv_path_extensions.pth")
        if os.path.isfile(pth):
            print("\n_virtualenv_path_extensions.pth:")
            with open(pth, encoding="utf-8") as handle:
                print(handle.read(), end="")
        return 0

    def add2virtualenv(args):
        if not need_active():
            return 1
        if args and args[0] == "-d":
            return roost("add", "-d", env["VIRTUAL_ENV"], *args[1:])
        return roost("add", env["VIRTUAL_ENV"], *args)

    def setvirtualenvproject(args):
        venv = args[0] if args else env.get("VIRTUAL_ENV", "")
        if not venv:
            return err("setvirtualenvproject [env [project_dir]]: no environment given or active")
        return roost("project", "set", venv, args[1] if len(args) > 1 else os.getcwd())

    def cdproject(args):
        if not need_active():
            return 1
        project = project_dir()
        if not project:
            return err(f"No project set in {env['VIRTUAL_ENV']}/{env['VIRTUALENVWRAPPER_PROJECT_FILENAME']}")
        return cd(project)

    def wipeenv(args):
        return roost("wipe", env["VIRTUAL_ENV"]) if need_active() else 1

    def toggleglobalsitepackages(args):
        return roost("global-site-packages", env["VIRTUAL_ENV"], "toggle") if need_active() else 1

    for function in (
        workon, mkvirtualenv, mkproject, mktmpenv, lsvirtualenv, showvirtualenv, rmvirtualenv, cpvirtualenv,
        allvirtualenv, cdvirtualenv, cdsitepackages, lssitepackages, add2virtualenv, setvirtualenvproject,
        cdproject, wipeenv, toggleglobalsitepackages,
    ):
        aliases[function.__name__] = function

    def complete_names(command):
        # contextual_command_completer hands over the CommandContext itself (not the whole
        # CompletionContext), and only when a command is being completed
        if command.arg_index >= 1 and command.args and command.args[0].value in (
            "workon", "rmvirtualenv", "cpvirtualenv", "showvirtualenv"
        ):
            return {n for n in names() if n.startswith(command.prefix)}
        return None

    try:
        from xonsh.completers.completer import add_one_completer
        from xonsh.completers.tools import contextual_command_completer

        add_one_completer("roost_home", contextual_command_completer(complete_names), "start")
    except ImportError:  # an older xonsh: names are not completed
        pass

    os.makedirs(home(), exist_ok=True)
    source(os.path.join(env["VIRTUALENVWRAPPER_HOOK_DIR"], "initialize"))
    return names


_roost_home_names = _roost_home_setup()
del _roost_home_setup
