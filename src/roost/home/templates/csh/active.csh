# roost home (csh): the commands that act on the active environment ($_roost_home_verb).
if ( ! $?VIRTUAL_ENV ) then
    echo "ERROR: no virtualenv active, or active virtualenv is missing" >> /dev/stderr
else if ( "$_roost_home_verb" == setvirtualenvproject ) then
    if ( $#_roost_home_argv == 0 ) set _roost_home_argv = ( "$VIRTUAL_ENV" )
    if ( $#_roost_home_argv == 1 ) set _roost_home_argv = ( $_roost_home_argv:q "$cwd" )
    $_roost_home_cmd:q home project set $_roost_home_argv:q
else if ( "$_roost_home_verb" == cdvirtualenv ) then
    cd "$VIRTUAL_ENV/$_roost_home_argv:q"
else if ( "$_roost_home_verb" == cdproject ) then
    if ( -f "$VIRTUAL_ENV/$VIRTUALENVWRAPPER_PROJECT_FILENAME" ) then
        cd "`head -n 1 $VIRTUAL_ENV:q/$VIRTUALENVWRAPPER_PROJECT_FILENAME:q`"
    else
        echo "No project set in $VIRTUAL_ENV/$VIRTUALENVWRAPPER_PROJECT_FILENAME" >> /dev/stderr
    endif
else if ( "$_roost_home_verb" == add2virtualenv ) then
    set _roost_home_remove = ( )
    if ( $#_roost_home_argv > 0 ) then
        switch ( "$_roost_home_argv[1]" )
            case -d:
                shift _roost_home_argv
                set _roost_home_remove = ( -d )
                breaksw
        endsw
    endif
    $_roost_home_cmd:q home add $_roost_home_remove "$VIRTUAL_ENV" $_roost_home_argv:q
    unset _roost_home_remove
else if ( "$_roost_home_verb" == wipeenv ) then
    $_roost_home_cmd:q home wipe "$VIRTUAL_ENV"
else if ( "$_roost_home_verb" == toggleglobalsitepackages ) then
    $_roost_home_cmd:q home global-site-packages "$VIRTUAL_ENV" toggle
else
    set _roost_home_sp = "`$_roost_home_cmd:q home site-packages $VIRTUAL_ENV:q`"
    if ( "$_roost_home_sp:q" != "" ) then
        if ( "$_roost_home_verb" == cdsitepackages ) then
            cd "$_roost_home_sp:q/$_roost_home_argv:q"
        else
            ls $_roost_home_argv:q "$_roost_home_sp:q"
            if ( -f "$_roost_home_sp:q/_virtualenv_path_extensions.pth" ) then
                echo
                echo "_virtualenv_path_extensions.pth:"
                cat "$_roost_home_sp:q/_virtualenv_path_extensions.pth"
            endif
        endif
    endif
    unset _roost_home_sp
endif
