// Portable average pooling and the entry points.
#include "runtime/kernels/pooling.hpp"

#include <algorithm>

#include "runtime/kernels/kernel_config.hpp"

namespace uibnas::runtime::kernels {
namespace detail {

void f32_avgpool2x2__generic(std::size_t in_h, std::size_t in_w, std::size_t channels, const float* in, float* out,
                             std::size_t oy_begin, std::size_t oy_end) {
  const std::size_t out_w = in_w / 2;
  oy_end = std::min(oy_end, in_h / 2);
  for (std::size_t oy = oy_begin; oy < oy_end; ++oy) {
    const float* r0 = in + (2 * oy) * in_w * channels;
    const float* r1 = r0 + in_w * channels;
    float* o = out + oy * out_w * channels;
    for (std::size_t ox = 0; ox < out_w; ++ox) {
      const float* a = r0 + 2 * ox * channels;
      const float* b = r1 + 2 * ox * channels;
      float* d = o + ox * channels;
      // Same summation order as PyTorch's CPU kernel (row by row, then divide by 4 = multiply by 0.25).
      for (std::size_t c = 0; c < channels; ++c) d[c] = (((a[c] + a[c + channels]) + b[c]) + b[c + channels]) * 0.25f;
    }
  }
}

void f32_global_avgpool__generic(std::size_t pixels, std::size_t channels, const float* in, float* out) {
  std::fill(out, out + channels, 0.0f);
  for (std::size_t p = 0; p < pixels; ++p)
    for (std::size_t c = 0; c < channels; ++c) out[c] += in[p * channels + c];
  const float n = static_cast<float>(pixels);
  for (std::size_t c = 0; c < channels; ++c) out[c] = pixels ? out[c] / n : 0.0f;
}

}  // namespace detail

void avgpool2x2_nhwc(std::size_t in_h, std::size_t in_w, std::size_t channels, const float* in, float* out,
                     std::size_t oy_begin, std::size_t oy_end) {
  kernel_configs().avgpool2x2.fn(in_h, in_w, channels, in, out, oy_begin, oy_end);
}

void global_avgpool_nhwc(std::size_t pixels, std::size_t channels, const float* in, float* out) {
  kernel_configs().global_avgpool.fn(pixels, channels, in, out);
}

}  // namespace uibnas::runtime::kernels
