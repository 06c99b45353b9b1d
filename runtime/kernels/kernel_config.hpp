// Which implementation each kernel family runs, chosen once per process (as XNNPACK's
// xnn_init_*_config): one config per family holds the kernel's name, its tile and the function
// pointer. The public kernel functions (gemm, dwconv_nhwc, ...) call through kernel_configs(), and
// the latency tables record the ISA and kernel names from the same object, so what a table says
// ran is what ran.
#pragma once
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "runtime/kernels/attention.hpp"
#include "runtime/kernels/cpu_features.hpp"
#include "runtime/kernels/dwconv.hpp"
#include "runtime/kernels/elementwise.hpp"
#include "runtime/kernels/gemm_ukernels.hpp"
#include "runtime/kernels/pooling.hpp"

namespace uibnas::runtime::kernels {

// One kernel of a family. `tile` is the unit one step of the kernel covers (elements, channels or
// query rows, per family: see KernelConfigs); the name says dtype, op, tile and ISA.
template <class Fn>
struct UkernelConfig {
  const char* name = nullptr;
  std::size_t tile = 0;
  Fn fn = nullptr;
};

struct KernelConfigs {
  const char* isa = "generic";            // "avx512f", "neonfma" or "generic"
  GemmUkernel gemm{};                     // also the indirect GEMM of conv2d; mr = rows per tile
  UkernelConfig<DwConvFn> dwconv;         // tile: channels
  UkernelConfig<ActivationFn> activation; // tile: elements
  UkernelConfig<AddFn> add;               // tile: elements
  UkernelConfig<ChannelAffineFn> channel_affine;  // tile: channels
  UkernelConfig<AvgPool2x2Fn> avgpool2x2;         // tile: channels
  UkernelConfig<GlobalAvgPoolFn> global_avgpool;  // tile: channels
  UkernelConfig<AttentionFn> attention;           // tile: query vectors
};

// The AVX-512 kernels need avx512f, avx512dq and fma (the target of UIBNAS_AVX512, isa.hpp).
bool cpu_runs_avx512_kernels(const CpuFeatures& f);
// The NEON kernels need Advanced SIMD (asimd: every AArch64 CPU that Linux runs on).
bool cpu_runs_neon_kernels(const CpuFeatures& f);
// Whether this CPU runs the vector kernels this build has: AVX-512 on x86-64, NEON on aarch64,
// none elsewhere.
bool cpu_runs_vector_kernels(const CpuFeatures& f);

// The switch that forces the generic kernels: UIBNAS_DISABLE_AVX512 on x86-64, UIBNAS_DISABLE_NEON
// on aarch64. Any value but unset, "" or "0" turns the vector kernels off.
const char* vector_kernels_switch();
bool vector_kernels_disabled_by(const char* env_value);

// Every family's kernel for one "use the vector kernels" decision: the AVX-512 ones on x86-64, the
// NEON ones on aarch64; without vector kernels in this build, the generic ones whatever the decision.
KernelConfigs make_kernel_configs(bool use_vector_kernels);

// The process-wide choice: the vector kernels when the CPU runs them and vector_kernels_switch()
// does not forbid them. Decided on first use; later changes to the environment have no effect.
const KernelConfigs& kernel_configs();

// (family, kernel name) for every family of `configs`, in a fixed order.
std::vector<std::pair<std::string, std::string>> kernel_names(const KernelConfigs& configs);

}  // namespace uibnas::runtime::kernels
