// Portable elementwise kernels and the entry points.
#include "runtime/kernels/elementwise.hpp"

#include <cmath>

#include "runtime/kernels/kernel_config.hpp"

namespace uibnas::runtime::kernels {
namespace detail {
namespace {

// Comparisons written so that NaN propagates like PyTorch (std::max would turn NaN into 0).
inline float relu(float v) { return v < 0.0f ? 0.0f : v; }
inline float relu6(float v) { return v < 0.0f ? 0.0f : (v > 6.0f ? 6.0f : v); }

template <class F>
void map_inplace(float* x, std::size_t n, F f) {
  for (std::size_t i = 0; i < n; ++i) x[i] = f(x[i]);
}

}  // namespace

void f32_activation__generic(Act act, float* x, std::size_t n) {
  switch (act) {
    case Act::None:
      return;
    case Act::ReLU:
      map_inplace(x, n, [](float v) { return relu(v); });
      return;
    case Act::ReLU6:
      map_inplace(x, n, [](float v) { return relu6(v); });
      return;
    case Act::GELU:
      map_inplace(x, n, [](float v) { return 0.5f * v * (1.0f + std::erf(v * 0.70710678118654752f)); });
      return;
    case Act::HardSwish:
      map_inplace(x, n, [](float v) { return v * relu6(v + 3.0f) / 6.0f; });
      return;
    case Act::SiLU:
      map_inplace(x, n, [](float v) { return silu_f32(v); });
      return;
    case Act::Sigmoid:
      map_inplace(x, n, [](float v) { return sigmoid_f32(v); });
      return;
    case Act::HardSigmoid:
      map_inplace(x, n, [](float v) { return hard_sigmoid_f32(v); });
      return;
  }
}

void f32_add__generic(const float* a, const float* b, float* out, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) out[i] = a[i] + b[i];
}

void f32_channel_affine__generic(const float* x, const float* scale, const float* shift, float* out,
                                 std::size_t pixels, std::size_t channels) {
  for (std::size_t p = 0; p < pixels; ++p) {
    const float* xr = x + p * channels;
    float* orow = out + p * channels;
    for (std::size_t c = 0; c < channels; ++c) orow[c] = xr[c] * scale[c] + shift[c];
  }
}

}  // namespace detail

void activation_inplace(Act act, float* x, std::size_t n) {
  if (act == Act::None) return;
  kernel_configs().activation.fn(act, x, n);
}

void add(const float* a, const float* b, float* out, std::size_t n) {
  kernel_configs().add.fn(a, b, out, n);
}

void channel_affine_nhwc(const float* x, const float* scale, const float* shift, float* out, std::size_t pixels,
                         std::size_t channels) {
  kernel_configs().channel_affine.fn(x, scale, shift, out, pixels, channels);
}

}  // namespace uibnas::runtime::kernels
