# roost home (csh): print the environments' names, for completion.
foreach _roost_home_entry ( `sh -c 'cd "$WORKON_HOME" 2>/dev/null && for d in */bin/activate; do [ -f "$d" ] && echo "${d%/bin/activate}"; done'` )
    echo "$_roost_home_entry"
end
unset _roost_home_entry
