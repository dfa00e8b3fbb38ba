@echo off
rem Leaves the roost environment that activate.bat turned on in this session.
rem The steps live in activate.bat; running it without CALL hands over to it
rem for good, and its path is expanded only once.
"%~dp0activate.bat" /deactivate
