"""XLSX asset registers: several sheets, title rows, merged cells, broken workbooks."""

from __future__ import annotations

import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xinchuang.errors import DataError
from xinchuang.ingest import xlsx_book
from xinchuang.ingest.base import ReadOptions
from xinchuang.ingest.register_csv import CsvRegisterReader
from xinchuang.ingest.register_xlsx import XlsxRegisterReader
from xinchuang.ingest.rvtools import RvToolsReader
from xinchuang.ingest.xlsx_book import Merge, cell_text, merges
from xinchuang.models.asset import AssetKind, AssetRecord

FIXTURES = Path(__file__).parent.parent / "fixtures" / "ingest" / "xlsx-register"
WORKBOOK = FIXTURES / "register.title-merged-two-sheets.xlsx"


def read(path: Path, **options: object) -> list[AssetRecord]:
    records = list(XlsxRegisterReader().read(path, ReadOptions(**options)))  # type: ignore[arg-type]
    return [r for r in records if isinstance(r, AssetRecord)]


def test_sheets_title_rows_and_merged_cells() -> None:
    records = read(WORKBOOK)
    machines = [r for r in records if r.kind is AssetKind.MACHINE]
    assert [(m.provenance.sheet, m.provenance.row, m.name) for m in machines] == [
        ("服务器", 4, "核心数据库服务器"),
        ("服务器", 5, "核心应用服务器"),
        ("服务器", 6, "备份服务器"),
        ("服务器", 7, "监控服务器"),
        ("终端", 3, "柜员终端"),
        ("终端", 4, "柜员终端"),
    ]
    # 信息科技部 is merged over E4:E6, 营业部 over E3:E4 of the terminal sheet
    assert [m.department for m in machines] == ["信息科技部"] * 3 + ["运维中心", "营业部", "营业部"]
    # numbers typed as numbers: asset numbers without ".0", amounts exact
    assert machines[0].host is not None
    assert machines[0].host.asset_no == "20210001"
    assert [m.value for m in machines[:4]] == [
        Decimal(385000),
        Decimal("212000.5"),
        None,  # #N/A
        Decimal(99000),
    ]
    assert machines[0].raw["购置日期"] == "2021-03-15"
    assert machines[3].raw["购置日期"] == "2022-08-30 14:05:00"
    # the two-row header: 设备信息 over 设备名称/品牌/型号
    assert (machines[4].vendor, machines[4].dmi_product) == ("长城", "世恒 TF830")
    kinds = [(r.kind, r.name) for r in records if r.host and r.host.asset_no == "20210004"]
    assert kinds == [
        (AssetKind.MACHINE, "监控服务器"),
        (AssetKind.CPU, "Hygon C86 7285"),
        (AssetKind.OS, "UOS 服务器版 20"),
    ]


def test_workbook_without_any_header_lists_each_sheet() -> None:
    with pytest.raises(DataError, match=r"IMP201 .*headers seen: \[汇总\] 序号, 规格, 数量"):
        read(FIXTURES / "register.no-header.xlsx")


def test_truncated_workbook() -> None:
    with pytest.raises(DataError, match="IMP205 not a readable XLSX workbook"):
        read(FIXTURES / "register.truncated-zip.xlsx")


def test_legacy_xls_is_explained() -> None:
    path = FIXTURES / "register.legacy-binary.xls"
    assert XlsxRegisterReader.sniff(path, path.read_bytes()[:512]) > 0
    with pytest.raises(DataError, match="IMP206") as caught:
        read(path)
    assert caught.value.tip is not None
    assert ".xlsx" in caught.value.tip


def test_sniff() -> None:
    head = WORKBOOK.read_bytes()[:65536]
    assert XlsxRegisterReader.sniff(WORKBOOK, head) > RvToolsReader.sniff(WORKBOOK, head)
    assert CsvRegisterReader.sniff(WORKBOOK, head) == 0.0


def test_merges_are_found_across_read_chunks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    refs = [f"A{r}:C{r + 1}" for r in range(1, 400, 2)]
    body = "".join(f'<mergeCell ref="{ref}"/>' for ref in refs)
    xml = f'<worksheet><sheetData/><mergeCells count="{len(refs)}">{body}</mergeCells></worksheet>'
    path = tmp_path / "m.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/worksheets/sheet1.xml", xml)
    for chunk in (7, 64, 1 << 20):
        monkeypatch.setattr(xlsx_book, "_CHUNK", chunk)
        monkeypatch.setattr(xlsx_book, "_TAG_MAX", 40)
        with zipfile.ZipFile(path) as archive:
            found = merges(archive, "xl/worksheets/sheet1.xml")
        assert len(found) == len(refs)
        assert found[0] == Merge(1, 1, 3, 2)
        assert found[-1] == Merge(1, 399, 3, 400)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=25)
@given(
    spans=st.lists(
        st.tuples(st.integers(1, 6), st.integers(1, 3), st.integers(0, 2), st.integers(0, 2)),
        max_size=4,
    )
)
def test_every_cell_of_a_merge_reads_as_its_top_left(
    tmp_path: Path, spans: list[tuple[int, int, int, int]]
) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["设备名称", "品牌", "型号", "使用部门", "操作系统", "备注"])
    for row in range(2, 12):
        sheet.append([f"m{row}", f"v{row}", f"p{row}", f"d{row}", f"o{row}", f"n{row}"])
    taken: set[tuple[int, int]] = set()
    applied: list[Merge] = []
    for col, row_offset, width, height in spans:
        merge = Merge(col, 2 + row_offset * 3, min(6, col + width), 2 + row_offset * 3 + height)
        cells = {
            (c, r)
            for c in range(merge.min_col, merge.max_col + 1)
            for r in range(merge.min_row, merge.max_row + 1)
        }
        if cells & taken:
            continue
        taken |= cells
        applied.append(merge)
        sheet.merge_cells(
            start_row=merge.min_row,
            start_column=merge.min_col,
            end_row=merge.max_row,
            end_column=merge.max_col,
        )
    path = tmp_path / "merged.xlsx"
    book.save(path)
    rows = {n: cells for sheet in xlsx_book.iter_sheets(path, str(path)) for n, cells in sheet.rows}
    for merge in applied:
        top_left = rows[merge.min_row][merge.min_col - 1]
        for r in range(merge.min_row, merge.max_row + 1):
            for c in range(merge.min_col, merge.max_col + 1):
                assert rows[r][c - 1] == top_left


@pytest.mark.parametrize(
    ("value", "text"),
    [(None, ""), (12.0, "12"), (0.1, "0.1"), (20210001, "20210001"), (True, "TRUE"), (" a ", "a")],
)
def test_cell_text(value: object, text: str) -> None:
    assert cell_text(value) == text


def _workbook_with_sheet(tmp_path: Path, sheet_xml: str, shared: str | None = None) -> Path:
    """A real workbook (openpyxl) whose first sheet part is replaced by ``sheet_xml``."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["主机名", "CPU型号"])
    plain = tmp_path / "plain.xlsx"
    book.save(plain)
    path = tmp_path / "crafted.xlsx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = sheet_xml.encode()
            out.writestr(info.filename, data)
        if shared is not None:
            out.writestr("xl/sharedStrings.xml", shared)
    return path


_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _sheet(rows: str, tail: str = "") -> str:
    return f"<worksheet {_NS}><sheetData>{rows}</sheetData>{tail}</worksheet>"


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


HEADER_ROW = '<row r="1">' + _inline("A1", "主机名") + _inline("B1", "CPU型号") + "</row>"


@pytest.mark.parametrize(
    ("fault", "sheet", "says"),
    [
        (
            "a-row-of-16385-cells",
            _sheet(HEADER_ROW + '<row r="2">' + "<c><v>1</v></c>" * 16_385 + "</row>"),
            "a row of more than 16,384 cells",
        ),
        (
            "a-cell-longer-than-excel-allows",
            _sheet(HEADER_ROW + '<row r="2">' + _inline("A2", "x" * 140_000) + "</row>"),
            "a cell longer than 32,767 characters",
        ),
        (
            "a-merge-to-column-zzzzzzz",
            _sheet(HEADER_ROW, '<mergeCells count="1"><mergeCell ref="A2:ZZZZZZZ2"/></mergeCells>'),
            "a merged range beyond column XFD",
        ),
    ],
)
def test_a_workbook_past_excels_limits_is_refused_before_it_is_built(
    tmp_path: Path, fault: str, sheet: str, says: str
) -> None:
    path = _workbook_with_sheet(tmp_path, sheet)
    with pytest.raises(DataError, match="IMP215") as caught:
        read(path)
    assert says in str(caught.value)


def test_shared_strings_longer_than_a_cell_are_refused_before_openpyxl_loads_them(
    tmp_path: Path,
) -> None:
    shared = f'<sst {_NS} count="1" uniqueCount="1"><si><t>{"y" * 200_000}</t></si></sst>'
    path = _workbook_with_sheet(tmp_path, _sheet(HEADER_ROW), shared)
    with pytest.raises(DataError, match=r"IMP215 .*a cell longer than"):
        read(path)


def test_a_workbook_that_expands_past_the_budget_is_refused_by_its_zip_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The real budget is 1 GiB; a smaller one shows the same check without a large file.
    path = _workbook_with_sheet(tmp_path, _sheet(HEADER_ROW + '<row r="2"></row>' * 2_000))
    monkeypatch.setattr(xlsx_book, "MAX_EXPANDED_BYTES", 20_000)
    with pytest.raises(DataError, match=r"IMP215 .*expand to"):
        read(path)


def test_a_sheet_of_more_rows_than_excel_holds_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _workbook_with_sheet(tmp_path, _sheet(HEADER_ROW + '<row r="2"></row>' * 50))
    monkeypatch.setattr(xlsx_book, "MAX_ROWS", 40)
    with pytest.raises(DataError, match=r"IMP215 .*more than 40 rows"):
        read(path)
