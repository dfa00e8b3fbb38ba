# roost home (csh): print the environments' names, one a line, for tcsh's completion.
# POSIX sh, run as `sh names.sh` (no csh process to start, no csh quoting to get right).
cd "$WORKON_HOME" 2>/dev/null || exit 0
for entry in */bin/activate; do
    [ -f "$entry" ] && printf '%s\n' "${entry%/bin/activate}"
done
exit 0
