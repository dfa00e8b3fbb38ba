# Activates this roost environment in PowerShell (Windows PowerShell 5.1 or pwsh).
# Dot-source it:                 . bin/activate.ps1
# Leave the environment with:    deactivate
#
# Written by roost: every value below is a single-quoted PowerShell string;
# PowerShell takes the curly quotes as quotes too, so those are doubled as well.

function global:deactivate ([switch] $NonDestructive) {
    if (Test-Path -LiteralPath variable:global:_ROOST_SAVED) {
        # every saved variable goes back to its old value, or to unset
        foreach ($entry in $global:_ROOST_SAVED.GetEnumerator()) {
            if ($null -eq $entry.Value) {
                Remove-Item -LiteralPath "env:$($entry.Key)" -ErrorAction SilentlyContinue
            } else {
                Set-Item -LiteralPath "env:$($entry.Key)" -Value $entry.Value
            }
        }
        Remove-Variable -Name _ROOST_SAVED -Scope Global
    }
    if (Test-Path -LiteralPath function:global:_roost_old_prompt) {
        Set-Item -LiteralPath function:global:prompt -Value $function:global:_roost_old_prompt
        Remove-Item -LiteralPath function:global:_roost_old_prompt
    }
    if (-not $NonDestructive) {
        Remove-Item -LiteralPath function:global:deactivate
        Remove-Item -LiteralPath function:global:pydoc -ErrorAction SilentlyContinue
    }
}

# undo an earlier activation first so that one deactivate restores the session
deactivate -NonDestructive

$_roost_env = 'C:\Users\me\envs\quoted'
$_roost_bin_name = 'Scripts'
# this file's own folder wins, so a moved environment still works
if ($PSScriptRoot) {
    $_roost_env = [System.IO.Path]::GetFullPath([System.IO.Path]::Combine($PSScriptRoot, '..'))
}

$global:_ROOST_SAVED = @{}
foreach ($_roost_name in @('PATH', 'PYTHONHOME', 'VIRTUAL_ENV', 'VIRTUAL_ENV_PROMPT')) {
    $global:_ROOST_SAVED[$_roost_name] = [System.Environment]::GetEnvironmentVariable($_roost_name)
}

$env:VIRTUAL_ENV = $_roost_env
$env:VIRTUAL_ENV_PROMPT = 'say "hi"
there ü'
$_roost_bin = [System.IO.Path]::Combine($_roost_env, $_roost_bin_name)
if ($env:PATH) {
    $env:PATH = $_roost_bin + [System.IO.Path]::PathSeparator + $env:PATH
} else {
    $env:PATH = $_roost_bin
}
Remove-Item -LiteralPath env:PYTHONHOME -ErrorAction SilentlyContinue

if (-not $env:VIRTUAL_ENV_DISABLE_PROMPT) {
    Set-Item -LiteralPath function:global:_roost_old_prompt -Value $function:prompt
    function global:prompt {
        # the text is an environment variable's value: shown, never evaluated
        '(' + $env:VIRTUAL_ENV_PROMPT + ') ' + (& $function:_roost_old_prompt)
    }
}

function global:pydoc {
    python -m pydoc @args
}

Remove-Variable -Name _roost_env, _roost_bin_name, _roost_bin, _roost_name -ErrorAction SilentlyContinue
