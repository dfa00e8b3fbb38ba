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

# Keeps NAME for deactivate: its value in _OLD_VIRTUAL_NAME, the names venv and
# virtualenv use (so their scripts, sourced on top of this one, undo it first),
# or, when NAME was unset, NAME in _ROOST_UNSET.  Only the fixed variable name
# is spliced into eval, never a value.
_roost_save () {
    if eval "[ -n \"\${$1+x}\" ]"; then
        eval "_OLD_VIRTUAL_$1=\$$1"
    else
        unset "_OLD_VIRTUAL_$1"
        _ROOST_UNSET="${_ROOST_UNSET-} $1 "
    fi
}

# Puts NAME back as _roost_save found it; a NAME it has no record of stays as it is.
_roost_restore () {
    if eval "[ -n \"\${_OLD_VIRTUAL_$1+x}\" ]"; then
        eval "$1=\$_OLD_VIRTUAL_$1"
        unset "_OLD_VIRTUAL_$1"
        [ "$1" = PS1 ] || export "$1"  # PS1 was a plain shell variable
    else
        case ${_ROOST_UNSET-} in
            *" $1 "*) unset "$1" ;;
        esac
    fi
}

deactivate () {
    for _roost_name in PATH PYTHONHOME VIRTUAL_ENV VIRTUAL_ENV_PROMPT PS1; do
        _roost_restore "$_roost_name"
    done
    if [ -n "${_ROOST_PSVAR+x}" ]; then
        # zsh: the prompt text was lent to psvar (see below)
        eval 'psvar=("${_ROOST_PSVAR[@]}")'
        unset _ROOST_PSVAR
    fi
    unset _roost_name _ROOST_UNSET
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
    eval 'if [[ -o function_argzero && ! -o posix_argzero ]]; then _roost_src=$0; else _roost_src=${(%):-%x}; fi'
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
    # The environment was moved or copied: trust this file's own place, if it is
    # in an environment (a link to this file elsewhere, or a file read from a
    # pipe or through eval, says nothing about where the environment is).
    if ! [ "$_roost_here" -ef "$_roost_env/$_roost_bin_name" ] && [ -f "$_roost_here/$_roost_up/pyvenv.cfg" ]; then
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

if ! [ -d "$_roost_env/$_roost_bin_name" ]; then
    # moved, and this shell cannot tell where to: say so rather than activate nothing
    printf 'roost: %s was moved or removed; source this script in bash, zsh, ksh93 or fish, or create the environment again\n' "$_roost_env" >&2
    unset _roost_env _roost_bin_name _roost_up _roost_src _roost_here
    unset -f deactivate _roost_save _roost_restore
    return 1 2>/dev/null || exit 1
fi

_ROOST_UNSET=
unset _OLD_VIRTUAL_PS1 _ROOST_PSVAR  # a stale copy must not come back on deactivate
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
    # Prompts are expanded again each time they are shown, and the options that
    # say how (zsh PROMPT_SUBST, bash promptvars) may change after this: the
    # prompt text must never be in PS1 where any setting could read it as code.
    if [ -n "${ZSH_VERSION-}" ]; then
        # zsh shows a psvar entry (%9v) as data under every option
        eval '
        _ROOST_PSVAR=("${psvar[@]}")
        psvar[9]=$VIRTUAL_ENV_PROMPT
        if [[ -o ksharrays ]]; then
            PS1="(%10v) ${PS1-}"
        else
            PS1="(%9v) ${PS1-}"
        fi'
    elif [ -n "${BASH_VERSION-}" ]; then
        if shopt -q promptvars || shopt -qo posix; then
            # an expanded value is not expanded again
            PS1='(${VIRTUAL_ENV_PROMPT}) '"${PS1-}"
        else
            case $VIRTUAL_ENV_PROMPT in
                *[\$\`]*)
                    # Pasted, escaped for both passes, as promptvars may be turned
                    # on later: backslash codes, then $ and ` (which then shows as
                    # bash's \$ code, "#" for root, and a backslash before `).
                    _roost_rest=$VIRTUAL_ENV_PROMPT
                    _roost_text=
                    while [ -n "$_roost_rest" ]; do
                        _roost_char=${_roost_rest%"${_roost_rest#?}"}
                        _roost_rest=${_roost_rest#?}
                        case $_roost_char in
                            \\) _roost_text="$_roost_text\\\\\\\\" ;;
                            \$ | \`) _roost_text="$_roost_text\\$_roost_char" ;;
                            *) _roost_text="$_roost_text$_roost_char" ;;
                        esac
                    done
                    PS1="($_roost_text) ${PS1-}"
                    unset _roost_rest _roost_text _roost_char
                    ;;
                *)
                    # nothing to expand even if promptvars is turned on later:
                    # only backslash codes are undone
                    eval 'PS1="(${VIRTUAL_ENV_PROMPT//\\/\\\\}) ${PS1-}"'
                    ;;
            esac
        fi
    else
        case ${KSH_VERSION-} in
            # ksh93 turns "!" into the history number even in expanded values
            *" 93"*) PS1='(${VIRTUAL_ENV_PROMPT//!/!!}) '"${PS1-}" ;;
            *) PS1='(${VIRTUAL_ENV_PROMPT}) '"${PS1-}" ;;
        esac
    fi
fi

# An alias would be expanded in the definition below and break it
unalias pydoc 2>/dev/null || true
pydoc () {
    python -m pydoc "$@"
}

unset _roost_env _roost_bin_name _roost_up _roost_src _roost_here
unset -f _roost_save

# forget where commands were found before the environment was on PATH
hash -r 2>/dev/null
