"""``report``: compute the figures from the workspace and write the HTML page and the workbook."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from xinchuang.errors import UsageError
from xinchuang.i18n import _
from xinchuang.metrics.localization import localization
from xinchuang.metrics.trend import trend
from xinchuang.pipeline.status import load_inputs, load_snapshots, policy_of
from xinchuang.pipeline.workspace import Workspace
from xinchuang.report.data import ReportData
from xinchuang.report.html import write_html
from xinchuang.report.xlsx import write_xlsx

HTML_NAME = "report.html"
XLSX_NAME = "report.xlsx"
TOP_UNKNOWNS = 1000


@dataclass(frozen=True)
class ReportFiles:
    """The files written."""

    html: Path
    xlsx: Path


def report_data(workspace: Workspace, *, as_of: dt.date | None = None) -> ReportData:
    """The figures, the items behind them and the trend, ready for the writers."""
    catalog = workspace.catalog
    policy = policy_of(workspace)
    with workspace.engine.connect() as connection:
        host_rows, asset_rows, system_rows = load_inputs(connection)
        result = localization(
            host_rows,
            asset_rows,
            system_rows,
            catalog,
            policy=policy,
            as_of=as_of or dt.date.today(),
            top_unknowns=TOP_UNKNOWNS,
        )
    return ReportData(
        workspace=workspace.settings.name,
        generated_at=dt.datetime.now(dt.UTC),
        catalog=catalog,
        policy=policy,
        result=result,
        trend=trend(load_snapshots(workspace), result.figures),
    )


def write_reports(
    workspace: Workspace, output: Path, *, as_of: dt.date | None = None
) -> ReportFiles:
    """Write report.html and report.xlsx into ``output`` (created if missing)."""
    if output.exists() and not output.is_dir():
        raise UsageError(
            _("{path}: exists and is not a directory").format(path=output),
            tip=_("give --output a directory; the report writes {html} and {xlsx} in it").format(
                html=HTML_NAME, xlsx=XLSX_NAME
            ),
        )
    output.mkdir(parents=True, exist_ok=True)
    data = report_data(workspace, as_of=as_of)
    return ReportFiles(
        html=write_html(output / HTML_NAME, data),
        xlsx=write_xlsx(output / XLSX_NAME, data),
    )
