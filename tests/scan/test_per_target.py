"""Each CPU target judged on its own: one test per class of issue #9 (small trees shaped like
the real cases of bench/scan_corpus, written here)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from xinchuang.scan import ScanConfig, scan_paths
from xinchuang.scan.cpp_expr import Macro, Status, evaluate
from xinchuang.scan.summary import cpu_verdicts

TARGETS = ("arm64", "loongarch64")


def _tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def _scan(root: Path):
    return scan_paths([root], ScanConfig(targets=TARGETS))


def _verdicts(root: Path) -> dict[str, str]:
    result = _scan(root)
    return {t: v["verdict"] for t, v in next(iter(cpu_verdicts(result).values())).items()}


def _per_target(root: Path, rule: str) -> list[dict[str, str]]:
    return [f.per_target for f in _scan(root).findings if f.rule.startswith(rule)]


def test_project_macros_derived_from_the_compilers_resolve_per_target(tmp_path: Path) -> None:
    # class 1: FOO_IS_X64 comes from __x86_64__ in a header the file includes
    _tree(
        tmp_path,
        {
            "src/arch.h": "#if defined(__x86_64__) || defined(_M_X64)\n#define FOO_IS_X64 1\n"
            "#else\n#define FOO_IS_X64 0\n#endif\n"
            "#if defined(__ARM_NEON)\n#define FOO_HAS_NEON 1\n#endif\n",
            "src/sum.c": '#include "arch.h"\n#if FOO_IS_X64\n#include <emmintrin.h>\n'
            "int sum(const int *v) { __m128i x = _mm_loadu_si128((const __m128i *)v);"
            " return _mm_cvtsi128_si32(x); }\n"
            "#elif defined(FOO_HAS_NEON)\n#include <arm_neon.h>\n"
            "int sum(const int *v) { return vgetq_lane_s32(vld1q_s32(v), 0); }\n"
            "#else\nint sum(const int *v) { return v[0]; }\n#endif\n",
        },
    )
    assert _verdicts(tmp_path) == {"arm64": "ported-or-portable", "loongarch64": "performance"}
    assert all(p.get(t) != "blocker" for p in _per_target(tmp_path, "ISA") for t in TARGETS)


def test_a_header_included_only_from_x86_code_is_not_a_blocker(tmp_path: Path) -> None:
    # class 2: guarded headers, and arch/x86 beside arch/arm
    _tree(
        tmp_path,
        {
            "lib/simd_sse2.h": "static inline __m128i twice(__m128i a)"
            " { return _mm_add_epi32(a, a); }\n",
            "lib/main.c": "#ifdef __SSE2__\n#include <emmintrin.h>\n"
            '#include "simd_sse2.h"\n#endif\n'
            "int main(void) { return 0; }\n",
            "arch/x86/crc.c": "#include <nmmintrin.h>\nunsigned crc(unsigned c, unsigned v)"
            " { return _mm_crc32_u32(c, v); }\n",
            "arch/arm/crc.c": "#include <arm_acle.h>\nunsigned crc(unsigned c, unsigned v)"
            " { return __crc32cw(c, v); }\n",
        },
    )
    findings = _scan(tmp_path).findings
    assert not [f for f in findings if f.per_target.get("arm64") == "blocker"]
    header = [f for f in findings if f.path == "lib/simd_sse2.h"]
    assert header and all(f.per_target.get("loongarch64") == "performance" for f in header)
    crc = [f for f in findings if f.path == "arch/x86/crc.c" and f.rule == "ISA102"]
    assert crc and crc[0].per_target == {"arm64": "note", "loongarch64": "performance"}


def test_lsx_code_is_not_x86_and_arm_asm_blocks_only_other_targets(tmp_path: Path) -> None:
    # class 3: __m128i under __loongarch_sx is LSX; ARM asm is ARM's
    _tree(
        tmp_path,
        {
            "lsx.c": "#if defined(__loongarch_sx)\n#include <lsxintrin.h>\n"
            "__m128i add(__m128i a, __m128i b) { return __lsx_vadd_w(a, b); }\n#endif\n",
            "fence.c": "static inline void fence(void) {\n"
            '#if defined(__aarch64__)\n  __asm__ volatile("dmb ish" ::: "memory");\n#endif\n}\n',
            "barrier.c": 'void full_barrier(void) { __asm__ volatile("dmb ish" ::: "memory"); }\n',
        },
    )
    findings = _scan(tmp_path).findings
    assert not [f for f in findings if f.path in ("lsx.c", "fence.c")]
    asm = [f for f in findings if f.path == "barrier.c"]
    assert [f.per_target for f in asm] == [{"loongarch64": "blocker"}]


def test_a_neon_port_is_not_a_lsx_port(tmp_path: Path) -> None:
    # class 4: each target on its own
    _tree(
        tmp_path,
        {
            "hash.c": "#if defined(__SSE2__)\n#include <emmintrin.h>\n"
            "void mix(int *d) { _mm_storeu_si128((__m128i *)d, _mm_setzero_si128()); }\n"
            "#elif defined(__ARM_NEON)\n#include <arm_neon.h>\n"
            "void mix(int *d) { vst1q_s32(d, vdupq_n_s32(0)); }\n"
            "#else\nvoid mix(int *d) { d[0] = d[1] = d[2] = d[3] = 0; }\n#endif\n"
        },
    )
    verdicts = next(iter(cpu_verdicts(_scan(tmp_path)).values()))
    assert verdicts["arm64"]["verdict"] == "ported-or-portable"
    assert "arm64 branch" in verdicts["arm64"]["evidence"][0]
    assert verdicts["loongarch64"]["verdict"] == "performance"
    assert "no LSX/LASX path" in verdicts["loongarch64"]["evidence"][0]


def test_only_unconditional_x86_flags_block_and_march_native_warns(tmp_path: Path) -> None:
    # class 5: CMake blocks, Autoconf probes, setup.py conditions
    _tree(
        tmp_path,
        {
            "CMakeLists.txt": 'if(CMAKE_SYSTEM_PROCESSOR MATCHES "x86_64|AMD64")\n'
            '  set(CMAKE_C_FLAGS "${CMAKE_C_FLAGS} -mavx2")\nendif()\n'
            'check_c_compiler_flag("-msse4.2" HAVE_SSE42_FLAG)\n',
            "configure.ac": 'AX_CHECK_COMPILE_FLAG([-mpclmul], [CFLAGS="$CFLAGS -mpclmul"])\n',
            "setup.py": "import platform\nflags = []\n"
            'if platform.machine() in ("x86_64", "AMD64"):\n    flags.append("-msse4.1")\n',
            "Makefile": "CFLAGS += -O2 -mssse3\nOPT += -march=native\n",
        },
    )
    findings = _scan(tmp_path).findings
    flags = [
        (f.path, f.rule, f.per_target.get("arm64"))
        for f in findings
        if f.rule in ("ISA120", "ISA124")
    ]
    assert sorted(flags) == [("Makefile", "ISA120", "blocker"), ("Makefile", "ISA124", "warning")]


def test_a_condition_only_the_build_decides_is_said_so(tmp_path: Path) -> None:
    # undecidable conditions: remark and lower confidence, no guess
    _tree(
        tmp_path,
        {
            "probe.c": "#ifdef HAVE_AVX2INTRIN_H\n#include <immintrin.h>\n"
            "void z(int *d) { _mm256_zeroupper(); }\n#endif\n",
            "knob.c": "#if HAVE_FANCY_PATH\nvoid z(int *d) { _mm_pause(); }\n#endif\n",
        },
    )
    findings = {f.path: f for f in _scan(tmp_path).findings if f.rule in ("ISA101", "ISA102")}
    assert findings["probe.c"].per_target["arm64"] == "performance"
    assert findings["probe.c"].confidence == "medium"
    assert "HAVE_AVX2INTRIN_H" in (findings["probe.c"].remark or "")
    assert findings["knob.c"].per_target["arm64"] == "blocker"
    assert findings["knob.c"].confidence == "low"
    assert "HAVE_FANCY_PATH" in (findings["knob.c"].remark or "")


def _lookup(name: str) -> tuple[str, Macro | None]:
    return (Status.OPEN, None) if name == "OPEN" else (Status.UNDEFINED, None)


_C_OPERATORS = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "==": lambda a, b: int(a == b),
    "!=": lambda a, b: int(a != b),
    "<": lambda a, b: int(a < b),
    "&&": lambda a, b: int(bool(a) and bool(b)),
    "||": lambda a, b: int(bool(a) or bool(b)),
}


def _combine(parts: tuple[tuple[str, int], str, tuple[str, int]]) -> tuple[str, int]:
    (left, a), operator, (right, b) = parts
    return f"({left} {operator} {right})", _C_OPERATORS[operator](a, b)


@settings(max_examples=200, derandomize=True)
@given(
    st.recursive(
        st.integers(min_value=0, max_value=9).map(lambda n: (str(n), n)),
        lambda inner: st.tuples(inner, st.sampled_from(sorted(_C_OPERATORS)), inner).map(_combine),
        max_leaves=8,
    )
)
def test_conditions_of_numbers_evaluate_as_c_does(case: tuple[str, int]) -> None:
    expression, expected = case
    assert evaluate(expression, _lookup, lambda _h: None).value == expected


def test_an_open_macro_leaves_a_condition_open_except_where_c_short_circuits() -> None:
    assert evaluate("OPEN && 0", _lookup, lambda _h: None).value == 0
    assert evaluate("OPEN || 1", _lookup, lambda _h: None).value == 1
    found = evaluate("defined(OPEN) && 1", _lookup, lambda _h: None)
    assert found.value is None and found.open_names == ("OPEN",)
