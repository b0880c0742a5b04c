"""Portable counterparts of common x86 intrinsics, for the remark of a CPU finding.

ARM64 names are the ACLE NEON intrinsics (Arm, "Neon Intrinsics Reference",
https://developer.arm.com/architectures/instruction-sets/intrinsics/); the
LoongArch names are the LSX (128-bit) and LASX (256-bit) intrinsics of GCC's
``lsxintrin.h``/``lasxintrin.h`` (GCC manual, "LoongArch SX Vector
Intrinsics" and "LoongArch ASX Vector Intrinsics"). Where no one-to-one
counterpart exists, the remark says so and points at sse2neon/SIMDe, which
emulate the whole x86 API on ARM (and SIMDe on LoongArch).
"""

from __future__ import annotations

import re

# x86 intrinsic → (ARM64 NEON or ACLE, LoongArch LSX/LASX or base intrinsic)
EQUIVALENTS: dict[str, tuple[str, str]] = {
    "_mm_add_epi8": ("vaddq_s8", "__lsx_vadd_b"),
    "_mm_add_epi16": ("vaddq_s16", "__lsx_vadd_h"),
    "_mm_add_epi32": ("vaddq_s32", "__lsx_vadd_w"),
    "_mm_add_epi64": ("vaddq_s64", "__lsx_vadd_d"),
    "_mm_sub_epi32": ("vsubq_s32", "__lsx_vsub_w"),
    "_mm_mullo_epi32": ("vmulq_s32", "__lsx_vmul_w"),
    "_mm_and_si128": ("vandq_s32", "__lsx_vand_v"),
    "_mm_or_si128": ("vorrq_s32", "__lsx_vor_v"),
    "_mm_xor_si128": ("veorq_s32", "__lsx_vxor_v"),
    "_mm_loadu_si128": ("vld1q_u8", "__lsx_vld"),
    "_mm_load_si128": ("vld1q_u8", "__lsx_vld"),
    "_mm_storeu_si128": ("vst1q_u8", "__lsx_vst"),
    "_mm_store_si128": ("vst1q_u8", "__lsx_vst"),
    "_mm_set1_epi8": ("vdupq_n_s8", "__lsx_vreplgr2vr_b"),
    "_mm_set1_epi32": ("vdupq_n_s32", "__lsx_vreplgr2vr_w"),
    "_mm_cmpeq_epi8": ("vceqq_s8", "__lsx_vseq_b"),
    "_mm_cmpeq_epi32": ("vceqq_s32", "__lsx_vseq_w"),
    "_mm_max_epi32": ("vmaxq_s32", "__lsx_vmax_w"),
    "_mm_min_epi32": ("vminq_s32", "__lsx_vmin_w"),
    "_mm_slli_epi32": ("vshlq_n_s32", "__lsx_vslli_w"),
    "_mm_srli_epi32": ("vshrq_n_u32", "__lsx_vsrli_w"),
    "_mm_shuffle_epi8": ("vqtbl1q_u8", "__lsx_vshuf_b"),
    "_mm_movemask_epi8": ("no single instruction (vshrn_n_u16 narrowing idiom)", "__lsx_vmskltz_b"),
    "_mm_add_ps": ("vaddq_f32", "__lsx_vfadd_s"),
    "_mm_sub_ps": ("vsubq_f32", "__lsx_vfsub_s"),
    "_mm_mul_ps": ("vmulq_f32", "__lsx_vfmul_s"),
    "_mm_div_ps": ("vdivq_f32", "__lsx_vfdiv_s"),
    "_mm_sqrt_ps": ("vsqrtq_f32", "__lsx_vfsqrt_s"),
    "_mm_add_pd": ("vaddq_f64", "__lsx_vfadd_d"),
    "_mm_mul_pd": ("vmulq_f64", "__lsx_vfmul_d"),
    "_mm_loadu_ps": ("vld1q_f32", "__lsx_vld"),
    "_mm_storeu_ps": ("vst1q_f32", "__lsx_vst"),
    "_mm_set1_ps": ("vdupq_n_f32", "__lsx_vreplfr2vr_s"),
    "_mm256_add_epi32": ("two vaddq_s32", "__lasx_xvadd_w"),
    "_mm256_add_ps": ("two vaddq_f32", "__lasx_xvfadd_s"),
    "_mm256_mul_ps": ("two vmulq_f32", "__lasx_xvfmul_s"),
    "_mm256_loadu_si256": ("two vld1q_u8", "__lasx_xvld"),
    "_mm256_storeu_si256": ("two vst1q_u8", "__lasx_xvst"),
    "_mm256_loadu_ps": ("two vld1q_f32", "__lasx_xvld"),
    "_mm256_and_si256": ("two vandq_s32", "__lasx_xvand_v"),
    "_mm256_xor_si256": ("two veorq_s32", "__lasx_xvxor_v"),
    "_mm256_fmadd_ps": ("two vfmaq_f32", "__lasx_xvfmadd_s"),
    "_mm_fmadd_ps": ("vfmaq_f32", "__lsx_vfmadd_s"),
    "_mm_crc32_u8": ("__crc32cb (ACLE CRC32)", "__crcc_w_b_w"),
    "_mm_crc32_u16": ("__crc32ch (ACLE CRC32)", "__crcc_w_h_w"),
    "_mm_crc32_u32": ("__crc32cw (ACLE CRC32)", "__crcc_w_w_w"),
    "_mm_crc32_u64": ("__crc32cd (ACLE CRC32)", "__crcc_w_d_w"),
    "_mm_aesenc_si128": ("vaeseq_u8 + vaesmcq_u8 (Crypto extension)", "no AES instruction"),
    "_mm_aesdec_si128": ("vaesdq_u8 + vaesimcq_u8 (Crypto extension)", "no AES instruction"),
    "_mm_clmulepi64_si128": ("vmull_p64 (Crypto extension)", "no carry-less multiply"),
    "_mm_popcnt_u32": ("__builtin_popcount (CNT)", "__builtin_popcount"),
    "_mm_popcnt_u64": ("__builtin_popcountll (CNT)", "__builtin_popcountll"),
    "_lzcnt_u32": ("__builtin_clz (CLZ)", "__builtin_clz (clz.w)"),
    "_tzcnt_u32": ("__builtin_ctz (RBIT+CLZ)", "__builtin_ctz (ctz.w)"),
    "_pdep_u64": ("no equivalent: a portable bit loop", "no equivalent: a portable bit loop"),
    "_pext_u64": ("no equivalent: a portable bit loop", "no equivalent: a portable bit loop"),
    "__rdtsc": ("read cntvct_el0 (generic timer)", "__rdtime_d (rdtime.d)"),
    "_rdtsc": ("read cntvct_el0 (generic timer)", "__rdtime_d (rdtime.d)"),
    "_mm_pause": ("__yield (YIELD)", "__dbar(0) or a plain spin"),
    "_mm_prefetch": ("__builtin_prefetch (PRFM)", "__builtin_prefetch (preld)"),
    "_mm_sfence": ("__dmb(ISHST)", "__dbar(0)"),
    "_mm_mfence": ("__dmb(ISH)", "__dbar(0)"),
}

_WIDTH = re.compile(r"^_mm(256|512)?_")


def remark_for(intrinsic: str) -> str:
    """The portable counterparts of one x86 intrinsic, in one line."""
    known = EQUIVALENTS.get(intrinsic)
    if known:
        arm, loong = known
        return f"ARM64: {arm}, or sse2neon/SIMDe; LoongArch: {loong}"
    width = _WIDTH.match(intrinsic)
    if width and width.group(1) == "512":
        return "ARM64: SVE (scalable vectors) or two-to-four NEON ops; LoongArch: two LASX ops"
    if width and width.group(1) == "256":
        return "ARM64: two NEON ops, SVE, or SIMDe; LoongArch: the LASX (__lasx_xv*) counterpart"
    return "ARM64: NEON via sse2neon or SIMDe; LoongArch: the LSX (__lsx_v*) counterpart, or SIMDe"
