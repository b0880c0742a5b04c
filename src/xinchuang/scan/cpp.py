"""The conditional structure of C and C++ files: which lines sit behind which ``#if``.

The three SIMD verdicts depend on it. An x86 intrinsic outside any x86 guard
will not compile on ARM64 or LoongArch; behind ``#ifdef __SSE2__`` it drops
out and a scalar path runs instead; beside a ``__ARM_NEON`` or
``__loongarch_sx`` branch it is already ported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

_X86 = re.compile(
    r"__x86_64__?|__amd64__?|__i[3-6]86__?|__x86__|_M_X64|_M_AMD64|_M_IX86|_M_I86|"
    r"(?<![A-Za-z])(?:SSE\d?\w*|SSSE3\w*|AVX\w*|BMI2?\b|PCLMUL\w*|POPCNT\b|F16C\b|LZCNT\b|AESNI\w*)|"
    r"(?<![A-Za-z])(?:[xX]86(?:_64)?|X64|AMD64|I386)(?![A-Za-z])"
)
_PORTABLE = re.compile(
    r"__aarch64__|_M_ARM64\w*|__arm64__?|__arm__|_M_ARM\b|__ARM_\w+|"
    r"(?<![A-Za-z])(?:NEON|SVE2?|LA?SX|AARCH64|ARM64|LOONGARCH\w*|ALTIVEC|VSX|RISCV\w*)(?![A-Za-z])|"
    r"__loongarch\w*|__mips\w*|__powerpc\w*|__PPC\w*|__riscv\w*|__wasm\w*|__sw_64\w*|__s390x__"
)
_NEGATED = re.compile(r"!\s*(?:defined\s*\(?\s*)?(?P<name>\w+)")
_DIRECTIVE = re.compile(
    r"^[ \t]*#[ \t]*(?P<word>if|ifdef|ifndef|elif|elifdef|elifndef|else|endif|error)\b(?P<rest>.*)$"
)
# Intrinsics of ARM (NEON, SVE) and LoongArch (LSX, LASX) in the code itself.
# (each alternative starts with its literal, the \b before it a look-behind after it,
# so re jumps to the candidates instead of trying every offset)
PORTABLE_INTRINSICS = re.compile(
    r"(?:v(?<!\wv)(?:(?:ld|st)[1-4]q?_\w+|\w+q_[suf](?:8|16|32|64)|ec_\w+)|"
    r"s(?<!\ws)v\w+_[suf](?:8|16|32|64)\w*|_(?<!\w_)_(?:lsx_\w+|lasx_\w+)|"
    r"w(?<!\ww)asm_[iuf](?:8|16|32|64)x\d+_\w+)\s*\("
)


class Kind(StrEnum):
    """What a branch's condition says about the instruction set."""

    X86 = "x86"  # the branch compiles only for x86
    PORTABLE = "portable"  # ARM, LoongArch, POWER, RISC-V… or their SIMD
    NOT_X86 = "not-x86"  # the branch compiles everywhere but x86 (``#ifndef __SSE2__``)
    FALLBACK = "fallback"  # #else after x86 branches only: the scalar path
    OTHER = "other"


@dataclass
class Branch:
    """One branch of an ``#if`` chain: lines ``start``..``end`` (1-based, inclusive)."""

    block: int
    kind: Kind
    start: int
    end: int = 0
    errors: list[int] = field(default_factory=list)
    condition: str = ""


@dataclass
class Conditionals:
    """Every branch of every ``#if`` chain in a file."""

    branches: list[Branch] = field(default_factory=list)
    blocks: dict[int, list[Branch]] = field(default_factory=dict)
    portable_anywhere: bool = False
    # the open branches at each line (index 0 unused), shared while the stack is unchanged
    open_at: list[tuple[Branch, ...]] = field(default_factory=list)

    def enclosing(self, line: int) -> list[Branch]:
        """The branches that hold ``line``, innermost first."""
        if 0 < line < len(self.open_at):
            return list(reversed(self.open_at[line]))
        return []

    def x86_guard(self, line: int) -> Branch | None:
        """The innermost branch that makes ``line`` x86-only, if any."""
        for branch in self.enclosing(line):
            if branch.kind is Kind.X86:
                return branch
        return None

    def arch_guard(self, line: int) -> Branch | None:
        """The innermost branch about an instruction set at all."""
        for branch in self.enclosing(line):
            if branch.kind is not Kind.OTHER:
                return branch
        return None

    def guarded_by(self, line: int, pattern: re.Pattern[str]) -> bool:
        """True when a branch holding ``line`` requires a macro that ``pattern`` names.

        A negated test (``#ifndef _WIN32``) does not count, nor does its ``#else``.
        """
        for branch in self.enclosing(line):
            found = pattern.search(branch.condition)
            if found and not re.search(
                r"!\s*(?:defined\s*\(?\s*)?$", branch.condition[: found.start()]
            ):
                return True
        return False

    def has_portable_sibling(self, branch: Branch) -> bool:
        """True when the chain of ``branch`` has an ARM/LoongArch/… branch."""
        return any(b.kind in (Kind.PORTABLE, Kind.NOT_X86) for b in self.blocks[branch.block])


def _condition(word: str, rest: str) -> str:
    if word in ("ifndef", "elifndef"):
        return f"!defined({rest.strip()})"
    if word == "else":
        return ""
    return rest.strip()


def _classify(word: str, rest: str) -> Kind:
    condition = rest.strip()
    if word in ("ifndef", "elifndef"):
        condition = f"!defined({condition})"
    x86 = _X86.search(condition)
    portable = _PORTABLE.search(condition)
    negated = _NEGATED.search(condition)
    if portable and not (negated and _PORTABLE.search(negated.group("name"))):
        return Kind.PORTABLE
    if x86:
        if negated and _X86.search(negated.group("name")) and "&&" not in condition:
            return Kind.NOT_X86
        return Kind.X86
    return Kind.OTHER


def analyse(code: str) -> Conditionals:
    """Parse the preprocessor conditionals of a C file's code view."""
    result = Conditionals()
    stack: list[Branch] = []
    block_id = 0
    lines = code.split("\n")
    number = 0
    pending = ""
    open_at: list[tuple[Branch, ...]] = [()]
    current: tuple[Branch, ...] = ()
    for number, raw in enumerate(lines, start=1):
        open_at.append(current)
        line = pending + raw
        if line.endswith("\\"):
            pending = line[:-1]
            continue
        pending = ""
        if "#" not in line:
            continue
        match = _DIRECTIVE.match(line)
        if match is None:
            continue
        word, rest = match.group("word"), match.group("rest")
        if word in ("if", "ifdef", "ifndef"):
            block_id += 1
            branch = Branch(
                block_id, _classify(word, rest), number, condition=_condition(word, rest)
            )
            result.blocks[block_id] = [branch]
            stack.append(branch)
        elif word in ("elif", "elifdef", "elifndef", "else") and stack:
            closing = stack.pop()
            closing.end = number - 1
            result.branches.append(closing)
            siblings = result.blocks[closing.block]
            if word == "else":
                kinds = {b.kind for b in siblings}
                if kinds <= {Kind.X86, Kind.OTHER} and Kind.X86 in kinds:
                    kind = Kind.FALLBACK
                elif kinds == {Kind.NOT_X86}:
                    kind = Kind.X86
                elif Kind.PORTABLE in kinds and Kind.X86 not in kinds:
                    kind = Kind.X86  # #if __aarch64__ … #else (x86) … #endif
                else:
                    kind = Kind.OTHER
            else:
                kind = _classify(word, rest)
            branch = Branch(closing.block, kind, number, condition=_condition(word, rest))
            siblings.append(branch)
            stack.append(branch)
        elif word == "endif" and stack:
            closing = stack.pop()
            closing.end = number - 1
            result.branches.append(closing)
        elif word == "error" and stack:
            stack[-1].errors.append(number)
        if word != "error":
            current = tuple(stack)
            open_at[number] = current
    for branch in stack:  # unterminated: runs to the end of the file
        branch.end = number
        result.branches.append(branch)
    result.open_at = open_at
    result.portable_anywhere = any(b.kind is Kind.PORTABLE for b in result.branches) or bool(
        PORTABLE_INTRINSICS.search(code)
    )
    return result
