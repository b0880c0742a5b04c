"""``report``: compute the figures from the workspace and write the HTML page and the workbook."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, select

from xinchuang.errors import UsageError
from xinchuang.i18n import _
from xinchuang.metrics.localization import localization
from xinchuang.metrics.trend import trend
from xinchuang.pipeline.status import load_inputs, load_snapshots, policy_of
from xinchuang.pipeline.workspace import Workspace
from xinchuang.report.data import ReportData
from xinchuang.report.findings import FindingRow, findings_section, findings_sheets, summarize
from xinchuang.report.html import write_html
from xinchuang.report.xlsx import write_xlsx
from xinchuang.store.tables import findings as findings_table

HTML_NAME = "report.html"
XLSX_NAME = "report.xlsx"
TOP_UNKNOWNS = 1000
FINDINGS_BATCH = 2000


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
    with workspace.engine.connect() as connection:
        # the scanner's findings: read once for the section, again row by row for the sheet
        found = summarize(load_findings(connection))
        return ReportFiles(
            html=write_html(output / HTML_NAME, data, [findings_section(found)]),
            xlsx=write_xlsx(
                output / XLSX_NAME, data, findings_sheets(found, load_findings(connection))
            ),
        )


def load_findings(connection: Connection) -> Iterator[FindingRow]:
    """The stored findings, by business system, scan root and place, streamed in batches."""
    t = findings_table
    query = select(t).order_by(
        t.c.system.nulls_last(),  # the same order on SQLite and PostgreSQL
        t.c.scan_root,
        t.c.path,
        t.c.line.nulls_first(),  # a whole-file finding before the file's lines
        t.c.column.nulls_first(),
        t.c.id,
    )
    result = connection.execution_options(yield_per=FINDINGS_BATCH).execute(query)
    for record in result.mappings():
        yield FindingRow.from_record(record)
