# roost home (csh): mkvirtualenv, mkproject, mktmpenv and cpvirtualenv ($_roost_home_verb),
# with their arguments in $_roost_home_argv.
set _roost_home_ok = 0
# mktmpenv's own: workon.csh, sourced below, sets _roost_home_cd_after for itself
set _roost_home_tmp_cd = "$VIRTUALENVWRAPPER_WORKON_CD"
if ( "$_roost_home_verb" == mktmpenv ) then
    # (switch, not "if ( ... == -n )": csh would read -n as a file test)
    if ( $#_roost_home_argv > 0 ) then
        switch ( "$_roost_home_argv[1]" )
            case -n:
            case --no-cd:
                set _roost_home_tmp_cd = 0
                shift _roost_home_argv
                breaksw
            case -c:
            case --cd:
                set _roost_home_tmp_cd = 1
                shift _roost_home_argv
                breaksw
        endsw
    endif
    set _roost_home_new = "tmp-$$-`date +%s%N`"
    set _roost_home_argv = ( $_roost_home_argv:q "$_roost_home_new" )
    $_roost_home_cmd:q home new $_roost_home_argv:q && set _roost_home_ok = 1
else if ( "$_roost_home_verb" == cpvirtualenv ) then
    # the copy's name: DEST, else SRC's last path part (SRC may be a path outside the home)
    if ( $#_roost_home_argv >= 2 ) then
        set _roost_home_new = "$_roost_home_argv[2]"
    else if ( $#_roost_home_argv == 1 ) then
        set _roost_home_new = "$_roost_home_argv[1]"
        while ( "$_roost_home_new:q" =~ ?*/ )
            set _roost_home_new = "$_roost_home_new:h"
        end
        set _roost_home_new = "$_roost_home_new:t"
    endif
    $_roost_home_cmd:q home cp $_roost_home_argv:q && set _roost_home_ok = 1
else
    # NAME: the first argument, or the last when the first is an option (-a, -i, -r take a value)
    set _roost_home_rest = ( )
    set _roost_home_skip = 0
    foreach _roost_home_arg ( $_roost_home_argv:q )
        if ( $_roost_home_skip ) then
            set _roost_home_skip = 0
        else
            switch ( "$_roost_home_arg:q" )
                case -a:
                case -i:
                case -r:
                    set _roost_home_skip = 1
                    breaksw
                default:
                    set _roost_home_rest = ( $_roost_home_rest:q "$_roost_home_arg:q" )
                    breaksw
            endsw
        endif
    end
    set _roost_home_new = ""
    if ( $#_roost_home_rest > 0 ) then
        set _roost_home_new = "$_roost_home_rest[1]"
        switch ( "$_roost_home_new:q" )
            case -*:
                set _roost_home_new = "$_roost_home_rest[$#_roost_home_rest]"
                breaksw
        endsw
    endif
    if ( "$_roost_home_verb" == mkproject ) then
        $_roost_home_cmd:q home project new $_roost_home_argv:q && set _roost_home_ok = 1
    else
        $_roost_home_cmd:q home new $_roost_home_argv:q && set _roost_home_ok = 1
    endif
endif
if ( $_roost_home_ok ) then
    if ( "$_roost_home_verb" == mktmpenv ) then
        set _roost_home_argv = ( -n "$_roost_home_new" )
    else if ( "$_roost_home_verb" == mkproject ) then
        set _roost_home_argv = ( --cd "$_roost_home_new" )
    else
        set _roost_home_argv = ( "$_roost_home_new" )
    endif
    set _roost_home_verb_was = "$_roost_home_verb"
    source "$_roost_home_lib/workon.csh"
    set _roost_home_hook = "$VIRTUALENVWRAPPER_HOOK_DIR/postmkvirtualenv"
    source "$_roost_home_lib/hook.csh"
    if ( "$_roost_home_verb_was" == mkproject ) then
        set _roost_home_hook = "$VIRTUALENVWRAPPER_HOOK_DIR/postmkproject"
        source "$_roost_home_lib/hook.csh"
    else if ( "$_roost_home_verb_was" == cpvirtualenv ) then
        set _roost_home_hook = "$VIRTUALENVWRAPPER_HOOK_DIR/postcpvirtualenv"
        source "$_roost_home_lib/hook.csh"
    else if ( "$_roost_home_verb_was" == mktmpenv ) then
        if ( "$_roost_home_tmp_cd" == 1 ) cd "$VIRTUAL_ENV"
        echo "This is a temporary environment. It will be deleted when you run 'deactivate'." | tee "$VIRTUAL_ENV/README.tmpenv"
    endif
endif
unset _roost_home_ok _roost_home_new _roost_home_rest _roost_home_skip _roost_home_arg _roost_home_verb_was _roost_home_hook _roost_home_tmp_cd
