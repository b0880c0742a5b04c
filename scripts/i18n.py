"""Keep the zh_CN message catalog in step with the code.

    python scripts/i18n.py update   # add new messages (untranslated), drop stale ones
    python scripts/i18n.py check    # exit 1 when a message in the code has no translation

Messages are the string literals passed to ``_()`` in src/xinchuang.
"""

from __future__ import annotations

import re
import sys
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "xinchuang"
PO = PACKAGE / "locale" / "zh_CN" / "LC_MESSAGES" / "xinchuang.po"


def extracted() -> dict[str, list[tuple[str, int]]]:
    """msgid → where it is used."""
    found: dict[str, list[tuple[str, int]]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(PACKAGE), method_map=[("**.py", "python")], keywords={"_": None}
    ):
        if isinstance(message, str) and message:
            found.setdefault(message, []).append((f"src/xinchuang/{filename}", lineno))
    return found


_FIELD = re.compile(r"(?<!\{)\{([^{}]*)\}(?!\})")


def placeholders(text: str) -> set[str]:
    """The ``str.format`` fields of a message, without their format specs."""
    return {field.split("!")[0].split(":")[0] for field in _FIELD.findall(text)}


def load() -> Catalog:
    if PO.exists():
        with PO.open("rb") as handle:
            return read_po(handle, locale="zh_CN")
    return Catalog(locale="zh_CN", domain="xinchuang")


def render(messages: dict[str, list[tuple[str, int]]], existing: Catalog) -> bytes:
    catalog = Catalog(
        locale="zh_CN",
        domain="xinchuang",
        project="xinchuang",
        version="0.1.0",
        charset="utf-8",
    )
    # Translated messages no longer in the code are kept: a message that moves between
    # modules (or lands in a later commit) keeps its translation.
    kept = {m.id for m in existing if m.id and isinstance(m.id, str) and m.string}
    for msgid in sorted(set(messages) | kept):
        old = existing.get(msgid)
        catalog.add(msgid, string=old.string if old else "", locations=[])
    out = BytesIO()
    write_po(out, catalog, omit_header=False, no_location=True, width=100, sort_output=True)
    text = out.getvalue().decode("utf-8")
    # The header's creation date changes every run; keep the file reproducible.
    lines = [
        line
        for line in text.splitlines()
        if not line.startswith('"POT-Creation-Date') and not line.startswith('"PO-Revision-Date')
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "check"
    messages = extracted()
    existing = load()
    wanted = render(messages, existing)
    if command == "update":
        PO.parent.mkdir(parents=True, exist_ok=True)
        PO.write_bytes(wanted)
        missing = [m for m in messages if not (existing.get(m) and existing.get(m).string)]
        print(f"{PO.relative_to(ROOT)}: {len(messages)} messages, {len(missing)} untranslated")
        return 0
    problems = []
    for msgid, where in sorted(messages.items()):
        entry = existing.get(msgid)
        if not entry or not entry.string:
            problems.append(f"{where[0][0]}:{where[0][1]}: no zh_CN translation for {msgid!r}")
        elif placeholders(msgid) != placeholders(str(entry.string)):
            # str.format would raise KeyError at run time in Chinese only.
            wanted, found = sorted(placeholders(msgid)), sorted(placeholders(str(entry.string)))
            problems.append(
                f"{where[0][0]}:{where[0][1]}: placeholders differ in the translation of "
                f"{msgid!r}: {wanted} vs {found}"
            )
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
