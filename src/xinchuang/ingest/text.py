"""Decoding text exports: strict UTF-8 (with or without BOM), UTF-16 with BOM, then GB18030.

Statistical guessing misreads short files, so the order is fixed: a BOM decides;
otherwise strict UTF-8; otherwise GB18030 (a superset of GBK and GB2312, the
norm in Chinese exports). A file that is neither is refused, never mangled.
"""

from __future__ import annotations

import codecs

from xinchuang.errors import DataError, Issue

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode(data: bytes, file: str) -> tuple[str, str]:
    """Return (text, encoding name) or raise DataError naming the byte offset."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise DataError(
                    "", [Issue(file, f"invalid {encoding} at byte {exc.start}", "IMP001")]
                ) from exc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise DataError(
            "",
            [
                Issue(
                    file,
                    f"neither UTF-8 nor GB18030 text (undecodable byte at offset {exc.start})",
                    "IMP001",
                )
            ],
            tip="re-export the file as UTF-8 or GB18030/GBK",
        ) from exc
