"""Asset registers as XLSX workbooks: several sheets, title rows, merged cells.

Each sheet is read on its own: its header is found among its first rows (a
title such as ``江城市商业银行固定资产台账`` often sits above it), merged cells
are filled down and right (see :mod:`xinchuang.ingest.xlsx_book`), and a sheet
in which no row reads as a header (a cover, notes, a pivot) is passed over. A
workbook in which no sheet has a header is refused, listing what was seen.
Provenance is the sheet and the row number Excel shows.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from xinchuang.filenames import shown
from xinchuang.i18n import _
from xinchuang.ingest.base import Reader, ReadOptions, Record
from xinchuang.ingest.register_columns import RegisterScan
from xinchuang.ingest.xlsx_book import OLE2_MAGIC, ZIP_MAGIC, iter_sheets, sheet_names

RVTOOLS_SHEETS = frozenset({"vInfo", "vHost", "vCPU"})


class XlsxRegisterReader(Reader):
    """An asset or software-licence register as an XLSX workbook."""

    key = "xlsx-register"
    description = _("asset register or software-licence list as an XLSX workbook")
    patterns = ("*.xlsx", "*.xlsm")

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> float:
        """Any workbook that is not an RVTools export; legacy .xls too, to explain it."""
        if head.startswith(OLE2_MAGIC) and path.suffix.lower() in {".xls", ".et"}:
            return 0.5
        if not head.startswith(ZIP_MAGIC):
            return 0.0
        names = set(sheet_names(path))
        if not names:
            return 0.0
        return 0.1 if names & RVTOOLS_SHEETS else 0.6

    def read(self, path: Path, options: ReadOptions) -> Iterator[Record]:
        """Yield the records of every sheet that has a header."""
        scan = RegisterScan(shown(path), options)
        for sheet in iter_sheets(path, shown(path)):
            yield from scan.table(sheet.rows, sheet.name)
        scan.finish()
