# roost home (csh): deactivate, between virtualenvwrapper's deactivate hooks.
set _roost_home_old = "$VIRTUAL_ENV"
set _roost_home_project = ""
if ( -f "$VIRTUAL_ENV/$VIRTUALENVWRAPPER_PROJECT_FILENAME" ) then
    set _roost_home_project = "`head -n 1 $VIRTUAL_ENV:q/$VIRTUALENVWRAPPER_PROJECT_FILENAME:q`"
endif
if ( "$_roost_home_project:q" != "" ) then
    set _roost_home_hook = "$_roost_home_project:q/.virtualenvwrapper/predeactivate"
    source "$_roost_home_lib/hook.csh"
endif
set _roost_home_hook = "$VIRTUAL_ENV/bin/predeactivate"
source "$_roost_home_lib/hook.csh"
set _roost_home_hook = "$VIRTUALENVWRAPPER_HOOK_DIR/predeactivate"
source "$_roost_home_lib/hook.csh"
_roost_home_venv_deactivate $_roost_home_argv:q
setenv VIRTUALENVWRAPPER_LAST_VIRTUAL_ENV "$WORKON_HOME/$_roost_home_old:t"
set _roost_home_hook = "$VIRTUALENVWRAPPER_LAST_VIRTUAL_ENV/bin/postdeactivate"
source "$_roost_home_lib/hook.csh"
set _roost_home_hook = "$VIRTUALENVWRAPPER_HOOK_DIR/postdeactivate"
source "$_roost_home_lib/hook.csh"
unsetenv VIRTUALENVWRAPPER_LAST_VIRTUAL_ENV
if ( "$_roost_home_argv" != "nondestructive" ) then
    unalias _roost_home_venv_deactivate deactivate
    unset _roost_home_active
    # mktmpenv's environment goes once it is left (WORKON_HOME normalised as at start-up:
    # a trailing '/' set since must not keep it)
    set _roost_home_dir = ""
    if ( -f "$_roost_home_old:q/README.tmpenv" ) set _roost_home_dir = "`sh $_roost_home_lib:q/derive.sh`"
    if ( "$_roost_home_dir:q" != "" && "$_roost_home_old:h" == "$_roost_home_dir:q" ) then
        echo "Removing temporary environment: $_roost_home_old:t"
        switch ( "$cwd/" )
            case "$_roost_home_old/"*:
                cd "$WORKON_HOME"
                breaksw
        endsw
        $_roost_home_cmd:q home rm "$_roost_home_old:t"
    endif
endif
unset _roost_home_old _roost_home_project _roost_home_hook _roost_home_dir
