"""The declarative matcher: a rule's regular expressions over one view of a file."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from xinchuang.scan.context import FileContext
from xinchuang.scan.finding import Hit
from xinchuang.scan.prefilter import folded, matches
from xinchuang.scan.rule import Rule, Scope


def _excluded(rule: Rule, line: str) -> bool:
    return any(p.search(line) for p in rule.compiled_exclude)


_WINDOWS_MACROS = re.compile(
    r"\b(?:_WIN32|_WIN64|WIN32|_WINDOWS|_MSC_VER|__MINGW32__|__MINGW64__|__CYGWIN__)\b"
)


def _guarded(rule: Rule, ctx: FileContext, offset: int) -> bool:
    """Skip hits behind a guard: ``skip_guarded`` is x86, any (instruction set) or windows."""
    mode = rule.options.get("skip_guarded")
    if not mode or not (ctx.kinds & {"c", "cpp"}):
        return False
    line, _col = ctx.position(offset)
    if mode == "x86":
        return ctx.conditionals.x86_guard(line) is not None
    if mode == "windows":
        return ctx.conditionals.guarded_by(line, _WINDOWS_MACROS)
    return ctx.conditionals.arch_guard(line) is not None


def _near(rule: Rule, ctx: FileContext, offset: int) -> bool:
    """``unless_nearby``: a pattern within a few lines that makes the hit a guarded fallback."""
    pattern = rule.options.get("unless_nearby")
    if not isinstance(pattern, str):
        return False
    lines = int(str(rule.options.get("nearby_lines", 3)))
    line, _col = ctx.position(offset)
    window = "\n".join(ctx.line_text(n) for n in range(max(1, line - lines), line + lines + 1))
    return re.search(pattern, window) is not None


def _in_view(ctx: FileContext, pattern: re.Pattern[str], view: str) -> Iterator[re.Match[str]]:
    """``pattern.finditer(view)``, through the pattern's start finder when it has one."""
    finder = ctx.view_finders.get(pattern)
    if finder is None:
        return pattern.finditer(view)
    expression, ignore_case = finder
    if not ignore_case:
        return matches(pattern, view, expression, view)
    lowered = ctx.memo.get(f"folded:{id(view)}")
    if not (isinstance(lowered, tuple) and lowered[0] is view):
        lowered = (view, folded(view))
        ctx.memo[f"folded:{id(view)}"] = lowered
    if len(lowered[1]) != len(view):
        return pattern.finditer(view)  # a character became two: offsets differ
    return matches(pattern, view, expression, lowered[1])


def match(rule: Rule, ctx: FileContext) -> Iterator[Hit]:
    """Every match of every pattern in the rule's view of the file."""
    scope = rule.scope
    once = bool(rule.options.get("once_per_file"))
    compiled = ctx.patterns.get(rule.code, rule.compiled)
    if scope is Scope.SQL:
        for unit_index, unit in enumerate(ctx.sql_units):
            for pattern in compiled:
                for found in _in_view(ctx, pattern, unit.code):
                    offset = unit.file_offset(found.start())
                    line, _col = ctx.position(offset)
                    if rule.exclude and _excluded(rule, ctx.line_text(line)):
                        continue
                    statement = unit.statement_at(found.start())
                    detail: dict[str, object] = {"sql_origin": unit.origin}
                    if statement is not None:
                        detail["object_type"] = statement.object_type
                        if statement.name:
                            detail["object_name"] = statement.name
                        detail["_statement"] = (unit_index, unit.statements.index(statement))
                    yield Hit(offset=offset, snippet=found.group().strip(), detail=detail)
                    if once:
                        return
        return
    if scope is Scope.VBA:
        for module in ctx.vba_modules:
            view = module.lexed.nocomment  # Declare … Lib "kernel32" lives in a string
            lines = module.code.split("\n")
            starts = [0]
            starts.extend(i + 1 for i, ch in enumerate(view) if ch == "\n")
            for pattern in compiled:
                for found in pattern.finditer(view):
                    line = bisect.bisect_right(starts, found.start())
                    text_line = lines[line - 1].strip() if line <= len(lines) else ""
                    if rule.exclude and _excluded(rule, text_line):
                        continue
                    yield Hit(
                        line=line,
                        column=found.start() - starts[line - 1] + 1,
                        snippet=text_line[:200],
                        detail={"module": module.name},
                    )
                    if once:
                        return
        return
    if scope is Scope.STRINGS:
        for literal in ctx.lexed.literals:
            for pattern in compiled:
                for found in pattern.finditer(literal.value):
                    offset = literal.value_start + found.start()
                    if rule.exclude and _excluded(rule, ctx.line_text(ctx.position(offset)[0])):
                        continue
                    yield Hit(offset=offset, snippet=found.group())
                    if once:
                        return
        return
    if scope is Scope.RAW:
        view = ctx.text
    elif scope is Scope.NOCOMMENT:
        view = ctx.lexed.nocomment
    else:
        view = ctx.lexed.code
    for pattern in compiled:
        finder = ctx.finders.get(pattern)
        found_all = pattern.finditer(view) if finder is None else matches(pattern, view, *finder)
        for found in found_all:
            offset = found.start()
            if rule.exclude and _excluded(rule, ctx.line_text(ctx.position(offset)[0])):
                continue
            if _guarded(rule, ctx, offset) or _near(rule, ctx, offset):
                continue
            yield Hit(offset=offset, snippet=ctx.text[found.start() : found.end()].strip())
            if once:
                return


def match_whole_file(rule: Rule, ctx: FileContext) -> Iterator[Hit]:
    """One finding for the file (a batch script, an x86 assembly file…).

    With patterns, the file must match one of them in the rule's view.
    """
    if rule.patterns:
        hit = next(iter(match(rule, ctx)), None)
        if hit is None:
            return
        yield Hit(offset=hit.offset, snippet=hit.snippet, detail={"whole_file": True})
        return
    yield Hit(line=None, detail={"whole_file": True})
