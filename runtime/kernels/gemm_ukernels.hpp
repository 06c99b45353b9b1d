// Internal to the kernels: the GEMM microkernels behind gemm(), exposed so tests and benchmarks
// can run each variant explicitly. Not for use by graph code (call gemm()).
#pragma once
#include <cstddef>

#include "runtime/kernels/gemm.hpp"

namespace uibnas::kernels {

inline constexpr size_t kGemmNR = 32;  // panel width shared by every microkernel

// Computes one tile: rows [0, mr) x columns [0, nc) of C, with mr <= the kernel's MR and
// nc <= kGemmNR. `w` points at one packed panel (kGemmNR biases, then k rows of kGemmNR
// weights). `residual` (or nullptr) and `c` point at the tile's top-left element.
// Prefetch hint: during its first pf_steps k steps the kernel may prefetch 128 bytes per step
// from pf onwards (pf + 32 floats per step), so weights the driver needs next stream in while
// this tile computes; pf_steps <= k. Kernels without prefetching ignore it.
using GemmUkernelFn = void (*)(size_t mr, size_t nc, size_t k, const float* a, size_t lda,
                               const float* w, float* c, size_t ldc, const float* residual,
                               size_t ldr, Act act, const float* pf, size_t pf_steps);

struct GemmUkernel {
  const char* name;
  size_t mr;  // rows per tile
  GemmUkernelFn fn;
};

// Portable register tile; the compiler vectorises the 32 columns for whatever ISA it targets.
void f32_gemm_4x32__generic(size_t mr, size_t nc, size_t k, const float* a, size_t lda,
                            const float* w, float* c, size_t ldc, const float* residual,
                            size_t ldr, Act act, const float* pf, size_t pf_steps);
const GemmUkernel& gemm_ukernel_generic();

#if defined(__x86_64__) || defined(__i386__)
#define UIBNAS_HAVE_AVX512_GEMM 1
// AVX-512 register tile (compiled with a target attribute; call only when the CPU has avx512f
// and fma, see use_avx512_kernels()).
void f32_gemm_12x32__avx512f(size_t mr, size_t nc, size_t k, const float* a, size_t lda,
                             const float* w, float* c, size_t ldc, const float* residual,
                             size_t ldr, Act act, const float* pf, size_t pf_steps);
const GemmUkernel& gemm_ukernel_avx512f();
#else
#define UIBNAS_HAVE_AVX512_GEMM 0
#endif

// The microkernel gemm() dispatches to on this machine.
const GemmUkernel& gemm_ukernel_selected();

// gemm() with an explicit microkernel (same contract as gemm()).
void gemm_with(const GemmUkernel& uk, size_t m, size_t n, size_t k, const float* a, size_t lda,
               const float* packed, float* c, size_t ldc, const GemmEpilogue& ep, size_t n_begin,
               size_t n_end);

}  // namespace uibnas::kernels
