# roost shell-init for nushell: virtualenvwrapper's commands as nushell commands.
# Load it:  roost shell-init nushell | save -f ~/.roost-home.nu   and in config.nu:
#   source ~/.roost-home.nu
#
# nushell reads `source` and `overlay use` when it parses, so a command cannot load a file
# chosen when it runs: workon sets what activate.nu sets (VIRTUAL_ENV, PATH, the prompt)
# itself and deactivate puts it back.  For the same reason the sourced hooks' nushell
# variants (postactivate.nu, ...) are run with nu as programs: they can print and write
# files, not change this shell's environment.  Run hooks (preactivate, ...) are programs.
# Every value below is a raw string literal written by roost.

const _roost_home_command = [__ROOST_COMMAND_WORDS__]

# WORKON_HOME as virtualenvwrapper_derive_workon_home makes it, and as roost's Python side
# reads it (roost.home.store.derive_workon_home): unset is ~/.virtualenvs, '~' and '~user'
# are expanded, any other relative value is taken from $HOME (never the current folder),
# then '//', '.', '..' and a trailing '/' are resolved, so comparisons with $VIRTUAL_ENV's
# folder hold.
def _roost_home_derive [] {
    let raw = ($env.WORKON_HOME? | default '' | into string)
    let raw = if ($raw | is-empty) { $env.HOME | path join .virtualenvs } else { $raw }
    let dir = if $raw == '~' or ($raw | str starts-with '~/') {
        [$env.HOME ($raw | str substring 1..)] | str join  # this HOME, as the other shells use
    } else if ($raw | str starts-with '~') {
        $raw | path expand --no-symlink  # ~user
    } else { $raw }
    let dir = if ($dir | str starts-with '/') { $dir } else { [$env.HOME $dir] | str join '/' }
    $dir | path expand --no-symlink | str replace -r '(.)/+$' '$1'
}
$env.WORKON_HOME = (_roost_home_derive)
$env.VIRTUALENVWRAPPER_HOOK_DIR = ($env.VIRTUALENVWRAPPER_HOOK_DIR? | default $env.WORKON_HOME)
$env.VIRTUALENVWRAPPER_PROJECT_FILENAME = ($env.VIRTUALENVWRAPPER_PROJECT_FILENAME? | default '.project')
$env.VIRTUALENVWRAPPER_WORKON_CD = ($env.VIRTUALENVWRAPPER_WORKON_CD? | default '1')

def --wrapped _roost_home [...args: string] {
    run-external ($_roost_home_command | first) ...($_roost_home_command | skip 1) 'home' ...$args
}

# A run hook: a program, started from WORKON_HOME.
def _roost_home_run [hook: string, ...args: string] {
    if ($hook | path exists) {
        do { cd $env.WORKON_HOME; run-external $hook ...$args }
    }
}

# The nushell variant of a sourced hook, run with nu (see above).
def _roost_home_hook [hook: string] {
    let script = $"($hook).nu"
    if ($script | path exists) {
        run-external $nu.current-exe '--no-config-file' $script
    }
}

# The environments' names (also the completer of the commands that take one).
def _roost_home_names [] {
    if not ($env.WORKON_HOME | path exists) { return [] }
    ls $env.WORKON_HOME | where type == dir | get name
    | where {|folder| ($folder | path join bin activate) | path exists }
    | each {|folder| $folder | path basename } | sort
}

def _roost_home_project [venv: string] {
    let file = ($venv | path join $env.VIRTUALENVWRAPPER_PROJECT_FILENAME)
    if ($file | path exists) { open --raw $file | lines | first } else { null }
}

def _roost_home_active [] {
    if ($env.VIRTUAL_ENV? | default '' | is-empty) or not ($env.VIRTUAL_ENV | path exists) {
        error make --unspanned {msg: 'ERROR: no virtualenv active, or active virtualenv is missing'}
    }
    $env.VIRTUAL_ENV
}

def --env deactivate [] {
    if not ('_ROOST_HOME_SAVED' in $env) {
        error make --unspanned {msg: 'no environment of the home is active (use: workon NAME)'}
    }
    let old = $env.VIRTUAL_ENV
    let project = (_roost_home_project $old)
    if $project != null { _roost_home_hook ($project | path join .virtualenvwrapper predeactivate) }
    _roost_home_hook ($old | path join bin predeactivate)
    _roost_home_hook ($env.VIRTUALENVWRAPPER_HOOK_DIR | path join predeactivate)
    let saved = $env._ROOST_HOME_SAVED
    $env.PATH = $saved.PATH
    for name in [VIRTUAL_ENV VIRTUAL_ENV_PROMPT PYTHONHOME] {
        let value = ($saved | get $name)
        if $value == null { hide-env -i $name } else { load-env {$name: $value} }
    }
    if ($saved.PROMPT_COMMAND == null) { hide-env -i PROMPT_COMMAND } else { $env.PROMPT_COMMAND = $saved.PROMPT_COMMAND }
    hide-env _ROOST_HOME_SAVED
    $env.VIRTUALENVWRAPPER_LAST_VIRTUAL_ENV = ($env.WORKON_HOME | path join ($old | path basename))
    _roost_home_hook ($env.VIRTUALENVWRAPPER_LAST_VIRTUAL_ENV | path join bin postdeactivate)
    _roost_home_hook ($env.VIRTUALENVWRAPPER_HOOK_DIR | path join postdeactivate)
    hide-env VIRTUALENVWRAPPER_LAST_VIRTUAL_ENV
    # (WORKON_HOME normalised as at start-up: a trailing '/' set since must not keep it)
    if (($old | path join README.tmpenv) | path exists) and (($old | path dirname) == (_roost_home_derive)) {
        print $"Removing temporary environment: ($old | path basename)"
        if ($env.PWD | str starts-with $old) { cd $env.WORKON_HOME }
        _roost_home rm ($old | path basename)
    }
}

# The prompt the environment was made with (pyvenv.cfg's `prompt`, roost's and virtualenv's
# --prompt; venv writes it as a Python literal, in quotes), else its name: what its own
# activate scripts show.
def _roost_home_prompt [venv: string, name: string] {
    let cfg = ($venv | path join pyvenv.cfg)
    if not ($cfg | path exists) { return $name }
    let found = (open --raw $cfg | lines | parse -r '^\s*prompt\s*=\s*(?P<value>.*?)\s*$' | get -o value.0)
    if ($found | is-empty) { return $name }
    let first = ($found | str substring 0..0)
    if ($found | str length) >= 2 and $first in ["'" '"'] and ($found | str ends-with $first) {
        $found | str substring 1..-2
    } else { $found }
}

def --env workon [
    name?: string@_roost_home_names  # the environment (no name: list them; '.': the current folder's name)
    --cd (-c)      # cd to its project afterwards
    --no-cd (-n)   # stay in this folder
] {
    if $name == null {
        _roost_home ls --brief
        return
    }
    let name = if $name == '.' { $env.PWD | path basename } else { $name }
    if ($name | is-empty) or ($name starts-with '-') or ($name starts-with '.') or ($name =~ '[/\\:;[:cntrl:]]') {
        error make --unspanned {msg: $"roost: environment name '($name)' is not a plain name \(no '/', ':', ';', leading '-' or '.')"}
    }
    let venv = ($env.WORKON_HOME | path join $name)
    if not ($venv | path exists) {
        error make --unspanned {msg: $"ERROR: Environment '($name)' does not exist. Create it with 'mkvirtualenv ($name)'."}
    }
    let cd_after = if $cd { true } else if $no_cd { false } else { $env.VIRTUALENVWRAPPER_WORKON_CD == '1' }
    if '_ROOST_HOME_SAVED' in $env { deactivate }
    _roost_home_run ($env.VIRTUALENVWRAPPER_HOOK_DIR | path join preactivate) $name
    _roost_home_run ($venv | path join bin preactivate) $name
    let path_name = if ($nu.os-info.name == 'windows') and ('Path' in $env) { 'Path' } else { 'PATH' }
    let old_path = ($env | get $path_name)
    let old_path = if ($old_path | describe) == 'string' { $old_path | split row (char esep) } else { $old_path }
    $env._ROOST_HOME_SAVED = {
        PATH: $old_path
        VIRTUAL_ENV: $env.VIRTUAL_ENV?
        VIRTUAL_ENV_PROMPT: $env.VIRTUAL_ENV_PROMPT?
        PYTHONHOME: $env.PYTHONHOME?
        PROMPT_COMMAND: $env.PROMPT_COMMAND?
    }
    let prompt = (_roost_home_prompt $venv $name)
    load-env {$path_name: ($old_path | prepend ($venv | path join bin)), VIRTUAL_ENV: $venv, VIRTUAL_ENV_PROMPT: $prompt}
    hide-env -i PYTHONHOME
    if ($env.VIRTUAL_ENV_DISABLE_PROMPT? | default '' | into string | is-empty) {
        let prefix = $"\(($prompt)) "
        let old_prompt = $env._ROOST_HOME_SAVED.PROMPT_COMMAND
        $env.PROMPT_COMMAND = if $old_prompt == null {
            {|| $prefix }
        } else if ($old_prompt | describe) =~ '^closure' {
            {|| [$prefix (do $old_prompt)] | str join }
        } else {
            {|| [$prefix ($old_prompt | into string)] | str join }
        }
    }
    let project = (_roost_home_project $venv)
    if $project != null {
        if $cd_after { cd $project }
        _roost_home_hook ($project | path join .virtualenvwrapper postactivate)
    }
    _roost_home_hook ($env.VIRTUALENVWRAPPER_HOOK_DIR | path join postactivate)
    _roost_home_hook ($venv | path join bin postactivate)
}

# The NAME `roost home new` uses: the first argument, or the last when the first is an option.
def _roost_home_new_name [args: list<string>] {
    mut rest = []
    mut skip = false
    for arg in $args {
        if $skip { $skip = false } else if $arg in [-a -i -r] { $skip = true } else { $rest = ($rest | append $arg) }
    }
    if ($rest | is-empty) { '' } else if ($rest | first | str starts-with '-') { $rest | last } else { $rest | first }
}

def --env --wrapped mkvirtualenv [...args: string] {
    _roost_home new ...$args
    workon (_roost_home_new_name $args)
    _roost_home_hook ($env.VIRTUALENVWRAPPER_HOOK_DIR | path join postmkvirtualenv)
}

def --env --wrapped mkproject [...args: string] {
    _roost_home project new ...$args
    workon --cd (_roost_home_new_name $args)
    _roost_home_hook ($env.VIRTUALENVWRAPPER_HOOK_DIR | path join postmkvirtualenv)
    _roost_home_hook ($env.VIRTUALENVWRAPPER_HOOK_DIR | path join postmkproject)
}

def --env --wrapped mktmpenv [...args: string] {
    let first = ($args | get -o 0 | default '')
    let cd_after = if $first in [-c --cd] { true } else if $first in [-n --no-cd] { false } else { $env.VIRTUALENVWRAPPER_WORKON_CD == '1' }
    let args = if $first in [-c --cd -n --no-cd] { $args | skip 1 } else { $args }
    let name = $"tmp-(random chars --length 12)"
    _roost_home new ...$args $name
    workon --no-cd $name
    _roost_home_hook ($env.VIRTUALENVWRAPPER_HOOK_DIR | path join postmkvirtualenv)
    if $cd_after { cd $env.VIRTUAL_ENV }
    let message = "This is a temporary environment. It will be deleted when you run 'deactivate'."
    $message | save -f ($env.VIRTUAL_ENV | path join README.tmpenv)
    print $message
}

def --env --wrapped cpvirtualenv [...args: string] {
    _roost_home cp ...$args
    # the copy's name: DEST, else SRC's last path part (SRC may be a path outside the home)
    workon (if ($args | length) >= 2 { $args | get 1 } else { $args | first | str replace -r '/+$' '' | path basename })
    _roost_home_hook ($env.VIRTUALENVWRAPPER_HOOK_DIR | path join postmkvirtualenv)
    _roost_home_hook ($env.VIRTUALENVWRAPPER_HOOK_DIR | path join postcpvirtualenv)
}

def lsvirtualenv [--brief (-b), --long (-l)] {
    if $brief { _roost_home ls --brief } else { _roost_home ls --long }
}

def showvirtualenv [name?: string@_roost_home_names] {
    let name = if $name == null { _roost_home_active | path basename } else { $name }
    _roost_home show $name
}

def --env rmvirtualenv [...names: string@_roost_home_names] {
    _roost_home rm ...$names
}

def --wrapped allvirtualenv [...command: string] {
    _roost_home run-all -- ...$command
}

def --env cdvirtualenv [sub?: string] {
    cd ((_roost_home_active) | path join ($sub | default ''))
}

def _roost_home_site_packages [] {
    _roost_home site-packages (_roost_home_active) | str trim --right --char "\n"
}

def --env cdsitepackages [sub?: string] {
    cd ((_roost_home_site_packages) | path join ($sub | default ''))
}

def lssitepackages [] {
    let folder = (_roost_home_site_packages)
    ls $folder | get name | path basename | str join "\n" | print
    let pth = ($folder | path join _virtualenv_path_extensions.pth)
    if ($pth | path exists) {
        print "\n_virtualenv_path_extensions.pth:"
        open --raw $pth | print
    }
}

def --wrapped add2virtualenv [...args: string] {
    if ($args | get -o 0) == '-d' {
        _roost_home add -d (_roost_home_active) ...($args | skip 1)
    } else {
        _roost_home add (_roost_home_active) ...$args
    }
}

def setvirtualenvproject [venv?: string, project?: string] {
    let venv = if $venv == null { _roost_home_active } else { $venv }
    _roost_home project set $venv ($project | default $env.PWD)
}

def --env cdproject [] {
    let project = (_roost_home_project (_roost_home_active))
    if $project == null {
        error make --unspanned {msg: $"No project set in ($env.VIRTUAL_ENV)/($env.VIRTUALENVWRAPPER_PROJECT_FILENAME)"}
    }
    cd $project
}

def wipeenv [] { _roost_home wipe (_roost_home_active) }

def toggleglobalsitepackages [] { _roost_home global-site-packages (_roost_home_active) toggle }

if not ($env.WORKON_HOME | path exists) { mkdir $env.WORKON_HOME }
