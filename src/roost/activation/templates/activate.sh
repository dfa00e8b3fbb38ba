# Activates this roost environment in sh, bash, zsh, ksh, dash or mksh.
# Source it, do not run it:      . bin/activate
# Leave the environment with:    deactivate
#
# Written by roost: every value below was quoted for POSIX shells when the
# environment was created.

if [ "${BASH_SOURCE-}" = "$0" ]; then
    echo "roost: source this file instead of running it: . $0" >&2
    exit 33
fi

# Undo an earlier activation first (ours or another tool's), so that the state
# saved below is the shell's own and one deactivate brings it back.
case $(type deactivate 2>/dev/null) in
    *function*) deactivate nondestructive ;;
esac

# Keeps NAME's value, or the fact that it was unset, in _ROOST_OLD_NAME.
# Only the fixed variable name is spliced into eval, never a value.
_roost_save () {
    if eval "[ -n \"\${$1+x}\" ]"; then
        eval "_ROOST_OLD_$1=s\$$1"
    else
        eval "_ROOST_OLD_$1=u"
    fi
}

_roost_restore () {
    eval "_roost_saved=\${_ROOST_OLD_$1-}"
    case $_roost_saved in
        s*) eval "$1=\${_roost_saved#s}"; export "$1" ;;
        u) unset "$1" ;;
    esac
    unset "_ROOST_OLD_$1" _roost_saved
}

deactivate () {
    for _roost_name in PATH PYTHONHOME VIRTUAL_ENV VIRTUAL_ENV_PROMPT; do
        _roost_restore "$_roost_name"
    done
    # PS1 is restored without export: it was a plain shell variable
    if [ -n "${_ROOST_OLD_PS1-}" ]; then
        case $_ROOST_OLD_PS1 in
            s*) PS1=${_ROOST_OLD_PS1#s} ;;
            u) unset PS1 ;;
        esac
        unset _ROOST_OLD_PS1
    fi
    unset _roost_name _ROOST_PS1
    # forget where commands were found while the environment was on PATH
    hash -r 2>/dev/null
    if [ "${1-}" != nondestructive ]; then
        unset -f deactivate pydoc _roost_restore
    fi
}

_roost_env=__ROOST_VIRTUAL_ENV__
_roost_bin_name=__ROOST_BIN_NAME__
_roost_up=__ROOST_UP__

# Where is this file?  bash, zsh and ksh93 can tell; dash, mksh and other
# shells cannot, and use the path written above.
_roost_src=
if [ -n "${ZSH_VERSION-}" ]; then
    # $0 is exact; %x shows control characters (a newline) escaped
    eval 'if [[ -o function_argzero ]]; then _roost_src=$0; else _roost_src=${(%):-%x}; fi'
elif [ -n "${BASH_VERSION-}" ]; then
    eval '_roost_src=${BASH_SOURCE[0]}'
else
    case ${KSH_VERSION-} in
        *" 93"*) eval '_roost_src=${.sh.file}' ;;
    esac
fi
if [ -n "$_roost_src" ]; then
    case $_roost_src in
        */*) _roost_here=${_roost_src%/*}; [ -n "$_roost_here" ] || _roost_here=/ ;;
        *) _roost_here=. ;;
    esac
    # "./" keeps a relative path away from CDPATH and from looking like an option
    case $_roost_here in
        /*) ;;
        *) _roost_here=./$_roost_here ;;
    esac
    if ! [ "$_roost_here" -ef "$_roost_env/$_roost_bin_name" ]; then
        # The environment was moved or copied: trust this file's own place.
        # The trailing "x" keeps newlines at the end of the path.
        _roost_here=$(cd "$_roost_here/$_roost_up" >/dev/null 2>&1 && pwd && echo x)
        if [ -n "$_roost_here" ]; then
            _roost_env=${_roost_here%?x}
        fi
    fi
fi

# Git Bash, MSYS2 and Cygwin want /c/... paths: a C:\ path would split PATH at its colon
case ${OSTYPE-} in
    cygwin* | msys*)
        if command -v cygpath >/dev/null 2>&1; then
            _roost_env=$(cygpath -u "$_roost_env" && echo x)
            _roost_env=${_roost_env%?x}
        fi
        ;;
esac

_roost_save PATH
_roost_save PYTHONHOME
_roost_save VIRTUAL_ENV
_roost_save VIRTUAL_ENV_PROMPT

VIRTUAL_ENV=$_roost_env
export VIRTUAL_ENV
VIRTUAL_ENV_PROMPT=__ROOST_PROMPT__
export VIRTUAL_ENV_PROMPT
PATH=$VIRTUAL_ENV/$_roost_bin_name${PATH:+:$PATH}
export PATH
unset PYTHONHOME

if [ -z "${VIRTUAL_ENV_DISABLE_PROMPT-}" ]; then
    _roost_save PS1
    # Prompts are expanded again each time they are shown, so the prompt text
    # must never be pasted into PS1 where it could be read as code.  Shells that
    # expand $... in PS1 get a reference to VIRTUAL_ENV_PROMPT (an expanded value
    # is not expanded again); the others get the text with their escapes undone.
    if [ -n "${ZSH_VERSION-}" ]; then
        eval '
        _ROOST_PS1=${VIRTUAL_ENV_PROMPT//\%/%%}
        if [[ -o promptbang ]]; then _ROOST_PS1=${_ROOST_PS1//!/!!}; fi
        if [[ -o promptsubst ]]; then
            PS1="(\${_ROOST_PS1}) ${PS1-}"
        else
            PS1="($_ROOST_PS1) ${PS1-}"
            unset _ROOST_PS1
        fi'
    elif [ -n "${BASH_VERSION-}" ]; then
        if shopt -q promptvars || shopt -qo posix; then
            PS1='(${VIRTUAL_ENV_PROMPT}) '"${PS1-}"
        else
            # only backslash escapes are decoded
            eval 'PS1="(${VIRTUAL_ENV_PROMPT//\\/\\\\}) ${PS1-}"'
        fi
    else
        case ${KSH_VERSION-} in
            # ksh93 turns "!" into the history number even in expanded values
            *" 93"*) PS1='(${VIRTUAL_ENV_PROMPT//!/!!}) '"${PS1-}" ;;
            *) PS1='(${VIRTUAL_ENV_PROMPT}) '"${PS1-}" ;;
        esac
    fi
fi

pydoc () {
    python -m pydoc "$@"
}

unset _roost_env _roost_bin_name _roost_up _roost_src _roost_here
unset -f _roost_save

# forget where commands were found before the environment was on PATH
hash -r 2>/dev/null
