# roost shell-init for tcsh (and csh): virtualenvwrapper's commands as aliases.
# Load it with:  roost shell-init tcsh > ~/.roost-home.csh   and in ~/.tcshrc:
#   source ~/.roost-home.csh
# (eval `roost shell-init tcsh` works too, but starts Python with every shell.)
#
# csh has no functions: each command is an alias that stores its arguments and sources a
# helper file shipped with roost.  workon and deactivate run no Python: they source the
# environment's activate.csh and the .csh variants of the sourced hooks (postactivate.csh,
# ...); run hooks are programs.  Every value below was quoted for csh by roost.
# Messages go to stderr with `>> /dev/stderr`: `>` would truncate a file stderr was sent to.
# csh limits: an alias receives a redirection typed after it as arguments, so write
# `workon web` alone rather than `workon web > file`; names are completed in tcsh only.

set _roost_home_cmd = ( __ROOST_COMMAND__ )
set _roost_home_lib = __ROOST_TEMPLATES__/csh

# WORKON_HOME as virtualenvwrapper derives it ('~', relative to $HOME, normalised: see
# csh/derive.sh); sh runs only when the value is not already a plain absolute path.
set _roost_home_plain = 0
if ( $?WORKON_HOME ) then
    switch ( "$WORKON_HOME:q" )
        case *//*:
        case */./*:
        case */../*:
        case */.:
        case */..:
        case ?*/:
            breaksw
        case /*:
            set _roost_home_plain = 1
            breaksw
    endsw
endif
if ( ! $_roost_home_plain ) setenv WORKON_HOME "`sh $_roost_home_lib:q/derive.sh`"
unset _roost_home_plain
if ( ! $?VIRTUALENVWRAPPER_HOOK_DIR ) setenv VIRTUALENVWRAPPER_HOOK_DIR "$WORKON_HOME"
if ( ! $?VIRTUALENVWRAPPER_PROJECT_FILENAME ) setenv VIRTUALENVWRAPPER_PROJECT_FILENAME .project
if ( ! $?VIRTUALENVWRAPPER_WORKON_CD ) setenv VIRTUALENVWRAPPER_WORKON_CD 1

alias workon 'set _roost_home_argv = ( \!* ); source "$_roost_home_lib/workon.csh"'
alias mkvirtualenv 'set _roost_home_argv = ( \!* ); set _roost_home_verb = mkvirtualenv; source "$_roost_home_lib/new.csh"'
alias mkproject 'set _roost_home_argv = ( \!* ); set _roost_home_verb = mkproject; source "$_roost_home_lib/new.csh"'
alias mktmpenv 'set _roost_home_argv = ( \!* ); set _roost_home_verb = mktmpenv; source "$_roost_home_lib/new.csh"'
alias cpvirtualenv 'set _roost_home_argv = ( \!* ); set _roost_home_verb = cpvirtualenv; source "$_roost_home_lib/new.csh"'
alias lsvirtualenv '$_roost_home_cmd:q home ls --long \!*'
alias showvirtualenv '$_roost_home_cmd:q home show \!*'
alias rmvirtualenv '$_roost_home_cmd:q home rm \!*'
alias allvirtualenv '$_roost_home_cmd:q home run-all -- \!*'
alias cdvirtualenv 'set _roost_home_argv = ( \!* ); set _roost_home_verb = cdvirtualenv; source "$_roost_home_lib/active.csh"'
alias cdsitepackages 'set _roost_home_argv = ( \!* ); set _roost_home_verb = cdsitepackages; source "$_roost_home_lib/active.csh"'
alias lssitepackages 'set _roost_home_argv = ( \!* ); set _roost_home_verb = lssitepackages; source "$_roost_home_lib/active.csh"'
alias cdproject 'set _roost_home_argv = ( \!* ); set _roost_home_verb = cdproject; source "$_roost_home_lib/active.csh"'
alias add2virtualenv 'set _roost_home_argv = ( \!* ); set _roost_home_verb = add2virtualenv; source "$_roost_home_lib/active.csh"'
alias wipeenv 'set _roost_home_argv = ( ); set _roost_home_verb = wipeenv; source "$_roost_home_lib/active.csh"'
alias toggleglobalsitepackages 'set _roost_home_argv = ( ); set _roost_home_verb = toggleglobalsitepackages; source "$_roost_home_lib/active.csh"'
alias setvirtualenvproject 'set _roost_home_argv = ( \!* ); set _roost_home_verb = setvirtualenvproject; source "$_roost_home_lib/active.csh"'

# completion of environment names (tcsh).  The lister's path is in a variable: a '/' typed
# inside the backquotes would end complete's p/1/.../ word ("Unmatched '`'").
if ( $?tcsh ) then
    set _roost_home_names_sh = "$_roost_home_lib/names.sh"
    complete workon 'p/1/`sh "$_roost_home_names_sh"`/'
    complete rmvirtualenv 'p/*/`sh "$_roost_home_names_sh"`/'
    complete cpvirtualenv 'p/1/`sh "$_roost_home_names_sh"`/'
    complete showvirtualenv 'p/1/`sh "$_roost_home_names_sh"`/'
endif

if ( ! -d "$WORKON_HOME" ) mkdir -p "$WORKON_HOME"
if ( -f "$VIRTUALENVWRAPPER_HOOK_DIR/initialize.csh" ) source "$VIRTUALENVWRAPPER_HOOK_DIR/initialize.csh"
