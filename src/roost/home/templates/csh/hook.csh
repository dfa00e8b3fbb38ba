# roost home (csh): source the .csh variant of the hook $_roost_home_hook, if there is one.
if ( -f "$_roost_home_hook.csh" ) source "$_roost_home_hook.csh"
