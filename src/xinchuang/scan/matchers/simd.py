"""x86 SIMD intrinsics, their headers, inline assembly and x86-only ``#error``, with verdicts.

The verdict of an intrinsic depends on where it sits (see :mod:`xinchuang.scan.cpp`):

- outside any x86 guard: it will not compile on ARM64 or LoongArch (ISA101, blocker);
- behind an x86 guard whose chain has no ARM/LoongArch branch: the build drops it
  and runs the scalar path, slower (ISA102, performance);
- beside an ARM/LoongArch branch, or in a file that has NEON/LSX code: already
  ported (ISA103, note).

A file whose own name marks it x86-only (``crc32_sse42.c``, ``x86/…``) is
compiled for x86 by its build, so it counts as guarded; a sibling file named
for NEON or LSX counts as the portable branch.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from xinchuang.i18n import _
from xinchuang.scan.context import FileContext
from xinchuang.scan.cpp import Branch
from xinchuang.scan.finding import Hit
from xinchuang.scan.rule import Rule
from xinchuang.scan.simd_equivalents import remark_for

# Each expression starts with a literal character (the ``\b`` before it is a look-behind
# after it), so re jumps to the candidates instead of trying every offset.
INTRINSIC = re.compile(
    r"_(?<!\w_)(?:mm(?:256|512)?_\w+|m_\w+|_m(?:64|128|256|512)[idh]?\b|"
    r"(?:pdep|pext|bzhi|blsr|blsi|lzcnt|tzcnt|bextr|andn|mulx|addcarry|subborrow)_u(?:32|64)\b|"
    r"_rdtscp?\b|rdtscp?\b|xgetbv\b|rd(?:rand|seed)\d+_step\b|bit_scan_\w+|"
    r"x(?:begin|end|abort|test)\b)"
)
_HEADER = re.compile(
    r"^[ \t]*#[ \t]*include[ \t]*[<\"](?P<name>(?:[a-z]{0,5}mmintrin|immintrin|x86intrin|"
    r"x86gprintrin|ia32intrin|[a-z0-9]*intrin_x86|avx\w*intrin|cpuid|nmmintrin|wmmintrin|"
    r"smmintrin|tmmintrin|pmmintrin|emmintrin|xmmintrin|ammintrin)\.h)[>\"]",
    re.MULTILINE,
)
_ASM = re.compile(
    r"(?:_(?<!\w_)_asm(?:__)?|a(?<!\wa)sm)\b\s*(?:volatile\b|__volatile__\b|goto\b|inline\b|\s)*"
    r"(?P<open>[({])"
)
_ASM_BODY = re.compile(r"\(\s*(?:\"(?P<body>(?:\\.|[^\"\\])*)\"|(?P<other>\S))")
_X86_FILE_TOKEN = re.compile(
    r"^(?:x86|x86_64|x64|amd64|i[3-6]86|sse\d*|ssse3|sse4\d*|avx\d*\w*|bmi2?|aesni|pclmul\w*)$"
)
_PORT_FILE_TOKEN = re.compile(
    r"(?:neon|arm|arm64|aarch64|lsx|lasx|loongarch\w*|sve2?|altivec|vsx|power\w*|ppc\w*|"
    r"wasm|riscv\w*|rvv)"
)
_TOKEN_SPLIT = re.compile(r"[^a-z0-9_]+|_(?=[a-z])")


def _tokens(path: str) -> list[str]:
    lower = path.lower().rsplit(".", 1)[0]
    return [t for t in _TOKEN_SPLIT.split(lower) if t]


def x86_only_file(path: str) -> bool:
    """True when the file's name or folder says it is built for x86 only."""
    return any(_X86_FILE_TOKEN.match(t) for t in _tokens(path))


@cache
def _ported_beside(directory: str) -> bool:
    """True when a file or folder named for NEON/LSX/… sits beside ``directory``'s files."""
    base = Path(directory)
    names: list[str] = []
    for folder in (base, base.parent):
        try:
            names.extend(entry.name.lower() for entry in os.scandir(folder))
        except OSError:
            continue
    return any(any(_PORT_FILE_TOKEN.fullmatch(t) for t in _tokens(n)) for n in names)


def _verdict(ctx: FileContext, line: int) -> tuple[str, Branch | None]:
    """ISA101, ISA102 or ISA103 for an x86 construct at ``line``."""
    conditionals = ctx.conditionals
    guard = conditionals.x86_guard(line)
    if guard is None:
        if x86_only_file(ctx.path):
            ported = conditionals.portable_anywhere or (
                ctx.real_path is not None and _ported_beside(str(ctx.real_path.parent))
            )
            return ("ISA103" if ported else "ISA102"), None
        return "ISA101", None
    if conditionals.has_portable_sibling(guard) or conditionals.portable_anywhere:
        return "ISA103", guard
    return "ISA102", guard


@dataclass(frozen=True)
class _Intrinsic:
    """An x86 intrinsic (the first on its line) and the verdict its place gives it."""

    offset: int
    line: int
    name: str
    verdict: str
    guard: Branch | None


def _intrinsics(ctx: FileContext) -> list[_Intrinsic]:
    """Every line's first intrinsic, found once per file for the three rules that report them."""
    known = ctx.memo.get("simd.intrinsics")
    if isinstance(known, list):
        return known
    found_all: list[_Intrinsic] = []
    seen: set[int] = set()
    for found in INTRINSIC.finditer(ctx.lexed.code):
        line, _column = ctx.position(found.start())
        if line in seen:
            continue
        seen.add(line)
        verdict, guard = _verdict(ctx, line)
        found_all.append(_Intrinsic(found.start(), line, found.group(), verdict, guard))
    ctx.memo["simd.intrinsics"] = found_all
    return found_all


def match_intrinsics(rule: Rule, ctx: FileContext) -> Iterator[Hit]:
    """x86 intrinsics, one hit per line, for the rule whose verdict they get."""
    for intrinsic in _intrinsics(ctx):
        if intrinsic.verdict != rule.code:
            continue
        guard, line, name, verdict = (
            intrinsic.guard,
            intrinsic.line,
            intrinsic.name,
            intrinsic.verdict,
        )
        where = (
            _("behind the #if on line {line}").format(line=guard.start)
            if guard
            else (_("in a file built for x86 only") if verdict != "ISA101" else _("unguarded"))
        )
        yield Hit(
            offset=intrinsic.offset,
            snippet=ctx.line_text(line).strip()[:200],
            message=_("{title}: {name} ({where})").format(
                title=rule.title.local(), name=name, where=where
            ),
            remark=remark_for(name),
            detail={"intrinsic": name},
        )


def match_headers(rule: Rule, ctx: FileContext) -> Iterator[Hit]:
    """x86 intrinsic headers included outside any x86 guard (or x86-only file)."""
    if x86_only_file(ctx.path):
        return
    for found in _HEADER.finditer(ctx.lexed.nocomment):
        line, _col = ctx.position(found.start())
        if ctx.conditionals.arch_guard(line) is not None:
            continue
        yield Hit(
            offset=found.start("name"),
            snippet=ctx.line_text(line).strip(),
            message=_("{title}: {name}").format(title=rule.title.local(), name=found.group("name")),
            remark="ARM64: <arm_neon.h> (or sse2neon.h / simde); LoongArch: <lsxintrin.h>, "
            "<lasxintrin.h>",
        )


def match_inline_asm(rule: Rule, ctx: FileContext) -> Iterator[Hit]:
    """Inline assembly outside any instruction-set guard; an empty barrier is portable."""
    if x86_only_file(ctx.path):
        return
    code = ctx.lexed.code
    nocomment = ctx.lexed.nocomment
    for found in _ASM.finditer(code):
        line, _col = ctx.position(found.start())
        if ctx.conditionals.arch_guard(line) is not None:
            continue
        if found.group("open") == "(":
            body = _ASM_BODY.match(nocomment, found.start("open"))
            if (
                body is not None
                and body.group("body") is not None
                and not body.group("body").strip()
            ):
                continue  # asm volatile("" ::: "memory") is a compiler barrier on every ISA
        yield Hit(offset=found.start(), snippet=ctx.line_text(line).strip()[:200])


def match_x86_only_error(rule: Rule, ctx: FileContext) -> Iterator[Hit]:
    """``#error`` in the branch taken when the CPU is not x86."""
    conditionals = ctx.conditionals
    for branch in conditionals.branches:
        if not branch.errors:
            continue
        siblings = conditionals.blocks[branch.block]
        if branch.kind.value == "not-x86" or (
            branch.kind.value == "fallback"
            and not any(b.kind.value == "portable" for b in siblings)
        ):
            for line in branch.errors:
                text = ctx.line_text(line)
                yield Hit(
                    offset=ctx.line_starts[line - 1] + (len(text) - len(text.lstrip())),
                    snippet=text.strip(),
                )
