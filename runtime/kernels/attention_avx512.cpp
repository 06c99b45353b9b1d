// AVX-512 multi-query attention. All query heads share one K and one V, so every (row, head) pair is
// just another query vector against the same keys: query vectors are processed 4 at a time, which
// lets each loaded K/V vector feed 4 FMAs.
//   1. K is transposed once per call into scratch ([kd][m16]) so scores vectorise over keys:
//      s[r][j..j+15] += q[r][d] * kT[d][j..j+15] (broadcast q, 4 x 4 accumulators for 64 keys).
//   2. Softmax per query vector: row max, exp(s - max) in place, 1/sum kept aside.
//   3. out[r][e..] = (sum_j p[r][j] * v[j][e..]) / sum, vectorised over the value dimension.
// K and V (m x 64 floats each, 16 KiB) stay in L1 across all query vectors.
#include "runtime/kernels/attention.hpp"

#if UIBNAS_KERNELS_X86
#include "runtime/kernels/x86_intrinsics.hpp"

#include <algorithm>
#include <cstddef>


namespace uibnas::runtime::kernels::detail {
namespace {

constexpr int kRows = 4;  // query vectors per block

// exp(x) for x <= 0 (scores minus their max). x = n*ln2 + r with |r| <= ln2/2, exp(r) by its degree-7
// Taylor polynomial (truncation < 3e-9 relative), 2^n applied with scalef, which also underflows
// gracefully. ln2 is split in a 16-bit head (n*head is exact) and a tail for the reduction.
UIBNAS_AVX512 inline __m512 exp_nonpositive(__m512 x) {
  constexpr float kLn2Hi = 0.693145751953125f;  // ln 2 rounded to 16 significant bits
  constexpr float kLn2Lo = static_cast<float>(0.69314718055994530942 - 0.693145751953125);
  x = _mm512_max_ps(x, _mm512_set1_ps(-104.0f));  // exp(-104) is below the smallest denormal
  const __m512 n = _mm512_roundscale_ps(_mm512_mul_ps(x, _mm512_set1_ps(1.44269504088896340736f)),
                                        _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m512 r = _mm512_fnmadd_ps(n, _mm512_set1_ps(kLn2Hi), x);
  r = _mm512_fnmadd_ps(n, _mm512_set1_ps(kLn2Lo), r);
  __m512 p = _mm512_set1_ps(1.0f / 5040.0f);
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f / 720.0f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f / 120.0f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f / 24.0f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f / 6.0f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(0.5f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f));
  return _mm512_scalef_ps(p, n);
}

inline __mmask16 lanes(std::size_t count) {
  return count >= 16 ? static_cast<__mmask16>(0xFFFF) : static_cast<__mmask16>((1u << count) - 1u);
}

struct Block {
  const float* q[kRows];
  float* out[kRows];
};

// Scores for keys [j0, j0 + 16*NV) of R query vectors: p[r][j] = scale * dot(q_r, k_j). Padding keys
// (zero columns of kT) give 0 and are masked out by the softmax.
template <int R, int NV>
UIBNAS_AVX512 void scores(const Block& b, const float* kt, std::size_t m16, std::size_t kd, std::size_t j0,
                          float scale, float* p) {
  __m512 acc[R][NV];
  for (int r = 0; r < R; ++r)
    for (int v = 0; v < NV; ++v) acc[r][v] = _mm512_setzero_ps();
  const float* kcol = kt + j0;
  for (std::size_t d = 0; d < kd; ++d, kcol += m16) {
    __m512 kv[NV];
    for (int v = 0; v < NV; ++v) kv[v] = _mm512_loadu_ps(kcol + 16 * v);
    for (int r = 0; r < R; ++r) {
      const __m512 qb = _mm512_set1_ps(b.q[r][d]);
      for (int v = 0; v < NV; ++v) acc[r][v] = _mm512_fmadd_ps(qb, kv[v], acc[r][v]);
    }
  }
  const __m512 sc = _mm512_set1_ps(scale);
  for (int r = 0; r < R; ++r)
    for (int v = 0; v < NV; ++v) _mm512_storeu_ps(p + r * m16 + j0 + 16 * v, _mm512_mul_ps(acc[r][v], sc));
}

// In place: s[j] <- exp(s[j] - max), padding lanes <- 0. Returns 1 / sum.
UIBNAS_AVX512 float softmax_row(float* s, std::size_t m) {
  const std::size_t full = m / 16 * 16;
  const __mmask16 tail = lanes(m - full);
  __m512 mx = _mm512_set1_ps(-__builtin_inff());
  for (std::size_t j = 0; j < full; j += 16) mx = _mm512_max_ps(mx, _mm512_loadu_ps(s + j));
  if (full < m) mx = _mm512_mask_max_ps(mx, tail, mx, _mm512_loadu_ps(s + full));
  const __m512 mxv = _mm512_set1_ps(_mm512_reduce_max_ps(mx));
  __m512 sum = _mm512_setzero_ps();
  for (std::size_t j = 0; j < full; j += 16) {
    const __m512 e = exp_nonpositive(_mm512_sub_ps(_mm512_loadu_ps(s + j), mxv));
    _mm512_storeu_ps(s + j, e);
    sum = _mm512_add_ps(sum, e);
  }
  if (full < m) {
    const __m512 e = _mm512_maskz_mov_ps(tail, exp_nonpositive(_mm512_sub_ps(_mm512_loadu_ps(s + full), mxv)));
    _mm512_storeu_ps(s + full, e);
    sum = _mm512_add_ps(sum, e);
  }
  return 1.0f / _mm512_reduce_add_ps(sum);
}

// out_r[e0 .. e0 + 16*NV) = inv_r * sum_j p[r][j] * v[j][e0 ..]; the last vector may be partial.
template <int R, int NV>
UIBNAS_AVX512 void weighted_values(const Block& b, const float* p, std::size_t m16, const float* v, std::size_t m,
                                   std::size_t vd, std::size_t e0, __mmask16 last, const float* inv) {
  __m512 acc[R][NV];
  for (int r = 0; r < R; ++r)
    for (int u = 0; u < NV; ++u) acc[r][u] = _mm512_setzero_ps();
  const float* vrow = v + e0;
  for (std::size_t j = 0; j < m; ++j, vrow += vd) {
    __m512 vv[NV];
    for (int u = 0; u < NV; ++u)
      vv[u] = u == NV - 1 ? _mm512_maskz_loadu_ps(last, vrow + 16 * u) : _mm512_loadu_ps(vrow + 16 * u);
    for (int r = 0; r < R; ++r) {
      const __m512 pb = _mm512_set1_ps(p[r * m16 + j]);
      for (int u = 0; u < NV; ++u) acc[r][u] = _mm512_fmadd_ps(pb, vv[u], acc[r][u]);
    }
  }
  for (int r = 0; r < R; ++r) {
    const __m512 s = _mm512_set1_ps(inv[r]);
    for (int u = 0; u < NV; ++u)
      _mm512_mask_storeu_ps(b.out[r] + e0 + 16 * u, u == NV - 1 ? last : static_cast<__mmask16>(0xFFFF),
                            _mm512_mul_ps(acc[r][u], s));
  }
}

template <int R>
UIBNAS_AVX512 void attend_block(const Block& b, const float* kt, std::size_t m16, std::size_t m, std::size_t kd,
                                const float* v, std::size_t vd, float scale, float* p) {
  for (std::size_t j0 = 0; j0 < m16; j0 += 64) {
    switch ((std::min<std::size_t>(64, m16 - j0)) / 16) {
      case 4: scores<R, 4>(b, kt, m16, kd, j0, scale, p); break;
      case 3: scores<R, 3>(b, kt, m16, kd, j0, scale, p); break;
      case 2: scores<R, 2>(b, kt, m16, kd, j0, scale, p); break;
      default: scores<R, 1>(b, kt, m16, kd, j0, scale, p); break;
    }
  }
  float inv[R];
  for (int r = 0; r < R; ++r) inv[r] = softmax_row(p + r * m16, m);
  for (std::size_t e0 = 0; e0 < vd; e0 += 64) {
    const std::size_t en = std::min<std::size_t>(64, vd - e0);
    const __mmask16 last = lanes(en - (en - 1) / 16 * 16);
    switch ((en + 15) / 16) {
      case 4: weighted_values<R, 4>(b, p, m16, v, m, vd, e0, last, inv); break;
      case 3: weighted_values<R, 3>(b, p, m16, v, m, vd, e0, last, inv); break;
      case 2: weighted_values<R, 2>(b, p, m16, v, m, vd, e0, last, inv); break;
      default: weighted_values<R, 1>(b, p, m16, v, m, vd, e0, last, inv); break;
    }
  }
}

}  // namespace

UIBNAS_AVX512 void f32_mqa_attention_4x64__avx512f(std::size_t n, std::size_t m, std::size_t heads, std::size_t kd,
                                                   std::size_t vd, float scale, const float* q,
                                                   std::size_t q_stride, const float* k, const float* v,
                                                   float* out, std::size_t out_stride, float* scratch,
                                                   std::size_t row_begin, std::size_t row_end) {
  row_end = std::min(row_end, n);
  if (row_begin >= row_end || heads == 0 || vd == 0) return;
  if (m == 0) {  // empty softmax: define the result as zeros
    for (std::size_t r = row_begin; r < row_end; ++r)
      std::fill(out + r * out_stride, out + r * out_stride + heads * vd, 0.0f);
    return;
  }
  const std::size_t m16 = (m + 15) / 16 * 16;
  float* kt = scratch;           // [kd][m16]
  float* p = scratch + kd * m16;  // [kRows][m16]
  for (std::size_t d = 0; d < kd; ++d) {
    float* dst = kt + d * m16;
    for (std::size_t j = 0; j < m; ++j) dst[j] = k[j * kd + d];
    std::fill(dst + m, dst + m16, 0.0f);
  }

  const std::size_t total = (row_end - row_begin) * heads;  // query vectors, (row, head) row-major
  for (std::size_t qi = 0; qi < total; qi += kRows) {
    const int rows = static_cast<int>(std::min<std::size_t>(kRows, total - qi));
    Block b{};
    for (int r = 0; r < rows; ++r) {
      const std::size_t row = row_begin + (qi + r) / heads, h = (qi + r) % heads;
      b.q[r] = q + row * q_stride + h * kd;
      b.out[r] = out + row * out_stride + h * vd;
    }
    switch (rows) {
      case 4: attend_block<4>(b, kt, m16, m, kd, v, vd, scale, p); break;
      case 3: attend_block<3>(b, kt, m16, m, kd, v, vd, scale, p); break;
      case 2: attend_block<2>(b, kt, m16, m, kd, v, vd, scale, p); break;
      default: attend_block<1>(b, kt, m16, m, kd, v, vd, scale, p); break;
    }
  }
}

}  // namespace uibnas::runtime::kernels::detail

#endif  // UIBNAS_KERNELS_X86
