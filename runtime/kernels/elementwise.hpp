// Elementwise float32 kernels: activations, residual add, per-channel affine (folded BN / layer scale).
#pragma once
#include <cstddef>

#include "runtime/kernels/activation.hpp"

// The AVX-512 variants exist only where GCC/Clang can target x86-64; elsewhere only the generic ones.
#include "runtime/kernels/isa.hpp"

namespace uibnas::runtime::kernels {

// In place: GELU is the exact erf form x*0.5*(1+erf(x/sqrt(2))); HardSwish is x*relu6(x+3)/6;
// SiLU x*sigmoid(x); HardSigmoid relu6(x+3)/6.
void activation_inplace(Act act, float* x, std::size_t n);
// out = a + b; out may alias a or b.
void add(const float* a, const float* b, float* out, std::size_t n);
// out[p][c] = x[p][c]*scale[c] + shift[c] over `pixels` rows of `channels`; out may alias x.
void channel_affine_nhwc(const float* x, const float* scale, const float* shift, float* out, std::size_t pixels,
                         std::size_t channels);

// Kernel signatures of the three families above; which ones run comes from kernel_config.hpp.
using ActivationFn = void (*)(Act act, float* x, std::size_t n);
using AddFn = void (*)(const float* a, const float* b, float* out, std::size_t n);
using ChannelAffineFn = void (*)(const float* x, const float* scale, const float* shift, float* out,
                                 std::size_t pixels, std::size_t channels);

namespace detail {

// Named implementations, exposed so tests can check each one regardless of which one runs.
void f32_activation__generic(Act act, float* x, std::size_t n);
void f32_add__generic(const float* a, const float* b, float* out, std::size_t n);
void f32_channel_affine__generic(const float* x, const float* scale, const float* shift, float* out,
                                 std::size_t pixels, std::size_t channels);
#if UIBNAS_KERNELS_X86
// Call only when cpu_runs_avx512_kernels() (kernel_config.hpp).
void f32_activation_16x__avx512f(Act act, float* x, std::size_t n);
void f32_add_64x__avx512f(const float* a, const float* b, float* out, std::size_t n);
void f32_channel_affine_16c__avx512f(const float* x, const float* scale, const float* shift, float* out,
                                     std::size_t pixels, std::size_t channels);
#endif
#if UIBNAS_KERNELS_NEON
// Call only when cpu_runs_neon_kernels() (kernel_config.hpp).
void f32_activation_16x__neonfma(Act act, float* x, std::size_t n);
void f32_add_16x__neon(const float* a, const float* b, float* out, std::size_t n);
void f32_channel_affine_16c__neonfma(const float* x, const float* scale, const float* shift, float* out,
                                     std::size_t pixels, std::size_t channels);
#endif

}  // namespace detail
}  // namespace uibnas::runtime::kernels
