"""Asset registers exported as CSV (or TSV): any delimiter, any of the usual encodings.

Decoding is :func:`xinchuang.ingest.text.decode`'s (a BOM decides, then strict
UTF-8, then GB18030). The delimiter is the one of ``,`` ``;`` tab ``|`` under
which a row of the first lines reads as a register header (title rows above
the header are common); columns are mapped by
:mod:`xinchuang.ingest.register_columns`.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import sys
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

from xinchuang.errors import DataError, Issue
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
        display = str(path)
        text, encoding = decode(path.read_bytes(), display)
        options.encoding = encoding
        if "\x00" in text:
            issue = Issue(display, _("text with NUL characters (UTF-16 without a BOM?)"), "IMP001")
            raise DataError(str(issue), [issue], tip=_("re-export the file as UTF-8 or GB18030"))
        scan = RegisterScan(display, options)
        delimiter = choose_delimiter(text, options.column_map) or _widest_delimiter(text)
        csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        yield from scan.table(_numbered(reader, display), None)
        scan.finish()


def _numbered(reader: Iterator[list[str]], display: str) -> Iterator[tuple[int, list[str]]]:
    number = 0
    try:
        for number, row in enumerate(reader, start=1):
            yield number, row
    except csv.Error as exc:
        issue = Issue(
            display,
            _("malformed CSV ({reason})").format(reason=exc),
            "IMP207",
            position=f"row {number + 1}",
        )
        raise DataError(str(issue), [issue]) from exc
