// NEON multi-query attention. All query heads share one K and one V, so every (row, head) pair is
// just another query vector against the same keys: query vectors are processed 4 at a time, which
// lets each loaded K/V vector feed 4 FMAs.
//   1. K is transposed once per call into scratch ([kd][m16]) so scores vectorise over keys:
//      s[r][j..j+15] += q[r][d] * kT[d][j..j+15] (broadcast q, 4 x 4 q-register accumulators).
//   2. Softmax per query vector: row max, exp4(s - max) in place, 1/sum kept aside.
//   3. out[r][e..e+15] = (sum_j p[r][j] * v[j][e..]) / sum, vectorised over the value dimension; a
//      value tail loads and stores only its valid lanes.
// The scratch layout is the one attention_scratch_size() sizes: kT, then [4][m16] probabilities.
#include "runtime/kernels/attention.hpp"

#if UIBNAS_KERNELS_NEON
#include <algorithm>
#include <cstddef>
#include <limits>

#include "runtime/kernels/activation_neon.hpp"
#include "runtime/kernels/lanes_neon.hpp"

namespace uibnas::runtime::kernels::detail {
namespace {

constexpr int kRows = 4;               // query vectors per block
constexpr std::size_t kCols = 16;      // keys per score tile and values per output tile
constexpr int kVecs = kCols / 4;       // q-registers per tile row

struct Block {
  const float* q[kRows];
  float* out[kRows];
};

// Scores for keys [j0, j0 + 16) of R query vectors: p[r][j] = scale * dot(q_r, k_j). Padding keys
// (zero columns of kT) give 0 and are left out by the softmax.
template <int R>
void scores(const Block& b, const float* kt, std::size_t m16, std::size_t kd, std::size_t j0, float scale, float* p) {
  float32x4_t acc[R][kVecs];
  for (int r = 0; r < R; ++r)
    for (int v = 0; v < kVecs; ++v) acc[r][v] = vdupq_n_f32(0.0f);
  const float* kcol = kt + j0;
  for (std::size_t d = 0; d < kd; ++d, kcol += m16) {
    float32x4_t kv[kVecs];
    for (int v = 0; v < kVecs; ++v) kv[v] = vld1q_f32(kcol + 4 * v);
    for (int r = 0; r < R; ++r) {
      const float32x4_t qb = vdupq_n_f32(b.q[r][d]);
      for (int v = 0; v < kVecs; ++v) acc[r][v] = vfmaq_f32(acc[r][v], qb, kv[v]);
    }
  }
  for (int r = 0; r < R; ++r)
    for (int v = 0; v < kVecs; ++v) vst1q_f32(p + r * m16 + j0 + 4 * v, vmulq_n_f32(acc[r][v], scale));
}

// In place: s[j] <- exp(s[j] - max) for j < m; s has room for m rounded up to 16. Returns 1 / sum.
float softmax_row(float* s, std::size_t m) {
  const std::size_t full = m / 4 * 4, rem = m - full;
  float32x4_t mx4 = vdupq_n_f32(-std::numeric_limits<float>::infinity());
  for (std::size_t j = 0; j < full; j += 4) mx4 = vmaxq_f32(mx4, vld1q_f32(s + j));
  float mx = vmaxvq_f32(mx4);
  for (std::size_t j = full; j < m; ++j) mx = std::max(mx, s[j]);
  const float32x4_t mxv = vdupq_n_f32(mx);
  float32x4_t sum = vdupq_n_f32(0.0f);
  for (std::size_t j = 0; j < full; j += 4) {
    const float32x4_t e = exp4(vsubq_f32(vld1q_f32(s + j), mxv));  // <= 1: no overflow whatever the logits
    vst1q_f32(s + j, e);
    sum = vaddq_f32(sum, e);
  }
  if (rem != 0) {
    const float32x4_t e = keep_lanes(exp4(vsubq_f32(vld1q_f32(s + full), mxv)), rem);
    vst1q_f32(s + full, e);
    sum = vaddq_f32(sum, e);
  }
  return 1.0f / vaddvq_f32(sum);
}

// out_r[e0 .. e0 + 4*NV) = inv_r * sum_j p[r][j] * v[j][e0 ..]; the last vector holds `last` lanes.
template <int R, int NV>
void weighted_values(const Block& b, const float* p, std::size_t m16, const float* v, std::size_t m, std::size_t vd,
                     std::size_t e0, std::size_t last, const float* inv) {
  float32x4_t acc[R][NV];
  for (int r = 0; r < R; ++r)
    for (int u = 0; u < NV; ++u) acc[r][u] = vdupq_n_f32(0.0f);
  const float* vrow = v + e0;
  for (std::size_t j = 0; j < m; ++j, vrow += vd) {
    float32x4_t vv[NV];
    for (int u = 0; u + 1 < NV; ++u) vv[u] = vld1q_f32(vrow + 4 * u);
    vv[NV - 1] = load_lanes(vrow + 4 * (NV - 1), last);
    for (int r = 0; r < R; ++r) {
      const float32x4_t pb = vdupq_n_f32(p[r * m16 + j]);
      for (int u = 0; u < NV; ++u) acc[r][u] = vfmaq_f32(acc[r][u], pb, vv[u]);
    }
  }
  for (int r = 0; r < R; ++r)
    for (int u = 0; u < NV; ++u)
      store_lanes(b.out[r] + e0 + 4 * u, vmulq_n_f32(acc[r][u], inv[r]), u + 1 == NV ? last : 4);
}

template <int R>
void attend_block(const Block& b, const float* kt, std::size_t m16, std::size_t m, std::size_t kd, const float* v,
                  std::size_t vd, float scale, float* p) {
  for (std::size_t j0 = 0; j0 < m16; j0 += kCols) scores<R>(b, kt, m16, kd, j0, scale, p);
  float inv[R];
  for (int r = 0; r < R; ++r) inv[r] = softmax_row(p + r * m16, m);
  for (std::size_t e0 = 0; e0 < vd; e0 += kCols) {
    const std::size_t en = std::min(kCols, vd - e0), nv = (en + 3) / 4, last = en - 4 * (nv - 1);
    switch (nv) {
      case 4: weighted_values<R, 4>(b, p, m16, v, m, vd, e0, last, inv); break;
      case 3: weighted_values<R, 3>(b, p, m16, v, m, vd, e0, last, inv); break;
      case 2: weighted_values<R, 2>(b, p, m16, v, m, vd, e0, last, inv); break;
      default: weighted_values<R, 1>(b, p, m16, v, m, vd, e0, last, inv); break;
    }
  }
}

}  // namespace

void f32_mqa_attention_4x16__neonfma(std::size_t n, std::size_t m, std::size_t heads, std::size_t kd,
                                     std::size_t vd, float scale, const float* q, std::size_t q_stride,
                                     const float* k, const float* v, float* out, std::size_t out_stride,
                                     float* scratch, std::size_t row_begin, std::size_t row_end) {
  row_end = std::min(row_end, n);
  if (row_begin >= row_end || heads == 0 || vd == 0) return;
  if (m == 0) {  // empty softmax: define the result as zeros
    for (std::size_t r = row_begin; r < row_end; ++r)
      std::fill(out + r * out_stride, out + r * out_stride + heads * vd, 0.0f);
    return;
  }
  const std::size_t m16 = (m + kCols - 1) / kCols * kCols;
  float* kt = scratch;            // [kd][m16]
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

#endif  // UIBNAS_KERNELS_NEON
