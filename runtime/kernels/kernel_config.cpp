#include "runtime/kernels/kernel_config.hpp"

#include <cstdlib>
#include <cstring>

namespace uibnas::runtime::kernels {

bool cpu_runs_avx512_kernels(const CpuFeatures& f) { return f.avx512f && f.avx512dq && f.fma; }

bool cpu_runs_neon_kernels(const CpuFeatures& f) { return f.asimd; }

bool cpu_runs_vector_kernels(const CpuFeatures& f) {
#if UIBNAS_KERNELS_X86
  return cpu_runs_avx512_kernels(f);
#elif UIBNAS_KERNELS_NEON
  return cpu_runs_neon_kernels(f);
#else
  return false;
#endif
}

const char* vector_kernels_switch() { return UIBNAS_KERNELS_NEON ? "UIBNAS_DISABLE_NEON" : "UIBNAS_DISABLE_AVX512"; }

bool vector_kernels_disabled_by(const char* env_value) {
  return env_value != nullptr && env_value[0] != '\0' && std::strcmp(env_value, "0") != 0;
}

namespace {

KernelConfigs generic_configs() {
  KernelConfigs c;
  c.isa = "generic";
  c.gemm = gemm_ukernel_generic();
  c.dwconv = {"f32_dwconv__generic", 16, &detail::f32_dwconv__generic};
  c.activation = {"f32_activation__generic", 1, &detail::f32_activation__generic};
  c.add = {"f32_add__generic", 1, &detail::f32_add__generic};
  c.channel_affine = {"f32_channel_affine__generic", 1, &detail::f32_channel_affine__generic};
  c.avgpool2x2 = {"f32_avgpool2x2__generic", 1, &detail::f32_avgpool2x2__generic};
  c.global_avgpool = {"f32_global_avgpool__generic", 1, &detail::f32_global_avgpool__generic};
  c.attention = {"f32_mqa_attention__generic", 1, &detail::f32_mqa_attention__generic};
  return c;
}

#if UIBNAS_KERNELS_X86
KernelConfigs avx512_configs() {
  KernelConfigs c;
  c.isa = "avx512f";
  c.gemm = gemm_ukernel_avx512f();
  c.dwconv = {"f32_dwconv_16c__avx512f", 16, &detail::f32_dwconv_16c__avx512f};
  c.activation = {"f32_activation_16x__avx512f", 16, &detail::f32_activation_16x__avx512f};
  c.add = {"f32_add_64x__avx512f", 64, &detail::f32_add_64x__avx512f};
  c.channel_affine = {"f32_channel_affine_16c__avx512f", 16, &detail::f32_channel_affine_16c__avx512f};
  c.avgpool2x2 = {"f32_avgpool2x2_16c__avx512f", 16, &detail::f32_avgpool2x2_16c__avx512f};
  c.global_avgpool = {"f32_global_avgpool_128c__avx512f", 128, &detail::f32_global_avgpool_128c__avx512f};
  c.attention = {"f32_mqa_attention_4x64__avx512f", 4, &detail::f32_mqa_attention_4x64__avx512f};
  return c;
}
#endif

#if UIBNAS_KERNELS_NEON
KernelConfigs neon_configs() {
  KernelConfigs c;
  c.isa = "neonfma";
  c.gemm = gemm_ukernel_neonfma();
  c.activation = {"f32_activation_16x__neonfma", 16, &detail::f32_activation_16x__neonfma};
  c.add = {"f32_add_16x__neon", 16, &detail::f32_add_16x__neon};
  c.channel_affine = {"f32_channel_affine_16c__neonfma", 16, &detail::f32_channel_affine_16c__neonfma};
  c.dwconv = {"f32_dwconv_16c__neonfma", 16, &detail::f32_dwconv_16c__neonfma};
  c.avgpool2x2 = {"f32_avgpool2x2_16c__neon", 16, &detail::f32_avgpool2x2_16c__neon};
  c.global_avgpool = {"f32_global_avgpool_64c__neon", 64, &detail::f32_global_avgpool_64c__neon};
  c.attention = {"f32_mqa_attention_4x16__neonfma", 4, &detail::f32_mqa_attention_4x16__neonfma};
  return c;
}
#endif

}  // namespace

KernelConfigs make_kernel_configs(bool use_vector_kernels) {
#if UIBNAS_KERNELS_X86
  if (use_vector_kernels) return avx512_configs();
#elif UIBNAS_KERNELS_NEON
  if (use_vector_kernels) return neon_configs();
#endif
  return generic_configs();
}

const KernelConfigs& kernel_configs() {
  static const KernelConfigs configs = make_kernel_configs(
      cpu_runs_vector_kernels(cpu_features()) && !vector_kernels_disabled_by(std::getenv(vector_kernels_switch())));
  return configs;
}

std::vector<std::pair<std::string, std::string>> kernel_names(const KernelConfigs& c) {
  return {{"gemm", c.gemm.name},
          {"dwconv", c.dwconv.name},
          {"activation", c.activation.name},
          {"add", c.add.name},
          {"channel_affine", c.channel_affine.name},
          {"avgpool2x2", c.avgpool2x2.name},
          {"global_avgpool", c.global_avgpool.name},
          {"attention", c.attention.name}};
}

}  // namespace uibnas::runtime::kernels
