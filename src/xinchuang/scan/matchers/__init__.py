"""Matchers: the code that finds a rule's construct in a file.

A rule names its matcher in YAML (``matcher: simd``); most rules use the
``regex`` matcher over one view of the file. A matcher is a function of the
rule and the file's context that yields :class:`~xinchuang.scan.finding.Hit`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from xinchuang.scan.context import FileContext
from xinchuang.scan.finding import Hit
from xinchuang.scan.rule import Rule

Matcher = Callable[[Rule, FileContext], Iterator[Hit]]


def matchers() -> dict[str, Matcher]:
    """Every matcher by the name rules use."""
    from xinchuang.scan.matchers import (
        binary,
        build_flags,
        crypto_keys,
        office,
        packages,
        regex,
        simd,
    )

    return {
        "regex": regex.match,
        "build-flag": build_flags.match_build_flags,
        "whole-file": regex.match_whole_file,
        "simd": simd.match_intrinsics,
        "simd-header": simd.match_headers,
        "inline-asm": simd.match_inline_asm,
        "x86-only-error": simd.match_x86_only_error,
        "x86-asm-file": simd.match_x86_asm_file,
        "elf": binary.match_elf,
        "pe": binary.match_pe,
        "other-isa-binary": binary.match_other_isa,
        "wheel-tag": packages.match_wheel_tags,
        "vba-project": office.match_vba_project,
        "ooxml-part": office.match_ooxml_parts,
        "crypto-key": crypto_keys.match_keys,
        "engine": lambda rule, ctx: iter(()),  # reported by the engine itself (SCN rules)
        "archive-natives": lambda rule, ctx: iter(()),  # reported while opening archives
    }
