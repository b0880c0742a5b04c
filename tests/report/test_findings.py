"""The scanner's findings in ``xinchuang report``: stored by ``scan -w``, shown in HTML and XLSX.

Each test builds a workspace on SQLite and on PostgreSQL (the ``db_url``
fixture), stores findings by running ``xinchuang scan`` on a small tree with
``-w``/``--system``, writes the report and reads it back.
"""

from __future__ import annotations

import json
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from xinchuang.scan.registry import default_registry

PATH_NAME = "<script>alert(1)</script>.c"  # a directory "<script>alert(1)<", a file "script>.c"
SNIPPET_SCRIPT = "<script>alert(2)</script>"
CORE = "Core banking"
CREDIT = "信贷 <b>credit</b>"
SECTION = "code-findings"


class _Page(HTMLParser):
    """Tags, the text of the findings section, its tables (rows of cell texts)."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.open: list[str] = []
        self.depth_in_section: int | None = None
        self.section_text: list[str] = []
        self.tables: list[list[list[str]]] = []
        self._cell: list[str] | None = None
        self.chart_options: list[str] = []
        self._in_options = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.tags.append((tag, found))
        if tag not in {"meta", "br", "img", "link", "input"}:
            self.open.append(tag)
        if tag == "section" and found.get("id") == SECTION:
            self.depth_in_section = len(self.open)
        if self.depth_in_section is None:
            return
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in {"td", "th"}:
            self._cell = []
        elif tag == "script" and "chart-options" in (found.get("class") or ""):
            self._in_options = True

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open[-1] == tag, f"</{tag}> closes {self.open[-1:]}"
        if self.depth_in_section is not None:
            if tag in {"td", "th"} and self._cell is not None:
                self.tables[-1][-1].append("".join(self._cell).strip())
                self._cell = None
            if tag == "script":
                self._in_options = False
            if tag == "section" and len(self.open) == self.depth_in_section:
                self.depth_in_section = None
        self.open.pop()

    def handle_data(self, data: str) -> None:
        if self.depth_in_section is None:
            return
        self.section_text.append(data)
        if self._cell is not None:
            self._cell.append(data)
        if self._in_options:
            self.chart_options.append(data)


@pytest.fixture
def code(tmp_path: Path) -> dict[str, Path]:
    """Two business systems' code: x86 SIMD, Oracle SQL, IE-only script; hostile names."""
    core = tmp_path / "core"
    (core / "<script>alert(1)<").mkdir(parents=True)
    (core / "<script>alert(1)<" / "script>.c").write_text(
        "#include <immintrin.h>\nint f(void){ __m128i x = _mm_setzero_si128(); return 0; }\n"
    )
    (core / "native").mkdir()
    (core / "native" / "fast.c").write_text(
        "#include <immintrin.h>\n"
        f'int g(void){{ __m128i y = _mm_setzero_si128(); const char *s = "{SNIPPET_SCRIPT}";'
        " return 0; }\n"
    )
    (core / "db").mkdir()
    (core / "db" / "q.sql").write_text("SELECT NVL(a, 0) FROM t WHERE ROWNUM < 5;\n")
    credit = tmp_path / "credit"
    (credit / "web").mkdir(parents=True)
    (credit / "web" / "page.js").write_text("var x = document.all;\n")
    (credit / "db").mkdir()
    # many findings, so that the HTML table is cut and the workbook has them all
    (credit / "db" / "reports.sql").write_text(
        "".join(f"SELECT NVL(c{i}, 0) FROM t{i};\n" for i in range(230))
    )
    return {CORE: core, CREDIT: credit}


def _workspace(run_cli, tmp_path: Path, db_url: str) -> Path:  # type: ignore[no-untyped-def]
    workspace = tmp_path / "ws"
    code, _out, err = run_cli("init", str(workspace), "--db", db_url, "--name", "bank")
    assert code == 0, err
    return workspace


def _scan(run_cli, workspace: Path, system: str, tree: Path) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    """Store ``tree``'s findings for ``system``; return them as ``scan --format json`` has them."""
    code, out, err = run_cli(
        "scan", str(tree), "-w", str(workspace), "--system", system, "-f", "json", "-j", "1"
    )
    assert code in (0, 1), err
    findings: list[dict[str, Any]] = json.loads(out)
    assert findings
    return findings


def _report(run_cli, workspace: Path, tmp_path: Path, *extra: str) -> tuple[str, Path]:  # type: ignore[no-untyped-def]
    out_dir = tmp_path / "out"
    code, out, err = run_cli(*extra, "report", "-w", str(workspace), "--output", str(out_dir))
    assert code == 0, err
    html, xlsx = (Path(line) for line in out.split())
    return html.read_text(encoding="utf-8"), xlsx


def _parse(page: str) -> _Page:
    parser = _Page()
    parser.feed(page)
    parser.close()
    assert parser.open == []
    return parser


def _days(findings: list[dict[str, Any]]) -> float:
    return sum(f["effort_minutes"] for f in findings) / 480


@pytest.fixture
def scanned(run_cli, tmp_path: Path, db_url: str, code: dict[str, Path]):  # type: ignore[no-untyped-def]
    """A workspace holding both systems' findings, and the findings as the scan printed them."""
    workspace = _workspace(run_cli, tmp_path, db_url)
    found = {system: _scan(run_cli, workspace, system, tree) for system, tree in code.items()}
    return workspace, found


def test_html_section_counts_effort_chart_and_capped_table(
    run_cli, scanned, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    workspace, found = scanned
    page, _xlsx = _report(run_cli, workspace, tmp_path)
    parsed = _parse(page)
    text = " ".join(parsed.section_text)
    total = sum(len(f) for f in found.values())
    everything = [f for fs in found.values() for f in fs]
    severities = Counter(f["severity"] for f in everything)
    assert f'<a href="#{SECTION}">Code and document findings</a>' in page
    assert f"Findings: {total} — blocker {severities['blocker']}, warning " in text
    assert f"Effort: about {_days(everything):.2f} person-days." in text
    assert "Business systems: 2; scanned trees: 2." in text

    by_system, by_family, by_target, top_rules, listing = parsed.tables
    header, *rows = by_system
    assert header == [
        "Business system",
        "Findings",
        "Blockers",
        "Warnings",
        "Performance",
        "Notes",
        "Person-days",
    ]
    for system, findings in found.items():
        (row,) = [r for r in rows if r[0] == system]
        counts = Counter(f["severity"] for f in findings)
        assert row[1:] == [
            str(len(findings)),
            *(str(counts[s]) for s in ("blocker", "warning", "performance", "note")),
            f"{_days(findings):.2f}",
        ]
    assert rows[0][0] == CORE  # the system with the most blockers first
    families = {r[0]: r for r in by_family[1:]}
    assert set(families) == {"CPU / instruction set", "Database", "Browser"}
    assert families["Database"][2] == "0"  # NVL and ROWNUM are warnings, never blockers
    targets = {r[0].split(" — ")[0]: r for r in by_target[1:]}
    arm = [f for f in everything if "arm64" in f["per_target"]]
    assert targets["arm64"][1] == str(len(arm))
    assert targets["arm64"][-1] == f"{_days(arm):.2f}"
    tidb = [f for f in everything if "tidb" in f["per_target"]]
    assert targets["tidb"][-1] == f"{_days(tidb):.2f}"
    assert "dm" not in targets  # DM runs NVL and ROWNUM natively
    registry = default_registry()
    assert top_rules[1][0] == "DB105"  # 231 NVL findings
    assert top_rules[1][1] == registry.rules["DB105"].title.en

    header, *rows = listing
    assert header == [
        "Rule",
        "Title",
        "Business system",
        "Location",
        "Severity",
        "Targets",
        "Effort (minutes)",
    ]
    assert len(rows) == 200 + 1
    assert rows[-1] == [
        f"… and {total - 200} more (the full list is in the workbook's Findings sheet)"
    ]
    assert rows[0][4] == "blocker"  # worst first
    assert [r[4] for r in rows[:-1]] == sorted(
        (r[4] for r in rows[:-1]), key=["blocker", "warning", "performance", "note"].index
    )
    isa = next(r for r in rows if r[0] == "ISA101" and r[3].startswith(PATH_NAME))
    assert isa[1] == registry.rules["ISA101"].title.en
    assert isa[2] == CORE
    assert isa[3].startswith(f"{PATH_NAME}:2")
    assert isa[5] == "blocker: arm64, loongarch64, sw64"

    (options,) = parsed.chart_options
    chart = json.loads(options)
    assert chart["yAxis"]["data"] == [CORE]  # the only system with blockers
    assert sum(sum(s["data"]) for s in chart["series"]) == severities["blocker"]
    assert {s["name"] for s in chart["series"]} == {"CPU / instruction set"}
    assert all(s["stack"] == "blockers" and s["type"] == "bar" for s in chart["series"])
    scripts = [attrs for tag, attrs in parsed.tags if tag == "script"]
    assert all("src" not in attrs for attrs in scripts)


def test_paths_snippets_and_system_names_are_escaped(run_cli, scanned, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    workspace, _found = scanned
    page, _xlsx = _report(run_cli, workspace, tmp_path)
    parsed = _parse(page)
    assert "<script>alert(1)" not in page
    assert SNIPPET_SCRIPT not in page
    assert "<b>credit</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;.c:2" in page  # the path
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in page  # the snippet
    assert "信贷 &lt;b&gt;credit&lt;/b&gt;" in page  # a system name
    assert not [tag for tag, _attrs in parsed.tags if tag == "b"]
    # the library, its start-up, the layer and unit charts, and the findings chart: no more
    assert sum(1 for tag, _attrs in parsed.tags if tag == "script") == 5
    listing = parsed.tables[-1]
    snippet_row = next(r for r in listing if "native/fast.c:2" in r[3])
    assert SNIPPET_SCRIPT in snippet_row[3]  # shown, as text


def test_xlsx_has_the_findings_and_a_summary_per_system(run_cli, scanned, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    workspace, found = scanned
    _page, xlsx = _report(run_cli, workspace, tmp_path)
    book = load_workbook(xlsx)
    assert book.sheetnames[-2:] == ["Findings by system", "Findings"]
    everything = [f for fs in found.values() for f in fs]
    sheet = book["Findings"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:Q{1 + len(everything)}"
    header = [c.value for c in sheet[1]]
    assert header[:12] == [
        "Rule",
        "Title",
        "Family",
        "Business system",
        "Scan root",
        "Path",
        "Line",
        "Column",
        "Severity",
        "Confidence",
        "Targets",
        "Effort (minutes)",
    ]
    rows = [dict(zip(header, r, strict=True)) for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert len(rows) == len(everything)  # every finding, not the HTML's 200
    assert Counter((r["Business system"], r["Rule"]) for r in rows) == Counter(
        (system, f["rule"]) for system, fs in found.items() for f in fs
    )
    (hostile,) = [r for r in rows if r["Path"] == PATH_NAME and r["Rule"] == "ISA101"]
    assert hostile["Line"] == 2
    assert hostile["Severity"] == "blocker"
    assert hostile["Confidence"] == "high"  # its own column, never folded into the severity
    assert hostile["Scan root"] == str((tmp_path / "core").resolve())
    assert hostile["Title"] == default_registry().rules["ISA101"].title.en
    assert hostile["Effort (minutes)"] == 15
    assert any(r["Snippet"] and SNIPPET_SCRIPT in r["Snippet"] for r in rows)
    path_cell = next(c for c in sheet["F"] if c.value == PATH_NAME)
    assert path_cell.data_type == "s"

    summary = book["Findings by system"]
    assert summary.freeze_panes == "A2"
    header = [c.value for c in summary[1]]
    assert header[:8] == [
        "Business system",
        "Family",
        "Findings",
        "Blockers",
        "Warnings",
        "Performance",
        "Notes",
        "Person-days",
    ]
    lines = {
        (r[0], r[1]): dict(zip(header, r, strict=True))
        for r in summary.iter_rows(min_row=2, values_only=True)
    }
    overall = lines[("All business systems", "all families")]
    assert overall["Findings"] == len(everything)
    assert overall["Person-days"] == pytest.approx(_days(everything), abs=1e-4)
    for system, findings in found.items():
        line = lines[(system, "all families")]
        counts = Counter(f["severity"] for f in findings)
        assert line["Findings"] == len(findings)
        assert line["Blockers"] == counts["blocker"]
        assert line["Warnings"] == counts["warning"]
        assert line["Person-days"] == pytest.approx(_days(findings), abs=1e-4)
        tidb = [f for f in findings if "tidb" in f["per_target"]]
        assert line["Person-days: tidb"] == pytest.approx(_days(tidb), abs=1e-4)
    assert (
        lines[(CORE, "CPU / instruction set")]["Blockers"]
        == Counter(f["severity"] for f in found[CORE] if f["family"] == "cpu")["blocker"]
    )
    assert (CREDIT, "CPU / instruction set") not in lines


def test_rescan_replaces_what_the_report_shows(
    run_cli, scanned, tmp_path: Path, code: dict[str, Path]
) -> None:  # type: ignore[no-untyped-def]
    workspace, found = scanned
    (code[CREDIT] / "db" / "reports.sql").unlink()
    again = _scan(run_cli, workspace, CREDIT, code[CREDIT])
    page, xlsx = _report(run_cli, workspace, tmp_path)
    total = len(found[CORE]) + len(again)
    assert f"Findings: {total} — " in " ".join(_parse(page).section_text)
    assert "… and" not in " ".join(_parse(page).section_text)
    assert load_workbook(xlsx)["Findings"].max_row == 1 + total


def test_titles_follow_the_report_language(run_cli, scanned, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    workspace, _found = scanned
    page, xlsx = _report(run_cli, workspace, tmp_path, "--lang", "zh_CN")
    rule = default_registry().rules["ISA101"]
    assert rule.title.zh in page
    assert rule.title.en not in page
    titles = {
        r[0]: r[1]
        for r in load_workbook(xlsx).worksheets[-1].iter_rows(min_row=2, values_only=True)
    }
    assert titles["ISA101"] == rule.title.zh


def test_without_findings_the_section_says_how_to_produce_them(  # type: ignore[no-untyped-def]
    run_cli, tmp_path: Path, db_url: str
) -> None:
    workspace = _workspace(run_cli, tmp_path, db_url)
    page, xlsx = _report(run_cli, workspace, tmp_path)
    parsed = _parse(page)
    text = " ".join(parsed.section_text)
    assert "No code or document findings are stored in this workspace." in text
    assert "xinchuang scan PATH -w WS --system NAME" in text
    assert parsed.tables == []
    assert parsed.chart_options == []
    assert f'id="chart-{SECTION}"' not in page
    # the workbook keeps its localization views and adds no empty findings sheets
    assert "Findings" not in load_workbook(xlsx).sheetnames
