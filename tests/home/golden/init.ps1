# roost shell-init for PowerShell: virtualenvwrapper's commands as PowerShell functions.
# Load it:  roost shell-init powershell > $HOME\roost-home.ps1   and in $PROFILE:
#   . $HOME\roost-home.ps1
#
# workon and deactivate dot-source the environment's activate.ps1 and the .ps1 variants of
# the sourced hooks (postactivate.ps1, ...); run hooks are programs.  Every value below is
# a single-quoted PowerShell string written by roost.

$global:_RoostHomeCommand = @('C:\Program Files\it''s ‘‘here’’ $(calc)\python.exe', '-m', 'roost')

if (-not $env:WORKON_HOME) { $env:WORKON_HOME = Join-Path $HOME '.virtualenvs' }
if (-not $env:VIRTUALENVWRAPPER_HOOK_DIR) { $env:VIRTUALENVWRAPPER_HOOK_DIR = $env:WORKON_HOME }
if (-not $env:VIRTUALENVWRAPPER_PROJECT_FILENAME) { $env:VIRTUALENVWRAPPER_PROJECT_FILENAME = '.project' }
if (-not $env:VIRTUALENVWRAPPER_WORKON_CD) { $env:VIRTUALENVWRAPPER_WORKON_CD = '1' }

function global:_RoostHome {
    $exe, $rest = $global:_RoostHomeCommand
    & $exe @rest home @args
}

function global:_RoostHomeBin([string] $Venv) {
    foreach ($name in 'Scripts', 'bin') {
        $folder = Join-Path $Venv $name
        if (Test-Path -LiteralPath $folder -PathType Container) { return $folder }
    }
    return Join-Path $Venv 'Scripts'
}

# A sourced hook: its PowerShell variant, dot-sourced by the caller.
function global:_RoostHomeHookPath([string] $Hook) {
    $script = "$Hook.ps1"
    if (Test-Path -LiteralPath $script -PathType Leaf) { return $script }
    return $null
}

# A run hook: a program, started from WORKON_HOME.
function global:_RoostHomeRun([string] $Hook) {
    if (Test-Path -LiteralPath $Hook -PathType Leaf) {
        Push-Location -LiteralPath $env:WORKON_HOME
        try { & $Hook @args } finally { Pop-Location }
    }
}

function global:_RoostHomeProject([string] $Venv) {
    $file = Join-Path $Venv $env:VIRTUALENVWRAPPER_PROJECT_FILENAME
    if (Test-Path -LiteralPath $file -PathType Leaf) { return (Get-Content -LiteralPath $file -TotalCount 1) }
    return $null
}

function global:_RoostHomeDeactivate {
    $old = $env:VIRTUAL_ENV
    $project = _RoostHomeProject $old
    $hooks = @()
    if ($project) { $hooks += Join-Path $project '.virtualenvwrapper\predeactivate' }
    $hooks += (Join-Path (_RoostHomeBin $old) 'predeactivate'), (Join-Path $env:VIRTUALENVWRAPPER_HOOK_DIR 'predeactivate')
    foreach ($hook in $hooks) { $script = _RoostHomeHookPath $hook; if ($script) { . $script } }
    _roost_home_venv_deactivate @args
    $env:VIRTUALENVWRAPPER_LAST_VIRTUAL_ENV = Join-Path $env:WORKON_HOME (Split-Path -Leaf $old)
    foreach ($hook in (Join-Path (_RoostHomeBin $env:VIRTUALENVWRAPPER_LAST_VIRTUAL_ENV) 'postdeactivate'), (Join-Path $env:VIRTUALENVWRAPPER_HOOK_DIR 'postdeactivate')) {
        $script = _RoostHomeHookPath $hook; if ($script) { . $script }
    }
    Remove-Item Env:\VIRTUALENVWRAPPER_LAST_VIRTUAL_ENV -ErrorAction SilentlyContinue
    if ($args[0] -ne 'nondestructive') {
        Remove-Item Function:\_roost_home_venv_deactivate, Function:\deactivate -ErrorAction SilentlyContinue
        if ((Test-Path -LiteralPath (Join-Path $old 'README.tmpenv')) -and ((Split-Path -Parent $old) -eq $env:WORKON_HOME.TrimEnd('/', '\'))) {
            Write-Output "Removing temporary environment: $(Split-Path -Leaf $old)"
            Set-Location -LiteralPath $env:WORKON_HOME
            _RoostHome rm (Split-Path -Leaf $old)
        }
    }
}

function global:workon {
    param([string] $Name, [switch] $Cd, [switch] $NoCd)
    if (-not $Name) { _RoostHome ls --brief; return }
    if ($Name -eq '.') { $Name = Split-Path -Leaf (Get-Location).Path }
    if ($Name -match '^[-.]|[/\\:;\x00-\x1f]') {
        Write-Error "roost: environment name '$Name' is not a plain name (no '/', ':', ';', leading '-' or '.')"; return
    }
    $venv = Join-Path $env:WORKON_HOME $Name
    if (-not (Test-Path -LiteralPath $venv -PathType Container)) {
        Write-Error "ERROR: Environment '$Name' does not exist. Create it with 'mkvirtualenv $Name'."; return
    }
    $cdAfter = if ($Cd) { $true } elseif ($NoCd) { $false } else { $env:VIRTUALENVWRAPPER_WORKON_CD -eq '1' }
    if (Test-Path Function:\_roost_home_venv_deactivate) { deactivate }
    _RoostHomeRun (Join-Path $env:VIRTUALENVWRAPPER_HOOK_DIR 'preactivate') $Name
    _RoostHomeRun (Join-Path (_RoostHomeBin $venv) 'preactivate') $Name
    . (Join-Path (_RoostHomeBin $venv) 'activate.ps1')
    Copy-Item Function:\deactivate Function:\global:_roost_home_venv_deactivate
    function global:deactivate { _RoostHomeDeactivate @args }
    $project = _RoostHomeProject $venv
    $hooks = @()
    if ($project) {
        if ($cdAfter) { Set-Location -LiteralPath $project }
        $hooks += Join-Path $project '.virtualenvwrapper\postactivate'
    }
    $hooks += (Join-Path $env:VIRTUALENVWRAPPER_HOOK_DIR 'postactivate'), (Join-Path (_RoostHomeBin $venv) 'postactivate')
    foreach ($hook in $hooks) { $script = _RoostHomeHookPath $hook; if ($script) { . $script } }
}

function global:_RoostHomeNewName([string[]] $Arguments) {
    $rest = @(); $skip = $false
    foreach ($arg in $Arguments) {
        if ($skip) { $skip = $false } elseif ($arg -in '-a', '-i', '-r') { $skip = $true } else { $rest += $arg }
    }
    if ($rest.Count -eq 0) { return '' }
    if ($rest[0].StartsWith('-')) { return $rest[-1] }
    return $rest[0]
}

function global:_RoostHomeSourceGlobal([string] $Name) {
    $script = _RoostHomeHookPath (Join-Path $env:VIRTUALENVWRAPPER_HOOK_DIR $Name)
    if ($script) { . $script }
}

function global:mkvirtualenv { _RoostHome new @args; if ($?) { workon (_RoostHomeNewName $args); _RoostHomeSourceGlobal postmkvirtualenv } }
function global:mkproject {
    _RoostHome project new @args
    if ($?) { workon -Cd (_RoostHomeNewName $args); _RoostHomeSourceGlobal postmkvirtualenv; _RoostHomeSourceGlobal postmkproject }
}
function global:mktmpenv {
    $name = 'tmp-' + [guid]::NewGuid().ToString('N').Substring(0, 12)
    _RoostHome new @args $name
    if ($?) {
        workon -NoCd $name; _RoostHomeSourceGlobal postmkvirtualenv
        if ($env:VIRTUALENVWRAPPER_WORKON_CD -eq '1') { Set-Location -LiteralPath $env:VIRTUAL_ENV }
        $message = "This is a temporary environment. It will be deleted when you run 'deactivate'."
        Set-Content -LiteralPath (Join-Path $env:VIRTUAL_ENV 'README.tmpenv') -Value $message
        Write-Output $message
    }
}
# The copy's name: DEST, else SRC's last path part (SRC may be a path outside the home).
function global:cpvirtualenv {
    $target = if ($args.Count -ge 2) { $args[1] } else { Split-Path -Leaf (([string]$args[0]).TrimEnd('/', '\')) }
    _RoostHome cp @args; if ($?) { workon $target; _RoostHomeSourceGlobal postmkvirtualenv; _RoostHomeSourceGlobal postcpvirtualenv }
}
function global:lsvirtualenv { if ($args[0] -eq '-b') { _RoostHome ls --brief } else { _RoostHome ls --long } }
function global:showvirtualenv { if ($args.Count) { _RoostHome show $args[0] } else { _RoostHome show $env:VIRTUAL_ENV } }
function global:rmvirtualenv { _RoostHome rm @args }
function global:allvirtualenv { _RoostHome run-all -- @args }
function global:cdvirtualenv { Set-Location -LiteralPath (Join-Path $env:VIRTUAL_ENV ($args + @('') | Select-Object -First 1)) }
function global:cdsitepackages { Set-Location -LiteralPath (Join-Path (_RoostHome site-packages $env:VIRTUAL_ENV) ($args + @('') | Select-Object -First 1)) }
function global:lssitepackages { Get-ChildItem -LiteralPath (_RoostHome site-packages $env:VIRTUAL_ENV) }
function global:add2virtualenv { if ($args[0] -eq '-d') { _RoostHome add -d $env:VIRTUAL_ENV @($args | Select-Object -Skip 1) } else { _RoostHome add $env:VIRTUAL_ENV @args } }
function global:setvirtualenvproject {
    $venv = if ($args.Count -ge 1) { $args[0] } else { $env:VIRTUAL_ENV }
    $project = if ($args.Count -ge 2) { $args[1] } else { (Get-Location).Path }
    _RoostHome project set $venv $project
}
function global:cdproject { $project = _RoostHomeProject $env:VIRTUAL_ENV; if ($project) { Set-Location -LiteralPath $project } else { Write-Error "No project set" } }
function global:wipeenv { _RoostHome wipe $env:VIRTUAL_ENV }
function global:toggleglobalsitepackages { _RoostHome global-site-packages $env:VIRTUAL_ENV toggle }

Register-ArgumentCompleter -CommandName workon, rmvirtualenv, cpvirtualenv, showvirtualenv -ParameterName Name -ScriptBlock {
    param($commandName, $parameterName, $wordToComplete)
    Get-ChildItem -LiteralPath $env:WORKON_HOME -Directory -ErrorAction SilentlyContinue |
        Where-Object { $_.Name -like "$wordToComplete*" } | ForEach-Object { $_.Name }
}

if (-not (Test-Path -LiteralPath $env:WORKON_HOME)) { New-Item -ItemType Directory -Path $env:WORKON_HOME | Out-Null }
