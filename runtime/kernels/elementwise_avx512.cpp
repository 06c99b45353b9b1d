// AVX-512 elementwise kernels. Compiled with a per-function target attribute so the library still
// builds for a baseline x86-64 target; kernel_config.cpp selects these only when the CPU has AVX-512.
#include "runtime/kernels/elementwise.hpp"

#if UIBNAS_KERNELS_X86
#include "runtime/kernels/sigmoid_avx512.hpp"
#include "runtime/kernels/x86_intrinsics.hpp"

#include <cmath>


namespace uibnas::runtime::kernels::detail {
namespace {

// ---- GELU ----------------------------------------------------------------------------------------
// gelu(x) = x * Phi(x) with Phi(x) = 1 - erfc(z)/2 for x >= 0 and erfc(z)/2 for x < 0, z = |x|/sqrt(2).
// Working with erfc keeps the negative tail relatively accurate (no 1 + erf(z) cancellation).
// erfc on z in [0, 4) is split into 16 intervals of width 1/4; each gets a degree-7 polynomial in
// the interval-centred variable s in [-1/2, 1/2]. The 16 per-interval coefficients of one degree fill
// exactly one zmm, so a lane's coefficients are picked with one permute per degree (no gathers).
// For z >= 4, erfc(z) < 1.6e-8 and is flushed to 0 (gelu(x) = x for large x, 0 for very negative x).
constexpr int kErfcIntervals = 16;
constexpr int kErfcDegree = 7;

struct ErfcTable {
  alignas(64) float c[kErfcDegree + 1][kErfcIntervals];  // c[k][i]: coefficient of s^k on interval i
};

// Coefficients come from Chebyshev interpolation of std::erfc (in double) at start-up rather than from
// a table of magic numbers; interpolation at Chebyshev nodes is within a small factor of minimax.
ErfcTable build_erfc_table() {
  constexpr int n = kErfcDegree + 1;
  ErfcTable t{};
  for (int i = 0; i < kErfcIntervals; ++i) {
    double a[n][n + 1];
    for (int r = 0; r < n; ++r) {
      const double s = -0.5 * std::cos(M_PI * (2 * r + 1) / (2.0 * n));  // node in [-1/2, 1/2]
      double p = 1.0;
      for (int k = 0; k < n; ++k, p *= s) a[r][k] = p;
      a[r][n] = std::erfc((i + 0.5 + s) / 4.0);
    }
    // Vandermonde solve by Gaussian elimination with partial pivoting (8x8, well conditioned on [-1/2, 1/2]).
    for (int col = 0; col < n; ++col) {
      int piv = col;
      for (int r = col + 1; r < n; ++r)
        if (std::fabs(a[r][col]) > std::fabs(a[piv][col])) piv = r;
      for (int k = 0; k <= n; ++k) std::swap(a[col][k], a[piv][k]);
      for (int r = col + 1; r < n; ++r) {
        const double f = a[r][col] / a[col][col];
        for (int k = col; k <= n; ++k) a[r][k] -= f * a[col][k];
      }
    }
    double x[n];
    for (int r = n - 1; r >= 0; --r) {
      double acc = a[r][n];
      for (int k = r + 1; k < n; ++k) acc -= a[r][k] * x[k];
      x[r] = acc / a[r][r];
    }
    for (int k = 0; k < n; ++k) t.c[k][i] = static_cast<float>(x[k]);
  }
  return t;
}

const ErfcTable& erfc_table() {
  static const ErfcTable table = build_erfc_table();
  return table;
}

struct GeluConsts {
  __m512 c[kErfcDegree + 1];
};

UIBNAS_AVX512 inline GeluConsts load_gelu_consts() {
  const ErfcTable& t = erfc_table();
  GeluConsts k;
  for (int d = 0; d <= kErfcDegree; ++d) k.c[d] = _mm512_load_ps(t.c[d]);
  return k;
}

UIBNAS_AVX512 inline __m512 gelu16(__m512 x, const GeluConsts& k) {
  const __m512 four_over_sqrt2 = _mm512_set1_ps(2.82842712474619009760f);
  const __m512 t = _mm512_mul_ps(_mm512_abs_ps(x), four_over_sqrt2);   // 4*z
  const __m512 tc = _mm512_min_ps(t, _mm512_set1_ps(16.0f));            // NaN -> 16 (x*Phi stays NaN)
  const __m512i idx = _mm512_min_epi32(_mm512_cvttps_epi32(tc), _mm512_set1_epi32(kErfcIntervals - 1));
  const __m512 s = _mm512_sub_ps(_mm512_sub_ps(tc, _mm512_cvtepi32_ps(idx)), _mm512_set1_ps(0.5f));
  __m512 e = _mm512_permutexvar_ps(idx, k.c[kErfcDegree]);
  for (int d = kErfcDegree - 1; d >= 0; --d) e = _mm512_fmadd_ps(e, s, _mm512_permutexvar_ps(idx, k.c[d]));
  const __m512 h = _mm512_maskz_mul_ps(_mm512_cmp_ps_mask(t, _mm512_set1_ps(16.0f), _CMP_LT_OQ), e,
                                       _mm512_set1_ps(0.5f));  // erfc(z)/2, 0 beyond z = 4
  const __mmask16 nonneg = _mm512_cmp_ps_mask(x, _mm512_setzero_ps(), _CMP_GE_OQ);
  const __m512 phi = _mm512_mask_sub_ps(h, nonneg, _mm512_set1_ps(1.0f), h);
  return _mm512_mul_ps(x, phi);
}

// ---- cheap activations ---------------------------------------------------------------------------
// max/min return their second operand when either is NaN; operand order keeps NaN inputs NaN.
UIBNAS_AVX512 inline __m512 relu16(__m512 v) { return _mm512_max_ps(_mm512_setzero_ps(), v); }
UIBNAS_AVX512 inline __m512 relu6_16(__m512 v) {
  return _mm512_min_ps(_mm512_set1_ps(6.0f), _mm512_max_ps(_mm512_setzero_ps(), v));
}
UIBNAS_AVX512 inline __m512 hswish16(__m512 v) {
  return _mm512_mul_ps(_mm512_mul_ps(v, relu6_16(_mm512_add_ps(v, _mm512_set1_ps(3.0f)))),
                       _mm512_set1_ps(1.0f / 6.0f));
}

template <class F>
UIBNAS_AVX512 inline void map16(float* x, std::size_t n, F f) {
  std::size_t i = 0;
  for (; i + 16 <= n; i += 16) _mm512_storeu_ps(x + i, f(_mm512_loadu_ps(x + i)));
  if (i < n) {
    const __mmask16 m = static_cast<__mmask16>((1u << (n - i)) - 1u);
    _mm512_mask_storeu_ps(x + i, m, f(_mm512_maskz_loadu_ps(m, x + i)));
  }
}

inline __mmask16 tail_mask(std::size_t rem) { return static_cast<__mmask16>((1u << rem) - 1u); }

}  // namespace

UIBNAS_AVX512 void f32_activation_16x__avx512f(Act act, float* x, std::size_t n) {
  switch (act) {
    case Act::None:
      return;
    case Act::ReLU:
      return map16(x, n, [](__m512 v) UIBNAS_AVX512 { return relu16(v); });
    case Act::ReLU6:
      return map16(x, n, [](__m512 v) UIBNAS_AVX512 { return relu6_16(v); });
    case Act::HardSwish:
      return map16(x, n, [](__m512 v) UIBNAS_AVX512 { return hswish16(v); });
    case Act::GELU: {
      const GeluConsts k = load_gelu_consts();
      return map16(x, n, [&k](__m512 v) UIBNAS_AVX512 { return gelu16(v, k); });
    }
    case Act::SiLU:
      return map16(x, n, [](__m512 v) UIBNAS_AVX512 { return silu16(v); });
    case Act::Sigmoid:
      return map16(x, n, [](__m512 v) UIBNAS_AVX512 { return sigmoid16(v); });
    case Act::HardSigmoid:
      return map16(x, n, [](__m512 v) UIBNAS_AVX512 { return hard_sigmoid16(v); });
  }
}

UIBNAS_AVX512 void f32_add_64x__avx512f(const float* a, const float* b, float* out, std::size_t n) {
  std::size_t i = 0;
  // Four independent vectors per iteration: the loop is bandwidth-bound, unrolling only trims overhead.
  for (; i + 64 <= n; i += 64) {
    for (int u = 0; u < 4; ++u)
      _mm512_storeu_ps(out + i + 16 * u,
                       _mm512_add_ps(_mm512_loadu_ps(a + i + 16 * u), _mm512_loadu_ps(b + i + 16 * u)));
  }
  for (; i + 16 <= n; i += 16) _mm512_storeu_ps(out + i, _mm512_add_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i)));
  if (i < n) {
    const __mmask16 m = tail_mask(n - i);
    _mm512_mask_storeu_ps(out + i, m, _mm512_add_ps(_mm512_maskz_loadu_ps(m, a + i), _mm512_maskz_loadu_ps(m, b + i)));
  }
}

UIBNAS_AVX512 void f32_channel_affine_16c__avx512f(const float* x, const float* scale, const float* shift, float* out,
                                                   std::size_t pixels, std::size_t channels) {
  // scale/shift are re-read per pixel from L1 (at most 2 x 12 KiB for 3072 channels).
  const std::size_t full = channels & ~std::size_t{15};
  const __mmask16 m = tail_mask(channels - full);
  for (std::size_t p = 0; p < pixels; ++p) {
    const float* xr = x + p * channels;
    float* orow = out + p * channels;
    for (std::size_t c = 0; c < full; c += 16)
      _mm512_storeu_ps(orow + c, _mm512_fmadd_ps(_mm512_loadu_ps(xr + c), _mm512_loadu_ps(scale + c),
                                                 _mm512_loadu_ps(shift + c)));
    if (full < channels)
      _mm512_mask_storeu_ps(orow + full, m,
                            _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, xr + full), _mm512_maskz_loadu_ps(m, scale + full),
                                            _mm512_maskz_loadu_ps(m, shift + full)));
  }
}

}  // namespace uibnas::runtime::kernels::detail

#endif  // UIBNAS_KERNELS_X86
