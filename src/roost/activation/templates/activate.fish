# Activates this roost environment in fish.
# Source it, do not run it:      source bin/activate.fish
# Leave the environment with:    deactivate
#
# Written by roost: every value below was quoted for fish when the environment
# was created.

# Undo an earlier activation first (ours or another tool's), so that the state
# saved below is the shell's own and one deactivate brings it back.
if functions -q deactivate
    deactivate nondestructive
end

function deactivate --description 'Leave the roost environment'
    # every saved variable goes back to its old value, or to unset
    for name in $_roost_saved
        set -l old _OLD_VIRTUAL_$name
        if set -q $old
            set -gx $name $$old
            set -e $old
        else if contains -- $name $_roost_unset
            set -e $name
        end
    end
    set -e _roost_saved
    set -e _roost_unset

    if set -q _OLD_FISH_PROMPT_OVERRIDE
        functions -e fish_prompt
        if functions -q _old_fish_prompt
            functions -c _old_fish_prompt fish_prompt
            functions -e _old_fish_prompt
        end
        functions -e _roost_set_status
        set -e _OLD_FISH_PROMPT_OVERRIDE
    end

    if test "$argv[1]" != nondestructive
        functions -e deactivate pydoc
    end
end

# Keeps a variable for deactivate in _OLD_VIRTUAL_<name>, the names venv and
# virtualenv use (so their scripts, sourced on top of this one, undo it first),
# or, when it was unset, its name in _roost_unset.
function _roost_save --argument-names name
    set -ga _roost_saved $name
    if set -q $name
        set -g _OLD_VIRTUAL_$name $$name
    else
        set -e _OLD_VIRTUAL_$name
        set -ga _roost_unset $name
    end
end

set -l venv __ROOST_VIRTUAL_ENV__
set -l bin_name __ROOST_BIN_NAME__
set -l up __ROOST_UP__

# fish 3.5 and later (the `path` builtin) can find this file's own folder, so
# an environment that was moved or copied still activates at its new place.
set -l src (status filename | string collect)
if test -n "$src"; and contains path (builtin -n)
    set -l here (path dirname -Z -- $src | string split0)
    if not string match -q -- '/*' $here
        set here $PWD/$here
    end
    # only a folder in an environment counts: a link to this file elsewhere,
    # or a file read from a pipe, says nothing about where the environment is
    if not test "$here" -ef "$venv/$bin_name"; and test -f "$here/$up/pyvenv.cfg"
        set venv (path normalize -Z -- $here/$up | string split0)
    end
end

_roost_save PATH
_roost_save PYTHONHOME
_roost_save VIRTUAL_ENV
_roost_save VIRTUAL_ENV_PROMPT
functions -e _roost_save

set -gx VIRTUAL_ENV $venv
set -gx VIRTUAL_ENV_PROMPT __ROOST_PROMPT__
set -gx PATH $VIRTUAL_ENV/$bin_name $PATH
set -e PYTHONHOME

if test -z "$VIRTUAL_ENV_DISABLE_PROMPT"
    # venv's names again, so its deactivate can put the prompt back too
    set -g _OLD_FISH_PROMPT_OVERRIDE "$VIRTUAL_ENV"
    if functions -q fish_prompt
        functions -c fish_prompt _old_fish_prompt
    end

    # lets the wrapped prompt see the exit status of the last command
    function _roost_set_status
        return $argv[1]
    end

    function fish_prompt
        set -l last_status $status
        # the text is printed as data: fish never evaluates a variable's value
        printf '(%s) ' $VIRTUAL_ENV_PROMPT
        if functions -q _old_fish_prompt
            _roost_set_status $last_status
            _old_fish_prompt
        end
    end
end

function pydoc --description 'Run pydoc from the roost environment'
    python -m pydoc $argv
end
