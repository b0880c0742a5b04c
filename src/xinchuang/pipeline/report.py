"""``report``: compute the figures from the workspace and write the HTML page and the workbook."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy import Connection, select

from xinchuang.errors import UsageError
from xinchuang.i18n import _
from xinchuang.metrics.localization import localization
from xinchuang.metrics.trend import trend
from xinchuang.pipeline.plan import forecast_json, load_plan, progress_json, run_forecast
from xinchuang.pipeline.status import load_inputs, load_snapshots, policy_of
from xinchuang.pipeline.workspace import Workspace
from xinchuang.report.data import ReportData
from xinchuang.report.findings import FindingRow, findings_section, findings_sheets, summarize
from xinchuang.report.html import write_html
from xinchuang.report.plan import FORECAST_RUNS, PlanInputs, plan_section, plan_sheets
from xinchuang.report.xlsx import write_xlsx
from xinchuang.store.tables import findings as findings_table
from xinchuang.store.tables import plans as plans_table

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
    planned, unreadable = plan_inputs(workspace, as_of=as_of or dt.date.today())
    plan = plan_section(planned, data.catalog, unreadable=unreadable)
    with workspace.engine.connect() as connection:
        # the scanner's findings: read once for the section, again row by row for the sheet
        found = summarize(load_findings(connection))
        return ReportFiles(
            html=write_html(output / HTML_NAME, data, [findings_section(found), plan]),
            xlsx=write_xlsx(
                output / XLSX_NAME,
                data,
                [
                    *findings_sheets(found, load_findings(connection)),
                    *plan_sheets(planned, data.catalog),
                ],
            ),
        )


def plan_inputs(workspace: Workspace, *, as_of: dt.date) -> tuple[PlanInputs | None, int | None]:
    """The newest saved plan, its forecast and quarterly return; or None (and its id if unreadable).

    The forecast is run here, with :data:`FORECAST_RUNS` runs and the plan's own seed:
    ``xinchuang forecast --runs 500`` prints the same figures.
    """
    with workspace.engine.connect() as connection:
        newest = connection.execute(
            select(plans_table.c.id, plans_table.c.created_at)
            .order_by(plans_table.c.id.desc())
            .limit(1)
        ).first()
    if newest is None:
        return None, None
    try:
        saved = load_plan(workspace, newest.id)
    except (ValidationError, KeyError):  # saved by a version whose plan no longer reads
        return None, int(newest.id)
    seed = saved.settings.seed
    return (
        PlanInputs(
            id=saved.id,
            name=saved.name,
            created_at=newest.created_at,
            instance=saved.instance,
            solution=saved.solution,
            plan=saved.plan,
            forecast=forecast_json(run_forecast(saved, runs=FORECAST_RUNS, seed=seed)),
            progress=progress_json(workspace, saved, as_of),
            catalog_revision=workspace.catalog.revision,
        ),
        None,
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
