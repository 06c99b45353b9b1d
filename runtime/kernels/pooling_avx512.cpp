// AVX-512 average pooling (per-function target attribute; selected by kernel_config.cpp only when the CPU has AVX-512).
#include "runtime/kernels/pooling.hpp"

#if UIBNAS_KERNELS_X86
#include "runtime/kernels/x86_intrinsics.hpp"

#include <algorithm>


namespace uibnas::runtime::kernels::detail {

UIBNAS_AVX512 void f32_avgpool2x2_16c__avx512f(std::size_t in_h, std::size_t in_w, std::size_t channels,
                                               const float* in, float* out, std::size_t oy_begin,
                                               std::size_t oy_end) {
  const std::size_t out_w = in_w / 2, C = channels;
  const std::size_t full = C & ~std::size_t{15};
  const __mmask16 tail = static_cast<__mmask16>((1u << (C - full)) - 1u);
  const __m512 quarter = _mm512_set1_ps(0.25f);
  oy_end = std::min(oy_end, in_h / 2);
  for (std::size_t oy = oy_begin; oy < oy_end; ++oy) {
    const float* r0 = in + (2 * oy) * in_w * C;
    const float* r1 = r0 + in_w * C;
    float* o = out + oy * out_w * C;
    for (std::size_t ox = 0; ox < out_w; ++ox) {
      const float* a = r0 + 2 * ox * C;
      const float* b = r1 + 2 * ox * C;
      float* d = o + ox * C;
      // Summation order matches the generic kernel (and PyTorch): ((a0 + a1) + b0) + b1, then * 1/4.
      for (std::size_t c = 0; c < full; c += 16) {
        __m512 s = _mm512_add_ps(_mm512_loadu_ps(a + c), _mm512_loadu_ps(a + C + c));
        s = _mm512_add_ps(s, _mm512_loadu_ps(b + c));
        s = _mm512_add_ps(s, _mm512_loadu_ps(b + C + c));
        _mm512_storeu_ps(d + c, _mm512_mul_ps(s, quarter));
      }
      if (full < C) {
        __m512 s = _mm512_add_ps(_mm512_maskz_loadu_ps(tail, a + full), _mm512_maskz_loadu_ps(tail, a + C + full));
        s = _mm512_add_ps(s, _mm512_maskz_loadu_ps(tail, b + full));
        s = _mm512_add_ps(s, _mm512_maskz_loadu_ps(tail, b + C + full));
        _mm512_mask_storeu_ps(d + full, tail, _mm512_mul_ps(s, quarter));
      }
    }
  }
}

UIBNAS_AVX512 void f32_global_avgpool_128c__avx512f(std::size_t pixels, std::size_t channels, const float* in,
                                                    float* out) {
  // Blocks of up to 8 vectors (128 channels) accumulate over all pixels in registers; the same
  // per-channel summation order as the generic kernel (pixel by pixel).
  const __m512 n = _mm512_set1_ps(static_cast<float>(pixels));
  for (std::size_t c0 = 0; c0 < channels; c0 += 128) {
    const std::size_t cn = std::min<std::size_t>(128, channels - c0);
    const int nv = static_cast<int>((cn + 15) / 16);
    const __mmask16 last = static_cast<__mmask16>(cn % 16 ? (1u << (cn % 16)) - 1u : 0xFFFFu);
    __m512 acc[8];
    for (int v = 0; v < 8; ++v) acc[v] = _mm512_setzero_ps();
    const float* p = in + c0;
    if (nv == 8 && last == 0xFFFF) {
      for (std::size_t i = 0; i < pixels; ++i, p += channels)
#pragma GCC unroll 8
        for (int v = 0; v < 8; ++v) acc[v] = _mm512_add_ps(acc[v], _mm512_loadu_ps(p + 16 * v));
    } else {
      for (std::size_t i = 0; i < pixels; ++i, p += channels)
        for (int v = 0; v < nv; ++v)
          acc[v] = _mm512_add_ps(acc[v], _mm512_maskz_loadu_ps(v == nv - 1 ? last : 0xFFFF, p + 16 * v));
    }
    for (int v = 0; v < nv; ++v) {
      const __m512 mean = pixels ? _mm512_div_ps(acc[v], n) : _mm512_setzero_ps();
      _mm512_mask_storeu_ps(out + c0 + 16 * v, v == nv - 1 ? last : 0xFFFF, mean);
    }
  }
}

}  // namespace uibnas::runtime::kernels::detail

#endif  // UIBNAS_KERNELS_X86
