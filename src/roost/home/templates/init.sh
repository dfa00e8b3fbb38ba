# roost shell-init for bash, zsh and ksh93: virtualenvwrapper's commands as shell functions.
# Load it with:  eval "$(roost shell-init bash)"   or, to start no Python at all when the
# shell starts:  roost shell-init bash > ~/.roost-home.sh  and  . ~/.roost-home.sh
#
# workon, deactivate and the cd/ls helpers run no Python: they source the environment's own
# activate script and virtualenvwrapper's hooks themselves.  Commands that create, copy or
# remove call roost.  Every value below was quoted for POSIX shells by roost.

_roost_home_shell=__ROOST_SHELL__

_roost_home () {
    __ROOST_COMMAND__ home "$@"
}

# WORKON_HOME as virtualenvwrapper_derive_workon_home makes it, and as roost's Python side
# reads it (roost.home.store.derive_workon_home), without starting a process: unset is
# ~/.virtualenvs, '~' and '~user' are expanded, any other relative value is taken from
# $HOME (never the current folder: a literal '~' folder must not appear wherever the
# shell starts), then '//', '.', '..' and a trailing '/' are resolved as os.path.normpath
# does, so comparisons with a path such as $VIRTUAL_ENV's folder hold.  Sets _roost_home_dir.
function _roost_home_derive {
    typeset _roost_home_user _roost_home_rest _roost_home_seg
    # zsh: '~nosuch' stays as it is (as in the other shells and Python), no error
    [ -z "${ZSH_VERSION-}" ] || setopt localoptions nonomatch
    _roost_home_dir=${WORKON_HOME:-$HOME/.virtualenvs}
    case $_roost_home_dir in
        "~" | "~/"*) _roost_home_dir=$HOME${_roost_home_dir#"~"} ;;
        "~"*)
            _roost_home_user=${_roost_home_dir%%/*}
            case ${_roost_home_user#"~"} in
                *[!A-Za-z0-9._-]* | -*) ;;  # not a user name: left as it is (then relative)
                *)
                    _roost_home_rest=${_roost_home_dir#"$_roost_home_user"}
                    # the name holds only [A-Za-z0-9._-]: eval can do nothing but the tilde expansion
                    eval "_roost_home_user=$_roost_home_user"
                    _roost_home_dir=$_roost_home_user$_roost_home_rest
                    ;;
            esac
            ;;
    esac
    case $_roost_home_dir in
        /*) ;;
        *) _roost_home_dir=$HOME/$_roost_home_dir ;;
    esac
    _roost_home_rest=$_roost_home_dir/
    _roost_home_dir=
    while [ -n "$_roost_home_rest" ]; do
        _roost_home_seg=${_roost_home_rest%%/*}
        _roost_home_rest=${_roost_home_rest#*/}
        case $_roost_home_seg in
            '' | .) ;;
            ..) _roost_home_dir=${_roost_home_dir%/*} ;;
            *) _roost_home_dir=$_roost_home_dir/$_roost_home_seg ;;
        esac
    done
    _roost_home_dir=${_roost_home_dir:-/}
}
_roost_home_derive
export WORKON_HOME="$_roost_home_dir"
export VIRTUALENVWRAPPER_HOOK_DIR="${VIRTUALENVWRAPPER_HOOK_DIR:-$WORKON_HOME}"
export VIRTUALENVWRAPPER_PROJECT_FILENAME="${VIRTUALENVWRAPPER_PROJECT_FILENAME:-.project}"
export VIRTUALENVWRAPPER_WORKON_CD="${VIRTUALENVWRAPPER_WORKON_CD:-1}"

# A sourced hook: this shell's own variant (postactivate.zsh) if there is one, else the
# plain file, as virtualenvwrapper sources it.
function _roost_home_source {
    if [ -f "$1.$_roost_home_shell" ]; then
        . "$1.$_roost_home_shell"
    elif [ -f "$1" ]; then
        . "$1"
    fi
}

# A run hook: a program, started from WORKON_HOME with the arguments given.
function _roost_home_run {
    [ -f "$1" ] || return 0
    (
        \cd -- "$WORKON_HOME" 2>/dev/null
        "$@"
    )
}

function _roost_home_cd {
    \cd -- "$1"
}

function _roost_home_check_name {
    case $1 in
        '' | . | .. | -* | .* | */* | *\\* | *:* | *\;* | *[[:cntrl:]]*)
            echo "roost: environment name '$1' is not a plain name (no '/', ':', ';', leading '-' or '.')" >&2
            return 1
            ;;
    esac
}

function _roost_home_require_active {
    if [ -z "${VIRTUAL_ENV-}" ] || [ ! -d "$VIRTUAL_ENV" ]; then
        echo "ERROR: no virtualenv active, or active virtualenv is missing" >&2
        return 1
    fi
}

# The project folder named in the active environment's .project (empty when none).
function _roost_home_project {
    _roost_home_project_dir=
    if [ -f "$VIRTUAL_ENV/$VIRTUALENVWRAPPER_PROJECT_FILENAME" ]; then
        IFS= read -r _roost_home_project_dir <"$VIRTUAL_ENV/$VIRTUALENVWRAPPER_PROJECT_FILENAME"
    fi
    [ -n "$_roost_home_project_dir" ]
}

# The environments' names, one a line (for completion).
function _roost_home_names {
    typeset _roost_home_entry
    # zsh: a glob that matches nothing is an error unless nullglob (local to this function)
    [ -z "${ZSH_VERSION-}" ] || setopt localoptions nullglob
    for _roost_home_entry in "$WORKON_HOME"/*/bin/activate; do
        [ -f "$_roost_home_entry" ] || continue
        _roost_home_entry=${_roost_home_entry%/bin/activate}
        printf '%s\n' "${_roost_home_entry##*/}"
    done
}

# Keep the activate script's deactivate as _roost_home_venv_deactivate, so the wrapper
# below can call it between virtualenvwrapper's deactivate hooks.
function _roost_home_keep_deactivate {
    if [ -n "${ZSH_VERSION-}" ]; then
        eval 'functions[_roost_home_venv_deactivate]=$functions[deactivate]'
        return
    fi
    typeset _roost_home_def
    if [ -n "${BASH_VERSION-}" ]; then
        _roost_home_def=$(declare -f deactivate)
    else
        eval '_roost_home_def=${ typeset -f deactivate; }'  # ksh93: no subshell
    fi
    _roost_home_def=${_roost_home_def#function }
    eval "_roost_home_venv_deactivate ${_roost_home_def#deactivate}"
}

function _roost_home_deactivate {
    typeset _roost_home_old=$VIRTUAL_ENV
    # virtualenvwrapper's order: the project's hook, the environment's, then the global one
    if _roost_home_project; then
        _roost_home_source "$_roost_home_project_dir/.virtualenvwrapper/predeactivate"
    fi
    _roost_home_source "$VIRTUAL_ENV/bin/predeactivate"
    _roost_home_source "$VIRTUALENVWRAPPER_HOOK_DIR/predeactivate"
    _roost_home_venv_deactivate "$@"
    VIRTUALENVWRAPPER_LAST_VIRTUAL_ENV=$WORKON_HOME/${_roost_home_old##*/}
    _roost_home_source "$VIRTUALENVWRAPPER_LAST_VIRTUAL_ENV/bin/postdeactivate"
    _roost_home_source "$VIRTUALENVWRAPPER_HOOK_DIR/postdeactivate"
    unset VIRTUALENVWRAPPER_LAST_VIRTUAL_ENV
    if [ "${1-}" != nondestructive ]; then
        unset -f _roost_home_venv_deactivate deactivate >/dev/null 2>&1
        # mktmpenv's environment goes once it is left (WORKON_HOME normalised as at start-up:
        # a trailing '/' set since must not keep it)
        _roost_home_derive
        if [ -f "$_roost_home_old/README.tmpenv" ] && [ "${_roost_home_old%/*}" = "$_roost_home_dir" ]; then
            echo "Removing temporary environment: ${_roost_home_old##*/}"
            rmvirtualenv "${_roost_home_old##*/}"
        fi
    fi
}

function workon {
    typeset _roost_home_cd_after=$VIRTUALENVWRAPPER_WORKON_CD _roost_home_name= _roost_home_arg _roost_home_env
    for _roost_home_arg in "$@"; do
        case $_roost_home_arg in
            -h | --help)
                echo "Usage: workon [-c|--cd] [-n|--no-cd] [NAME|.]  (no NAME: list the environments)"
                return 0
                ;;
            -n | --no-cd) _roost_home_cd_after=0 ;;
            -c | --cd) _roost_home_cd_after=1 ;;
            *) [ -n "$_roost_home_name" ] || _roost_home_name=$_roost_home_arg ;;
        esac
    done
    if [ -z "$_roost_home_name" ]; then
        lsvirtualenv -b
        return 1
    fi
    [ "$_roost_home_name" != . ] || _roost_home_name=${PWD##*/}
    _roost_home_check_name "$_roost_home_name" || return 1
    _roost_home_env=$WORKON_HOME/$_roost_home_name
    if [ ! -d "$_roost_home_env" ]; then
        echo "ERROR: Environment '$_roost_home_name' does not exist. Create it with 'mkvirtualenv $_roost_home_name'." >&2
        return 1
    fi
    if [ ! -f "$_roost_home_env/bin/activate" ]; then
        echo "ERROR: Environment '$_roost_home_env' does not contain an activate script." >&2
        return 1
    fi
    # Leave the environment workon entered, with its hooks (a plain activation is undone
    # by the activate script itself).  Only a deactivate that is still a function: an
    # activate script sourced since may have replaced ours, and its deactivate removes
    # itself, so the name may now find a program on PATH (pyenv ships one).
    if typeset -f _roost_home_venv_deactivate >/dev/null 2>&1; then
        if typeset -f deactivate >/dev/null 2>&1; then
            deactivate
        else
            unset -f _roost_home_venv_deactivate
        fi
    fi
    _roost_home_run "$VIRTUALENVWRAPPER_HOOK_DIR/preactivate" "$_roost_home_name"
    _roost_home_run "$_roost_home_env/bin/preactivate" "$_roost_home_name"
    . "$_roost_home_env/bin/activate" || return 1
    _roost_home_keep_deactivate
    function deactivate {
        _roost_home_deactivate "$@"
    }
    if _roost_home_project; then
        if [ "$_roost_home_cd_after" = 1 ]; then
            _roost_home_cd "$_roost_home_project_dir"
        fi
        _roost_home_source "$_roost_home_project_dir/.virtualenvwrapper/postactivate"
    fi
    _roost_home_source "$VIRTUALENVWRAPPER_HOOK_DIR/postactivate"
    _roost_home_source "$VIRTUAL_ENV/bin/postactivate"
    return 0
}

# The NAME `roost home new` will use: the first argument, or the last when the first is an
# option; -a, -i and -r take a value.
function _roost_home_new_name {
    typeset _roost_home_arg _roost_home_skip= _roost_home_first= _roost_home_last=
    for _roost_home_arg in "$@"; do
        if [ -n "$_roost_home_skip" ]; then
            _roost_home_skip=
            continue
        fi
        case $_roost_home_arg in
            -a | -i | -r) _roost_home_skip=1 ;;
            *)
                [ -n "$_roost_home_first" ] || _roost_home_first=$_roost_home_arg
                _roost_home_last=$_roost_home_arg
                ;;
        esac
    done
    case $_roost_home_first in
        -*) _roost_home_new_env=$_roost_home_last ;;
        *) _roost_home_new_env=$_roost_home_first ;;
    esac
}

function mkvirtualenv {
    case ${1-} in
        -h | --help)
            echo "Usage: mkvirtualenv [-a project_path] [-i package] [-r requirements_file] [roost options] env_name"
            return 0
            ;;
    esac
    _roost_home_new_name "$@"
    _roost_home new "$@" || return
    workon "$_roost_home_new_env" || return
    _roost_home_source "$VIRTUALENVWRAPPER_HOOK_DIR/postmkvirtualenv"
}

function mkproject {
    _roost_home_new_name "$@"
    _roost_home project new "$@" || return
    workon --cd "$_roost_home_new_env" || return
    _roost_home_source "$VIRTUALENVWRAPPER_HOOK_DIR/postmkvirtualenv"
    _roost_home_source "$VIRTUALENVWRAPPER_HOOK_DIR/postmkproject"
}

function mktmpenv {
    typeset _roost_home_tmp_cd=$VIRTUALENVWRAPPER_WORKON_CD _roost_home_tmp
    case ${1-} in
        -n | --no-cd) _roost_home_tmp_cd=0; shift ;;
        -c | --cd) _roost_home_tmp_cd=1; shift ;;
    esac
    _roost_home_tmp=tmp-$$-$RANDOM$RANDOM
    _roost_home new "$@" "$_roost_home_tmp" || return
    workon -n "$_roost_home_tmp" || return
    _roost_home_source "$VIRTUALENVWRAPPER_HOOK_DIR/postmkvirtualenv"
    [ "$_roost_home_tmp_cd" != 1 ] || _roost_home_cd "$VIRTUAL_ENV"
    echo "This is a temporary environment. It will be deleted when you run 'deactivate'." | tee "$VIRTUAL_ENV/README.tmpenv"
}

function lsvirtualenv {
    case ${1-} in
        -b) _roost_home ls --brief ;;
        -l | '') _roost_home ls --long ;;
        *)
            echo "Usage: lsvirtualenv [-b|-l]" >&2
            return 1
            ;;
    esac
}

function showvirtualenv {
    typeset _roost_home_name=${1-}
    if [ -z "$_roost_home_name" ]; then
        [ -n "${VIRTUAL_ENV-}" ] || {
            echo "showvirtualenv [env]"
            return 1
        }
        _roost_home_name=${VIRTUAL_ENV##*/}
    fi
    _roost_home show "$_roost_home_name"
}

function rmvirtualenv {
    typeset _roost_home_prior=$PWD _roost_home_rc
    if [ $# = 0 ]; then
        echo "Please specify an environment." >&2
        return 1
    fi
    # out of the folder in case it is inside the environment
    _roost_home_cd "$WORKON_HOME" 2>/dev/null
    _roost_home rm "$@"
    _roost_home_rc=$?
    [ ! -d "$_roost_home_prior" ] || _roost_home_cd "$_roost_home_prior"
    return $_roost_home_rc
}

# The name `roost home cp SRC [DEST]` gives the copy: DEST, else SRC's last path part (SRC
# may be the path of an environment outside the home).  Sets _roost_home_target.
function _roost_home_cp_name {
    if [ $# -ge 2 ]; then
        _roost_home_target=$2
        return
    fi
    _roost_home_target=${1-}
    while :; do
        case $_roost_home_target in
            */) _roost_home_target=${_roost_home_target%/} ;;
            *) break ;;
        esac
    done
    _roost_home_target=${_roost_home_target##*/}
}

function cpvirtualenv {
    _roost_home_cp_name "$@"  # (a global: ksh93's typeset in a function is not seen by the functions it calls)
    _roost_home cp "$@" || return
    workon "$_roost_home_target" || return
    _roost_home_source "$VIRTUALENVWRAPPER_HOOK_DIR/postmkvirtualenv"
    _roost_home_source "$VIRTUALENVWRAPPER_HOOK_DIR/postcpvirtualenv"
}

# Each environment once, whatever its name holds (a glob, not the split output of a
# command); the command runs only where the activation worked.
function allvirtualenv {
    typeset _roost_home_entry _roost_home_name
    [ -z "${ZSH_VERSION-}" ] || setopt localoptions nullglob
    for _roost_home_entry in "$WORKON_HOME"/*/bin/activate; do
        [ -f "$_roost_home_entry" ] || continue
        _roost_home_name=${_roost_home_entry%/bin/activate}
        _roost_home_name=${_roost_home_name##*/}
        printf '%s\n' "$_roost_home_name"
        printf '%s\n' "$_roost_home_name" | sed 's/./=/g'
        (
            if ! . "$_roost_home_entry" || ! _roost_home_cd "$VIRTUAL_ENV"; then
                printf '%s\n' "allvirtualenv: could not activate $_roost_home_name, skipped" >&2
                exit 1
            fi
            "$@"
        )
        echo
    done
}

function cdvirtualenv {
    _roost_home_require_active || return 1
    _roost_home_cd "$VIRTUAL_ENV/${1-}"
}

function _roost_home_site_packages {
    _roost_home_require_active || return 1
    _roost_home_sp=$(_roost_home site-packages "$VIRTUAL_ENV") || return 1
}

function cdsitepackages {
    _roost_home_site_packages || return 1
    _roost_home_cd "$_roost_home_sp/${1-}"
}

function lssitepackages {
    _roost_home_site_packages || return 1
    ls "$@" "$_roost_home_sp"
    if [ -f "$_roost_home_sp/_virtualenv_path_extensions.pth" ]; then
        echo
        echo "_virtualenv_path_extensions.pth:"
        cat "$_roost_home_sp/_virtualenv_path_extensions.pth"
    fi
}

function add2virtualenv {
    _roost_home_require_active || return 1
    if [ "${1-}" = -d ]; then
        shift
        _roost_home add -d "$VIRTUAL_ENV" "$@"
    else
        _roost_home add "$VIRTUAL_ENV" "$@"
    fi
}

function setvirtualenvproject {
    typeset _roost_home_venv=${1:-${VIRTUAL_ENV-}} _roost_home_prj=${2:-$PWD}
    if [ -z "$_roost_home_venv" ]; then
        echo "setvirtualenvproject [env [project_dir]]: no environment given or active" >&2
        return 1
    fi
    _roost_home project set "$_roost_home_venv" "$_roost_home_prj"
}

function cdproject {
    _roost_home_require_active || return 1
    if _roost_home_project; then
        _roost_home_cd "$_roost_home_project_dir"
    else
        echo "No project set in $VIRTUAL_ENV/$VIRTUALENVWRAPPER_PROJECT_FILENAME" >&2
        return 1
    fi
}

function wipeenv {
    _roost_home_require_active || return 1
    _roost_home wipe "$VIRTUAL_ENV"
}

function toggleglobalsitepackages {
    _roost_home_require_active || return 1
    _roost_home global-site-packages "$VIRTUAL_ENV" toggle
}

# Completion of environment names (folders only for the cd helpers).
if [ -n "${BASH_VERSION-}" ]; then
    # Each name goes into the line quoted (printf %q, as zsh and fish quote theirs): a
    # name is any text but '/', and must not run as code or split into words on Enter.
    _roost_home_complete () {
        COMPREPLY=()
        typeset _roost_home_name _roost_home_quoted _roost_home_typed=${COMP_WORDS[COMP_CWORD]}
        while IFS= read -r _roost_home_name; do
            printf -v _roost_home_quoted %q "$_roost_home_name"
            case $_roost_home_name in
                "$_roost_home_typed"*) COMPREPLY+=("$_roost_home_quoted") ;;
                *)
                    # what is typed may already be quoted (a\ b): compare it to the quoted name
                    case $_roost_home_quoted in
                        "$_roost_home_typed"*) COMPREPLY+=("$_roost_home_quoted") ;;
                    esac
                    ;;
            esac
        done < <(_roost_home_names)
    }
    complete -o default -o nospace -F _roost_home_complete workon rmvirtualenv cpvirtualenv showvirtualenv
elif [ -n "${ZSH_VERSION-}" ]; then
    eval '_roost_home_complete () { reply=(${(f)"$(_roost_home_names)"}); }'
    compctl -K _roost_home_complete workon rmvirtualenv cpvirtualenv showvirtualenv 2>/dev/null
fi

[ -d "$WORKON_HOME" ] || mkdir -p -- "$WORKON_HOME"
_roost_home_source "$VIRTUALENVWRAPPER_HOOK_DIR/initialize"
