// Average pooling over NHWC float32 (batch 1).
#pragma once
#include <cstddef>

#include "runtime/kernels/isa.hpp"

namespace uibnas::runtime::kernels {

// 2x2 average pool, stride 2, no padding, floor (PyTorch AvgPool2d(2)): out_h = in_h/2, out_w = in_w/2.
// Writes output rows [oy_begin, oy_end) of out[out_h][out_w][channels].
void avgpool2x2_nhwc(std::size_t in_h, std::size_t in_w, std::size_t channels, const float* in, float* out,
                     std::size_t oy_begin, std::size_t oy_end);
// out[c] = mean over p of in[p][c], for `pixels` rows of `channels`.
void global_avgpool_nhwc(std::size_t pixels, std::size_t channels, const float* in, float* out);

// Kernel signatures of the two families above; which ones run comes from kernel_config.hpp.
using AvgPool2x2Fn = void (*)(std::size_t in_h, std::size_t in_w, std::size_t channels, const float* in, float* out,
                              std::size_t oy_begin, std::size_t oy_end);
using GlobalAvgPoolFn = void (*)(std::size_t pixels, std::size_t channels, const float* in, float* out);

namespace detail {

// Named implementations, exposed so tests can check each one.
void f32_avgpool2x2__generic(std::size_t in_h, std::size_t in_w, std::size_t channels, const float* in, float* out,
                             std::size_t oy_begin, std::size_t oy_end);
void f32_global_avgpool__generic(std::size_t pixels, std::size_t channels, const float* in, float* out);
#if UIBNAS_KERNELS_X86
// Call only when cpu_runs_avx512_kernels() (kernel_config.hpp).
void f32_avgpool2x2_16c__avx512f(std::size_t in_h, std::size_t in_w, std::size_t channels, const float* in,
                                 float* out, std::size_t oy_begin, std::size_t oy_end);
void f32_global_avgpool_128c__avx512f(std::size_t pixels, std::size_t channels, const float* in, float* out);
#endif
#if UIBNAS_KERNELS_NEON
// Call only when cpu_runs_neon_kernels() (kernel_config.hpp).
void f32_avgpool2x2_16c__neon(std::size_t in_h, std::size_t in_w, std::size_t channels, const float* in, float* out,
                              std::size_t oy_begin, std::size_t oy_end);
void f32_global_avgpool_64c__neon(std::size_t pixels, std::size_t channels, const float* in, float* out);
#endif

}  // namespace detail
}  // namespace uibnas::runtime::kernels
