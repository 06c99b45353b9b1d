// The activations on 4 floats, shared by the NEON activation kernel and the GEMM and depthwise
// epilogues. Include only from *_neon.cpp files (UIBNAS_KERNELS_NEON).
#pragma once
#include <arm_neon.h>

#include <cmath>

#include "runtime/kernels/activation.hpp"

namespace uibnas::runtime::kernels::detail {

// exp(x) = 2^n exp(r), r = x - n ln2 in [-ln2/2, ln2/2] (ln2 split in two for an exact product),
// exp(r) by the degree-7 Cephes expf polynomial (about 1 ulp), the same as the AVX-512 kernels.
// 2^n is applied as two halves so that n beyond the exponent range still over- and underflows to
// inf and 0 (through the denormals) as std::exp does.
inline float32x4_t exp4(float32x4_t x) {
  x = vmaxq_f32(vminq_f32(x, vdupq_n_f32(100.0f)), vdupq_n_f32(-110.0f));
  const float32x4_t n = vrndnq_f32(vmulq_f32(x, vdupq_n_f32(1.44269504088896341f)));
  float32x4_t r = vfmsq_f32(x, n, vdupq_n_f32(0.693359375f));
  r = vfmsq_f32(r, n, vdupq_n_f32(-2.12194440e-4f));
  float32x4_t p = vdupq_n_f32(1.9875691500e-4f);
  p = vfmaq_f32(vdupq_n_f32(1.3981999507e-3f), p, r);
  p = vfmaq_f32(vdupq_n_f32(8.3334519073e-3f), p, r);
  p = vfmaq_f32(vdupq_n_f32(4.1665795894e-2f), p, r);
  p = vfmaq_f32(vdupq_n_f32(1.6666665459e-1f), p, r);
  p = vfmaq_f32(vdupq_n_f32(5.0000001201e-1f), p, r);
  p = vfmaq_f32(vaddq_f32(r, vdupq_n_f32(1.0f)), p, vmulq_f32(r, r));
  const int32x4_t ni = vcvtq_s32_f32(n);
  const int32x4_t half = vshrq_n_s32(ni, 1), rest = vsubq_s32(ni, half);
  const float32x4_t scale_a = vreinterpretq_f32_s32(vshlq_n_s32(vaddq_s32(half, vdupq_n_s32(127)), 23));
  const float32x4_t scale_b = vreinterpretq_f32_s32(vshlq_n_s32(vaddq_s32(rest, vdupq_n_s32(127)), 23));
  return vmulq_f32(vmulq_f32(p, scale_a), scale_b);
}

inline float32x4_t sigmoid4(float32x4_t x) {
  const float32x4_t one = vdupq_n_f32(1.0f);
  return vdivq_f32(one, vaddq_f32(one, exp4(vnegq_f32(x))));
}

// relu6(x + 3) / 6; NEON's max and min return NaN for a NaN operand, as PyTorch does.
inline float32x4_t hard_sigmoid4(float32x4_t x) {
  const float32x4_t t = vaddq_f32(x, vdupq_n_f32(3.0f));
  return vdivq_f32(vminq_f32(vmaxq_f32(t, vdupq_n_f32(0.0f)), vdupq_n_f32(6.0f)), vdupq_n_f32(6.0f));
}

// GELU in its exact erf form, lane by lane: no vector erf is needed for correctness, and GELU is
// rare in the MNv4 family (hybrid heads).
inline float32x4_t gelu4(float32x4_t x) {
  float v[4];
  vst1q_f32(v, x);
  for (float& e : v) e = 0.5f * e * (1.0f + std::erf(e * 0.70710678118654752f));
  return vld1q_f32(v);
}

template <Act A>
inline float32x4_t activate4(float32x4_t x) {
  if constexpr (A == Act::ReLU) return vmaxq_f32(x, vdupq_n_f32(0.0f));
  if constexpr (A == Act::ReLU6) return vminq_f32(vmaxq_f32(x, vdupq_n_f32(0.0f)), vdupq_n_f32(6.0f));
  if constexpr (A == Act::GELU) return gelu4(x);
  if constexpr (A == Act::HardSwish) return vmulq_f32(x, hard_sigmoid4(x));
  if constexpr (A == Act::SiLU) return vmulq_f32(x, sigmoid4(x));
  if constexpr (A == Act::Sigmoid) return sigmoid4(x);
  if constexpr (A == Act::HardSigmoid) return hard_sigmoid4(x);
  return x;
}

// Calls f.template operator()<A>() with the activation as a template argument, so the loops that
// apply it have no branch per element.
template <class F>
inline void with_activation(Act act, F&& f) {
  switch (act) {
    case Act::None: return f.template operator()<Act::None>();
    case Act::ReLU: return f.template operator()<Act::ReLU>();
    case Act::ReLU6: return f.template operator()<Act::ReLU6>();
    case Act::GELU: return f.template operator()<Act::GELU>();
    case Act::HardSwish: return f.template operator()<Act::HardSwish>();
    case Act::SiLU: return f.template operator()<Act::SiLU>();
    case Act::Sigmoid: return f.template operator()<Act::Sigmoid>();
    case Act::HardSigmoid: return f.template operator()<Act::HardSigmoid>();
  }
}

}  // namespace uibnas::runtime::kernels::detail
