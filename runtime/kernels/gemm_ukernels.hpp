// Internal to the kernels: the GEMM microkernels behind gemm(), exposed so tests and benchmarks
// can run each variant explicitly (kernel_config.hpp says which one gemm() runs). Not for use by
// graph code (call gemm()).
#pragma once
#include <cstddef>

#include "runtime/kernels/gemm.hpp"
#include "runtime/kernels/isa.hpp"

namespace uibnas::runtime::kernels {

inline constexpr size_t kGemmNR = 32;  // panel width shared by every microkernel

// Computes one tile: rows [0, mr) x columns [0, nc) of C, with mr <= the kernel's MR and
// nc <= kGemmNR. `w` points at one packed panel (kGemmNR biases, then k rows of kGemmNR
// weights). `residual` (or nullptr) and `c` point at the tile's top-left element.
// flags (K blocking): kTileAccumulate starts from the values in C instead of the bias row (then
// `w` may point k rows into a panel: only the rows after w[0..31] are read); kTilePartial stores
// the raw sums, without activation or residual. A tile without flags computes the whole epilogue.
// Prefetch hint: the kernel may prefetch pf_lines cache lines (64 bytes) from pf onwards, spread
// over its k steps (at most two lines per step), so weights the driver needs next stream in while
// this tile computes. Kernels without prefetching ignore it.
using GemmUkernelFn = void (*)(size_t mr, size_t nc, size_t k, const float* a, size_t lda,
                               const float* w, float* c, size_t ldc, const float* residual,
                               size_t ldr, Act act, const float* pf, size_t pf_lines, unsigned flags);

inline constexpr unsigned kTileAccumulate = 1, kTilePartial = 2;

// Indirect GEMM tile (dense convolution without im2col, as XNNPACK's igemm): k runs over nseg
// segments of seg_len; row r of segment s reads a[s * MR + r][0, seg_len) (MR: the kernel's
// rows per tile), e.g. one segment per kernel row ky covering the k*Cin contiguous NHWC floats of
// that row's taps, or a zero / zero-padded copy at the borders. `w` is a packed panel with
// nseg * seg_len k rows; the full epilogue runs at the end.
using IgemmUkernelFn = void (*)(size_t mr, size_t nc, size_t nseg, size_t seg_len, const float* const* a,
                                const float* w, float* c, size_t ldc, const float* residual, size_t ldr,
                                Act act);

struct GemmUkernel {
  const char* name;
  size_t mr;  // rows per tile
  GemmUkernelFn fn;
  IgemmUkernelFn igemm;
};

// Portable register tile; the compiler vectorises the 32 columns for whatever ISA it targets.
void f32_gemm_4x32__generic(size_t mr, size_t nc, size_t k, const float* a, size_t lda,
                            const float* w, float* c, size_t ldc, const float* residual,
                            size_t ldr, Act act, const float* pf, size_t pf_lines, unsigned flags);
void f32_igemm_4x32__generic(size_t mr, size_t nc, size_t nseg, size_t seg_len, const float* const* a,
                             const float* w, float* c, size_t ldc, const float* residual, size_t ldr, Act act);
const GemmUkernel& gemm_ukernel_generic();

#if UIBNAS_KERNELS_X86
// AVX-512 register tile (compiled with a target attribute; call only when
// cpu_runs_avx512_kernels(), see kernel_config.hpp).
void f32_gemm_12x32__avx512f(size_t mr, size_t nc, size_t k, const float* a, size_t lda,
                             const float* w, float* c, size_t ldc, const float* residual,
                             size_t ldr, Act act, const float* pf, size_t pf_lines, unsigned flags);
void f32_igemm_12x32__avx512f(size_t mr, size_t nc, size_t nseg, size_t seg_len, const float* const* a,
                              const float* w, float* c, size_t ldc, const float* residual, size_t ldr, Act act);
const GemmUkernel& gemm_ukernel_avx512f();
#endif

#if UIBNAS_KERNELS_NEON
// NEON register tile: 6 rows of the 32-column panel, computed as two 16-column halves (24
// accumulators each, of the 32 vector registers). Call only when cpu_runs_neon_kernels().
void f32_gemm_6x32__neonfma(size_t mr, size_t nc, size_t k, const float* a, size_t lda,
                            const float* w, float* c, size_t ldc, const float* residual,
                            size_t ldr, Act act, const float* pf, size_t pf_lines, unsigned flags);
void f32_igemm_6x32__neonfma(size_t mr, size_t nc, size_t nseg, size_t seg_len, const float* const* a,
                             const float* w, float* c, size_t ldc, const float* residual, size_t ldr, Act act);
const GemmUkernel& gemm_ukernel_neonfma();
#endif

struct ConvGeometry;
// conv2d_nhwc() with an explicit microkernel (same contract as conv2d_nhwc(), see conv2d.hpp).
void conv2d_nhwc_with(const GemmUkernel& uk, const ConvGeometry& g, const float* in, const float* packed,
                      float* out, float* scratch, size_t oy_begin, size_t oy_end, const GemmEpilogue& ep);

// gemm() with an explicit microkernel (same contract as gemm()).
void gemm_with(const GemmUkernel& uk, size_t m, size_t n, size_t k, const float* a, size_t lda,
               const float* packed, float* c, size_t ldc, const GemmEpilogue& ep, size_t n_begin,
               size_t n_end);

}  // namespace uibnas::runtime::kernels
