"""Inline suppressions: ``xinchuang: ignore[DB101]`` in a comment.

- On a line with code, the comment silences that line.
- On a line of its own, it silences the next line too.
- ``ignore-file[CODE]`` anywhere silences the whole file; ``ignore`` with no
  brackets silences every rule.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from xinchuang.scan.context import FileContext
from xinchuang.scan.lexer import Language

_MARK = re.compile(
    r"xinchuang:\s*ignore(?P<file>-file)?(?:\[(?P<codes>[A-Za-z0-9_,*\s]+)\])?", re.IGNORECASE
)
_COMMENT_ONLY = re.compile(r"^\s*(?://|#|--|/\*|\*|<!--|'|rem\b|::|;)", re.IGNORECASE)
ALL = "*"


@dataclass
class Suppressions:
    """Codes silenced for the whole file and per line."""

    whole_file: set[str] = field(default_factory=set)
    lines: dict[int, set[str]] = field(default_factory=dict)

    def silences(self, code: str, line: int | None) -> bool:
        """True when ``code`` is silenced at ``line`` (None: the whole file)."""
        if ALL in self.whole_file or code in self.whole_file:
            return True
        if line is None:
            return False
        codes = self.lines.get(line)
        return codes is not None and (ALL in codes or code in codes)


def find(ctx: FileContext) -> Suppressions:
    """The suppressions written in a file's comments."""
    result = Suppressions()
    if "xinchuang:" not in ctx.lower:
        return result
    comments = ctx.lexed.comments
    starts = [c[0] for c in comments]
    need_comment = ctx.language is not Language.PLAIN
    for mark in _MARK.finditer(ctx.text):
        if need_comment:
            index = bisect.bisect_right(starts, mark.start()) - 1
            if index < 0 or not comments[index][0] <= mark.start() < comments[index][1]:
                continue
        raw = mark.group("codes")
        codes = {c.strip().upper() for c in raw.split(",") if c.strip()} if raw else {ALL}
        if mark.group("file"):
            result.whole_file |= codes
            continue
        line, _col = ctx.position(mark.start())
        result.lines.setdefault(line, set()).update(codes)
        before = ctx.line_text(line)[: mark.start() - ctx.line_starts[line - 1]]
        if not before.strip() or _COMMENT_ONLY.match(before):
            result.lines.setdefault(line + 1, set()).update(codes)
    return result
