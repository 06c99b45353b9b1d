// exp, sigmoid, SiLU and hard-sigmoid on 16 floats, shared by the AVX-512 activation kernel and the
// GEMM and depthwise epilogues. Include only from *_avx512.cpp files (UIBNAS_KERNELS_X86).
#pragma once
#include "runtime/kernels/x86_intrinsics.hpp"

namespace uibnas::runtime::kernels::detail {

// exp(x) = 2^n exp(r), r = x - n ln2 in [-ln2/2, ln2/2] (ln2 split in two for an exact product),
// exp(r) by the degree-7 Cephes expf polynomial (about 1 ulp); scalef applies 2^n, so large |x|
// over- and underflow to inf and 0 as std::exp does.
UIBNAS_AVX512_INLINE __m512 exp16(__m512 x) {
  x = _mm512_max_ps(_mm512_min_ps(x, _mm512_set1_ps(100.0f)), _mm512_set1_ps(-110.0f));
  const __m512 n = _mm512_roundscale_ps(_mm512_mul_ps(x, _mm512_set1_ps(1.44269504088896341f)),
                                        _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m512 r = _mm512_fnmadd_ps(n, _mm512_set1_ps(0.693359375f), x);
  r = _mm512_fnmadd_ps(n, _mm512_set1_ps(-2.12194440e-4f), r);
  __m512 p = _mm512_set1_ps(1.9875691500e-4f);
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.3981999507e-3f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(8.3334519073e-3f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(4.1665795894e-2f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.6666665459e-1f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(5.0000001201e-1f));
  p = _mm512_fmadd_ps(p, _mm512_mul_ps(r, r), _mm512_add_ps(r, _mm512_set1_ps(1.0f)));
  return _mm512_scalef_ps(p, n);
}

UIBNAS_AVX512_INLINE __m512 sigmoid16(__m512 x) {
  const __m512 one = _mm512_set1_ps(1.0f);
  return _mm512_div_ps(one, _mm512_add_ps(one, exp16(_mm512_sub_ps(_mm512_setzero_ps(), x))));
}

UIBNAS_AVX512_INLINE __m512 silu16(__m512 x) { return _mm512_mul_ps(x, sigmoid16(x)); }

// relu6(x + 3) / 6; the operand order of max/min keeps NaN inputs NaN.
UIBNAS_AVX512_INLINE __m512 hard_sigmoid16(__m512 x) {
  const __m512 t = _mm512_add_ps(x, _mm512_set1_ps(3.0f));
  return _mm512_div_ps(_mm512_min_ps(_mm512_set1_ps(6.0f), _mm512_max_ps(_mm512_setzero_ps(), t)), _mm512_set1_ps(6.0f));
}

}  // namespace uibnas::runtime::kernels::detail
