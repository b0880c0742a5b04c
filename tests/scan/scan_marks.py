"""Read the expectations written into rule fixtures.

A file fixture marks the line *after* a comment: ``-- expect: DB101`` means
DB101 must be found on the next line, ``-- ok: DB101`` that it must not be.
A directory fixture (for binaries, documents and whole-file rules) has an
``expectations.txt`` of lines ``expect: CODE relative/path`` or
``ok: CODE relative/path``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
_MARK = re.compile(r"\b(expect|ok):\s*([A-Z]{2,3}\d{3}(?:\s*,\s*[A-Z]{2,3}\d{3})*)")
_DIR_MARK = re.compile(r"^(expect|ok):\s*([A-Z]{2,3}\d{3})\s+(\S+)\s*$")


@dataclass
class Expectations:
    """What a fixture says must and must not be found: (code, path, line or None)."""

    expect: set[tuple[str, str, int | None]] = field(default_factory=set)
    ok: set[tuple[str, str, int | None]] = field(default_factory=set)
    root: Path | None = None  # what to scan; the fixture itself unless ``scan:`` says


def scan_root(fixture: Path) -> Path:
    """The path a fixture's scan starts from (``scan: ../shared`` in expectations.txt)."""
    return read(fixture).root or fixture


def fixture_for(code: str) -> Path | None:
    """The one fixture of a rule (a file named CODE.* or a folder named CODE)."""
    found = [p for p in FIXTURES.glob(f"*/{code}*") if p.stem == code or p.name == code]
    return found[0] if len(found) == 1 else None


def all_fixtures() -> list[Path]:
    """Every fixture, sorted."""
    return sorted(p for p in FIXTURES.glob("*/*") if re.fullmatch(r"[A-Z]{2,3}\d{3}", p.stem))


def read(fixture: Path) -> Expectations:
    """The expectations of one fixture."""
    out = Expectations()
    if fixture.is_dir():
        text = (fixture / "expectations.txt").read_text(encoding="utf-8")
        for line in text.splitlines():
            if line.startswith("scan:"):
                out.root = (fixture / line.split(":", 1)[1].strip()).resolve()
                continue
            match = _DIR_MARK.match(line.strip())
            if match:
                kind, code, path = match.groups()
                target = out.expect if kind == "expect" else out.ok
                target.add((code, path, None))
        return out
    text = fixture.read_bytes().decode("utf-8", "replace")
    for number, line in enumerate(text.splitlines(), start=1):
        for match in _MARK.finditer(line):
            kind, codes = match.groups()
            target = out.expect if kind == "expect" else out.ok
            for code in codes.split(","):
                target.add((code.strip(), fixture.name, number + 1))
    return out
