# roost shell-init for fish: virtualenvwrapper's commands as fish functions.
# Load it with:  roost shell-init fish | source   or, to start no Python when fish starts:
#   roost shell-init fish > ~/.config/fish/conf.d/roost-home.fish
#
# workon, deactivate and the cd helpers run no Python: they source the environment's
# activate.fish and the hooks themselves.  Sourced hooks are the fish variants
# (postactivate.fish, ...): the plain files are sh code.  Run hooks (preactivate, ...)
# are programs and are run as they are.  Every value below was quoted for fish by roost.

set -g _roost_home_shell __ROOST_SHELL__

function _roost_home
    __ROOST_COMMAND__ home $argv
end

# WORKON_HOME as virtualenvwrapper_derive_workon_home makes it, and as roost's Python side
# reads it (roost.home.store.derive_workon_home), without starting a process: unset is
# ~/.virtualenvs, '~' and '~user' are expanded, any other relative value is taken from
# $HOME (never the current folder), then '//', '.', '..' and a trailing '/' are resolved
# as os.path.normpath does, so comparisons with $VIRTUAL_ENV's folder hold.
function _roost_home_derive
    set -l dir $WORKON_HOME
    test -n "$dir"; or set dir $HOME/.virtualenvs
    if test "$dir" = "~"; or string match -q -- '~/*' $dir
        set dir $HOME(string sub -s 2 -- $dir)
    else if string match -q -r -- '^~[A-Za-z0-9._][A-Za-z0-9._-]*(/|$)' $dir
        set -l user (string replace -r -- '/.*' '' $dir)
        # the name holds only [A-Za-z0-9._-]: eval can do nothing but the tilde expansion
        set -l expanded (eval echo -- $user)
        set dir $expanded(string sub -s (math (string length -- $user) + 1) -- $dir)
    end
    string match -q -- '/*' $dir; or set dir $HOME/$dir
    set -l out
    for seg in (string split / -- $dir)
        switch $seg
            case '' .
            case ..
                set -q out[1]; and set -e out[-1]
            case '*'
                set -a out $seg
        end
    end
    set -l joined (string join / -- $out)
    echo "/$joined"
end
set -gx WORKON_HOME (_roost_home_derive)
set -q VIRTUALENVWRAPPER_HOOK_DIR[1]; or set -gx VIRTUALENVWRAPPER_HOOK_DIR $WORKON_HOME
set -q VIRTUALENVWRAPPER_PROJECT_FILENAME[1]; or set -gx VIRTUALENVWRAPPER_PROJECT_FILENAME .project
set -q VIRTUALENVWRAPPER_WORKON_CD[1]; or set -gx VIRTUALENVWRAPPER_WORKON_CD 1

function _roost_home_source --argument-names hook
    if test -f "$hook.fish"
        source "$hook.fish"
    end
end

function _roost_home_run --argument-names hook
    test -f "$hook"; or return 0
    set -l here $PWD
    builtin cd -- "$WORKON_HOME" 2>/dev/null
    $argv
    builtin cd -- "$here"
end

function _roost_home_check_name --argument-names name
    if test -z "$name"; or contains -- $name . ..; or string match -q -r -- '^[-.]|[/\\\\:;[:cntrl:]]' $name
        echo "roost: environment name '$name' is not a plain name (no '/', ':', ';', leading '-' or '.')" >&2
        return 1
    end
end

function _roost_home_require_active
    if test -z "$VIRTUAL_ENV"; or not test -d "$VIRTUAL_ENV"
        echo "ERROR: no virtualenv active, or active virtualenv is missing" >&2
        return 1
    end
end

function _roost_home_project
    set -g _roost_home_project_dir
    if test -f "$VIRTUAL_ENV/$VIRTUALENVWRAPPER_PROJECT_FILENAME"
        read -l line <"$VIRTUAL_ENV/$VIRTUALENVWRAPPER_PROJECT_FILENAME"
        set -g _roost_home_project_dir $line
    end
    test -n "$_roost_home_project_dir"
end

function _roost_home_names
    for activate in $WORKON_HOME/*/bin/activate
        string replace -r '^.*/([^/]+)/bin/activate$' '$1' -- $activate
    end
end

function _roost_home_deactivate
    set -l old $VIRTUAL_ENV
    if _roost_home_project
        _roost_home_source "$_roost_home_project_dir/.virtualenvwrapper/predeactivate"
    end
    _roost_home_source "$VIRTUAL_ENV/bin/predeactivate"
    _roost_home_source "$VIRTUALENVWRAPPER_HOOK_DIR/predeactivate"
    _roost_home_venv_deactivate $argv
    set -g VIRTUALENVWRAPPER_LAST_VIRTUAL_ENV $WORKON_HOME/(string replace -r '.*/' '' -- $old)
    _roost_home_source "$VIRTUALENVWRAPPER_LAST_VIRTUAL_ENV/bin/postdeactivate"
    _roost_home_source "$VIRTUALENVWRAPPER_HOOK_DIR/postdeactivate"
    set -e VIRTUALENVWRAPPER_LAST_VIRTUAL_ENV
    if test "$argv[1]" != nondestructive
        functions -e _roost_home_venv_deactivate deactivate
        # (WORKON_HOME normalised as at start-up: a trailing '/' set since must not keep it)
        if test -f "$old/README.tmpenv"; and test (string replace -r '/[^/]*$' '' -- $old) = (_roost_home_derive)
            echo "Removing temporary environment:" (string replace -r '.*/' '' -- $old)
            rmvirtualenv (string replace -r '.*/' '' -- $old)
        end
    end
end

function workon --description 'Activate an environment of WORKON_HOME, with its hooks'
    set -l cd_after $VIRTUALENVWRAPPER_WORKON_CD
    set -l name
    for arg in $argv
        switch $arg
            case -h --help
                echo "Usage: workon [-c|--cd] [-n|--no-cd] [NAME|.]  (no NAME: list the environments)"
                return 0
            case -n --no-cd
                set cd_after 0
            case -c --cd
                set cd_after 1
            case '*'
                test -n "$name"; or set name $arg
        end
    end
    if test -z "$name"
        lsvirtualenv -b
        return 1
    end
    test "$name" != .; or set name (string replace -r '.*/' '' -- $PWD)
    _roost_home_check_name $name; or return 1
    set -l env $WORKON_HOME/$name
    if not test -d "$env"
        echo "ERROR: Environment '$name' does not exist. Create it with 'mkvirtualenv $name'." >&2
        return 1
    end
    if not test -f "$env/bin/activate.fish"
        echo "ERROR: Environment '$env' does not contain an activate.fish script." >&2
        return 1
    end
    # Only a deactivate that is still a function: an activate script sourced since may have
    # replaced ours and removed itself, so the name may now find a program on PATH.
    if functions -q _roost_home_venv_deactivate
        if functions -q deactivate
            deactivate
        else
            functions -e _roost_home_venv_deactivate
        end
    end
    _roost_home_run "$VIRTUALENVWRAPPER_HOOK_DIR/preactivate" $name
    _roost_home_run "$env/bin/preactivate" $name
    source "$env/bin/activate.fish"; or return 1
    functions -c deactivate _roost_home_venv_deactivate
    function deactivate --description 'Leave the environment, with its hooks'
        _roost_home_deactivate $argv
    end
    if _roost_home_project
        if test "$cd_after" = 1
            cd -- "$_roost_home_project_dir"
        end
        _roost_home_source "$_roost_home_project_dir/.virtualenvwrapper/postactivate"
    end
    _roost_home_source "$VIRTUALENVWRAPPER_HOOK_DIR/postactivate"
    _roost_home_source "$VIRTUAL_ENV/bin/postactivate"
    return 0
end

function _roost_home_new_name
    set -l rest
    set -l skip 0
    for arg in $argv
        if test $skip = 1
            set skip 0
            continue
        end
        switch $arg
            case -a -i -r
                set skip 1
            case '*'
                set -a rest $arg
        end
    end
    if string match -q -- '-*' $rest[1]
        echo $rest[-1]
    else
        echo $rest[1]
    end
end

function mkvirtualenv --description 'Create an environment in WORKON_HOME and activate it'
    set -l name (_roost_home_new_name $argv)
    _roost_home new $argv; or return
    workon $name; or return
    _roost_home_source "$VIRTUALENVWRAPPER_HOOK_DIR/postmkvirtualenv"
end

function mkproject --description 'Create a project in PROJECT_HOME with its environment'
    set -l name (_roost_home_new_name $argv)
    _roost_home project new $argv; or return
    workon --cd $name; or return
    _roost_home_source "$VIRTUALENVWRAPPER_HOOK_DIR/postmkvirtualenv"
    _roost_home_source "$VIRTUALENVWRAPPER_HOOK_DIR/postmkproject"
end

function mktmpenv --description 'Create a temporary environment, removed when deactivated'
    set -l cd_after $VIRTUALENVWRAPPER_WORKON_CD
    switch "$argv[1]"
        case -n --no-cd
            set cd_after 0
            set -e argv[1]
        case -c --cd
            set cd_after 1
            set -e argv[1]
    end
    set -l name tmp-$fish_pid-(random)(random)
    _roost_home new $argv $name; or return
    workon -n $name; or return
    _roost_home_source "$VIRTUALENVWRAPPER_HOOK_DIR/postmkvirtualenv"
    test "$cd_after" != 1; or cd -- "$VIRTUAL_ENV"
    echo "This is a temporary environment. It will be deleted when you run 'deactivate'." | tee "$VIRTUAL_ENV/README.tmpenv"
end

function lsvirtualenv --description 'List the environments'
    switch "$argv[1]"
        case -b
            _roost_home ls --brief
        case -l ''
            _roost_home ls --long
        case '*'
            echo "Usage: lsvirtualenv [-b|-l]" >&2
            return 1
    end
end

function showvirtualenv --description 'Show one environment'
    set -l name $argv[1]
    if test -z "$name"
        if test -z "$VIRTUAL_ENV"
            echo "showvirtualenv [env]"
            return 1
        end
        set name (string replace -r '.*/' '' -- $VIRTUAL_ENV)
    end
    _roost_home show $name
end

function rmvirtualenv --description 'Remove environments'
    if test (count $argv) = 0
        echo "Please specify an environment." >&2
        return 1
    end
    set -l prior $PWD
    cd -- "$WORKON_HOME" 2>/dev/null
    _roost_home rm $argv
    set -l rc $status
    test -d "$prior"; and cd -- "$prior"
    return $rc
end

function cpvirtualenv --description 'Copy an environment'
    # the copy's name: DEST, else SRC's last path part (SRC may be a path outside the home)
    set -l target $argv[2]
    test (count $argv) -ge 2; or set target (string replace -r -- '^.*/' '' (string trim -r -c / -- $argv[1]))
    _roost_home cp $argv; or return
    workon $target; or return
    _roost_home_source "$VIRTUALENVWRAPPER_HOOK_DIR/postmkvirtualenv"
    _roost_home_source "$VIRTUALENVWRAPPER_HOOK_DIR/postcpvirtualenv"
end

function allvirtualenv --description 'Run a command in every environment'
    for name in (_roost_home_names)
        echo $name
        string replace -a -r . = -- $name
        fish --no-config -c 'if source $argv[1]/bin/activate.fish; and cd -- $argv[1]
                $argv[2..-1]
            else
                echo "allvirtualenv: could not activate $argv[1], skipped" >&2
                exit 1
            end' -- "$WORKON_HOME/$name" $argv
        echo
    end
end

function cdvirtualenv --description 'cd into the active environment'
    _roost_home_require_active; or return 1
    cd -- "$VIRTUAL_ENV/$argv[1]"
end

function cdsitepackages --description "cd into the active environment's site-packages"
    _roost_home_require_active; or return 1
    set -l sp (_roost_home site-packages "$VIRTUAL_ENV"); or return 1
    cd -- "$sp/$argv[1]"
end

function lssitepackages --description "List the active environment's site-packages"
    _roost_home_require_active; or return 1
    set -l sp (_roost_home site-packages "$VIRTUAL_ENV"); or return 1
    ls $argv "$sp"
    if test -f "$sp/_virtualenv_path_extensions.pth"
        echo
        echo "_virtualenv_path_extensions.pth:"
        cat "$sp/_virtualenv_path_extensions.pth"
    end
end

function add2virtualenv --description "Add folders to the active environment's import path"
    _roost_home_require_active; or return 1
    if test "$argv[1]" = -d
        _roost_home add -d "$VIRTUAL_ENV" $argv[2..-1]
    else
        _roost_home add "$VIRTUAL_ENV" $argv
    end
end

function setvirtualenvproject --description "Set an environment's project folder"
    set -l venv $argv[1]
    test -n "$venv"; or set venv $VIRTUAL_ENV
    set -l prj $argv[2]
    test -n "$prj"; or set prj $PWD
    if test -z "$venv"
        echo "setvirtualenvproject [env [project_dir]]: no environment given or active" >&2
        return 1
    end
    _roost_home project set "$venv" "$prj"
end

function cdproject --description "cd into the active environment's project"
    _roost_home_require_active; or return 1
    if _roost_home_project
        cd -- "$_roost_home_project_dir"
    else
        echo "No project set in $VIRTUAL_ENV/$VIRTUALENVWRAPPER_PROJECT_FILENAME" >&2
        return 1
    end
end

function wipeenv --description 'Uninstall all but the seed packages'
    _roost_home_require_active; or return 1
    _roost_home wipe "$VIRTUAL_ENV"
end

function toggleglobalsitepackages --description 'Toggle the global site-packages'
    _roost_home_require_active; or return 1
    _roost_home global-site-packages "$VIRTUAL_ENV" toggle
end

for command in workon rmvirtualenv cpvirtualenv showvirtualenv
    complete -c $command -f -a '(_roost_home_names)'
end

test -d "$WORKON_HOME"; or mkdir -p -- "$WORKON_HOME"
_roost_home_source "$VIRTUALENVWRAPPER_HOOK_DIR/initialize"
