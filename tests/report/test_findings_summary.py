"""``xinchuang.report.findings`` on its own: rows in, section data and sheets out."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest

from xinchuang.i18n import current_language, set_language
from xinchuang.report.findings import (
    CHART_SYSTEMS,
    SCAN_COMMAND,
    FindingRow,
    findings_chart,
    findings_section,
    findings_sheets,
    rule_title,
    summarize,
    targets_text,
)
from xinchuang.report.html import environment
from xinchuang.scan.registry import default_registry

WHEN = dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC)
CPU = {"arm64": "blocker", "loongarch64": "blocker", "sw64": "blocker"}


def row(
    rule: str = "ISA101",
    *,
    system: str | None = "Core",
    family: str = "cpu",
    path: str = "src/a.c",
    line: int | None = 1,
    severity: str = "blocker",
    per_target: dict[str, str] | None = None,
    minutes: float = 15.0,
    snippet: str | None = "_mm_add_ps(a, b)",
    detail: dict[str, Any] | None = None,
) -> FindingRow:
    return FindingRow(
        system=system,
        scan_root="/code/core",
        rule=rule,
        family=family,
        path=path,
        line=line,
        column=3,
        severity=severity,
        per_target=CPU if per_target is None else per_target,
        effort_minutes=minutes,
        message="a message",
        snippet=snippet,
        detail={"confidence": "high", "title": "stored title"} if detail is None else detail,
        scanned_at=WHEN,
    )


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """English unless a test asks otherwise (a CLI test before may have left zh_CN)."""
    before = current_language()
    set_language("en")
    try:
        yield
    finally:
        set_language(before)


@pytest.fixture
def chinese(english: None) -> Iterator[None]:
    before = current_language()
    set_language("zh_CN")
    try:
        yield
    finally:
        set_language(before)


def _render(section: Any) -> str:
    return str(environment().get_template(section.template).render(section=section))


def test_counts_by_system_family_and_severity_with_effort_in_person_days() -> None:
    rows = [
        row(),
        row(path="src/b.c", minutes=45.0),
        row(
            "DB101",
            family="database",
            severity="warning",
            per_target={"tidb": "warning", "dm": "blocker"},
            minutes=5.0,
        ),
        row("ISA140", system="Credit", severity="performance", minutes=480.0),
        row("SCN103", system=None, family="scan", severity="note", per_target={}, minutes=0),
    ]
    summary = summarize(rows)
    assert summary.total.findings == 5
    assert summary.total.by_severity == {"blocker": 2, "warning": 1, "performance": 1, "note": 1}
    assert summary.systems["Core"].by_severity["blocker"] == 2
    assert summary.systems["Core"].minutes == 65.0
    assert summary.systems["Credit"].person_days == 1.0  # 480 minutes
    assert "" in summary.systems  # stored without a system
    assert summary.system_families[("Core", "database")].by_severity["warning"] == 1
    # a finding counts under every target it concerns, with its severity for that target
    assert summary.targets["dm"].by_severity["blocker"] == 1
    assert summary.targets["tidb"].by_severity["warning"] == 1
    assert summary.targets["arm64"].minutes == 15 + 45 + 480
    assert summary.system_targets[("Core", "arm64")] == 60.0
    assert summary.first_scan == summary.last_scan == WHEN
    assert summary.family_keys() == ["cpu", "database", "scan"]
    assert summary.target_keys()[:3] == ["arm64", "loongarch64", "sw64"]


def test_confidence_never_changes_a_severity_count() -> None:
    summary = summarize(
        [
            row(detail={"confidence": "low"}),
            row(severity="warning", detail={"confidence": "high"}),
        ]
    )
    assert summary.total.by_severity["blocker"] == 1
    assert summary.total.by_severity["warning"] == 1
    assert set(summary.total.by_severity) == {"blocker", "warning", "performance", "note"}


def test_the_table_shows_the_worst_first_and_counts_the_rest() -> None:
    rows = [row(severity="note", line=i, per_target={}) for i in range(300)]
    rows += [row("ISA104", line=9, path="z.c")]
    summary = summarize(iter(rows), shown=50)  # read once, as a stream
    assert len(summary.shown) == 50
    assert summary.more == 251
    assert summary.shown[0].rule == "ISA104"
    assert [r.line for r in summary.shown[1:4]] == [0, 1, 2]
    section = findings_section(summary)
    page = _render(section)
    assert "… and 251 more" in page


def test_top_rules_and_titles_in_the_language_in_force(chinese: None) -> None:
    summary = summarize(
        [row(), row(line=2), row("DB105", family="database", severity="warning", minutes=1)]
    )
    assert [r.rule for r in summary.top_rules()] == ["ISA101", "DB105"]
    section = findings_section(summary)
    titles = {r["rule"]: r["title"] for r in section.data["rules"]}
    assert titles["ISA101"] == default_registry().rules["ISA101"].title.zh


def test_a_rule_outside_the_shipped_packs_keeps_its_stored_title() -> None:
    assert rule_title("XYZ999", "My own rule") == "My own rule"
    assert rule_title("XYZ999") == "XYZ999"
    assert rule_title("DB102") == default_registry().rules["DB102"].title.en


def test_targets_are_grouped_by_severity_worst_first() -> None:
    text = targets_text({"tidb": "warning", "sw64": "blocker", "arm64": "blocker", "dm": "note"})
    assert text == "blocker: arm64, sw64; warning: tidb; note: dm"
    assert targets_text({}) == ""


def test_untrusted_text_is_escaped_in_the_table_and_the_chart() -> None:
    hostile = "<script>alert(1)</script>"
    summary = summarize(
        [
            row(
                path=f"{hostile}.c",
                snippet=f'char *s = "{hostile}";',
                system=f"sys {hostile}",
            )
        ]
    )
    page = _render(findings_section(summary))
    assert hostile not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;.c:1" in page
    assert "char *s = &#34;&lt;script&gt;alert(1)&lt;/script&gt;&#34;;" in page
    assert "sys \\u003cscript\\u003ealert(1)\\u003c/script\\u003e" in page  # chart data
    assert page.count("<script") == 1  # the chart options block, nothing else


def test_chart_stacks_blockers_by_family_for_the_systems_with_most() -> None:
    rows = [row(system=f"S{i:02}", line=j) for i in range(CHART_SYSTEMS + 5) for j in range(i + 1)]
    rows += [row("WEB101", system="S00", family="browser", per_target={"chromium": "blocker"})]
    rows += [row(system="Quiet", severity="warning")]
    summary = summarize(rows)
    chart = findings_chart(summary)
    assert chart is not None
    systems = chart["yAxis"]["data"]
    assert len(systems) == CHART_SYSTEMS
    assert systems[0] == f"S{CHART_SYSTEMS + 4:02}"  # the most blockers first
    assert "Quiet" not in systems and "S00" not in systems
    assert [s["name"] for s in chart["series"]] == ["CPU / instruction set"]
    assert json.dumps(chart)  # plain data
    section = findings_section(summary)
    assert section.data["chart_cut"]
    assert findings_chart(summarize([row(severity="warning")])) is None


def test_no_findings_says_how_to_produce_them_and_adds_no_sheets() -> None:
    summary = summarize([])
    section = findings_section(summary)
    assert section.data["empty"] is True
    page = _render(section)
    assert SCAN_COMMAND in page
    assert "<table" not in page
    assert findings_sheets(summary, []) == []


def test_sheets_summarize_per_system_and_stream_every_finding() -> None:
    rows = [
        row(),
        row(system="Credit", per_target={"tidb": "warning"}, family="database", rule="DB105"),
    ]
    summary = summarize(rows)
    consumed: list[FindingRow] = []

    def stream() -> Iterator[FindingRow]:
        for r in rows:
            consumed.append(r)
            yield r

    per_system, every = findings_sheets(summary, stream())
    assert consumed == []  # read only as the sheet is written
    assert per_system.name == "Findings by system"
    headers = [c.header for c in per_system.columns]
    assert headers[-4:] == [
        "Person-days: arm64",
        "Person-days: loongarch64",
        "Person-days: sw64",
        "Person-days: tidb",
    ]
    table = [list(r) for r in per_system.rows]
    assert table[0][:3] == ["All business systems", "all families", 2]
    core = next(r for r in table if r[:2] == ["Core", "all families"])
    assert core[3] == 1  # blockers
    assert core[7] == round(15 / 480, 4)
    assert core[-1] == 0  # no tidb work in Core
    cells = [list(r) for r in every.rows]
    assert consumed == rows
    assert cells[0][:4] == [
        "ISA101",
        default_registry().rules["ISA101"].title.en,
        "CPU / instruction set",
        "Core",
    ]
    assert cells[0][9] == "high"  # confidence, a column of its own


def test_rows_from_the_database_accept_json_as_text() -> None:
    record = {
        "system": "Core",
        "scan_root": "/code",
        "rule": "ISA101",
        "family": "cpu",
        "path": "a.c",
        "line": None,
        "column": None,
        "severity": "blocker",
        "per_target": json.dumps(CPU),
        "effort_minutes": None,
        "message": "m",
        "snippet": None,
        "detail": "{}",
        "scanned_at": None,
    }
    parsed = FindingRow.from_record(record)
    assert parsed.per_target == CPU
    assert parsed.effort_minutes == 0.0
    assert parsed.location == "a.c"
    assert parsed.confidence is None
