"""A CPU construct's severity for each target, from that target's preprocessor and paths.

An x86 construct at a line is judged once per target (see :mod:`xinchuang.scan.cpp_model`):

- the ``x86`` model drops the line: it is not x86 code (a LoongArch ``__m128i``), no finding;
- the target's preprocessor keeps it: it will not compile there, a blocker;
- it drops it (or the file is built for x86 only): no blocker; "ported" (a note) when the
  target has its own SIMD path (NEON for arm64, LSX/LASX for loongarch64) in the file or
  beside it, "performance" otherwise (a scalar path runs);
- the condition rests on a macro only the build sets: a feature test named for x86
  (``HAVE_AVX2INTRIN_H``) reads as dropped, with medium confidence; any other is a blocker
  with low confidence; the remark names the macro either way.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from xinchuang.i18n import _
from xinchuang.scan.context import FileContext
from xinchuang.scan.cpp_model import X86, ModelView, Segment, tree_root, x86_named

CPU_TARGETS = ("arm64", "loongarch64", "sw64")
SIMD_NAME = {"arm64": "NEON", "loongarch64": "LSX/LASX", "sw64": "SW64 SIMD"}

# Each target's own SIMD in code: intrinsics and types (ACLE; GCC's LoongArch SX/ASX intrinsics).
_OWN_SIMD = {
    "arm64": re.compile(
        r"\bv(?:(?:ld|st)[1-4]q?(?:_lane|_dup)?_[sufp](?:8|16|32|64)|[a-z0-9]+q?_[suf](?:8|16|32|64))"
        r"\s*\(|\bsv[a-z0-9_]+_[suf](?:8|16|32|64)\w*\s*\(|"
        r"\b(?:u?int|float|poly)(?:8|16|32|64)x(?:1|2|4|8|16)(?:x[234])?_t\b|"
        r"^[ \t]*#[ \t]*include[ \t]*[<\"](?:arm_neon|arm_sve|sse2neon)\.h[>\"]",
        re.MULTILINE,
    ),
    "loongarch64": re.compile(
        r"\b__l(?:a)?sx_\w+\s*\(|^[ \t]*#[ \t]*include[ \t]*[<\"]l(?:a)?sxintrin\.h[>\"]",
        re.MULTILINE,
    ),
    "sw64": re.compile(r"(?!x)x"),  # no public list of SW64 SIMD intrinsics (unconfirmed)
}
# Folder and file names of each target's own code.
_OWN_NAMES = {
    "arm64": re.compile(r"^(?:neon\w*|arm|arm64|aarch64|armv8\w*|sve2?|acle)$"),
    "loongarch64": re.compile(r"^(?:lsx|lasx|loongarch\w*|loong64|la64)$"),
    "sw64": re.compile(r"^(?:sw64|sw_64|sunway)$"),
}
_X86_FILE_TOKEN = re.compile(
    r"^(?:x86|x86_64|x64|amd64|i[3-6]86|win32|win64|sse\d*|ssse3|sse4\d*|avx\d*\w*|bmi2?|aesni|p?clmul\w*|"
    r"haswell|skylake\w*|icelake\w*|westmere|sandybridge|ivybridge|nehalem|znver\d*)$"
)
_TOKEN_SPLIT = re.compile(r"[^a-z0-9]+")
_SSE2NEON = re.compile(r"^[ \t]*#[ \t]*include[ \t]*[<\"](?:\w+/)*sse2neon\.h[>\"]", re.MULTILINE)


# The instruction set a folder or file name stands for (arch/x86/, crc32_neon.c, lasx.h…).
_PATH_ISA = (
    ("x86", _X86_FILE_TOKEN),
    ("arm64", re.compile(r"^(?:neon\w*|arm|arm64|aarch64|armv8\w*|sve2?\w*|acle)$")),
    ("loongarch64", re.compile(r"^(?:lsx|lasx|loongarch\w*|loong64|la64)$")),
    ("sw64", re.compile(r"^(?:sw64|sw_64|sunway)$")),
    ("ppc", re.compile(r"^(?:power\d*\w*|ppc\w*|powerpc\w*|altivec|vsx|vmx)$")),
    ("s390", re.compile(r"^(?:s390x?|zarch|dfltcc)$")),
    ("riscv", re.compile(r"^(?:riscv\w*|rvv\w*)$")),
    ("mips", re.compile(r"^(?:mips\w*|msa)$")),
    ("wasm", re.compile(r"^(?:wasm\w*|v128\w*|simd128)$")),
)
_ARCH_IN_CONDITION = {
    "arm64": re.compile(r"__aarch64__|__ARM_\w+|_M_ARM64|__arm64|NEON|AARCH64|ARM64|\bARM\b"),
    "loongarch64": re.compile(r"(?i)loongarch|\bl?a?sx\b|LSX|LASX|loong64"),
    "sw64": re.compile(r"(?i)__sw_64|sw64|sunway"),
}
_BUILTIN = re.compile(r"\b__builtin_\w+\s*\(")


@cache
def path_isa(path: str) -> str | None:
    """The instruction set a file's name or folder says it is built for, if any."""
    tokens = _tokens(path.split("!/")[-1])
    for isa, pattern in _PATH_ISA:
        if any(pattern.match(t) for t in tokens):
            return isa
    return None


def _tokens(path: str) -> list[str]:
    lower = path.lower().rsplit(".", 1)[0]
    return [t for t in _TOKEN_SPLIT.split(lower) if t]


def x86_only_file(path: str) -> bool:
    """True when the file's name or a folder says its build compiles it for x86 only."""
    return path_isa(path) == "x86"


def built_elsewhere(path: str, target: str) -> bool:
    """True when the file's name or folder says it is built for an ISA other than ``target``."""
    isa = path_isa(path)
    return isa is not None and isa != target


def own_file(path: str, target: str) -> bool:
    """True when the file's name or folder says it is the target's own code."""
    return any(_OWN_NAMES[target].match(t) for t in _tokens(path.split("!/")[-1]))


@cache
def _beside(directory: str, target: str, root: str) -> str | None:
    """A file or folder named for the target's code beside or above ``directory``'s files
    (never above the scan root)."""
    base = Path(directory)
    folders = [base] if str(base) == root or not str(base).startswith(root) else [base, base.parent]
    for folder in folders:
        try:
            names = sorted(entry.name for entry in os.scandir(folder))
        except OSError:
            continue
        for name in names:
            if any(_OWN_NAMES[target].match(t) for t in _tokens(name)):
                return str(folder / name)
    return None


@dataclass
class Judgement:
    """Severities per target, what each rests on, and how sure the scanner is."""

    per_target: dict[str, str] = field(default_factory=dict)
    targets: dict[str, str] = field(default_factory=dict)  # target → evidence
    confidence: str = "high"
    remark: str | None = None


def _rank(confidence: str) -> int:
    return {"high": 2, "medium": 1, "low": 0}[confidence]


def _lower(judgement: Judgement, confidence: str) -> None:
    if _rank(confidence) < _rank(judgement.confidence):
        judgement.confidence = confidence


def views(ctx: FileContext) -> dict[str, ModelView]:
    """The file's reading by each model (computed once per file)."""
    return ctx.cpp_views


def own_path(ctx: FileContext, target: str) -> str | None:
    """Where the target has its own SIMD path: "x.c:120", a sibling's name, or None."""
    key = f"own-path:{target}"
    if key in ctx.memo:
        known = ctx.memo[key]
        return known if isinstance(known, str) else None
    found: str | None = None
    if own_file(ctx.path, target):
        found = ctx.path
    else:
        view = views(ctx)[target]
        for match in _OWN_SIMD[target].finditer(ctx.lexed.nocomment):
            line, _col = ctx.position(match.start())
            if view.at(line).keep != 0:
                found = f"{ctx.path}:{line}"
                break
        if found is None:
            found = _own_asm(ctx, target)
        root = tree_root(ctx.path, ctx.real_path)
        if found is None and ctx.real_path is not None and root is not None:
            beside = _beside(str(ctx.real_path.parent), target, str(root))
            if beside is not None:
                found = os.path.basename(beside)
    ctx.memo[key] = found
    return found


_ASM_START = re.compile(r"\b(?:__asm__|__asm|asm)\b\s*(?:volatile\b|__volatile__\b|\s)*\(")


def _own_asm(ctx: FileContext, target: str) -> str | None:
    """Inline asm written for the target that its preprocessor keeps: "x.c:120"."""
    text = ctx.lexed.nocomment
    view = views(ctx)[target]
    for match in _ASM_START.finditer(text):
        line, _col = ctx.position(match.start())
        if view.at(line).keep == 0:
            continue
        if asm_isa(text[match.start() : match.start() + 400]) == target:
            return f"{ctx.path}:{line}"
    return None


_X86_HEADER = re.compile(
    r"^[ \t]*#[ \t]*include[ \t]*[<\"]"
    r"(?:[a-z]{0,5}mmintrin|immintrin|x86intrin|[a-z0-9]*intrin_x86|"
    r"avx\w*intrin|nmmintrin|wmmintrin|smmintrin|tmmintrin|pmmintrin|emmintrin|xmmintrin|"
    r"ammintrin)\.h[>\"]",
    re.MULTILINE,
)


def _header_gate(ctx: FileContext, target: str) -> str | None:
    """The build's feature tests that every x86 intrinsic header of the file waits for.

    A file that includes immintrin.h only under HAVE_IMMINTRIN_H cannot compile where the
    build's test fails: the build either skips it there or breaks, and real builds skip it.
    """
    key = f"header-gate:{target}"
    if key in ctx.memo:
        known = ctx.memo[key]
        return known if isinstance(known, str) else None
    view = views(ctx)[target]
    names: list[str] = []
    gated = False
    for match in _X86_HEADER.finditer(ctx.lexed.nocomment):
        line, _col = ctx.position(match.start())
        segment = view.at(line)
        if segment.keep == 0:
            continue
        if segment.keep is None and x86_named(segment.open_names):
            gated = True
            names.extend(segment.open_names)
            continue
        gated = False
        names = []
        break
    found = ", ".join(dict.fromkeys(names)) if gated else None
    ctx.memo[key] = found
    return found


def _translated(ctx: FileContext, target: str) -> bool:
    """sse2neon turns x86 intrinsics into NEON on arm64, when the target keeps its include."""
    if target != "arm64":
        return False
    view = views(ctx)[target]
    for match in _SSE2NEON.finditer(ctx.lexed.nocomment):
        line, _col = ctx.position(match.start())
        if view.at(line).keep != 0:
            return True
    return False


def sibling_path(ctx: FileContext, target: str, line: int) -> str | None:
    """The target's own branch in the ``#if`` chain that holds ``line``, if it keeps one.

    A branch whose condition names the target's architecture, or that holds the target's
    SIMD or a compiler builtin (``__builtin_ctzll`` beside ``_tzcnt_u64``), is a port; a
    plain ``#else`` is the scalar fallback.
    """
    view = views(ctx)[target]
    segment = view.at(line)
    key = f"sibling:{target}:{segment.conditions}"
    if key in ctx.memo:
        known = ctx.memo[key]
        return known if isinstance(known, str) else None
    found = _sibling(ctx, view, segment, target)
    ctx.memo[key] = found
    return found


def _sibling(ctx: FileContext, view: ModelView, segment: Segment, target: str) -> str | None:
    lines = ctx.line_starts
    text = ctx.lexed.nocomment
    for branch_line, _condition in reversed(segment.conditions):
        branches = view.chains.get(branch_line, ())
        for index, other in enumerate(branches[:-1]):
            if other == branch_line:
                continue
            kept = view.at(other + 1)
            if kept.keep == 0 or not kept.conditions or kept.conditions[-1][0] != other:
                continue
            end = branches[index + 1]
            body = text[lines[other] if other < len(lines) else len(text) : lines[end - 1]]
            condition = kept.conditions[-1][1]
            if _ARCH_IN_CONDITION[target].search(condition) or _OWN_SIMD[target].search(body):
                return _("{target} branch at {path}:{line}").format(
                    target=target, path=ctx.path, line=other
                )
            if _BUILTIN.search(body):
                return _("compiler builtin at {path}:{line}").format(path=ctx.path, line=other)
    return None


def _dropped(
    ctx: FileContext, target: str, judgement: Judgement, why: str, line: int | None = None
) -> None:
    sibling = sibling_path(ctx, target, line) if line is not None else None
    where = None if sibling is not None else own_path(ctx, target)
    if sibling is not None:
        judgement.per_target[target] = "note"
        judgement.targets[target] = _("ported: {where} for {target}").format(
            where=sibling, target=target
        )
    elif where is not None:
        judgement.per_target[target] = "note"
        judgement.targets[target] = _("ported: {simd} path in {where} for {target}").format(
            simd=SIMD_NAME[target], where=where, target=target
        )
    else:
        judgement.per_target[target] = "performance"
        judgement.targets[target] = _(
            "no {simd} path: {why}; a scalar path runs on {target} (performance)"
        ).format(simd=SIMD_NAME[target], why=why, target=target)


def judge_x86(ctx: FileContext, line: int, *, translatable: bool = True) -> Judgement | None:
    """The per-target judgement of an x86 construct at ``line``; None when it is not x86 code."""
    read = views(ctx)
    if read[X86].at(line).keep == 0:
        return None
    judgement = Judgement()
    built_for = path_isa(ctx.path)
    if built_for not in (None, "x86"):
        return None  # a file for another instruction set: its __m128i is not x86's
    remarks: list[str] = []
    for target in CPU_TARGETS:
        segment = read[target].at(line)
        keep = 0 if built_for == "x86" else segment.keep
        if keep == 0:
            why = (
                _("the file is built for x86 only (its name or folder)")
                if built_for == "x86"
                else _("the {target} preprocessor drops it (#if on line {line})").format(
                    target=target, line=segment.conditions[-1][0] if segment.conditions else 0
                )
            )
            _dropped(ctx, target, judgement, why, None if built_for == "x86" else line)
        elif keep == 1 and (gate := _header_gate(ctx, target)) is not None:
            _dropped(
                ctx,
                target,
                judgement,
                _("the file's x86 headers wait for {names}").format(names=gate),
                line,
            )
            _lower(judgement, "medium")
            remarks.append(
                _(
                    "the file includes its x86 intrinsic headers only when the build sets {names}: "
                    "read as compiled on x86 only"
                ).format(names=gate)
            )
        elif keep == 1:
            if translatable and _translated(ctx, target):
                judgement.per_target[target] = "note"
                judgement.targets[target] = _("ported: sse2neon translates it for arm64")
            else:
                judgement.per_target[target] = "blocker"
                judgement.targets[target] = _("the {target} preprocessor keeps it").format(
                    target=target
                )
        else:
            names = ", ".join(segment.open_names[:3]) or "?"
            if x86_named(segment.open_names):
                _dropped(ctx, target, judgement, _("behind an x86 feature test"), line)
                _lower(judgement, "medium")
                remarks.append(
                    _("{names}: set by the build (configure); read as an x86 feature test").format(
                        names=names
                    )
                )
            else:
                judgement.per_target[target] = "blocker"
                judgement.targets[target] = _(
                    "not decided for {target}: {names} comes from the build"
                ).format(target=target, names=names)
                _lower(judgement, "low")
                remarks.append(
                    _("not decided: {names} is set by the build, not by the code").format(
                        names=names
                    )
                )
    if remarks:
        judgement.remark = "; ".join(dict.fromkeys(remarks))
    return judgement


def rule_for(judgement: Judgement, codes: tuple[str, str, str]) -> str:
    """The rule of the worst severity: (blocker, performance, ported) codes."""
    values = set(judgement.per_target.values())
    if "blocker" in values:
        return codes[0]
    if "performance" in values:
        return codes[1]
    return codes[2]


# -- inline assembly ----------------------------------------------------------------------
_ASM_ISA = (
    (
        "x86",
        re.compile(
            r"%%?[er]?(?:ax|bx|cx|dx|si|di|sp|bp)\b|%%?r(?:8|9|1[0-5])[dwb]?\b|%%?[xyz]mm\d|"
            r"\b(?:cpuid|rdtscp?|xgetbv|rdrand|rdseed|pushf[lqd]?|popf[lqd]?|pause|[lms]fence|"
            r"cmpxchg\w*|xchg[bwlq]?|bswap[lq]?|movdq[au]|pshufb|mov[lqbw]|add[lq]|lea[lq]|"
            r"prefetch(?:t\d|nta|w)|clflush\w*|bs[rf][lq]?|mulx|adcx|adox|xbegin|xend|xtest)\b|"
            r"\.byte\s+0x0f|\"=?[&+]?[abcdSD]\"\s*\(|\.intel_syntax"
        ),
    ),
    (
        "loongarch64",
        re.compile(
            r"\b(?:dbar|ibar|am(?:swap|add|and|or|xor|max|min)(?:_db)?\.[wd]|ll\.[wd]|sc\.[wd]|"
            r"rdtime[lh]?\.[wd]|cpucfg|x?vld|x?vst)\b|\$(?:r\d+|a[0-7]|t[0-8]|s[0-8]|sp|ra|zero)\b"
        ),
    ),
    (
        "arm64",
        re.compile(
            r"\b(?:dmb|dsb|isb|ldxr\w*|stxr\w*|ldaxr\w*|stlxr\w*|ldar\w*|stlr\w*|mrs|msr|yield|"
            r"wfe|sevl?|prfm|cnt(?:vct|frq|pct)_el0|umulh|smulh|csel|rbit|pmull2?|aes[ed]|"
            r"aesi?mc|crc32c?[bhwx])\b|\b[xw](?:[12]?\d|30)\b"
        ),
    ),
    (
        "arm32",
        re.compile(
            r"\b(?:ldrex\w*|strex\w*|mcr|mrc|vld\d\.\d+|vst\d\.\d+)\b|\br(?:1[0-5]|[0-9])\b"
        ),
    ),
    (
        "ppc",
        re.compile(
            r"\b(?:lwsync|isync|mftb\w*|mfspr|mtspr|eieio|lwarx|stwcx\.|ldarx|rotlwi?|rotrwi|"
            r"rlwinm|rldicl|mflr|mtlr)\b"
        ),
    ),
    (
        "riscv",
        re.compile(r"\b(?:fence(?:\.i)?|rdcycle|rdinstret|csrr[swc]?\w*|lr\.[wd]|sc\.[wd])\b"),
    ),
    ("mips", re.compile(r"\.set\s+(?:mips\w*|push|noreorder)|\brdhwr\b")),
    ("sw64", re.compile(r"\b(?:memb|rtc|imemb)\b")),
)


# Project macros named for an instruction set (FOO_PPC32, HAVE_ARM_ASM…).
_ISA_NAMED = {
    "ppc": re.compile(r"(?i)ppc|powerpc|power\d|altivec"),
    "arm32": re.compile(r"(?i)arm(?!64)|thumb"),
    "arm64": re.compile(r"(?i)aarch64|arm64|armv8"),
    "mips": re.compile(r"(?i)mips"),
    "riscv": re.compile(r"(?i)riscv"),
    "loongarch64": re.compile(r"(?i)loongarch|loong64"),
    "sw64": re.compile(r"(?i)sw_?64|sunway"),
}


def asm_isa(text: str) -> str | None:
    """The instruction set an inline asm statement is written for, when its text shows it."""
    for isa, pattern in _ASM_ISA:
        if pattern.search(text):
            return isa
    return None


def judge_asm(ctx: FileContext, line: int, text: str) -> Judgement:
    """Inline asm: a blocker on each target that compiles it and whose instructions it is not."""
    read = views(ctx)
    isa = asm_isa(text)
    judgement = Judgement()
    x86_keep = read[X86].at(line).keep
    for target in CPU_TARGETS:
        segment = read[target].at(line)
        keep = 0 if built_elsewhere(ctx.path, target) else segment.keep
        if keep is None and x86_named(segment.open_names):
            keep = 0  # behind HAVE_AMD64_ASM / HAVE_CPUID: configure's x86 test
        if (
            keep is None
            and isa in _ISA_NAMED
            and any(_ISA_NAMED[isa].search(n) for n in segment.open_names)
        ):
            keep = 0  # behind LTC_PPC32 and the like: a macro named for the asm's own ISA
        if keep == 0 or isa == target:
            continue
        if isa is None:
            if x86_keep == 0:
                continue  # guarded away from x86 and kept here: written for this target's kind
            judgement.per_target[target] = "blocker"
            judgement.targets[target] = _(
                "inline assembly the {target} compiler keeps; its instructions are not recognised"
            ).format(target=target)
            _lower(judgement, "medium")
            continue
        judgement.per_target[target] = "blocker"
        judgement.targets[target] = _("{isa} assembly the {target} compiler keeps").format(
            isa=isa, target=target
        )
        if keep is None:
            _lower(judgement, "low")
            judgement.remark = _(
                "not decided: {names} is set by the build, not by the code"
            ).format(names=", ".join(segment.open_names[:3]) or "?")
    return judgement
