// The step factory: turns each fused step into its runnable Step, complete with its arena buffers
// and its parameters folded (BN, layer scale and bias into the conv weights) and packed into the
// weight pool, in step order.
#pragma once
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "runtime/fusion.hpp"
#include "runtime/parameters.hpp"
#include "runtime/steps.hpp"
#include "runtime/weight_pool.hpp"

namespace uibnas::runtime {

inline constexpr double kBatchNormEps = 1e-5;  // PyTorch's default, as timm builds MNv4

kernels::Act to_kernel_act(arch_defs::Activation a);

// timm's BlurPool2d 'blurpc': the binomial [1,2,1]/4 outer product on every channel, [channels][1][3][3].
std::vector<float> blur_weights(int channels);

class StepFactory {
 public:
  // With `consume` (== &params), each step's parameters are erased from it once the step holds them
  // packed, so the unpacked and packed weights never both exist in full (peak memory).
  StepFactory(const arch_defs::OperatorList& ops, const ParameterMap& params, ParameterMap* consume, int threads,
              HugePageBuffer& weight_pool);

  // Throws InputError when a parameter the step needs is missing.
  std::unique_ptr<Step> make(const FusedStep& step, StepBuffers buffers);

 private:
  const ParamTensor& param(const std::string& key);
  void batch_norm_affine(const std::string& bn, std::vector<double>& scale, std::vector<double>& shift);
  std::unique_ptr<Step> make_conv(const FusedStep& step, StepBuffers buffers);
  std::unique_ptr<Step> make_plain(const arch_defs::Operator& op, StepBuffers buffers);

  const arch_defs::OperatorList& ops_;
  const ParameterMap& params_;
  ParameterMap* consume_;
  int threads_;
  HugePageBuffer& weight_pool_;
  std::vector<std::string> used_keys_;  // looked up by the step being made
};

// Floats the packed weights of every operator need (an upper bound with alignment): the size of
// the weight pool.
std::size_t packed_weight_floats(const arch_defs::OperatorList& ops);

}  // namespace uibnas::runtime
