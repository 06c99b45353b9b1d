// What the CPU we are running on can execute, probed once at first use. kernel_config.cpp reads
// this instead of compile-time macros so one binary built for a baseline x86-64 target still
// picks the AVX-512 kernels on machines that have them.
#pragma once

namespace uibnas::runtime::kernels {

struct CpuFeatures {
  bool avx2 = false;
  bool fma = false;
  bool avx512f = false;
  bool avx512dq = false;
  bool asimd = false;     // AArch64 Advanced SIMD (NEON, with FMA)
  bool asimddp = false;   // AArch64 dot product (SDOT/UDOT)
};

// Raw hardware capabilities of the architecture this binary is built for.
const CpuFeatures& cpu_features();

}  // namespace uibnas::runtime::kernels
