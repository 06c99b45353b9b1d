#include "runtime/kernels/cpu_features.hpp"

#include <cstdlib>
#include <cstring>

namespace uibnas::kernels {

namespace {

CpuFeatures probe() {
  CpuFeatures f;
#if defined(__x86_64__) || defined(__i386__)
  // __builtin_cpu_supports also checks (via XGETBV) that the OS saves the wide register state.
  __builtin_cpu_init();
  f.avx2 = __builtin_cpu_supports("avx2");
  f.fma = __builtin_cpu_supports("fma");
  f.avx512f = __builtin_cpu_supports("avx512f");
  f.avx512dq = __builtin_cpu_supports("avx512dq");
#endif
  return f;
}

bool avx512_allowed() {
  const CpuFeatures& f = cpu_features();
  if (!(f.avx512f && f.fma)) return false;
  const char* env = std::getenv("UIBNAS_DISABLE_AVX512");
  return env == nullptr || env[0] == '\0' || std::strcmp(env, "0") == 0;
}

}  // namespace

const CpuFeatures& cpu_features() {
  static const CpuFeatures features = probe();
  return features;
}

bool use_avx512_kernels() {
  static const bool use = avx512_allowed();
  return use;
}

}  // namespace uibnas::kernels
