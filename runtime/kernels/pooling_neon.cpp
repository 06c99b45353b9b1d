// NEON average pooling. Channel tails shorter than a q-register go through load_lanes/store_lanes, so
// no row is read or written past its end.
#include "runtime/kernels/pooling.hpp"

#if UIBNAS_KERNELS_NEON
#include <arm_neon.h>

#include <algorithm>

#include "runtime/kernels/lanes_neon.hpp"

namespace uibnas::runtime::kernels::detail {
namespace {

// Summation order matches the generic kernel (and PyTorch): ((a0 + a1) + b0) + b1, then * 1/4.
inline float32x4_t quad_mean(float32x4_t a0, float32x4_t a1, float32x4_t b0, float32x4_t b1) {
  return vmulq_n_f32(vaddq_f32(vaddq_f32(vaddq_f32(a0, a1), b0), b1), 0.25f);
}

}  // namespace

void f32_avgpool2x2_16c__neon(std::size_t in_h, std::size_t in_w, std::size_t channels, const float* in, float* out,
                              std::size_t oy_begin, std::size_t oy_end) {
  const std::size_t out_w = in_w / 2, C = channels;
  oy_end = std::min(oy_end, in_h / 2);
  for (std::size_t oy = oy_begin; oy < oy_end; ++oy) {
    const float* r0 = in + (2 * oy) * in_w * C;
    const float* r1 = r0 + in_w * C;
    float* o = out + oy * out_w * C;
    for (std::size_t ox = 0; ox < out_w; ++ox) {
      const float* a = r0 + 2 * ox * C;
      const float* b = r1 + 2 * ox * C;
      float* d = o + ox * C;
      std::size_t c = 0;
      for (; c + 16 <= C; c += 16)
        for (std::size_t j = c; j < c + 16; j += 4)
          vst1q_f32(d + j, quad_mean(vld1q_f32(a + j), vld1q_f32(a + C + j), vld1q_f32(b + j), vld1q_f32(b + C + j)));
      for (; c < C; c += 4) {
        const std::size_t n = C - c;
        store_lanes(d + c,
                    quad_mean(load_lanes(a + c, n), load_lanes(a + C + c, n), load_lanes(b + c, n),
                              load_lanes(b + C + c, n)),
                    n);
      }
    }
  }
}

void f32_global_avgpool_64c__neon(std::size_t pixels, std::size_t channels, const float* in, float* out) {
  // Blocks of up to 16 q-registers (64 channels) accumulate over all pixels in registers; the same
  // per-channel summation order as the generic kernel (pixel by pixel).
  constexpr std::size_t kBlock = 64;
  const float32x4_t n = vdupq_n_f32(static_cast<float>(pixels));
  for (std::size_t c0 = 0; c0 < channels; c0 += kBlock) {
    const std::size_t cn = std::min(kBlock, channels - c0);
    const std::size_t nv = (cn + 3) / 4, last = cn - 4 * (nv - 1);  // lanes of the last vector, 1..4
    float32x4_t acc[kBlock / 4];
    for (auto& a : acc) a = vdupq_n_f32(0.0f);
    const float* p = in + c0;
    if (cn == kBlock) {
      for (std::size_t i = 0; i < pixels; ++i, p += channels)
#pragma GCC unroll 16
        for (std::size_t v = 0; v < kBlock / 4; ++v) acc[v] = vaddq_f32(acc[v], vld1q_f32(p + 4 * v));
    } else {
      for (std::size_t i = 0; i < pixels; ++i, p += channels) {
        for (std::size_t v = 0; v + 1 < nv; ++v) acc[v] = vaddq_f32(acc[v], vld1q_f32(p + 4 * v));
        acc[nv - 1] = vaddq_f32(acc[nv - 1], load_lanes(p + 4 * (nv - 1), last));
      }
    }
    for (std::size_t v = 0; v < nv; ++v) {
      const float32x4_t mean = pixels ? vdivq_f32(acc[v], n) : vdupq_n_f32(0.0f);
      store_lanes(out + c0 + 4 * v, mean, v + 1 == nv ? last : 4);
    }
  }
}

}  // namespace uibnas::runtime::kernels::detail

#endif  // UIBNAS_KERNELS_NEON
