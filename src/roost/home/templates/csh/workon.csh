# roost home (csh): workon [-c|-n] NAME, with its arguments in $_roost_home_argv.
set _roost_home_cd_after = "$VIRTUALENVWRAPPER_WORKON_CD"
set _roost_home_name = ""
foreach _roost_home_arg ( $_roost_home_argv:q )
    switch ( "$_roost_home_arg:q" )
        case -n:
        case --no-cd:
            set _roost_home_cd_after = 0
            breaksw
        case -c:
        case --cd:
            set _roost_home_cd_after = 1
            breaksw
        default:
            if ( "$_roost_home_name:q" == "" ) set _roost_home_name = "$_roost_home_arg:q"
            breaksw
    endsw
end
set _roost_home_status = 1
if ( "$_roost_home_name:q" == "" ) then
    $_roost_home_cmd:q home ls --brief
    goto roost_home_workon_end
endif
if ( "$_roost_home_name:q" == "." ) set _roost_home_name = "$cwd:t"
# (switch, not "if ( ... =~ -* )": csh would read -* as a file test)
switch ( "$_roost_home_name:q" )
    case -*:
    case .*:
    case */*:
    case *:*:
    case *\;*:
        echo "roost: environment name '$_roost_home_name:q' is not a plain name (no '/', ':', ';', leading '-' or '.')" >> /dev/stderr
        goto roost_home_workon_end
endsw
set _roost_home_env = "$WORKON_HOME/$_roost_home_name:q"
if ( ! -d "$_roost_home_env:q" ) then
    echo "ERROR: Environment '$_roost_home_name:q' does not exist. Create it with 'mkvirtualenv $_roost_home_name:q'." >> /dev/stderr
    goto roost_home_workon_end
endif
if ( ! -f "$_roost_home_env:q/bin/activate.csh" ) then
    echo "ERROR: Environment '$_roost_home_env:q' does not contain an activate.csh script." >> /dev/stderr
    goto roost_home_workon_end
endif
# (a block: the one-line "if ( ... ) deactivate" would not expand the alias)
# Only while deactivate is still an alias: an activate.csh sourced since may have replaced
# ours and removed itself, so the name may now find a program on PATH.
if ( $?_roost_home_active ) then
    if ( "`alias deactivate`" != "" ) then
        deactivate
    else
        unset _roost_home_active
        unalias _roost_home_venv_deactivate
    endif
endif
foreach _roost_home_hook ( "$VIRTUALENVWRAPPER_HOOK_DIR/preactivate" "$_roost_home_env:q/bin/preactivate" )
    if ( -f "$_roost_home_hook:q" ) then
        ( cd "$WORKON_HOME" && "$_roost_home_hook:q" "$_roost_home_name:q" )
    endif
end
source "$_roost_home_env:q/bin/activate.csh"
set _roost_home_active = "$_roost_home_env:q"
set _roost_home_original = "`alias deactivate`"
alias _roost_home_venv_deactivate $_roost_home_original:q
alias deactivate 'set _roost_home_argv = ( \!* ); source "$_roost_home_lib/deactivate.csh"'
set _roost_home_project = ""
if ( -f "$VIRTUAL_ENV/$VIRTUALENVWRAPPER_PROJECT_FILENAME" ) then
    set _roost_home_project = "`head -n 1 $VIRTUAL_ENV:q/$VIRTUALENVWRAPPER_PROJECT_FILENAME:q`"
endif
if ( "$_roost_home_project:q" != "" ) then
    if ( "$_roost_home_cd_after" == 1 ) cd "$_roost_home_project:q"
    set _roost_home_hook = "$_roost_home_project:q/.virtualenvwrapper/postactivate"
    source "$_roost_home_lib/hook.csh"
endif
set _roost_home_hook = "$VIRTUALENVWRAPPER_HOOK_DIR/postactivate"
source "$_roost_home_lib/hook.csh"
set _roost_home_hook = "$VIRTUAL_ENV/bin/postactivate"
source "$_roost_home_lib/hook.csh"
set _roost_home_status = 0
roost_home_workon_end:
unset _roost_home_arg _roost_home_name _roost_home_env _roost_home_hook _roost_home_project _roost_home_original
test $_roost_home_status = 0
