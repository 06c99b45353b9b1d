// Depthwise k x k convolution over NHWC float32 (batch 1) with fused bias and activation.
#pragma once
#include <cstddef>

#include "runtime/kernels/activation.hpp"

#include "runtime/kernels/isa.hpp"

namespace uibnas::runtime::kernels {

// out_h = (in_h + 2*pad - kernel)/stride + 1 (likewise out_w); the caller fills all fields.
struct DwConvGeometry {
  std::size_t in_h, in_w, channels, out_h, out_w, kernel, stride, pad;
};

// Packed weights, per 16-channel tile: [bias x16 | tap0 x16 | tap1 x16 | ... | tap(k*k-1) x16], taps in
// row-major (ky, kx) order; the last tile is zero-padded. Size in floats.
std::size_t dwconv_packed_size(std::size_t channels, std::size_t kernel);
// w: [channels][1][k][k] (PyTorch layout); bias: `channels` floats or nullptr (zero bias).
void pack_dwconv_weights(std::size_t channels, std::size_t kernel, const float* w, const float* bias, float* packed);
// Output rows [oy_begin, oy_end) of out[out_h][out_w][channels] = act(dwconv(in) + bias). Zero padding is
// handled by clipping taps, never by copying the input. Rows outside the range are left untouched.
void dwconv_nhwc(const DwConvGeometry& g, const float* in, const float* packed, float* out, std::size_t oy_begin,
                 std::size_t oy_end, Act act);

// A depthwise kernel (same contract as dwconv_nhwc); the one that runs comes from kernel_config.hpp.
using DwConvFn = void (*)(const DwConvGeometry& g, const float* in, const float* packed, float* out,
                          std::size_t oy_begin, std::size_t oy_end, Act act);

namespace detail {

// Named implementations, exposed so tests can check each one.
void f32_dwconv__generic(const DwConvGeometry& g, const float* in, const float* packed, float* out,
                         std::size_t oy_begin, std::size_t oy_end, Act act);
#if UIBNAS_KERNELS_X86
// Call only when cpu_runs_avx512_kernels() (kernel_config.hpp).
void f32_dwconv_16c__avx512f(const DwConvGeometry& g, const float* in, const float* packed, float* out,
                             std::size_t oy_begin, std::size_t oy_end, Act act);
#endif
#if UIBNAS_KERNELS_NEON
// Call only when cpu_runs_neon_kernels() (kernel_config.hpp).
void f32_dwconv_16c__neonfma(const DwConvGeometry& g, const float* in, const float* packed, float* out,
                             std::size_t oy_begin, std::size_t oy_end, Act act);
#endif

}  // namespace detail
}  // namespace uibnas::runtime::kernels
