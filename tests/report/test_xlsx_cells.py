"""XLSX cells: text a spreadsheet would evaluate stays text, even when someone edits it."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from xinchuang.report.xlsx import Column, _Writer


@pytest.mark.parametrize(
    "text",
    ['=HYPERLINK("http://127.0.0.1/x","click")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)"],
)
def test_formula_leading_text_is_written_as_text_with_the_quote_prefix(
    tmp_path: Path, text: str
) -> None:
    path = tmp_path / "book.xlsx"
    writer = _Writer(path)
    writer.table("Inventory", [Column("Name"), Column("Share", "percent")], [(text, text)])
    writer.close()
    sheet = load_workbook(path)["Inventory"]
    for cell in (sheet["A2"], sheet["B2"]):
        assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", True)


def test_ordinary_text_and_numbers_carry_no_prefix(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    writer = _Writer(path)
    writer.table("Inventory", [Column("Name"), Column("Count", "int")], [("银河麒麟 V10", 3)])
    writer.close()
    sheet = load_workbook(path)["Inventory"]
    assert (sheet["A2"].value, sheet["A2"].quotePrefix) == ("银河麒麟 V10", False)
    assert sheet["B2"].value == 3
