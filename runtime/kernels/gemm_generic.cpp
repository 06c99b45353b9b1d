// Portable GEMM microkernel: a 4 x 32 register tile written so the compiler vectorises the 32
// columns for whatever ISA the library is built for (SSE on baseline x86-64, NEON, AVX-512 under
// -march=native). Used when the CPU lacks AVX-512; also the cross-check for the AVX-512 kernel.
#include <algorithm>
#include <cmath>

#include "runtime/kernels/gemm_ukernels.hpp"

namespace uibnas::runtime::kernels {

namespace {

constexpr size_t kMR = 4;
constexpr size_t kNR = kGemmNR;

template <Act A>
inline float act(float x) {
  if constexpr (A == Act::ReLU) return std::max(x, 0.0f);
  if constexpr (A == Act::ReLU6) return std::min(std::max(x, 0.0f), 6.0f);
  if constexpr (A == Act::GELU) return 0.5f * x * (1.0f + std::erf(x * 0.70710678118654752f));
  if constexpr (A == Act::HardSwish) return x * std::min(std::max(x + 3.0f, 0.0f), 6.0f) / 6.0f;
  if constexpr (A == Act::SiLU) return silu_f32(x);
  if constexpr (A == Act::Sigmoid) return sigmoid_f32(x);
  if constexpr (A == Act::HardSigmoid) return hard_sigmoid_f32(x);
  return x;
}

// Epilogue over the finished tile; the activation is a template argument so the per-element loop
// has no branch and vectorises (except GELU, which calls erf).
template <Act A, size_t MR>
void store_tile(size_t nc, const float (&acc)[MR][kNR], float* c, size_t ldc, const float* res,
                size_t ldr) {
  for (size_t r = 0; r < MR; ++r) {
    float* cr = c + r * ldc;
    if (res != nullptr) {
      // Read the residual into the value before storing: residual may alias c.
      const float* rr = res + r * ldr;
      for (size_t j = 0; j < nc; ++j) cr[j] = act<A>(acc[r][j]) + rr[j];
    } else {
      for (size_t j = 0; j < nc; ++j) cr[j] = act<A>(acc[r][j]);
    }
  }
}

// Row r of segment s of A is aseg[s * seg_stride + r] (one segment for a plain GEMM).
template <size_t MR>
void tile(size_t nc, size_t nseg, size_t seg_len, const float* const* aseg, size_t seg_stride, const float* w,
          float* c, size_t ldc, const float* res, size_t ldr, Act act_kind, unsigned flags) {
  float acc[MR][kNR];
  // The panel starts with the bias, so it seeds the accumulators (or C, when accumulating).
  for (size_t r = 0; r < MR; ++r)
    for (size_t j = 0; j < kNR; ++j)
      acc[r][j] = (flags & kTileAccumulate) ? (j < nc ? c[r * ldc + j] : 0.0f) : w[j];
  const float* wk = w + kNR;
  for (size_t seg = 0; seg < nseg; ++seg)
    for (size_t kk = 0; kk < seg_len; ++kk, wk += kNR) {
#pragma GCC unroll 4
      for (size_t r = 0; r < MR; ++r) {
        const float av = aseg[seg * seg_stride + r][kk];
        for (size_t j = 0; j < kNR; ++j) acc[r][j] += av * wk[j];
      }
    }
  if (flags & kTilePartial) return store_tile<Act::None>(nc, acc, c, ldc, nullptr, 0);
  switch (act_kind) {
    case Act::None: return store_tile<Act::None>(nc, acc, c, ldc, res, ldr);
    case Act::ReLU: return store_tile<Act::ReLU>(nc, acc, c, ldc, res, ldr);
    case Act::ReLU6: return store_tile<Act::ReLU6>(nc, acc, c, ldc, res, ldr);
    case Act::GELU: return store_tile<Act::GELU>(nc, acc, c, ldc, res, ldr);
    case Act::HardSwish: return store_tile<Act::HardSwish>(nc, acc, c, ldc, res, ldr);
    case Act::SiLU: return store_tile<Act::SiLU>(nc, acc, c, ldc, res, ldr);
    case Act::Sigmoid: return store_tile<Act::Sigmoid>(nc, acc, c, ldc, res, ldr);
    case Act::HardSigmoid: return store_tile<Act::HardSigmoid>(nc, acc, c, ldc, res, ldr);
  }
}

}  // namespace

namespace {

void dispatch(size_t mr, size_t nc, size_t nseg, size_t seg_len, const float* const* aseg, size_t seg_stride,
              const float* w, float* c, size_t ldc, const float* residual, size_t ldr, Act act_kind, unsigned flags) {
  switch (mr) {
    case 1: return tile<1>(nc, nseg, seg_len, aseg, seg_stride, w, c, ldc, residual, ldr, act_kind, flags);
    case 2: return tile<2>(nc, nseg, seg_len, aseg, seg_stride, w, c, ldc, residual, ldr, act_kind, flags);
    case 3: return tile<3>(nc, nseg, seg_len, aseg, seg_stride, w, c, ldc, residual, ldr, act_kind, flags);
    default: return tile<kMR>(nc, nseg, seg_len, aseg, seg_stride, w, c, ldc, residual, ldr, act_kind, flags);
  }
}

}  // namespace

void f32_gemm_4x32__generic(size_t mr, size_t nc, size_t k, const float* a, size_t lda,
                            const float* w, float* c, size_t ldc, const float* residual,
                            size_t ldr, Act act_kind, const float* /*pf*/, size_t /*pf_lines*/,
                            unsigned flags) {
  const float* rows[kMR];
  for (size_t r = 0; r < mr; ++r) rows[r] = a + r * lda;
  dispatch(mr, nc, 1, k, rows, kMR, w, c, ldc, residual, ldr, act_kind, flags);
}

void f32_igemm_4x32__generic(size_t mr, size_t nc, size_t nseg, size_t seg_len, const float* const* a,
                             const float* w, float* c, size_t ldc, const float* residual, size_t ldr, Act act_kind) {
  dispatch(mr, nc, nseg, seg_len, a, kMR, w, c, ldc, residual, ldr, act_kind, 0);
}

const GemmUkernel& gemm_ukernel_generic() {
  static const GemmUkernel uk{"f32_gemm_4x32__generic", kMR, &f32_gemm_4x32__generic, &f32_igemm_4x32__generic};
  return uk;
}

}  // namespace uibnas::runtime::kernels
