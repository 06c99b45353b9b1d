// What the CPU we are running on can execute, probed once at first use. Kernel dispatch reads
// this instead of compile-time macros so one binary built for a baseline x86-64 target still
// picks the AVX-512 microkernels on machines that have them.
#pragma once

namespace uibnas::kernels {

struct CpuFeatures {
  bool avx2 = false;
  bool fma = false;
  bool avx512f = false;
  bool avx512dq = false;
};

// Raw hardware capabilities (all false on non-x86 builds).
const CpuFeatures& cpu_features();

// True when the AVX-512 GEMM microkernels should be used: the CPU has avx512f + fma and the
// environment variable UIBNAS_DISABLE_AVX512 is unset or "0" (set it to exercise the portable
// fallback end to end). Decided once per process.
bool use_avx512_kernels();

}  // namespace uibnas::kernels
