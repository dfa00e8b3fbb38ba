@echo off
rem Runs pydoc with the Python of this roost environment.
"%~dp0python.exe" -m pydoc %*
