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
};

// Raw hardware capabilities (all false on non-x86 builds).
const CpuFeatures& cpu_features();

}  // namespace uibnas::runtime::kernels
