/* Risk scoring kernel, called through JNI from the credit engine. */
#include <stddef.h>
#include <stdint.h>
#include <immintrin.h>

#ifdef _WIN32
#include <windows.h>
#endif

/* Sum of weighted features: written for SSE only, no other path. */
float weighted_sum(const float *x, const float *w, size_t n) {
  __m128 acc = _mm_setzero_ps();
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    acc = _mm_add_ps(acc, _mm_mul_ps(_mm_loadu_ps(x + i), _mm_loadu_ps(w + i)));
  }
  float out[4];
  _mm_storeu_ps(out, acc);
  float sum = out[0] + out[1] + out[2] + out[3];
  for (; i < n; i++) sum += x[i] * w[i];
  return sum;
}

/* Checksum of a customer record: CRC32C with SSE4.2 when built for it. */
uint32_t record_crc(const uint8_t *p, size_t n) {
  uint32_t crc = 0xFFFFFFFFu;
#if defined(__SSE4_2__)
  for (size_t i = 0; i < n; i++) crc = _mm_crc32_u8(crc, p[i]);
#else
  for (size_t i = 0; i < n; i++) {
    crc ^= p[i];
    for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0x82F63B78u & (0u - (crc & 1u)));
  }
#endif
  return ~crc;
}

static inline uint64_t cycles(void) {
  unsigned lo, hi;
  __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
  return ((uint64_t)hi << 32) | lo;
}
