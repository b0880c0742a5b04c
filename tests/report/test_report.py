"""``xinchuang report``: a self-contained, escaped HTML page and a workbook with filters."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from bank_workspace import ASSETS, FORMULA_NAME, IMG_NAME, SCRIPT_NAME
from openpyxl import load_workbook


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.open: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in {"meta", "br", "img", "link", "input"}:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open[-1] == tag, f"</{tag}> closes {self.open[-1:]}"
        self.open.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _report(run_cli, bank: Path, tmp_path: Path, *extra: str) -> tuple[Path, Path]:  # type: ignore[no-untyped-def]
    out_dir = tmp_path / "out"
    code, out, err = run_cli(*extra, "report", "-w", str(bank), "--output", str(out_dir))
    assert code == 0, err
    html, xlsx = (Path(line) for line in out.split())
    assert html == out_dir / "report.html"
    assert xlsx == out_dir / "report.xlsx"
    return html, xlsx


def test_html_is_self_contained_and_parses(run_cli, bank: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    html, _ = _report(run_cli, bank, tmp_path)
    page = html.read_text(encoding="utf-8")
    parser = _Collector()
    parser.feed(page)
    parser.close()
    assert parser.open == []
    for tag, attrs in parser.tags:
        for attr in ("src", "href"):
            value = attrs.get(attr) or ""
            assert not re.match(r"^(https?:)?//", value), f"<{tag} {attr}={value}> is remote"
        assert tag != "link" or attrs.get("rel") != "stylesheet"
    scripts = [attrs for tag, attrs in parser.tags if tag == "script"]
    assert all("src" not in attrs for attrs in scripts)
    assert "echarts" in page and "Apache" in page  # the vendored library, inline
    assert page.count('class="chart"') >= 2  # rate per layer, per unit
    assert '<html lang="en">' in page
    assert "built-in method" not in page


def test_html_escapes_untrusted_names(run_cli, bank: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    html, _ = _report(run_cli, bank, tmp_path)
    page = html.read_text(encoding="utf-8")
    assert SCRIPT_NAME not in page
    assert IMG_NAME not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # in the unknowns table
    assert "&lt;img src=x onerror=" in page  # a unit and a system name
    # in chart data the unit name is JSON with <, > escaped
    assert "\\u003cimg src=x onerror=" in page
    parser = _Collector()
    parser.feed(page)
    assert not [attrs for tag, attrs in parser.tags if tag == "img"]
    assert sum(1 for tag, _attrs in parser.tags if tag == "script") == 4  # 2 charts + lib + init


def test_html_in_chinese(run_cli, bank: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    html, _ = _report(run_cli, bank, tmp_path, "--lang", "zh_CN")
    page = html.read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in page
    assert "操作系统" in page


def test_trend_section_appears_after_a_snapshot(run_cli, bank: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    html, _ = _report(run_cli, bank, tmp_path)
    assert "No snapshots yet" in html.read_text(encoding="utf-8")
    assert run_cli("snapshot", "-w", str(bank), "--as-of", "2025-12-31")[0] == 0
    html, _ = _report(run_cli, bank, tmp_path)
    page = html.read_text(encoding="utf-8")
    assert "No snapshots yet" not in page
    assert 'id="chart-trend"' in page


def test_xlsx_has_one_sheet_per_view_with_frozen_headers_and_filters(  # type: ignore[no-untyped-def]
    run_cli, bank: Path, tmp_path: Path
) -> None:
    _, xlsx = _report(run_cli, bank, tmp_path)
    book = load_workbook(xlsx)
    assert book.sheetnames == [
        "Overview",
        "By layer",
        "By unit",
        "By tier",
        "By system",
        "Assets",
        "Unknowns",
    ]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet.auto_filter.ref, sheet.title
        assert sheet.auto_filter.ref.startswith("A1:"), sheet.title
        assert sheet.column_dimensions["A"].width >= 8, sheet.title
    overview = book["Overview"]
    assert overview["A2"].value == "by count"
    assert overview["E2"].value == round(6 / 11, 4)
    assert overview["E2"].number_format == "0.0%"
    assets = book["Assets"]
    names = [row[6] for row in assets.iter_rows(min_row=2, values_only=True)]
    assert SCRIPT_NAME in names
    # a name that looks like a formula stays text, never a live formula
    (formula,) = [c for c in assets["G"] if c.value == FORMULA_NAME]
    assert formula.data_type == "s"
    assert assets.max_row == 1 + len(ASSETS)  # no two records describe the same thing
    units = [row[0] for row in book["By unit"].iter_rows(min_row=2, values_only=True)]
    assert IMG_NAME in units


def test_other_stages_add_their_own_sections(bank: Path) -> None:
    from xinchuang.pipeline.report import report_data
    from xinchuang.pipeline.workspace import open_workspace
    from xinchuang.report.html import Section, render_html

    with open_workspace(bank) as workspace:
        data = report_data(workspace)
    extra = Section(
        "findings",
        "Code findings <b>",
        "sections/not_counted.html.j2",
        {"rows": [{"label": SCRIPT_NAME, "count": 3}]},
    )
    page = render_html(data, [extra])
    assert '<section id="findings">' in page
    assert '<a href="#findings">Code findings &lt;b&gt;</a>' in page
    assert page.index('id="method"') < page.index('id="findings"')
    assert SCRIPT_NAME not in page
