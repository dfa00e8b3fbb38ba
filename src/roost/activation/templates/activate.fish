# Activates this roost environment in fish.
# Source it, do not run it:      source bin/activate.fish
# Leave the environment with:    deactivate
#
# Written by roost: every value below was quoted for fish when the environment
# was created.

function deactivate --description 'Leave the roost environment'
    # every saved variable goes back to its old value, or to unset
    for name in $_roost_saved
        if contains -- $name $_roost_unset
            set -e $name
        else
            set -l old _roost_old_$name
            set -gx $name $$old
        end
        set -e _roost_old_$name
    end
    set -e _roost_saved
    set -e _roost_unset

    if set -q _roost_prompt_wrapped
        functions -e fish_prompt
        if functions -q _roost_old_fish_prompt
            functions -c _roost_old_fish_prompt fish_prompt
            functions -e _roost_old_fish_prompt
        end
        functions -e _roost_set_status
        set -e _roost_prompt_wrapped
    end

    if test "$argv[1]" != nondestructive
        functions -e deactivate pydoc
    end
end

function _roost_save --argument-names name
    set -ga _roost_saved $name
    if set -q $name
        set -g _roost_old_$name $$name
    else
        set -ga _roost_unset $name
    end
end

# undo an earlier activation first so that one deactivate restores the shell
deactivate nondestructive

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
    if not test "$here" -ef "$venv/$bin_name"
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
    set -g _roost_prompt_wrapped 1
    if functions -q fish_prompt
        functions -c fish_prompt _roost_old_fish_prompt
    end

    # lets the wrapped prompt see the exit status of the last command
    function _roost_set_status
        return $argv[1]
    end

    function fish_prompt
        set -l last_status $status
        # the text is printed as data: fish never evaluates a variable's value
        printf '(%s) ' $VIRTUAL_ENV_PROMPT
        if functions -q _roost_old_fish_prompt
            _roost_set_status $last_status
            _roost_old_fish_prompt
        end
    end
end

function pydoc --description 'Run pydoc from the roost environment'
    python -m pydoc $argv
end
