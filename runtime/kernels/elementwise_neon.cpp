// NEON elementwise kernels: activation in place (16 floats a step), add, and the per-channel affine
// of NHWC layer scale and batch norm. Tails go through the same vector code on a padded copy, so
// the last elements get exactly the arithmetic of the others.
#include "runtime/kernels/elementwise.hpp"

#if UIBNAS_KERNELS_NEON
#include <algorithm>
#include <cstring>

#include "runtime/kernels/activation_neon.hpp"

namespace uibnas::runtime::kernels::detail {
namespace {

template <Act A>
void activate_all(float* x, std::size_t n) {
  std::size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    const float32x4_t v0 = vld1q_f32(x + i), v1 = vld1q_f32(x + i + 4);
    const float32x4_t v2 = vld1q_f32(x + i + 8), v3 = vld1q_f32(x + i + 12);
    vst1q_f32(x + i, activate4<A>(v0));
    vst1q_f32(x + i + 4, activate4<A>(v1));
    vst1q_f32(x + i + 8, activate4<A>(v2));
    vst1q_f32(x + i + 12, activate4<A>(v3));
  }
  for (; i + 4 <= n; i += 4) vst1q_f32(x + i, activate4<A>(vld1q_f32(x + i)));
  if (i < n) {
    float tail[4] = {0, 0, 0, 0};
    std::memcpy(tail, x + i, (n - i) * sizeof(float));
    vst1q_f32(tail, activate4<A>(vld1q_f32(tail)));
    std::memcpy(x + i, tail, (n - i) * sizeof(float));
  }
}

}  // namespace

void f32_activation_16x__neonfma(Act act, float* x, std::size_t n) {
  with_activation(act, [&]<Act A>() { activate_all<A>(x, n); });
}

void f32_add_16x__neon(const float* a, const float* b, float* out, std::size_t n) {
  std::size_t i = 0;
  for (; i + 16 <= n; i += 16)
    for (std::size_t j = 0; j < 16; j += 4) vst1q_f32(out + i + j, vaddq_f32(vld1q_f32(a + i + j), vld1q_f32(b + i + j)));
  for (; i + 4 <= n; i += 4) vst1q_f32(out + i, vaddq_f32(vld1q_f32(a + i), vld1q_f32(b + i)));
  for (; i < n; ++i) out[i] = a[i] + b[i];
}

// out may alias x: each vector is read before it is written.
void f32_channel_affine_16c__neonfma(const float* x, const float* scale, const float* shift, float* out,
                                     std::size_t pixels, std::size_t channels) {
  for (std::size_t p = 0; p < pixels; ++p) {
    const float* xr = x + p * channels;
    float* orow = out + p * channels;
    std::size_t c = 0;
    for (; c + 16 <= channels; c += 16)
      for (std::size_t j = 0; j < 16; j += 4)
        vst1q_f32(orow + c + j, vfmaq_f32(vld1q_f32(shift + c + j), vld1q_f32(xr + c + j), vld1q_f32(scale + c + j)));
    for (; c + 4 <= channels; c += 4)
      vst1q_f32(orow + c, vfmaq_f32(vld1q_f32(shift + c), vld1q_f32(xr + c), vld1q_f32(scale + c)));
    for (; c < channels; ++c) orow[c] = std::fma(xr[c], scale[c], shift[c]);
  }
}

}  // namespace uibnas::runtime::kernels::detail
#endif
