"""The migration plan in ``xinchuang report``: Gantt, forecast, blockers, the quarterly return.

Each test builds a workspace on SQLite and on PostgreSQL (the ``db_url``
fixture): a small register and a business-systems file (one system named like
a script, one with no certified stack left, two that miss their deadline) are
imported, ``xinchuang plan`` saves a plan, and ``xinchuang report`` writes the
page and the workbook, which are read back.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import update

from xinchuang.pipeline.workspace import open_workspace
from xinchuang.store.tables import plans

SECTION = "migration-plan"
SCRIPT = "<script>alert(1)</script>"
CORE, CREDIT = "核心系统", "信贷系统"
REGISTER = (
    "资产编号,设备名称,品牌,型号,序列号,主机名,CPU型号,操作系统,所属单位,采购金额\n"
    "ZC-001,数据库服务器,华为,TaiShan 200,SN001,db01,HUAWEI Kunpeng 920,"
    "Kylin Linux Advanced Server V10,总行,120000\n"
    "ZC-002,办公电脑,Dell,OptiPlex 7090,SN002,pc02,Intel(R) Core(TM) i7-10700 CPU @ 2.90GHz,"
    "Windows 10 专业版,总行,6000\n"
    "ZC-003,应用服务器,Dell,PowerEdge R740,SN003,app03,Intel Xeon Gold 6248,CentOS 7,"
    "分行,60000\n"
)
SYSTEMS = (
    "system,unit,sector,criticality,hosts,software,depends_on\n"
    f"{CORE},总行,银行,高,ZC-001,WebLogic,\n"
    f"{SCRIPT},总行,银行,中,ZC-002,Tomcat,\n"
    f"{CREDIT},分行,银行,中,ZC-003,Oracle Database 19c;Tomcat,\n"
)
# every domestic application server forbidden: WebLogic has nothing left, and as the core
# system's only foreign layer its block leaves nothing to replace (a blocker);
# while Tomcat, open source, may stay; three months of parallel running after each cut-over
PLAN_YAML = """\
forbidden: [tongweb, apusic, inforsuite, bes]
parallel_running:
  months: 3
  days_per_month: 1
"""
AS_OF = "2028-04-15"  # after 信贷系统's planned end, during the script system's parallel running


class _Page(HTMLParser):
    """The plan section's text, its tables by class, its chart options by target id."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.depth: int | None = None
        self.text: list[str] = []
        self.tables: dict[str, list[list[str]]] = {}
        self.charts: dict[str, str] = {}
        self._table: str | None = None
        self._cell: list[str] | None = None
        self._chart: str | None = None
        self.nav: list[str] = []
        self._in_nav = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag not in {"meta", "br", "img", "link", "input"}:
            self.open.append(tag)
        if tag == "nav":
            self._in_nav = True
        if tag == "a" and self._in_nav:
            self.nav.append(found.get("href") or "")
        if tag == "section" and found.get("id") == SECTION:
            self.depth = len(self.open)
        if self.depth is None:
            return
        if tag == "table":
            self._table = found.get("class") or ""
            self.tables[self._table] = []
        elif tag == "tr" and self._table is not None:
            self.tables[self._table].append([])
        elif tag in {"td", "th"}:
            self._cell = []
        elif tag == "script" and "chart-options" in (found.get("class") or ""):
            self._chart = found.get("data-for") or ""
            self.charts[self._chart] = ""

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open[-1] == tag, f"</{tag}> closes {self.open[-1:]}"
        if tag == "nav":
            self._in_nav = False
        if self.depth is not None:
            if tag in {"td", "th"} and self._cell is not None and self._table is not None:
                self.tables[self._table][-1].append(" ".join("".join(self._cell).split()))
                self._cell = None
            elif tag == "table":
                self._table = None
            elif tag == "script":
                self._chart = None
            elif tag == "section" and len(self.open) == self.depth:
                self.depth = None
        self.open.pop()

    def handle_data(self, data: str) -> None:
        if self.depth is None:
            return
        if self._chart is not None:
            self.charts[self._chart] += data
            return
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)


def _parse(page: str) -> _Page:
    parser = _Page()
    parser.feed(page)
    parser.close()
    assert parser.open == []
    return parser


def _workspace(run_cli, tmp_path: Path, db_url: str) -> Path:  # type: ignore[no-untyped-def]
    workspace = tmp_path / "ws"
    code, _out, err = run_cli("-q", "init", str(workspace), "--db", db_url, "--name", "bank")
    assert code == 0, err
    (tmp_path / "register.csv").write_bytes(REGISTER.encode("gb18030"))
    (tmp_path / "systems.csv").write_text(SYSTEMS, encoding="utf-8")
    code, _out, err = run_cli(
        "-q", "import", "-w", str(workspace), str(tmp_path / "register.csv"),
        "--as", "csv-register", "--unit", "总行",
    )  # fmt: skip
    assert code == 0, err
    code, _out, err = run_cli("-q", "import", "-w", str(workspace), str(tmp_path / "systems.csv"))
    assert code == 0, err
    return workspace


def _report(run_cli, workspace: Path, tmp_path: Path) -> tuple[str, Path]:  # type: ignore[no-untyped-def]
    out_dir = tmp_path / "out"
    code, out, err = run_cli(
        "report", "-w", str(workspace), "--output", str(out_dir), "--as-of", AS_OF
    )
    assert code == 0, err
    html, xlsx = (Path(line) for line in out.split())
    return html.read_text(encoding="utf-8"), xlsx


@pytest.fixture
def planned(run_cli, tmp_path: Path, db_url: str):  # type: ignore[no-untyped-def]
    """A planned workspace; the plan and its forecast as the CLI prints them; the report."""
    workspace = _workspace(run_cli, tmp_path, db_url)
    (workspace / "plan.yaml").write_text(PLAN_YAML, encoding="utf-8")
    # capacity for one system's work a quarter, not two: the second waits a quarter
    code, out, err = run_cli(
        "-q", "plan", "-w", str(workspace), "--start", "2027-10", "--capacity", "1000",
        "--time-limit", "2", "--format", "json", "--dry-run",
    )  # fmt: skip
    efforts = [r["effort_days"] for r in json.loads(out)["systems"] if r["effort_days"]]
    capacity = str(max(efforts) + 3)
    code, out, err = run_cli(
        "-q", "plan", "-w", str(workspace), "--start", "2027-10", "--capacity", capacity,
        "--time-limit", "2", "--format", "json",
    )  # fmt: skip
    assert code == 1, err  # deadlines are missed: exit 1, the plan is saved all the same
    plan: dict[str, Any] = json.loads(out)
    code, out, err = run_cli(
        "forecast", "-w", str(workspace), "--runs", "500", "--seed", "0", "--format", "json"
    )
    assert code == 0, err
    forecast: dict[str, Any] = json.loads(out)
    page, xlsx = _report(run_cli, workspace, tmp_path)
    return workspace, plan, forecast, page, xlsx


def test_the_plan_is_as_expected(planned) -> None:  # type: ignore[no-untyped-def]
    _workspace, plan, _forecast, _page, _xlsx = planned
    rows = {r["system"]: r for r in plan["systems"]}
    assert rows[CORE]["period_start"] is None
    assert rows[CORE]["reasons"][0].startswith("PLN210")
    assert {m["system"] for m in plan["missed"]} == {SCRIPT, CREDIT}
    assert rows[SCRIPT]["late"] and rows[CREDIT]["late"]


def test_section_headline_blockers_missed_and_advice(planned) -> None:  # type: ignore[no-untyped-def]
    _workspace, plan, _forecast, page, _xlsx = planned
    parsed = _parse(page)
    text = " ".join(" ".join(parsed.text).split())
    assert f"#{SECTION}" in parsed.nav
    assert f'<a href="#{SECTION}">Migration plan</a>' in page
    assert f"Plan {plan['plan_id']} “" in text
    assert "12 periods from 2027-10-01 to 2030-09-30" in text
    assert (
        "Business systems: 2 scheduled, 2 late, 1 blocked, 0 kept under an exemption, "
        "0 already compliant." in text
    )

    header, *blocked = parsed.tables["plan-blockers"]
    assert header == ["System", "Disposition", "Reason"]
    (core,) = blocked
    assert core[0] == CORE
    assert core[2].startswith("PLN210 no domestic candidate for weblogic")

    header, *missed = parsed.tables["plan-missed"]
    assert header[:6] == ["System", "Unit", "Deadline", "Policy deadlines", "Finishes", "Days late"]
    by_system = {row[0]: row for row in missed}
    assert set(by_system) == {SCRIPT, CREDIT}
    for m in plan["missed"]:
        row = by_system[m["system"]]
        assert row[2] == m["deadline"]
        assert row[4] == m["finish"]
        assert row[5] == str(m["days_late"])
        assert f"misses its deadline {m['deadline']} by {m['days_late']} days" in row[6]
        assert "parallel running" in row[6]  # the scheduler's reasons, not the stack's
        assert "replaces" not in row[6]

    # both late systems are too long for the time left: no capacity factor is advised
    advice = plan["advice"]
    assert advice["factor"] is None
    assert sorted(advice["unmeetable"]) == sorted([SCRIPT, CREDIT])
    assert "would meet every deadline" not in text
    assert "no capacity up to" not in text
    assert "cannot be met at any capacity" in text


def test_gantt_chart_data(planned) -> None:  # type: ignore[no-untyped-def]
    _workspace, plan, _forecast, page, _xlsx = planned
    parsed = _parse(page)
    gantt = json.loads(parsed.charts[f"chart-{SECTION}-gantt"])
    categories = gantt["yAxis"]["data"]
    labels = [c["value"] if isinstance(c, dict) else c for c in categories]
    # grouped by unit (分行 before 总行), the blocked system has no bar
    assert labels == [f"{CREDIT} (分行)", f"{SCRIPT} (总行)"]
    assert all(isinstance(c, dict) and c["textStyle"]["color"] == "#b42318" for c in categories)
    offsets, work, parallel = (s["data"] for s in gantt["series"][:3])
    # quarters from 2027-Q4: 信贷系统 works in Q4 and runs in parallel in 2028-Q1
    assert offsets == [0, 1]
    assert [w["value"] for w in work] == [1, 1]
    assert [p["value"] for p in parallel] == [1, 1]
    assert gantt["series"][2]["itemStyle"]["decal"]  # parallel running is hatched
    assert work[0]["itemStyle"]["color"] != work[1]["itemStyle"]["color"]  # one colour a unit
    assert work[0]["itemStyle"]["borderColor"] == "#b42318"  # late
    assert parallel[0]["label"]["show"] is True
    tooltip = work[1]["tooltip"]["formatter"]
    assert tooltip.startswith(f"{SCRIPT} — 总行 · team default\n")  # rich text, never HTML
    assert "misses its deadline 2027-12-31 by 182 days" in tooltip
    ((deadline,),) = [s["markLine"]["data"] for s in gantt["series"] if "markLine" in s]
    assert deadline["label"]["formatter"] == "2027-12-31"
    assert deadline["xAxis"] == 1.0  # the end of the first quarter
    periods = gantt["xAxis"][1]["data"]
    assert periods[:3] == ["2027-Q4", "2028-Q1", "2028-Q2"]
    assert len(periods) == plan["periods"]["count"] == gantt["xAxis"][0]["max"]
    units = [s["name"] for s in gantt["series"][3:]]
    assert units == ["分行", "总行"]


def test_forecast_chart_and_deadlines_match_the_forecast_command(planned) -> None:  # type: ignore[no-untyped-def]
    _workspace, _plan, forecast, page, _xlsx = planned
    parsed = _parse(page)
    text = " ".join(" ".join(parsed.text).split())
    assert "500 runs, seed 0" in text
    assert "xinchuang forecast -w WS --runs 500 --seed 0" in text
    finish = forecast["finish"]
    assert f"planned {finish['planned']}, P50 {finish['p50']}, P90 {finish['p90']}" in text
    rate = json.loads(parsed.charts[f"chart-{SECTION}-rate"])
    curve = forecast["rate_curve"]
    assert rate["xAxis"]["data"] == [p["date"] for p in curve]
    series = {s["name"]: s for s in rate["series"]}
    assert series["P50"]["data"] == [round(p["p50"] * 100, 1) for p in curve]
    assert series["P10"]["data"] == [round(p["p10"] * 100, 1) for p in curve]
    assert series["P90"]["data"] == [round(p["p90"] * 100, 1) for p in curve]
    band = series["P10–P90"]
    assert band["stack"] == series["P10"]["stack"] and "areaStyle" in band
    assert [
        round(lo + w, 1) for lo, w in zip(series["P10"]["data"], band["data"], strict=True)
    ] == [round(p["p90"] * 100, 1) for p in curve]
    assert series["Planned"]["data"] == [round(p["planned"] * 100, 1) for p in curve]

    header, *rows = parsed.tables["plan-deadlines"]
    assert header == [
        "Deadline", "Policy deadlines", "Systems", "Planned", "P50", "P90", "P(on time)",
    ]  # fmt: skip
    assert [
        [
            d["deadline"], ", ".join(d["ids"]), str(d["systems"]), d["planned"], d["p50"],
            d["p90"], f"{d['probability_on_time'] * 100:.1f}%",
        ]
        for d in forecast["deadlines"]
    ] == rows  # fmt: skip


def test_quarterly_progress(run_cli, planned) -> None:  # type: ignore[no-untyped-def]
    workspace, _plan, _forecast, page, _xlsx = planned
    code, out, err = run_cli("progress", "-w", str(workspace), "--as-of", AS_OF, "-f", "json")
    assert code == 0, err
    progress = json.loads(out)
    parsed = _parse(page)
    text = " ".join(" ".join(parsed.text).split())
    assert "Quarterly progress (2028-Q2)" in text
    summary = progress["summary"]
    assert f"As of {AS_OF}: {summary['done']} of {summary['systems']} systems replaced" in text
    header, *systems = parsed.tables["plan-systems"]
    assert header[0] == "System" and header[5] == "State"
    states = {row[0]: row[5] for row in systems}
    assert states == {CREDIT: "behind", SCRIPT: "in progress", CORE: "not started"}
    _header, *units = parsed.tables["plan-units"]
    assert [[u["unit"], str(u["systems"]), str(u["planned_done"]), str(u["done"]),
             str(u["behind"])] for u in progress["by_unit"]] == units  # fmt: skip
    _header, *layers = parsed.tables["plan-layers"]
    assert [row[1:4] for row in layers] == [
        [str(r["replaced"]), str(r["remaining"]), str(r["unknown"])] for r in progress["by_layer"]
    ]


def test_names_are_escaped(planned) -> None:  # type: ignore[no-untyped-def]
    _workspace, _plan, _forecast, page, _xlsx = planned
    assert SCRIPT not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # in the tables
    assert "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e" in page  # in the chart data


def test_workbook_plan_forecast_and_progress_sheets(planned) -> None:  # type: ignore[no-untyped-def]
    _workspace, plan, forecast, _page, xlsx = planned
    book = load_workbook(xlsx)
    assert book.sheetnames[-3:] == ["Plan", "Forecast", "Progress"]
    for name in ("Plan", "Forecast", "Progress"):
        sheet = book[name]
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref is not None and sheet.auto_filter.ref.startswith("A1:")

    sheet = book["Plan"]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0][:19]
    assert header == (
        "System", "Unit", "Team", "Disposition", "Target stack", "Target stack (ids)", "Start",
        "Cut-over", "End", "Effort (days)", "Deadline", "Late", "Days late", "Pilot", "Blocked",
        "Effort breakdown", "Blocked layers", "Why late", "Reasons",
    )  # fmt: skip
    body = {r[0]: r for r in rows[1 : 1 + len(plan["systems"])]}
    assert set(body) == {s["system"] for s in plan["systems"]}
    for system in plan["systems"]:
        row = body[system["system"]]
        assert row[6] == system["period_start"] and row[8] == system["period_end"]
        assert row[10] == system["deadline"]
        assert row[11] == ("yes" if system["late"] else "no")
        assert row[18] == "; ".join(system["reasons"])
        if system["effort"]["items"]:  # the effort model's items, each with its basis
            assert system["effort"]["items"][0]["item"] in row[15]
        assert row[5] == ", ".join(f"{k}={v}" for k, v in system["target_stack"].items())
    assert body[SCRIPT][7] == "2028-Q1"  # the cut-over period
    assert body[SCRIPT][12] == 182
    assert body[CORE][14] == "blocked"
    # the key/value block beside the table, from its first row on
    aside = {r[20]: r[21] for r in rows if len(r) > 21 and r[20] is not None}
    assert aside["Plan"] == plan["plan_id"]
    assert aside["Status"] == plan["status"]
    assert aside["Capacity factor that meets the deadlines"] == plan["advice"]["factor"]

    rows = list(book["Forecast"].iter_rows(values_only=True))
    assert rows[0][:9] == (
        "What", "Date", "Policy deadlines", "Systems", "Planned", "P10", "P50", "P90",
        "P(on time)",
    )  # fmt: skip
    deadlines = [r for r in rows[1:] if r[0] == "deadline"]
    assert [(r[1], r[6], r[7], r[8]) for r in deadlines] == [
        (d["deadline"], d["p50"], d["p90"], d["probability_on_time"]) for d in forecast["deadlines"]
    ]
    curve = [r for r in rows[1:] if r[0] == "localization rate"]
    assert [(r[1], r[4], r[5], r[6], r[7]) for r in curve] == [
        (p["date"], p["planned"], p["p10"], p["p50"], p["p90"]) for p in forecast["rate_curve"]
    ]
    aside = {r[10]: r[11] for r in rows if len(r) > 11 and r[10] is not None}
    assert aside["Runs"] == 500 and aside["Seed"] == 0

    rows = list(book["Progress"].iter_rows(values_only=True))
    systems = {r[1]: r for r in rows[1:] if r[0] == "system"}
    assert systems[CREDIT][6] == "behind"
    assert systems[SCRIPT][6] == "in progress"
    assert {r[1] for r in rows[1:] if r[0] == "unit"} == {"总行", "分行"}
    assert [r for r in rows[1:] if r[0] == "layer"]

    overview = list(book["Overview"].iter_rows(values_only=True))
    assert overview[0][7:9] == ("Workspace", "bank")  # the block's first rows are kept too


def test_without_a_plan_the_section_says_how_to_make_one(
    run_cli: Any, tmp_path: Path, db_url: str
) -> None:
    workspace = _workspace(run_cli, tmp_path, db_url)
    page, xlsx = _report(run_cli, workspace, tmp_path)
    parsed = _parse(page)
    text = " ".join(" ".join(parsed.text).split())
    assert "No migration plan is saved in this workspace." in text
    assert "xinchuang plan -w WS" in text
    assert parsed.charts == {}
    assert not {"Plan", "Forecast", "Progress"} & set(load_workbook(xlsx).sheetnames)


def test_an_unreadable_saved_plan_is_said_not_fatal(planned, run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    workspace, plan, _forecast, _page, _xlsx = planned
    with open_workspace(workspace) as ws, ws.engine.begin() as connection:
        connection.execute(
            update(plans)
            .where(plans.c.id == plan["plan_id"])
            .values(result={"plan": {}, "instance": {"periods": []}, "solution": {}})
        )
    page, xlsx = _report(run_cli, workspace, tmp_path)
    text = " ".join(" ".join(_parse(page).text).split())
    assert f"The newest saved plan ({plan['plan_id']}) cannot be read" in text
    assert "xinchuang plan -w WS" in text
    assert "Plan" not in load_workbook(xlsx).sheetnames
