"""The SIMD matchers' expressions, rewritten to start with a literal, match as first written."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st
from scan_marks import FIXTURES

from xinchuang.scan.cpp import PORTABLE_INTRINSICS
from xinchuang.scan.matchers.simd import _ASM, INTRINSIC

_PLAIN = {
    "intrinsic": (
        INTRINSIC,
        re.compile(
            r"\b(?:_mm(?:256|512)?_\w+|_m_\w+|__m(?:64|128|256|512)[idh]?\b|"
            r"_(?:pdep|pext|bzhi|blsr|blsi|lzcnt|tzcnt|bextr|andn|mulx|addcarry|subborrow)"
            r"_u(?:32|64)\b|__rdtscp?\b|_rdtscp?\b|_xgetbv\b|_rd(?:rand|seed)\d+_step\b|"
            r"_bit_scan_\w+|_x(?:begin|end|abort|test)\b)"
        ),
    ),
    "asm": (
        _ASM,
        re.compile(
            r"\b(?:__asm__|__asm|asm)\b\s*(?:volatile\b|__volatile__\b|goto\b|inline\b|\s)*"
            r"(?P<open>[({])"
        ),
    ),
    "portable": (
        PORTABLE_INTRINSICS,
        re.compile(
            r"\b(?:v(?:ld|st)[1-4]q?_\w+|v\w+q_[suf](?:8|16|32|64)|sv\w+_[suf](?:8|16|32|64)\w*|"
            r"__lsx_\w+|__lasx_\w+|vec_\w+|wasm_[iuf](?:8|16|32|64)x\d+_\w+)\s*\("
        ),
    ),
}


def _matches(
    pattern: re.Pattern[str], text: str
) -> list[tuple[tuple[int, int], str, dict[str, str]]]:
    return [(m.span(), m.group(), m.groupdict()) for m in pattern.finditer(text)]


_PIECES = st.sampled_from(
    [
        *"a_xv s(\n{)9",
        "_mm_add_epi32",
        "_mm256_",
        "__m128i",
        "__m512",
        "_m_",
        "_pdep_u64",
        "__rdtsc",
        "_rdtscp",
        "_xgetbv",
        "_rdrand32_step",
        "_bit_scan_forward",
        "_xbegin",
        "asm",
        "__asm__",
        "__asm",
        "volatile",
        "__volatile__",
        "goto",
        "inline",
        "vld1q_u8",
        "vaddq_u32",
        "svadd_s32",
        "__lsx_vadd_b",
        "__lasx_xvadd_b",
        "vec_add",
        "wasm_i32x4_add",
        "x",
        "A1",
        "é",
    ]
)
_TEXT = st.lists(_PIECES, max_size=30).map("".join)


@settings(max_examples=600, deadline=None)
@given(_TEXT, st.sampled_from(sorted(_PLAIN)))
def test_literal_first_expressions_match_as_written(text: str, name: str) -> None:
    fast, plain = _PLAIN[name]
    assert _matches(fast, text) == _matches(plain, text)


def test_literal_first_expressions_match_as_written_in_the_fixtures() -> None:
    for path in FIXTURES.rglob("*"):
        if path.is_file():
            text = path.read_bytes().decode("utf-8", "replace")
            for fast, plain in _PLAIN.values():
                assert _matches(fast, text) == _matches(plain, text), path
