# Activates this roost environment in csh or tcsh.
# Source it, do not run it:      source bin/activate.csh
# Leave the environment with:    deactivate
#
# Written by roost: every value below was quoted for csh when the environment
# was created.  csh cannot tell a sourced file where it lives, so the
# environment's path is fixed here: after moving the environment, create it
# again (or use another shell).

# The alias holds only fixed text; the values it restores live in variables.
# csh expands a whole "if (...) command" line before testing, so each step is
# "test ... && command": the command is expanded only when it runs.
# _roost_active guards against unsetting what an earlier activation did not set.
alias deactivate 'test $?_roost_old_PATH = 1 && setenv PATH "$_roost_old_PATH:q"; test $?_roost_active = 1 && unsetenv VIRTUAL_ENV; test $?_roost_active = 1 && unsetenv VIRTUAL_ENV_PROMPT; test $?_roost_old_PYTHONHOME = 1 && setenv PYTHONHOME "$_roost_old_PYTHONHOME:q"; test $?_roost_old_VIRTUAL_ENV = 1 && setenv VIRTUAL_ENV "$_roost_old_VIRTUAL_ENV:q"; test $?_roost_old_VIRTUAL_ENV_PROMPT = 1 && setenv VIRTUAL_ENV_PROMPT "$_roost_old_VIRTUAL_ENV_PROMPT:q"; test $?_roost_old_prompt = 1 && set prompt = "$_roost_old_prompt:q"; unset _roost_active _roost_old_PATH _roost_old_PYTHONHOME _roost_old_VIRTUAL_ENV _roost_old_VIRTUAL_ENV_PROMPT _roost_old_prompt; rehash; test "\!:*" != "nondestructive" && unalias deactivate pydoc'

# undo an earlier activation first so that one deactivate restores the shell
deactivate nondestructive

set _roost_env = __ROOST_VIRTUAL_ENV__
set _roost_bin_name = __ROOST_BIN_NAME__

set _roost_active = 1
set _roost_old_PATH = "$PATH:q"
if ( $?PYTHONHOME ) then
    set _roost_old_PYTHONHOME = "$PYTHONHOME:q"
endif
if ( $?VIRTUAL_ENV ) then
    set _roost_old_VIRTUAL_ENV = "$VIRTUAL_ENV:q"
endif
if ( $?VIRTUAL_ENV_PROMPT ) then
    set _roost_old_VIRTUAL_ENV_PROMPT = "$VIRTUAL_ENV_PROMPT:q"
endif

setenv VIRTUAL_ENV "$_roost_env:q"
setenv VIRTUAL_ENV_PROMPT __ROOST_PROMPT__
setenv PATH "${_roost_env:q}/${_roost_bin_name:q}:${PATH:q}"
unsetenv PYTHONHOME

set _roost_show = 1
if ( $?VIRTUAL_ENV_DISABLE_PROMPT ) then
    if ( "$VIRTUAL_ENV_DISABLE_PROMPT:q" != "" ) set _roost_show = 0
endif
# tcsh reads %, !, ^ and \ in the prompt as escapes; the text below had them
# escaped when it was written, so it shows as it is.
if ( $_roost_show && $?prompt ) then
    set _roost_old_prompt = "$prompt:q"
    set prompt = __ROOST_PROMPT_SHOWN__"$prompt:q"
endif

alias pydoc python -m pydoc

unset _roost_env _roost_bin_name _roost_show
rehash
