// Portable multi-query attention, scratch sizing and the entry point.
#include "runtime/kernels/attention.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "runtime/kernels/kernel_config.hpp"

namespace uibnas::runtime::kernels {

std::size_t attention_scratch_size(std::size_t m, std::size_t kd, std::size_t vd) {
  (void)vd;  // V is read in place
  // AVX-512 path: K transposed to [kd][m16] plus probabilities for a block of 4 query vectors [4][m16],
  // m16 = m rounded up to 16 lanes. The generic path needs only m floats, which this covers.
  const std::size_t m16 = (m + 15) / 16 * 16;
  return (kd + 4) * m16;
}

namespace detail {

void f32_mqa_attention__generic(std::size_t n, std::size_t m, std::size_t heads, std::size_t kd, std::size_t vd,
                                float scale, const float* q, std::size_t q_stride, const float* k, const float* v,
                                float* out, std::size_t out_stride, float* scratch, std::size_t row_begin,
                                std::size_t row_end) {
  row_end = std::min(row_end, n);
  float* s = scratch;  // one row of scores / probabilities
  for (std::size_t r = row_begin; r < row_end; ++r) {
    for (std::size_t h = 0; h < heads; ++h) {
      const float* qh = q + r * q_stride + h * kd;
      float* o = out + r * out_stride + h * vd;
      std::fill(o, o + vd, 0.0f);
      if (m == 0) continue;
      float mx = -std::numeric_limits<float>::infinity();
      for (std::size_t j = 0; j < m; ++j) {
        const float* kj = k + j * kd;
        float dot = 0.0f;
        for (std::size_t d = 0; d < kd; ++d) dot += qh[d] * kj[d];
        s[j] = dot * scale;
        mx = std::max(mx, s[j]);
      }
      float sum = 0.0f;
      for (std::size_t j = 0; j < m; ++j) {
        s[j] = std::exp(s[j] - mx);  // <= 1: no overflow whatever the logits
        sum += s[j];
      }
      for (std::size_t j = 0; j < m; ++j) {
        const float* vj = v + j * vd;
        for (std::size_t e = 0; e < vd; ++e) o[e] += s[j] * vj[e];
      }
      const float inv = 1.0f / sum;
      for (std::size_t e = 0; e < vd; ++e) o[e] *= inv;
    }
  }
}

}  // namespace detail

void mqa_attention(std::size_t n, std::size_t m, std::size_t heads, std::size_t kd, std::size_t vd, float scale,
                   const float* q, std::size_t q_stride, const float* k, const float* v, float* out,
                   std::size_t out_stride, float* scratch, std::size_t row_begin, std::size_t row_end) {
  kernel_configs().attention.fn(n, m, heads, kd, vd, scale, q, q_stride, k, v, out, out_stride, scratch, row_begin,
                                row_end);
}

}  // namespace uibnas::runtime::kernels
