// Shared by the kernel testers: the reference activation every kernel epilogue is checked against,
// and the list of implementations of a kernel family this CPU can run (each kernel set that
// make_kernel_configs() builds, whatever the process-wide choice).
#pragma once
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "runtime/kernels/activation.hpp"
#include "runtime/kernels/kernel_config.hpp"

namespace uibnas::testing {

inline constexpr runtime::kernels::Act kAllActs[] = {
    runtime::kernels::Act::None,      runtime::kernels::Act::ReLU, runtime::kernels::Act::ReLU6,
    runtime::kernels::Act::GELU,      runtime::kernels::Act::HardSwish, runtime::kernels::Act::SiLU,
    runtime::kernels::Act::Sigmoid,   runtime::kernels::Act::HardSigmoid};
inline constexpr std::size_t kActCount = sizeof(kAllActs) / sizeof(kAllActs[0]);

// Double precision, from the definitions: GELU = x Phi(x), written with erfc so that the negative
// tail has no 1 + erf cancellation; HardSwish = x relu6(x + 3) / 6; SiLU = x sigmoid(x);
// HardSigmoid = relu6(x + 3) / 6.
inline double reference_activation(runtime::kernels::Act act, double x) {
  switch (act) {
    case runtime::kernels::Act::None: return x;
    case runtime::kernels::Act::ReLU: return x < 0 ? 0 : x;
    case runtime::kernels::Act::ReLU6: return x < 0 ? 0 : (x > 6 ? 6 : x);
    case runtime::kernels::Act::GELU: return 0.5 * x * std::erfc(-x / std::sqrt(2.0));
    case runtime::kernels::Act::HardSwish: return x * std::min(std::max(x + 3.0, 0.0), 6.0) / 6.0;
    case runtime::kernels::Act::SiLU: return x / (1.0 + std::exp(-x));
    case runtime::kernels::Act::Sigmoid: return 1.0 / (1.0 + std::exp(-x));
    case runtime::kernels::Act::HardSigmoid: return std::min(std::max(x + 3.0, 0.0), 6.0) / 6.0;
  }
  return x;
}

inline const char* act_name(runtime::kernels::Act act) {
  switch (act) {
    case runtime::kernels::Act::None: return "None";
    case runtime::kernels::Act::ReLU: return "ReLU";
    case runtime::kernels::Act::ReLU6: return "ReLU6";
    case runtime::kernels::Act::GELU: return "GELU";
    case runtime::kernels::Act::HardSwish: return "HardSwish";
    case runtime::kernels::Act::SiLU: return "SiLU";
    case runtime::kernels::Act::Sigmoid: return "Sigmoid";
    case runtime::kernels::Act::HardSigmoid: return "HardSigmoid";
  }
  return "?";
}

// The generic kernels, plus this build's vector kernels (AVX-512 or NEON) when this CPU runs them
// (even if UIBNAS_DISABLE_AVX512 / _NEON keeps the process on the generic ones).
inline std::vector<runtime::kernels::KernelConfigs> runnable_kernel_configs() {
  std::vector<runtime::kernels::KernelConfigs> v{runtime::kernels::make_kernel_configs(false)};
  if (runtime::kernels::cpu_runs_vector_kernels(runtime::kernels::cpu_features())) {
    runtime::kernels::KernelConfigs vector = runtime::kernels::make_kernel_configs(true);
    if (std::string(vector.isa) != v.front().isa) v.push_back(vector);
  }
  return v;
}

template <class Fn>
struct NamedKernel {
  std::string name;
  Fn fn;
};

// The family's public entry point (named "entry point"; it runs the process-wide choice) and every
// runnable implementation of the family, by kernel name.
template <class Fn>
std::vector<NamedKernel<Fn>> family_kernels(runtime::kernels::UkernelConfig<Fn> runtime::kernels::KernelConfigs::*family,
                                            Fn entry_point) {
  std::vector<NamedKernel<Fn>> v{{"entry point", entry_point}};
  for (const runtime::kernels::KernelConfigs& c : runnable_kernel_configs()) v.push_back({(c.*family).name, (c.*family).fn});
  return v;
}

// Every runnable GEMM microkernel (the entry point gemm() is tested on its own).
inline std::vector<runtime::kernels::GemmUkernel> runnable_gemm_ukernels() {
  std::vector<runtime::kernels::GemmUkernel> v;
  for (const runtime::kernels::KernelConfigs& c : runnable_kernel_configs()) v.push_back(c.gemm);
  return v;
}

}  // namespace uibnas::testing
