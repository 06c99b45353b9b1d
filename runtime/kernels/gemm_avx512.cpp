// AVX-512 GEMM microkernel: MR x 32 register tile (2 zmm columns per row, MR=12 -> 24
// accumulators), A broadcast one element at a time, B read as two 16-wide vectors from the
// packed panel, epilogue (bias, activation, residual) fused into the masked store.
//
// Every function carries a target attribute instead of relying on -march, so this file also
// builds into a baseline x86-64 library; kernel_config.cpp selects it only when the CPU has AVX-512. No
// standard-library templates are instantiated under the attribute, so no AVX-512 code can leak
// into the rest of the program through a shared inline definition.
#include "runtime/kernels/gemm_ukernels.hpp"

#if UIBNAS_KERNELS_X86
#include "runtime/kernels/sigmoid_avx512.hpp"
#include "runtime/kernels/x86_intrinsics.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <utility>

namespace uibnas::runtime::kernels {

namespace {

// 12 rows: 24 accumulators + 2 weight vectors + 1 broadcast fit the 32 zmm registers with room
// for the row offsets in GPRs; 8 rows is a few % faster for K < 100, 14 for K > 400 (measured).
constexpr size_t kMR = 12;
constexpr size_t kNR = kGemmNR;

// The driver's prefetch stream: `lines` cache lines from pf, spread evenly over the tile's k steps
// (a burst would fill the line-fill buffers and stall the tile's own loads).
struct PrefetchStream {
  const char* p;
  const char* end;
  size_t every, left, per_step;
  UIBNAS_AVX512_INLINE PrefetchStream(const float* pf, size_t lines, size_t k)
      : p(reinterpret_cast<const char*>(pf)), end(p + 64 * (pf == nullptr ? 0 : lines)),
        every(lines == 0 || pf == nullptr ? ~size_t(0) : std::max<size_t>(1, k / lines)), left(every),
        per_step(lines > k ? 2 : 1) {}
  UIBNAS_AVX512_INLINE void step() {
    if (--left != 0) return;
    left = every;
    for (size_t i = 0; i < per_step && p < end; ++i, p += 64) _mm_prefetch(p, _MM_HINT_T1);
  }
};

// ---- erf for GELU ---------------------------------------------------------------------------
// erf(|u|) on [0, 4) is split into 16 intervals of width 0.25; on each, a degree-7 Taylor
// polynomial around the interval centre (truncation error < 1e-9) is evaluated with the
// coefficients for all 16 lanes selected by one vpermps per coefficient. Past 4, erf rounds to
// 1 in float. Coefficients are computed at compile time in double from
//   erf(x)      = (2/sqrt(pi)) e^{-x^2} sum_n 2^n x^{2n+1} / (2n+1)!!   (all terms positive)
//   erf^(n)(x)  = (2/sqrt(pi)) e^{-x^2} (-1)^{n-1} H_{n-1}(x)           (physicists' Hermite)
constexpr int kErfIntervals = 16;
constexpr int kErfDegree = 7;

struct alignas(64) ErfTable {
  float c[kErfDegree + 1][kErfIntervals];
};

constexpr double exp_positive(double x) {  // e^x for 0 <= x <= 16 (series has no cancellation)
  double sum = 1.0, term = 1.0;
  for (int n = 1; n < 400 && term > 1e-19 * sum; ++n) {
    term *= x / n;
    sum += term;
  }
  return sum;
}

constexpr ErfTable make_erf_table() {
  ErfTable t{};
  const double two_over_sqrt_pi = 1.12837916709551257390;
  for (int i = 0; i < kErfIntervals; ++i) {
    const double x = 0.25 * i + 0.125;
    const double g = two_over_sqrt_pi / exp_positive(x * x);  // erf'(x)
    double term = x, sum = x;
    for (int n = 1; n < 400 && term > 1e-19 * sum; ++n) {
      term *= 2.0 * x * x / (2 * n + 1);
      sum += term;
    }
    t.c[0][i] = static_cast<float>(g * sum);
    double h_prev = 0.0, h = 1.0;  // H_{-1} (unused), H_0
    double factorial = 1.0;
    for (int n = 1; n <= kErfDegree; ++n) {
      factorial *= n;
      const double sign = (n % 2 == 1) ? 1.0 : -1.0;
      t.c[n][i] = static_cast<float>(g * sign * h / factorial);
      const double h_next = 2.0 * x * h - 2.0 * (n - 1) * h_prev;  // H_n from H_{n-1}, H_{n-2}
      h_prev = h;
      h = h_next;
    }
  }
  return t;
}

constexpr ErfTable kErfTable = make_erf_table();

UIBNAS_AVX512_INLINE __m512 gelu(__m512 x) {
  const __m512 u = _mm512_mul_ps(x, _mm512_set1_ps(0.70710678118654752f));
  const __m512 au = _mm512_abs_ps(u);
  const __m512 scaled = _mm512_min_ps(_mm512_mul_ps(au, _mm512_set1_ps(4.0f)), _mm512_set1_ps(15.0f));
  const __m512i idx = _mm512_cvttps_epi32(scaled);
  const __m512 centre = _mm512_fmadd_ps(_mm512_cvtepi32_ps(idx), _mm512_set1_ps(0.25f), _mm512_set1_ps(0.125f));
  const __m512 t = _mm512_sub_ps(au, centre);
  __m512 p = _mm512_permutexvar_ps(idx, _mm512_load_ps(kErfTable.c[kErfDegree]));
#pragma GCC unroll 8
  for (int d = kErfDegree - 1; d >= 0; --d)
    p = _mm512_fmadd_ps(p, t, _mm512_permutexvar_ps(idx, _mm512_load_ps(kErfTable.c[d])));
  const __mmask16 big = _mm512_cmp_ps_mask(au, _mm512_set1_ps(4.0f), _CMP_GE_OQ);
  p = _mm512_min_ps(_mm512_mask_blend_ps(big, p, _mm512_set1_ps(1.0f)), _mm512_set1_ps(1.0f));
  // erf is odd: copy u's sign bit onto erf(|u|).
  const __m512i sign = _mm512_and_si512(_mm512_castps_si512(u), _mm512_set1_epi32(INT32_MIN));
  const __m512 erf_u = _mm512_castsi512_ps(_mm512_or_si512(_mm512_castps_si512(p), sign));
  return _mm512_mul_ps(_mm512_mul_ps(x, _mm512_set1_ps(0.5f)), _mm512_add_ps(_mm512_set1_ps(1.0f), erf_u));
}

// ---- tile ----------------------------------------------------------------------------------

template <size_t MR, size_t NB>
UIBNAS_AVX512_INLINE void activate(__m512 (&v)[MR][NB], Act act) {
  const __m512 zero = _mm512_setzero_ps();
  const __m512 six = _mm512_set1_ps(6.0f);
  switch (act) {
    case Act::None:
      return;
    case Act::ReLU:
#pragma GCC unroll 16
      for (size_t r = 0; r < MR; ++r)
        for (size_t b = 0; b < NB; ++b) v[r][b] = _mm512_max_ps(v[r][b], zero);
      return;
    case Act::ReLU6:
#pragma GCC unroll 16
      for (size_t r = 0; r < MR; ++r)
        for (size_t b = 0; b < NB; ++b) v[r][b] = _mm512_min_ps(_mm512_max_ps(v[r][b], zero), six);
      return;
    case Act::HardSwish: {
      const __m512 three = _mm512_set1_ps(3.0f);
      const __m512 sixth = _mm512_set1_ps(1.0f / 6.0f);
#pragma GCC unroll 16
      for (size_t r = 0; r < MR; ++r)
        for (size_t b = 0; b < NB; ++b) {
          const __m512 gate = _mm512_min_ps(_mm512_max_ps(_mm512_add_ps(v[r][b], three), zero), six);
          v[r][b] = _mm512_mul_ps(v[r][b], _mm512_mul_ps(gate, sixth));
        }
      return;
    }
    case Act::GELU:
#pragma GCC unroll 16
      for (size_t r = 0; r < MR; ++r)
        for (size_t b = 0; b < NB; ++b) v[r][b] = gelu(v[r][b]);
      return;
    case Act::SiLU:
#pragma GCC unroll 16
      for (size_t r = 0; r < MR; ++r)
        for (size_t b = 0; b < NB; ++b) v[r][b] = detail::silu16(v[r][b]);
      return;
    case Act::Sigmoid:
#pragma GCC unroll 16
      for (size_t r = 0; r < MR; ++r)
        for (size_t b = 0; b < NB; ++b) v[r][b] = detail::sigmoid16(v[r][b]);
      return;
    case Act::HardSigmoid:
#pragma GCC unroll 16
      for (size_t r = 0; r < MR; ++r)
        for (size_t b = 0; b < NB; ++b) v[r][b] = detail::hard_sigmoid16(v[r][b]);
      return;
  }
}

// One MR x (16*NB) tile over the full K. A is read through row pointers, one set per segment of
// seg_len k rows (aseg[seg * seg_stride + r]): one segment of k rows for a plain GEMM, k x k*Cin
// for a dense convolution read straight from the NHWC input (indirect GEMM). B rows run on
// across segments (lda != 0: the rows are also lda apart, a plain GEMM). With few rows the FMA chains per k step are too short to cover the 4-cycle
// FMA latency at 2 FMAs/cycle, so small tiles keep S independent accumulator sets over
// interleaved k and sum them at the end.
template <size_t MR, size_t NB>
UIBNAS_AVX512 void tile(size_t nseg, size_t seg_len, const float* const* aseg, size_t seg_stride, size_t lda,
                        const float* w, float* c, size_t ldc, const float* res, size_t ldr, Act act, __mmask16 m0,
                        __mmask16 m1, const float* pf, size_t pf_lines, unsigned flags) {
  constexpr size_t S = MR >= 4 ? 1 : (MR >= 2 ? 2 : 4);
  const __mmask16 mask[2] = {m0, m1};
  __m512 acc[S][MR][NB];
  const bool from_c = (flags & kTileAccumulate) != 0;
  PrefetchStream pfs(pf, pf_lines, nseg * seg_len);
#pragma GCC unroll 16
  for (size_t r = 0; r < MR; ++r) {
    for (size_t b = 0; b < NB; ++b)  // bias, or the partial sums of earlier k blocks
      acc[0][r][b] = from_c ? _mm512_maskz_loadu_ps(mask[b], c + r * ldc + 16 * b) : _mm512_loadu_ps(w + 16 * b);
#pragma GCC unroll 4
    for (size_t s = 1; s < S; ++s)
      for (size_t b = 0; b < NB; ++b) acc[s][r][b] = _mm512_setzero_ps();
  }
  const float* wk = w + kNR;
  for (size_t seg = 0; seg < nseg; ++seg) {
    const float* ar[MR];
#pragma GCC unroll 16
    for (size_t r = 0; r < MR; ++r) ar[r] = aseg[seg * seg_stride + r];
    const size_t k = seg_len;
    size_t kk = 0;
    if constexpr (S > 1) {
      for (; kk + S <= k; kk += S, wk += S * kNR) {
#pragma GCC unroll 4
        for (size_t s = 0; s < S; ++s) {
          pfs.step();
          __m512 bv[NB];
#pragma GCC unroll 2
          for (size_t b = 0; b < NB; ++b) bv[b] = _mm512_loadu_ps(wk + s * kNR + 16 * b);
#pragma GCC unroll 16
          for (size_t r = 0; r < MR; ++r) {
            const __m512 av = _mm512_set1_ps(ar[r][kk + s]);
            for (size_t b = 0; b < NB; ++b) acc[s][r][b] = _mm512_fmadd_ps(av, bv[b], acc[s][r][b]);
          }
        }
      }
    }
    if (lda != 0) {
      // Rows lda apart (a plain GEMM): address them as base + {0, 1, 2} * lda from one base per
      // three rows, bases stepped each k, so no row pointer is spilled to the stack and reloaded.
      // Written out like the loop below rather than shared with it: a common helper changed GCC's
      // register allocation here, and this code is what the latency tables were measured with.
      constexpr size_t kBases = (MR + 2) / 3;
      const float* bp[kBases];
#pragma GCC unroll 8
      for (size_t j = 0; j < kBases; ++j) bp[j] = ar[0] + 3 * j * lda + kk;
      for (; kk < k; ++kk, wk += kNR) {
        pfs.step();
        __m512 bv[NB];
#pragma GCC unroll 2
        for (size_t b = 0; b < NB; ++b) bv[b] = _mm512_loadu_ps(wk + 16 * b);
#pragma GCC unroll 16
        for (size_t r = 0; r < MR; ++r) {
          const __m512 av = _mm512_set1_ps(bp[r / 3][(r % 3) * lda]);
          for (size_t b = 0; b < NB; ++b) acc[0][r][b] = _mm512_fmadd_ps(av, bv[b], acc[0][r][b]);
        }
#pragma GCC unroll 8
        for (size_t j = 0; j < kBases; ++j) ++bp[j];
      }
    }
    for (; kk < k; ++kk, wk += kNR) {
      pfs.step();
      __m512 bv[NB];
#pragma GCC unroll 2
      for (size_t b = 0; b < NB; ++b) bv[b] = _mm512_loadu_ps(wk + 16 * b);
#pragma GCC unroll 16
      for (size_t r = 0; r < MR; ++r) {
        const __m512 av = _mm512_set1_ps(ar[r][kk]);
        for (size_t b = 0; b < NB; ++b) acc[0][r][b] = _mm512_fmadd_ps(av, bv[b], acc[0][r][b]);
      }
    }
  }
  __m512 v[MR][NB];
#pragma GCC unroll 16
  for (size_t r = 0; r < MR; ++r)
    for (size_t b = 0; b < NB; ++b) {
      v[r][b] = acc[0][r][b];
#pragma GCC unroll 4
      for (size_t s = 1; s < S; ++s) v[r][b] = _mm512_add_ps(v[r][b], acc[s][r][b]);
    }
  if (flags & kTilePartial) {
#pragma GCC unroll 16
    for (size_t r = 0; r < MR; ++r)
      for (size_t b = 0; b < NB; ++b) _mm512_mask_storeu_ps(c + r * ldc + 16 * b, mask[b], v[r][b]);
    return;
  }
  activate<MR, NB>(v, act);
#pragma GCC unroll 16
  for (size_t r = 0; r < MR; ++r)
    for (size_t b = 0; b < NB; ++b) {
      __m512 out = v[r][b];
      // Masked loads do not fault past the end, so tails need no scalar path. The residual is
      // loaded before the store, which makes residual == c safe.
      if (res != nullptr) out = _mm512_add_ps(out, _mm512_maskz_loadu_ps(mask[b], res + r * ldr + 16 * b));
      _mm512_mask_storeu_ps(c + r * ldc + 16 * b, mask[b], out);
    }
}

using TileFn = void (*)(size_t, size_t, const float* const*, size_t, size_t, const float*, float*, size_t,
                        const float*, size_t, Act, __mmask16, __mmask16, const float*, size_t, unsigned);

template <size_t NB, size_t... I>
constexpr std::array<TileFn, sizeof...(I)> tile_table(std::index_sequence<I...>) {
  return {&tile<I + 1, NB>...};
}

// kTilesNB[mr - 1]: the tile for mr rows and NB 16-wide column vectors.
constexpr std::array<TileFn, kMR> kTiles1 = tile_table<1>(std::make_index_sequence<kMR>{});
constexpr std::array<TileFn, kMR> kTiles2 = tile_table<2>(std::make_index_sequence<kMR>{});

// Column masks for the two 16-wide halves; a panel of <= 16 live columns skips the second half.
struct Masks {
  __mmask16 m0, m1;
  TileFn fn;
};
inline Masks masks_for(size_t mr, size_t nc) {
  const unsigned lo = nc >= 16 ? 16u : static_cast<unsigned>(nc);
  const unsigned hi = nc > 16 ? static_cast<unsigned>(nc - 16) : 0u;
  return {static_cast<__mmask16>((1u << lo) - 1u), static_cast<__mmask16>((1u << hi) - 1u),
          nc <= 16 ? kTiles1[mr - 1] : kTiles2[mr - 1]};
}

}  // namespace

void f32_gemm_12x32__avx512f(size_t mr, size_t nc, size_t k, const float* a, size_t lda,
                             const float* w, float* c, size_t ldc, const float* residual,
                             size_t ldr, Act act, const float* pf, size_t pf_lines, unsigned flags) {
  const float* rows[kMR];
  for (size_t r = 0; r < mr; ++r) rows[r] = a + r * lda;
  const Masks m = masks_for(mr, nc);
  m.fn(1, k, rows, kMR, lda, w, c, ldc, residual, ldr, act, m.m0, m.m1, pf, pf == nullptr ? 0 : pf_lines, flags);
}

void f32_igemm_12x32__avx512f(size_t mr, size_t nc, size_t nseg, size_t seg_len, const float* const* a,
                              const float* w, float* c, size_t ldc, const float* residual, size_t ldr, Act act) {
  const Masks m = masks_for(mr, nc);
  m.fn(nseg, seg_len, a, kMR, 0, w, c, ldc, residual, ldr, act, m.m0, m.m1, nullptr, 0, 0);
}

const GemmUkernel& gemm_ukernel_avx512f() {
  static const GemmUkernel uk{"f32_gemm_12x32__avx512f", kMR, &f32_gemm_12x32__avx512f, &f32_igemm_12x32__avx512f};
  return uk;
}

}  // namespace uibnas::runtime::kernels

#endif  // UIBNAS_KERNELS_X86
