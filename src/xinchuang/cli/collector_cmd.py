"""``xinchuang collector`` writes the shipped collector out; ``xinchuang scan-host`` runs it here.

The collectors are data shipped in the package (``xinchuang/data/collectors``):
a POSIX shell script for Linux hosts and a PowerShell script for Windows.
They are copied to hosts that have no xinchuang (and often no usable Python),
run there, and their JSON is brought back for ``xinchuang import``.
"""

from __future__ import annotations

import os
import platform
import re
import stat
import subprocess
from pathlib import Path
from typing import Annotated

import typer

from xinchuang import resources
from xinchuang.cli.output import info
from xinchuang.errors import UsageError, XinchuangError
from xinchuang.i18n import _
from xinchuang.ingest.base import ReadOptions
from xinchuang.ingest.host_scan import HostScanReader
from xinchuang.models.asset import AssetKind, AssetRecord

POSIX_COLLECTOR = "xinchuang-collect.sh"
WINDOWS_COLLECTOR = "xinchuang-collect.ps1"
SCAN_TIMEOUT_SECONDS = 600


def collector_path(windows: bool = False) -> Path:
    """The shipped collector script."""
    return resources.data_path("collectors", WINDOWS_COLLECTOR if windows else POSIX_COLLECTOR)


def collector(
    output: Annotated[
        Path,
        typer.Option(
            "--output", "-o", help=_("Where to write the script."), dir_okay=False, writable=True
        ),
    ],
    windows: Annotated[
        bool,
        typer.Option("--windows", help=_("The PowerShell collector for Windows hosts.")),
    ] = False,
) -> None:
    """Write the host collector script out, to copy to the hosts to inventory."""
    script = collector_path(windows)
    try:
        output.write_bytes(script.read_bytes())
        mode = output.stat().st_mode
        output.chmod(mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    except OSError as exc:
        raise UsageError(
            _("cannot write {path}: {reason}").format(path=output, reason=exc.strerror or exc)
        ) from exc
    typer.echo(str(output))
    if windows:
        info(
            _(
                "On each Windows host run: powershell -ExecutionPolicy Bypass -File {name} "
                "-Output scan.json; then: xinchuang import scan.json"
            ).format(name=output.name)
        )
    else:
        info(
            _(
                "On each host run (as root for the serial number): sh {name} -o "
                "host-scan-$(uname -n).json; then: xinchuang import host-scan-*.json"
            ).format(name=output.name)
        )


def default_output(hostname: str) -> Path:
    """``./host-scan-<hostname>.json``, with characters unsafe in file names replaced."""
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", hostname).strip(".") or "localhost"
    return Path(f"host-scan-{safe}.json")


def scan_host(
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help=_("Where to write the scan (default: ./host-scan-<hostname>.json)."),
            dir_okay=False,
        ),
    ] = None,
    asset_no: Annotated[
        str | None,
        typer.Option(
            "--asset-no", help=_("This host's asset number in the organization's register.")
        ),
    ] = None,
) -> None:
    """Scan this host with the shipped POSIX collector and write its host-scan JSON."""
    if os.name != "posix":
        raise UsageError(
            _("scan-host runs the POSIX collector; on Windows use the PowerShell collector"),
            tip=_("xinchuang collector --windows --output xinchuang-collect.ps1"),
        )
    target = output or default_output(platform.node())
    command = ["/bin/sh", str(collector_path()), "--output", str(target)]
    if asset_no:
        command += ["--asset-no", asset_no]
    try:
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=SCAN_TIMEOUT_SECONDS, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise XinchuangError(
            _("the host collector could not run: {reason}").format(reason=exc)
        ) from exc
    if result.returncode != 0:
        detail = (result.stderr.strip().splitlines() or [f"exit status {result.returncode}"])[-1]
        raise XinchuangError(_("the host collector failed: {detail}").format(detail=detail))
    # Read the scan back as `import` will: a scan that does not read is not handed over.
    records = [
        record
        for record in HostScanReader().read(target, ReadOptions())
        if isinstance(record, AssetRecord)
    ]
    packages = sum(1 for record in records if record.kind is AssetKind.SOFTWARE)
    system = next((record.name for record in records if record.kind is AssetKind.OS), "?")
    typer.echo(str(target))
    info(
        _("{system}, {packages} packages; import it with: xinchuang import {path}").format(
            system=system, packages=packages, path=target
        )
    )
