# Activates this roost environment in nushell, as an overlay:
#     overlay use bin/activate.nu
# Leave the environment with:    deactivate     (that is: overlay hide activate)
#
# Hiding the overlay puts back every variable it changed, so deactivate needs
# no saved copies.  Under another overlay name (overlay use ... as NAME) leave
# with `overlay hide NAME` instead.
#
# Written by roost: every value below is a raw string literal, chosen so that
# no value can end it early.

export-env {
    let baked = __ROOST_VIRTUAL_ENV__
    let bin_name = __ROOST_BIN_NAME__
    let up = __ROOST_UP__
    let prompt = __ROOST_PROMPT__

    # This file's own folder wins when the environment was moved or copied.
    let here = $env.FILE_PWD
    let baked_bin = ([$baked $bin_name] | path join)
    let moved = not (($baked_bin | path exists) and (($baked_bin | path expand) == ($here | path expand)))
    let venv = if $moved { [$here $up] | path join | path expand --no-symlink } else { $baked }
    let bin = ([$venv $bin_name] | path join)

    let path_name = if ($nu.os-info.name == 'windows') and ('Path' in $env) { 'Path' } else { 'PATH' }
    # Using the overlay again while it is on starts from the state before the
    # first use, so neither PATH nor the prompt gets the environment twice.
    let before = if '_ROOST_BEFORE' in $env {
        $env._ROOST_BEFORE
    } else {
        {path: ($env | get $path_name), prompt: $env.PROMPT_COMMAND?}
    }
    let old_path = if ($before.path | describe) == 'string' { $before.path | split row (char esep) } else { $before.path }
    let new_path = ($old_path | prepend $bin)

    load-env {
        $path_name: $new_path
        VIRTUAL_ENV: $venv
        VIRTUAL_ENV_PROMPT: $prompt
        _ROOST_BEFORE: $before
    }
    hide-env -i PYTHONHOME

    let disabled = ($env.VIRTUAL_ENV_DISABLE_PROMPT? | default '' | into string | is-not-empty)
    if not $disabled {
        # the text is only ever data inside the closure, never code
        let prefix = (['(' $prompt ') '] | str join)
        let old_prompt = $before.prompt
        $env.PROMPT_COMMAND = if $old_prompt == null {
            {|| $prefix }
        } else if ($old_prompt | describe) =~ '^closure' {
            {|| [$prefix (do $old_prompt)] | str join }
        } else {
            {|| [$prefix ($old_prompt | into string)] | str join }
        }
    }
}

export alias pydoc = python -m pydoc
export alias deactivate = overlay hide activate
