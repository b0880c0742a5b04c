"""Apply a table of zh_CN translations (a Python dict ``T`` in a file) to the message catalog.

python scripts/translate.py translations.py
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

PO = Path(__file__).resolve().parent.parent / "src/xinchuang/locale/zh_CN/LC_MESSAGES/xinchuang.po"


def main(argv: list[str]) -> int:
    table: dict[str, str] = runpy.run_path(argv[1])["T"]
    with PO.open("rb") as handle:
        catalog = read_po(handle, locale="zh_CN")
    applied = 0
    for message in catalog:
        if message.id and message.id in table:
            message.string = table[message.id]
            applied += 1
    with PO.open("wb") as handle:
        write_po(handle, catalog, no_location=True, width=100, sort_output=True)
    print(f"applied {applied} translations")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
