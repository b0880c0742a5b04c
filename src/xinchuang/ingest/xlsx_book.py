"""Streaming XLSX sheets as rows of text, with merged cells filled in.

openpyxl's read-only mode streams rows in constant memory but forgets merged
cells: a department merged over five rows, or a title merged across the
columns, comes back as one value and four blanks. Merges are listed in each
sheet's XML after the cell data (``<mergeCells><mergeCell ref="A3:A7"/>``,
ECMA-376 Part 1 §18.3.1.55), so they are read first, by a byte scan of the
sheet part, and then every cell of a merge gets the value of its top-left
cell while the rows stream by.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import IO, Any

import defusedxml.ElementTree as SafeET
import openpyxl

from xinchuang.errors import DataError, Issue
from xinchuang.i18n import _

ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls / .et (BIFF in OLE2)
_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\s+ref\s*=\s*[\"']([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?[\"']")
_TAG_MAX = 256  # a <mergeCell ref="…"/> element is far shorter than this
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Merge:
    """One merged range, 1-based and inclusive."""

    min_col: int
    min_row: int
    max_col: int
    max_row: int


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + (letter - ord("A") + 1)
    return number


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def sheet_parts(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, part path) of every worksheet, in workbook order."""
    workbook = SafeET.fromstring(archive.read("xl/workbook.xml"))
    rels = SafeET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {
        rel.get("Id"): rel.get("Target", "") for rel in rels if _local(rel.tag) == "Relationship"
    }
    out: list[tuple[str, str]] = []
    for element in workbook.iter():
        if _local(element.tag) != "sheet":
            continue
        rid = next((v for k, v in element.attrib.items() if _local(k) == "id"), None)
        target = targets.get(rid)
        if not target:
            continue
        part = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl", target))
        out.append((element.get("name", ""), part))
    return out


def sheet_names(path: Path) -> list[str]:
    """Sheet names of an XLSX file, or [] when it is not one (for sniffing; never raises)."""
    try:
        with zipfile.ZipFile(path) as archive:
            return [name for name, _part in sheet_parts(archive)]
    except (OSError, KeyError, zipfile.BadZipFile, SyntaxError, ValueError):
        return []


# Excel's own limits (Microsoft, "Excel specifications and limits"): no workbook that Excel or
# WPS writes goes past them, so a file that does was made to hurt the reader.
MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384
MAX_CELL_CHARS = 32_767
MAX_TEXT_BYTES = 4 * MAX_CELL_CHARS + 4_096
"""Longest run of text between two tags: a full cell in 3-byte UTF-8 with some entities."""
MAX_EXPANDED_BYTES = 1 << 30
"""What the workbook's parts may expand to, by the sizes its zip directory declares (1 GiB:
a 1,000,000-row register is a few hundred MB of sheet XML). zipfile never inflates a member
past its declared size, so the declared sizes bound the work."""
_ROW_START = re.compile(rb"<(?:\w+:)?row[\s>/]")
_CELL_STARTS = (b"<c ", b"<c>", b"<c/")
_LONG_TEXT = re.compile(rb"[^<]{%d}" % (MAX_TEXT_BYTES + 1))


def over_limits(display: str, what: str, where: str | None = None) -> DataError:
    """The error for a workbook past a limit no real export reaches."""
    issue = Issue(
        display,
        _("the workbook is past a limit ({what})").format(what=what),
        "IMP215",
        position=where,
    )
    return DataError(str(issue), [issue], tip=_("open it in Excel or WPS and save it again"))


def check_sizes(archive: zipfile.ZipFile, display: str) -> None:
    """Refuse a workbook whose parts expand past ``MAX_EXPANDED_BYTES`` (a zip bomb)."""
    declared = sum(info.file_size for info in archive.infolist())
    if declared > MAX_EXPANDED_BYTES:
        raise over_limits(
            display,
            _("its parts expand to {size:,} MB; at most {limit:,} MB").format(
                size=declared >> 20, limit=MAX_EXPANDED_BYTES >> 20
            ),
        )


def _text_runs(display: str, part: str) -> Callable[[bytes], None]:
    """A checker fed the chunks of one part, refusing a text run longer than a cell holds."""
    run = 0

    def feed(chunk: bytes) -> None:
        nonlocal run
        first = chunk.find(b"<")
        if run + (len(chunk) if first < 0 else first) > MAX_TEXT_BYTES or _LONG_TEXT.search(chunk):
            raise over_limits(
                display,
                _("a cell longer than {limit:,} characters").format(limit=MAX_CELL_CHARS),
                part,
            )
        last = chunk.rfind(b"<")
        run = run + len(chunk) if last < 0 else len(chunk) - last - 1

    return feed


def check_text(archive: zipfile.ZipFile, part: str, display: str) -> None:
    """Refuse a part (the shared strings) holding text longer than a cell can."""
    if part not in archive.namelist():
        return
    feed = _text_runs(display, part)
    with archive.open(part) as stream:
        while chunk := stream.read(_CHUNK):
            feed(chunk)


def merges(archive: zipfile.ZipFile, part: str, display: str | None = None) -> list[Merge]:
    """Every merged range of one sheet part, by a streaming byte scan.

    The same pass refuses a sheet past Excel's limits (more rows or cells in a row than
    Excel allows, a merge beyond them, a cell longer than 32,767 characters) before
    openpyxl builds a row of 30 million cells or fills a merge to column ZZZZZZZ.
    """
    name = display or part
    found: list[Merge] = []
    buffer = b""
    rows = 0
    cells_in_row = 0
    feed = _text_runs(name, part)
    with archive.open(part) as stream:
        while True:
            chunk = stream.read(_CHUNK)
            feed(chunk)
            # Rows and cells: count cell starts between row starts (a start split across two
            # chunks is missed, which moves no count near a limit).
            previous = 0
            for match in _ROW_START.finditer(chunk):
                cells_in_row += sum(chunk.count(t, previous, match.start()) for t in _CELL_STARTS)
                if cells_in_row > MAX_COLUMNS:
                    break
                rows += 1
                cells_in_row = 0
                previous = match.end()
            cells_in_row += sum(chunk.count(t, previous) for t in _CELL_STARTS)
            if cells_in_row > MAX_COLUMNS:
                raise over_limits(
                    name, _("a row of more than {limit:,} cells").format(limit=MAX_COLUMNS), part
                )
            if rows > MAX_ROWS:
                raise over_limits(name, _("more than {limit:,} rows").format(limit=MAX_ROWS), part)
            buffer += chunk
            safe_end = len(buffer) if not chunk else len(buffer) - _TAG_MAX
            last_end = 0
            for match in _MERGE.finditer(buffer):
                if match.end() > safe_end:
                    break
                col1, row1, col2, row2 = match.groups()
                merge = Merge(
                    _column_number(col1),
                    int(row1),
                    _column_number(col2 or col1),
                    int(row2 or row1),
                )
                if merge.max_col > MAX_COLUMNS or merge.max_row > MAX_ROWS:
                    raise over_limits(
                        name,
                        _("a merged range beyond column {column} or row {row}").format(
                            column="XFD", row=f"{MAX_ROWS:,}"
                        ),
                        part,
                    )
                found.append(merge)
                last_end = match.end()
            if not chunk:
                return found
            buffer = buffer[max(last_end, len(buffer) - 2 * _TAG_MAX) :]


def cell_text(value: Any) -> str:
    """A cell as text: integral floats without '.0', dates as ISO 8601, None as ''."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value).strip()


def _filled_rows(rows: Iterator[tuple[Any, ...]], ranges: list[Merge]) -> Iterator[list[str]]:
    starts: dict[int, list[Merge]] = {}
    for merge in ranges:
        starts.setdefault(merge.min_row, []).append(merge)
    active: list[tuple[Merge, str]] = []
    for number, values in enumerate(rows, start=1):
        cells = [cell_text(v) for v in values]
        active = [(m, v) for m, v in active if m.max_row >= number]
        for merge in starts.get(number, ()):
            top_left = cells[merge.min_col - 1] if merge.min_col <= len(cells) else ""
            active.append((merge, top_left))
        for merge, value in active:
            if len(cells) < merge.max_col:
                cells.extend([""] * (merge.max_col - len(cells)))
            for col in range(merge.min_col, merge.max_col + 1):
                if not cells[col - 1]:
                    cells[col - 1] = value
        yield cells


@dataclass
class Sheet:
    """One worksheet: its name, and its rows (1-based number, cells as text)."""

    name: str
    rows: Iterator[tuple[int, list[str]]]


def unreadable(display: str, exc: Exception) -> DataError:
    """The error for a file that is not a readable XLSX workbook."""
    issue = Issue(
        display,
        _("not a readable XLSX workbook ({reason})").format(reason=str(exc) or type(exc).__name__),
        "IMP205",
    )
    return DataError(str(issue), [issue], tip=_("open it in Excel or WPS and save it as .xlsx"))


def legacy_xls(display: str) -> DataError:
    """The error for a legacy binary .xls/.et workbook."""
    issue = Issue(display, _("a legacy binary .xls workbook, which is not read"), "IMP206")
    return DataError(str(issue), [issue], tip=_("save it as .xlsx (or CSV) and import that"))


def iter_sheets(path: Path, display: str) -> Iterator[Sheet]:
    """Every worksheet of the workbook, rows streamed with merges filled in.

    Consume each sheet's rows before asking for the next sheet.
    """
    with path.open("rb") as handle:
        head = handle.read(8)
    if head == OLE2_MAGIC:
        raise legacy_xls(display)
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise unreadable(display, exc) from exc
    with archive:
        check_sizes(archive, display)
        try:
            parts = dict(sheet_parts(archive))
            # openpyxl reads every shared string before the first row: check them first.
            check_text(archive, "xl/sharedStrings.xml", display)
            # ... and it parses a sheet without a <dimension> whole when it opens the book,
            # so every sheet is surveyed (limits, merges) before openpyxl sees it.
            present = set(archive.namelist())
            surveyed = {
                part: merges(archive, part, display) for part in parts.values() if part in present
            }
            handle_: IO[bytes] = path.open("rb")
        except (KeyError, SyntaxError, ValueError, zipfile.BadZipFile) as exc:
            raise unreadable(display, exc) from exc
        with handle_:
            try:
                book = openpyxl.load_workbook(handle_, read_only=True, data_only=True)
            except Exception as exc:  # openpyxl raises many kinds on a broken package
                raise unreadable(display, exc) from exc
            try:
                for sheet in book.worksheets:
                    if not hasattr(sheet, "reset_dimensions"):
                        continue  # a chartsheet
                    # Exporters often write a wrong <dimension>; read what is really there.
                    sheet.reset_dimensions()
                    part = parts.get(sheet.title)
                    ranges = surveyed.get(part, []) if part else []
                    rows = sheet.iter_rows(min_row=1, min_col=1, values_only=True)
                    yield Sheet(sheet.title, _guarded(_filled_rows(rows, ranges), display))
            except _BROKEN as exc:
                raise unreadable(display, exc) from exc
            finally:
                book.close()


_BROKEN = (zipfile.BadZipFile, KeyError, SyntaxError, ValueError, TypeError, EOFError)


def _guarded(rows: Iterator[list[str]], display: str) -> Iterator[tuple[int, list[str]]]:
    """Number the rows; a sheet part that breaks mid-way is a DataError, not a traceback."""
    try:
        yield from enumerate(rows, start=1)
    except _BROKEN as exc:
        raise unreadable(display, exc) from exc
