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

import re
from collections.abc import Iterator
from dataclasses import dataclass

from xinchuang.i18n import _
from xinchuang.scan.context import FileContext
from xinchuang.scan.cpp_model import X86, x86_named
from xinchuang.scan.finding import Hit
from xinchuang.scan.matchers.regex import match as regex_match
from xinchuang.scan.per_target import (
    CPU_TARGETS,
    Judgement,
    _dropped,
    judge_asm,
    judge_x86,
    own_path,
    path_isa,
    rule_for,
    x86_only_file,
)
from xinchuang.scan.rule import Rule
from xinchuang.scan.simd_equivalents import remark_for

# A condition about an instruction set (for #error): the compilers' architecture macros.
_ARCH_CONDITION = re.compile(
    r"__(?:x86_64|amd64|i[3-6]86|aarch64|arm|arm64|loongarch\w*|sw_64|mips\w*|riscv\w*|"
    r"powerpc\w*|PPC\w*|s390x?|ARM_\w+|SSE\w*|AVX\w*)__?|\b_M_(?:X64|AMD64|IX86|ARM\w*)\b"
)

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


@dataclass(frozen=True)
class _Intrinsic:
    """An x86 intrinsic (the first on its line) and what each target makes of it."""

    offset: int
    line: int
    name: str
    verdict: str
    judgement: Judgement


_DEFINITION = re.compile(r"\b(_\w+)\s*\([^;{}()]*\)\s*\{")


def _intrinsics(ctx: FileContext) -> list[_Intrinsic]:
    """Every line's first intrinsic, judged once per file for the three rules that report them."""
    known = ctx.memo.get("simd.intrinsics")
    if isinstance(known, list):
        return known
    found_all: list[_Intrinsic] = []
    seen: set[int] = set()
    code = ctx.lexed.code
    own_functions: set[str] | None = None
    for found in INTRINSIC.finditer(code):
        line, _column = ctx.position(found.start())
        if line in seen:
            continue
        seen.add(line)
        name = found.group()
        if own_functions is None:
            # functions of the file's own that bear an intrinsic's name (x86cpu's _xgetbv)
            own_functions = {m.group(1) for m in _DEFINITION.finditer(code)}
        if name in own_functions:
            continue
        judgement = judge_x86(ctx, line)
        if judgement is None:
            continue  # no x86 compiler keeps the line: not x86 code (LSX, POWER, emulation)
        verdict = rule_for(judgement, ("ISA101", "ISA102", "ISA103"))
        found_all.append(_Intrinsic(found.start(), line, found.group(), verdict, judgement))
    ctx.memo["simd.intrinsics"] = found_all
    return found_all


def _hit(
    ctx: FileContext,
    rule: Rule,
    offset: int,
    line: int,
    name: str,
    judgement: Judgement,
    remark: str | None,
) -> Hit:
    evidence = "; ".join(f"{t}: {e}" for t, e in judgement.targets.items())
    remarks = [r for r in (judgement.remark, remark) if r]
    return Hit(
        offset=offset,
        snippet=ctx.line_text(line).strip()[:200],
        message=_("{title}: {name} ({where})").format(
            title=rule.title.local(), name=name, where=evidence
        ),
        remark="; ".join(remarks) or None,
        detail={"intrinsic": name, "targets": dict(judgement.targets)},
        per_target=dict(judgement.per_target),
        confidence=judgement.confidence if judgement.confidence != "high" else None,
    )


def match_intrinsics(rule: Rule, ctx: FileContext) -> Iterator[Hit]:
    """x86 intrinsics, one hit per line, for the rule whose verdict they get."""
    for intrinsic in _intrinsics(ctx):
        if intrinsic.verdict != rule.code:
            continue
        yield _hit(
            ctx,
            rule,
            intrinsic.offset,
            intrinsic.line,
            intrinsic.name,
            intrinsic.judgement,
            remark_for(intrinsic.name),
        )


def match_headers(rule: Rule, ctx: FileContext) -> Iterator[Hit]:
    """x86 intrinsic headers that a target's preprocessor keeps."""
    for found in _HEADER.finditer(ctx.lexed.nocomment):
        line, _col = ctx.position(found.start())
        quoted = ctx.text[found.start("name") - 1 : found.start("name")] == '"'
        if (
            quoted
            and ctx.real_path is not None
            and (ctx.real_path.parent / found.group("name")).is_file()
        ):
            continue  # the project's own cpuid.h, not the compiler's
        judgement = judge_x86(ctx, line, translatable=False)
        if judgement is None:
            continue
        blocked = {t: v for t, v in judgement.per_target.items() if v == "blocker"}
        if not blocked:
            continue  # dropped on every target: the intrinsics it serves are judged themselves
        judgement.per_target = blocked
        judgement.targets = {t: e for t, e in judgement.targets.items() if t in blocked}
        yield _hit(
            ctx,
            rule,
            found.start("name"),
            line,
            found.group("name"),
            judgement,
            "ARM64: <arm_neon.h> (or sse2neon.h / simde); LoongArch: <lsxintrin.h>, <lasxintrin.h>",
        )


def _asm_text(nocomment: str, start: int) -> str:
    """The text of an asm statement from its keyword to its closing parenthesis or brace."""
    depth = 0
    end = min(len(nocomment), start + 4000)
    for index in range(start, end):
        char = nocomment[index]
        if char in "({":
            depth += 1
        elif char in ")}":
            depth -= 1
            if depth == 0:
                return nocomment[start : index + 1]
    return nocomment[start:end]


# Assembler directives every ELF assembler knows (GNU as manual, "Assembler Directives").
_DIRECTIVE_ONLY = re.compile(
    r"^\.(?:symver|section|pushsection|popsection|previous|globl|global|weak|hidden|protected|"
    r"type|size|ident|align|balign|p2align|text|data|bss|long|quad|word|ascii|asciz|string|"
    r"incbin|set|equ|local|comm|lcomm|file|loc|cfi_\w+)\b"
)
_TEMPLATE_STRING = re.compile(r'"((?:\\.|[^"\\])*)"')


def _no_instructions(statement: str) -> bool:
    """True when the asm template holds only assembler comments, labels-free nops or nothing."""
    head = re.split(r"(?<![:\"]):(?!:)", statement, maxsplit=1)[0]
    template = "".join(_TEMPLATE_STRING.findall(head))
    if not _TEMPLATE_STRING.search(head):
        return False
    lines = re.split(r"\\n|;|\n", template.replace("\\t", " "))
    return all(
        not part.strip()
        or part.strip().startswith("#")
        or part.strip() == "nop"
        or _DIRECTIVE_ONLY.match(part.strip()) is not None
        for part in lines
    )


def match_inline_asm(rule: Rule, ctx: FileContext) -> Iterator[Hit]:
    """Inline assembly a target compiles that is not written for it; a barrier is portable."""
    code = ctx.lexed.code
    nocomment = ctx.lexed.nocomment
    for found in _ASM.finditer(code):
        line, _col = ctx.position(found.start())
        if found.group("open") == "(":
            body = _ASM_BODY.match(nocomment, found.start("open"))
            if (
                body is not None
                and body.group("body") is not None
                and not body.group("body").strip()
            ):
                continue  # asm volatile("" ::: "memory") is a compiler barrier on every ISA
        statement = _asm_text(nocomment, found.start())
        if _no_instructions(statement):
            continue  # a comment for a profiler, a nop: nothing ISA-specific
        judgement = judge_asm(ctx, line, statement)
        if not judgement.per_target:
            continue
        yield Hit(
            offset=found.start(),
            snippet=ctx.line_text(line).strip()[:200],
            message=_("{title}: {where}").format(
                title=rule.title.local(),
                where="; ".join(f"{t}: {e}" for t, e in judgement.targets.items()),
            ),
            remark=judgement.remark,
            detail={"targets": dict(judgement.targets)},
            per_target=dict(judgement.per_target),
            confidence=judgement.confidence if judgement.confidence != "high" else None,
        )


def match_x86_only_error(rule: Rule, ctx: FileContext) -> Iterator[Hit]:
    """``#error`` that a target's preprocessor reaches, behind an architecture test.

    No x86 compiler may reach it too: an ``#error`` every compiler reaches is a configuration
    check, not a missing port.
    """
    read = ctx.cpp_views
    reached: dict[int, dict[str, str]] = {}
    x86_chains = {
        read[X86].chains.get(conditions[-1][0], (0,))[0]
        for _line, active, conditions, _names in read[X86].errors
        if active == 1 and conditions
    }
    for target in CPU_TARGETS:
        for line, active, conditions, _names in read[target].errors:
            if active != 1 or read[X86].at(line).keep == 1:
                continue
            if conditions and read[target].chains.get(conditions[-1][0], (0,))[0] in x86_chains:
                continue  # an #error in every branch, x86's too: an architecture probe
            if not any(_ARCH_CONDITION.search(text) for _l, text in conditions):
                continue
            reached.setdefault(line, {})[target] = "blocker"
    for line, per_target in sorted(reached.items()):
        text = ctx.line_text(line)
        yield Hit(
            offset=ctx.line_starts[line - 1] + (len(text) - len(text.lstrip())),
            snippet=text.strip(),
            per_target=per_target,
            detail={
                "targets": {
                    t: _("the {target} preprocessor reaches it").format(target=t)
                    for t in per_target
                }
            },
        )


def match_x86_asm_file(rule: Rule, ctx: FileContext) -> Iterator[Hit]:
    """An x86 assembly file, judged per target by its preprocessor, its name and its siblings."""
    hit = next(iter(regex_match(rule, ctx)), None)
    if hit is None:
        return
    line = ctx.position(hit.offset)[0] if hit.offset is not None else 1
    judgement = Judgement()
    read = ctx.cpp_views if "#" in ctx.text else None
    built_for_x86 = x86_only_file(ctx.path)
    if path_isa(ctx.path) not in (None, "x86"):
        return
    for target in CPU_TARGETS:
        segment = read[target].at(line) if read is not None else None
        keep = segment.keep if segment is not None else 1
        if keep is None and segment is not None and x86_named(segment.open_names):
            keep = 0  # behind HAVE_AMD64_ASM or the like: configure's x86 test
            judgement.confidence = "medium"
        where = own_path(ctx, target)
        if keep == 0 or built_for_x86 or where is not None:
            why = (
                _("the file is built for x86 only (its name or folder)")
                if built_for_x86
                else _("the {target} preprocessor drops it").format(target=target)
            )
            _dropped(ctx, target, judgement, why)
        else:
            judgement.per_target[target] = "blocker"
            judgement.targets[target] = _(
                "nothing in its name, folder or #if keeps {target} from assembling it"
            ).format(target=target)
            if keep is None:
                judgement.confidence = "low"
                judgement.remark = _(
                    "not decided: {names} is set by the build, not by the code"
                ).format(names=", ".join(segment.open_names[:3]) if segment else "?")
    yield Hit(
        offset=hit.offset,
        snippet=hit.snippet,
        detail={"whole_file": True, "targets": dict(judgement.targets)},
        per_target=dict(judgement.per_target),
        confidence=judgement.confidence if judgement.confidence != "high" else None,
    )
