@echo off
rem Activates this roost environment in cmd.exe:   Scripts\activate.bat
rem Leave the environment with:                    deactivate
rem
rem Written by roost.  Values below were escaped for cmd when the environment
rem was created: %% stands for a percent sign, and a session started with
rem delayed expansion (cmd /V:ON) gets a second form with carets and bangs escaped.

rem deactivate.bat comes here, so the restoring steps exist once
if "%~1"=="/deactivate" goto roost_deactivate

rem This file is UTF-8: read the rest of it with code page 65001, then switch back.
for /f "tokens=2 delims=:." %%a in ('"%SystemRoot%\System32\chcp.com"') do set "_ROOST_CODEPAGE=%%a"
if defined _ROOST_CODEPAGE "%SystemRoot%\System32\chcp.com" 65001 >nul

rem undo an earlier activation first so that one deactivate restores the session
rem (a CALL to a label: a CALL to this file's path would expand its % signs again)
call :roost_restore

set "_ROOST_ACTIVE=1"
set "_ROOST_OLD_PATH=%PATH%"
if defined PYTHONHOME set "_ROOST_OLD_PYTHONHOME=%PYTHONHOME%"
if defined VIRTUAL_ENV set "_ROOST_OLD_VIRTUAL_ENV=%VIRTUAL_ENV%"
if defined VIRTUAL_ENV_PROMPT set "_ROOST_OLD_VIRTUAL_ENV_PROMPT=%VIRTUAL_ENV_PROMPT%"

rem the environment is where this file is, so it still works after a move
for %%i in ("%~dp0__ROOST_UP__") do set "VIRTUAL_ENV=%%~fi"
if "!!"=="" (set "VIRTUAL_ENV_PROMPT=__ROOST_PROMPT_DE__") else (set "VIRTUAL_ENV_PROMPT=__ROOST_PROMPT__")
set "PATH=%VIRTUAL_ENV%\__ROOST_BIN_NAME__;%PATH%"
set PYTHONHOME=

if defined VIRTUAL_ENV_DISABLE_PROMPT goto roost_prompt_done
set "_ROOST_PROMPT_SET=1"
if defined PROMPT set "_ROOST_OLD_PROMPT=%PROMPT%"
if not defined PROMPT set "PROMPT=$P$G"
rem the prompt text had $ doubled: cmd reads $ in PROMPT as a code
if "!!"=="" (set "PROMPT=(__ROOST_PROMPT_SHOWN_DE__) %PROMPT%") else (set "PROMPT=(__ROOST_PROMPT_SHOWN__) %PROMPT%")
:roost_prompt_done

if defined _ROOST_CODEPAGE "%SystemRoot%\System32\chcp.com" %_ROOST_CODEPAGE% >nul
set _ROOST_CODEPAGE=
goto :eof

:roost_deactivate
call :roost_restore
goto :eof

rem Every variable goes back to its value before activation, or to unset.
:roost_restore
if not defined _ROOST_ACTIVE goto :eof
set "PATH=%_ROOST_OLD_PATH%"
set PYTHONHOME=
if defined _ROOST_OLD_PYTHONHOME set "PYTHONHOME=%_ROOST_OLD_PYTHONHOME%"
set VIRTUAL_ENV=
if defined _ROOST_OLD_VIRTUAL_ENV set "VIRTUAL_ENV=%_ROOST_OLD_VIRTUAL_ENV%"
set VIRTUAL_ENV_PROMPT=
if defined _ROOST_OLD_VIRTUAL_ENV_PROMPT set "VIRTUAL_ENV_PROMPT=%_ROOST_OLD_VIRTUAL_ENV_PROMPT%"
if defined _ROOST_PROMPT_SET set PROMPT=
if defined _ROOST_OLD_PROMPT set "PROMPT=%_ROOST_OLD_PROMPT%"
set _ROOST_ACTIVE=
set _ROOST_OLD_PATH=
set _ROOST_OLD_PYTHONHOME=
set _ROOST_OLD_VIRTUAL_ENV=
set _ROOST_OLD_VIRTUAL_ENV_PROMPT=
set _ROOST_OLD_PROMPT=
set _ROOST_PROMPT_SET=
goto :eof
