# roost home (csh): print the environments' names (csh/names.sh does the work).
sh "$_roost_home_lib/names.sh"
