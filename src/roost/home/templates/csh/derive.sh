# roost home (csh): print WORKON_HOME as virtualenvwrapper_derive_workon_home makes it, and
# as roost's Python side reads it (roost.home.store.derive_workon_home); init.sh does the
# same in bash, zsh and ksh.  Unset is ~/.virtualenvs, '~' and '~user' are expanded, any
# other relative value is taken from $HOME (never the current folder), then '//', '.',
# '..' and a trailing '/' are resolved as os.path.normpath does.  POSIX sh, run as
# `sh derive.sh`, only when WORKON_HOME is not already a plain absolute path.
dir=${WORKON_HOME:-$HOME/.virtualenvs}
case $dir in
    "~" | "~/"*) dir=$HOME${dir#"~"} ;;
    "~"*)
        user=${dir%%/*}
        case ${user#"~"} in
            *[!A-Za-z0-9._-]* | -*) ;;  # not a user name: left as it is (then relative)
            *)
                rest=${dir#"$user"}
                # the name holds only [A-Za-z0-9._-]: eval can do nothing but the tilde expansion
                eval "user=$user"
                dir=$user$rest
                ;;
        esac
        ;;
esac
case $dir in
    /*) ;;
    *) dir=$HOME/$dir ;;
esac
rest=$dir/
dir=
while [ -n "$rest" ]; do
    seg=${rest%%/*}
    rest=${rest#*/}
    case $seg in
        '' | .) ;;
        ..) dir=${dir%/*} ;;
        *) dir=$dir/$seg ;;
    esac
done
printf '%s\n' "${dir:-/}"
