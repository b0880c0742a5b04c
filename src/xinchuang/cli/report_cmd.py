"""``xinchuang report``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from xinchuang.cli.options import CatalogOpt, FormatOpt, WorkspaceOpt
from xinchuang.cli.output import Format, emit_json
from xinchuang.cli.status_cmd import AsOfOpt, parse_date
from xinchuang.i18n import _
from xinchuang.pipeline.report import write_reports
from xinchuang.pipeline.workspace import open_workspace


def report_cmd(
    output: Annotated[
        Path,
        typer.Option(
            "--output", "-o", help=_("Directory to write report.html and report.xlsx into.")
        ),
    ],
    workspace: WorkspaceOpt = Path("."),
    as_of: AsOfOpt = None,
    fmt: FormatOpt = Format.TABLE,
    catalog: CatalogOpt = None,
) -> None:
    """Write a self-contained HTML report and an XLSX workbook of the localization rate."""
    date = parse_date(as_of)
    with open_workspace(workspace, catalogs=[str(c) for c in catalog or []]) as ws:
        files = write_reports(ws, output, as_of=date)
    if fmt is Format.JSON:
        emit_json({"html": str(files.html), "xlsx": str(files.xlsx)})
    else:
        typer.echo(str(files.html))
        typer.echo(str(files.xlsx))
