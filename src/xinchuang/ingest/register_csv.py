"""Asset registers exported as CSV (or TSV): any delimiter, any of the usual encodings.

Decoding is :func:`xinchuang.ingest.text.decode`'s (a BOM decides, then strict
UTF-8, then GB18030). The delimiter is the one of ``,`` ``;`` tab ``|`` under
which a row of the first lines reads as a register header (title rows above
the header are common); columns are mapped by
:mod:`xinchuang.ingest.register_columns`.

Framing is strict, because a lenient CSV parser loses rows without a word: an
unclosed quote swallows every following line into one field, and a file cut
short stores a partial last row. So a quoted field whose lines read as whole
rows (IMP208), a file that ends inside a quoted field (IMP209), a row with more
fields than the table is wide (IMP210) and a short last row in a file that does
not end with a line break (IMP211) are bad rows: refused, or listed as skipped
under ``--skip-bad-rows``. Rows are numbered by the line they start on, as a
text editor shows them.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
from collections import Counter
from collections.abc import Iterator
from itertools import chain, islice
from pathlib import Path

from xinchuang.errors import DataError, Issue
from xinchuang.filenames import shown
from xinchuang.i18n import _
from xinchuang.ingest.base import Reader, ReadOptions, Record
from xinchuang.ingest.register_columns import (
    HEADER_SCAN_ROWS,
    RegisterScan,
    find_header_row,
)
from xinchuang.ingest.text import decode

DELIMITERS = (",", "\t", ";", "|")
_TEXT_SUFFIXES = (".csv", ".tsv", ".txt", ".tab")


def sniff_text(head: bytes) -> str | None:
    """The first bytes of a file as text, leniently (the head may end mid-character), or None.

    For sniffing only: reading decodes the whole file strictly.
    """
    if head.startswith(codecs.BOM_UTF8):
        return head[3:].decode("utf-8", errors="ignore")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return head[: len(head) // 2 * 2].decode("utf-16", errors="ignore")
    if b"\x00" in head:
        return None  # binary, or UTF-16 without a BOM
    for cut in range(4):
        try:
            return head[: len(head) - cut].decode("utf-8")
        except UnicodeDecodeError:
            continue
    return head.decode("gb18030", errors="replace")


def first_rows(text: str, delimiter: str, limit: int = HEADER_SCAN_ROWS) -> list[list[str]]:
    """The first ``limit`` records of ``text`` under ``delimiter`` (a broken one ends the list)."""
    rows: list[list[str]] = []
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    with contextlib.suppress(csv.Error):
        rows.extend(islice(reader, limit))
    return rows


def choose_delimiter(text: str, column_map: dict[str, str]) -> str | None:
    """The delimiter under which some early row reads as a header with the most known columns."""
    best: tuple[int, int, str] | None = None
    for order, delimiter in enumerate(DELIMITERS):
        found = find_header_row(first_rows(text, delimiter), column_map)
        if found is None:
            continue
        score = (found[1].recognized, -order)
        if best is None or score > (best[0], best[1]):
            best = (score[0], score[1], delimiter)
    return best[2] if best else None


def _widest_delimiter(text: str) -> str:
    """For the error message only: the delimiter most frequent on the first non-empty line."""
    line = next((line for line in text.splitlines() if line.strip()), "")
    return max(DELIMITERS, key=line.count) if line else ","


class CsvRegisterReader(Reader):
    """An asset or software-licence register as CSV/TSV, Chinese or English headers."""

    key = "csv-register"
    description = _("asset register or software-licence list as CSV (any encoding, any delimiter)")
    patterns = ("*.csv", "*.tsv", "*.txt")

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> float:
        """Sure when an early row reads as a register header under some delimiter."""
        text = sniff_text(head)
        if text is None or text.lstrip().startswith(("{", "[", "<")):
            return 0.0
        lines = text.splitlines()
        if len(lines) > 1 and not head.endswith((b"\n", b"\r")):
            lines = lines[:-1]  # the head may cut the last line short
        if choose_delimiter("\n".join(lines[:HEADER_SCAN_ROWS]), {}) is None:
            return 0.0
        return 0.8 if path.suffix.lower() in _TEXT_SUFFIXES else 0.6

    def read(self, path: Path, options: ReadOptions) -> Iterator[Record]:
        """Yield the records of every row under the detected header."""
        display = shown(path)
        text, encoding = decode(path.read_bytes(), display)
        options.encoding = encoding
        if "\x00" in text:
            issue = Issue(display, _("text with NUL characters (UTF-16 without a BOM?)"), "IMP001")
            raise DataError(str(issue), [issue], tip=_("re-export the file as UTF-8 or GB18030"))
        scan = RegisterScan(display, options)
        delimiter = choose_delimiter(text, options.column_map) or _widest_delimiter(text)
        csv.field_size_limit(MAX_FIELD_CHARS)
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
        framed = _Framing(
            display, delimiter, options, ends_with_newline=text.endswith(("\n", "\r"))
        )
        yield from scan.table(framed.rows(reader), None)
        scan.finish()


MAX_FIELD_CHARS = 1 << 20
"""Characters one CSV field may hold (1 MiB): a register's cell is a name, a model, a note."""
WIDTH_SAMPLE_ROWS = 50
"""Rows read to learn how wide the table is (its most common row length)."""


class _Framing:
    """Numbers the rows of a CSV by the line each starts on, and refuses rows framed wrongly."""

    def __init__(
        self, display: str, delimiter: str, options: ReadOptions, *, ends_with_newline: bool
    ) -> None:
        self.display = display
        self.delimiter = delimiter
        self.options = options
        self.ends_with_newline = ends_with_newline

    def _bad(self, line: int, message: str, code: str) -> None:
        self.options.reject(Issue(self.display, message, code, position=f"row {line}"))

    def rows(self, reader: Iterator[list[str]]) -> Iterator[tuple[int, list[str]]]:
        """(line, cells) of every good row; bad rows go to ``options.reject``."""
        numbered = self._parse(reader)
        sample = list(islice(numbered, WIDTH_SAMPLE_ROWS))
        lengths = Counter(len(cells) for _, cells, _last in sample if len(cells) > 1)
        width = max(lengths, key=lambda n: (lengths[n], n)) if lengths else 0
        for line, cells, last in chain(sample, numbered):
            if self._framed(line, cells, width, last=last):
                yield line, cells

    def _parse(self, reader: Iterator[list[str]]) -> Iterator[tuple[int, list[str], bool]]:
        """(first line, cells, is it the last row) per record; malformed: IMP207/IMP209."""
        line = 1
        previous: tuple[int, list[str]] | None = None
        try:
            for cells in reader:
                if previous is not None:
                    yield previous[0], previous[1], False
                previous = (line, cells)
                line = reader.line_num + 1  # type: ignore[attr-defined]
        except csv.Error as exc:
            if previous is not None:
                yield previous[0], previous[1], False
            if "field larger than field limit" in str(exc):
                issue = Issue(
                    self.display,
                    _("a field is longer than {limit:,} characters").format(limit=MAX_FIELD_CHARS),
                    "IMP214",
                    position=f"row {line}",
                )
            elif "unexpected end of data" in str(exc):
                issue = Issue(
                    self.display,
                    _("the file ends inside a quoted field (cut short, or a quote never closed)"),
                    "IMP209",
                    position=f"row {line}",
                )
            else:
                issue = Issue(
                    self.display,
                    _("malformed CSV ({reason})").format(reason=exc),
                    "IMP207",
                    position=f"row {line}",
                )
            raise DataError(str(issue), [issue]) from exc
        if previous is not None:
            yield previous[0], previous[1], True

    def _framed(self, line: int, cells: list[str], width: int, *, last: bool) -> bool:
        if width > 2:
            for cell in cells:
                if "\n" not in cell and "\r" not in cell:
                    continue
                swallowed = [
                    part for part in cell.splitlines() if part.count(self.delimiter) >= width - 2
                ]
                if swallowed:
                    self._bad(
                        line,
                        _(
                            "a quoted field runs over {lines} lines that read as rows "
                            "(a quote never closed?)"
                        ).format(lines=len(cell.splitlines())),
                        "IMP208",
                    )
                    return False
        if width > 1 and len(cells) > width and any(c.strip() for c in cells[width:]):
            self._bad(
                line,
                _("the row has {found} fields, the table {width}").format(
                    found=len(cells), width=width
                ),
                "IMP210",
            )
            return False
        if last and not self.ends_with_newline and 1 < len(cells) < width:
            self._bad(
                line,
                _(
                    "the last row has {found} of {width} fields and no line break (file cut short?)"
                ).format(found=len(cells), width=width),
                "IMP211",
            )
            return False
        return True
