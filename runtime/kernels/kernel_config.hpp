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
  const char* isa = "generic";            // "avx512f" or "generic"
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

// The UIBNAS_DISABLE_AVX512 switch: any value but unset, "" or "0" forces the generic kernels.
bool avx512_disabled_by(const char* env_value);

// Every family's kernel for one "use AVX-512" decision; without x86 AVX-512 support in this build,
// the generic kernels whatever the decision.
KernelConfigs make_kernel_configs(bool use_avx512);

// The process-wide choice: AVX-512 when the CPU runs it and UIBNAS_DISABLE_AVX512 does not forbid
// it. Decided on first use; later changes to the environment have no effect.
const KernelConfigs& kernel_configs();

// (family, kernel name) for every family of `configs`, in a fixed order.
std::vector<std::pair<std::string, std::string>> kernel_names(const KernelConfigs& configs);

}  // namespace uibnas::runtime::kernels
