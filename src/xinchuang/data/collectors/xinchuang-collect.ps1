<#
.SYNOPSIS
    xinchuang (信创) inventory of one Windows host.

.DESCRIPTION
    Writes one JSON document in the "xinchuang-windows-scan" format, version 1
    (documented in docs/collectors.md): the processors (Win32_Processor), the
    OS edition and build (Win32_OperatingSystem), the maker and model
    (Win32_ComputerSystem), the BIOS serial number (Win32_BIOS) and every
    installed program listed under the Uninstall registry keys of HKLM and
    HKCU, native and WOW6432Node (DisplayName, DisplayVersion, Publisher,
    InstallDate), the list "Programs and Features" shows.

    Runs on Windows PowerShell 2.0 and later and on PowerShell 7: it uses
    Get-CimInstance where it exists and Get-WmiObject otherwise, and writes its
    JSON itself (ConvertTo-Json needs PowerShell 3.0). The file is UTF-8
    without a byte-order mark, so Chinese program names survive.

.PARAMETER Output
    The file to write. Default: windows-scan-<COMPUTERNAME>.json in the current directory.

.PARAMETER AssetNo
    The organization's asset number of this host, if known.

.EXAMPLE
    powershell -ExecutionPolicy Bypass -File xinchuang-collect.ps1 -Output scan.json
#>
[CmdletBinding()]
param(
    [string]$Output = '',
    [string]$AssetNo = ''
)

Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'
$CollectorVersion = 1
$Invariant = [System.Globalization.CultureInfo]::InvariantCulture

function ConvertTo-XcJsonString([string]$Text) {
    $builder = New-Object System.Text.StringBuilder
    [void]$builder.Append('"')
    foreach ($char in $Text.ToCharArray()) {
        $code = [int]$char
        if ($code -eq 34) { [void]$builder.Append('\"') }
        elseif ($code -eq 92) { [void]$builder.Append('\\') }
        elseif ($code -eq 10) { [void]$builder.Append('\n') }
        elseif ($code -eq 13) { [void]$builder.Append('\r') }
        elseif ($code -eq 9) { [void]$builder.Append('\t') }
        elseif ($code -lt 32) { [void]$builder.Append(('\u{0:x4}' -f $code)) }
        else { [void]$builder.Append($char) }
    }
    [void]$builder.Append('"')
    return $builder.ToString()
}

function ConvertTo-XcJson($Value, [string]$Indent = '') {
    if ($null -eq $Value) { return 'null' }
    if ($Value -is [bool]) { if ($Value) { return 'true' } else { return 'false' } }
    if ($Value -is [byte] -or $Value -is [int16] -or $Value -is [uint16] -or $Value -is [int32] -or
        $Value -is [uint32] -or $Value -is [int64] -or $Value -is [uint64]) {
        return $Value.ToString($Invariant)
    }
    if ($Value -is [string]) { return (ConvertTo-XcJsonString $Value) }
    $inner = $Indent + '  '
    if ($Value -is [System.Collections.IDictionary]) {
        $parts = @()
        foreach ($key in $Value.Keys) {
            $parts += $inner + (ConvertTo-XcJsonString ([string]$key)) + ': ' + (ConvertTo-XcJson $Value[$key] $inner)
        }
        if ($parts.Count -eq 0) { return '{}' }
        return "{`n" + ($parts -join ",`n") + "`n" + $Indent + '}'
    }
    if ($Value -is [System.Collections.IEnumerable]) {
        $parts = @()
        foreach ($item in $Value) { $parts += $inner + (ConvertTo-XcJson $item $inner) }
        if ($parts.Count -eq 0) { return '[]' }
        return "[`n" + ($parts -join ",`n") + "`n" + $Indent + ']'
    }
    return (ConvertTo-XcJsonString ([string]$Value))
}

function New-XcObject {
    return (New-Object System.Collections.Specialized.OrderedDictionary)
}

# A trimmed string, or $null when empty: the JSON says null for what Windows does not report.
function Get-XcText($Value) {
    if ($null -eq $Value) { return $null }
    $text = ([string]$Value).Trim()
    if ($text.Length -eq 0) { return $null }
    return $text
}

function Get-XcInstances([string]$Class) {
    try {
        if (Get-Command Get-CimInstance -ErrorAction SilentlyContinue) {
            return @(Get-CimInstance -ClassName $Class -ErrorAction Stop)
        }
        return @(Get-WmiObject -Class $Class -ErrorAction Stop)
    } catch {
        Write-Warning "xinchuang-collect: cannot read ${Class}: $($_.Exception.Message)"
        return @()
    }
}

function Get-XcProperty($Instance, [string]$Name) {
    if ($null -eq $Instance) { return $null }
    $property = $Instance.PSObject.Properties[$Name]
    if ($null -eq $property) { return $null }
    return $property.Value
}

function Get-XcPrograms {
    $roots = @(
        @('HKLM', 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall', $false),
        @('HKLM', 'HKLM:\SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall', $true),
        @('HKCU', 'HKCU:\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall', $false),
        @('HKCU', 'HKCU:\SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall', $true)
    )
    $programs = New-Object System.Collections.ArrayList
    foreach ($root in $roots) {
        if (-not (Test-Path -LiteralPath $root[1])) { continue }
        foreach ($key in @(Get-ChildItem -LiteralPath $root[1] -ErrorAction SilentlyContinue)) {
            $name = Get-XcText $key.GetValue('DisplayName')
            if ($null -eq $name) { continue }  # Programs and Features lists only keys with a name
            $systemComponent = $key.GetValue('SystemComponent')
            $program = New-XcObject
            $program.Add('name', $name)
            $program.Add('version', (Get-XcText $key.GetValue('DisplayVersion')))
            $program.Add('publisher', (Get-XcText $key.GetValue('Publisher')))
            $program.Add('install_date', (Get-XcText $key.GetValue('InstallDate')))
            $program.Add('hive', $root[0])
            $program.Add('wow6432node', $root[2])
            $program.Add('key', $key.PSChildName)
            $program.Add('system_component', ($null -ne $systemComponent -and [int]$systemComponent -eq 1))
            $program.Add('release_type', (Get-XcText $key.GetValue('ReleaseType')))
            $program.Add('parent_key_name', (Get-XcText $key.GetValue('ParentKeyName')))
            [void]$programs.Add($program)
        }
    }
    return ,$programs
}

$scan = New-XcObject
$scan.Add('format', 'xinchuang-windows-scan')
$scan.Add('version', $CollectorVersion)
$collector = New-XcObject
$collector.Add('name', 'xinchuang-collect.ps1')
$collector.Add('version', $CollectorVersion)
$collector.Add('powershell', $PSVersionTable.PSVersion.ToString())
$scan.Add('collector', $collector)
$scan.Add('collected_at', [DateTime]::UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", $Invariant))
$scan.Add('hostname', (Get-XcText $env:COMPUTERNAME))

$computer = @(Get-XcInstances 'Win32_ComputerSystem') | Select-Object -First 1
$product = @(Get-XcInstances 'Win32_ComputerSystemProduct') | Select-Object -First 1
$scan.Add('domain', (Get-XcText (Get-XcProperty $computer 'Domain')))
$scan.Add('asset_no', (Get-XcText $AssetNo))
$scan.Add('uuid', (Get-XcText (Get-XcProperty $product 'UUID')))

$processors = New-Object System.Collections.ArrayList
foreach ($cpu in @(Get-XcInstances 'Win32_Processor')) {
    $entry = New-XcObject
    $entry.Add('name', (Get-XcText (Get-XcProperty $cpu 'Name')))
    $entry.Add('manufacturer', (Get-XcText (Get-XcProperty $cpu 'Manufacturer')))
    $entry.Add('cores', (Get-XcProperty $cpu 'NumberOfCores'))
    $entry.Add('logical_processors', (Get-XcProperty $cpu 'NumberOfLogicalProcessors'))
    $entry.Add('architecture', (Get-XcProperty $cpu 'Architecture'))
    [void]$processors.Add($entry)
}
$scan.Add('processors', $processors)

$os = @(Get-XcInstances 'Win32_OperatingSystem') | Select-Object -First 1
$osEntry = New-XcObject
$osEntry.Add('caption', (Get-XcText (Get-XcProperty $os 'Caption')))
$osEntry.Add('version', (Get-XcText (Get-XcProperty $os 'Version')))
$osEntry.Add('build_number', (Get-XcText (Get-XcProperty $os 'BuildNumber')))
$osEntry.Add('os_architecture', (Get-XcText (Get-XcProperty $os 'OSArchitecture')))
$currentVersion = $null
try {
    $currentVersion = Get-ItemProperty -LiteralPath 'HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion' -ErrorAction Stop
} catch {
    $currentVersion = $null
}
$osEntry.Add('edition_id', (Get-XcText (Get-XcProperty $currentVersion 'EditionID')))
$osEntry.Add('display_version', (Get-XcText (Get-XcProperty $currentVersion 'DisplayVersion')))
$scan.Add('os', $osEntry)

$system = New-XcObject
$system.Add('manufacturer', (Get-XcText (Get-XcProperty $computer 'Manufacturer')))
$system.Add('model', (Get-XcText (Get-XcProperty $computer 'Model')))
$system.Add('system_type', (Get-XcText (Get-XcProperty $computer 'SystemType')))
$scan.Add('computer_system', $system)

$bios = @(Get-XcInstances 'Win32_BIOS') | Select-Object -First 1
$biosEntry = New-XcObject
$biosEntry.Add('serial_number', (Get-XcText (Get-XcProperty $bios 'SerialNumber')))
$biosEntry.Add('manufacturer', (Get-XcText (Get-XcProperty $bios 'Manufacturer')))
$biosEntry.Add('version', (Get-XcText (Get-XcProperty $bios 'SMBIOSBIOSVersion')))
$scan.Add('bios', $biosEntry)

$scan.Add('programs', (Get-XcPrograms))

if ($Output -eq '') {
    $safeName = ($env:COMPUTERNAME -replace '[^A-Za-z0-9._-]', '_')
    $Output = "windows-scan-$safeName.json"
}
$target = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Output)
[System.IO.File]::WriteAllText($target, (ConvertTo-XcJson $scan) + "`n", (New-Object System.Text.UTF8Encoding($false)))
Write-Output $target
