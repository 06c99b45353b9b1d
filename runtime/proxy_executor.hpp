// The proxy execution mode: an operator list run for a minibatch of N images, unfused, with every
// BatchNorm normalising by the minibatch's own per-channel mean and biased variance (PyTorch's train
// mode), as training-free proxies assume; the inference plan instead folds BN's running statistics
// into the convs. Tensors are NHWC per sample, samples one after another ([n][h][w][c]), so a 1x1
// conv is one GEMM over all N * h * w rows. The existing kernels do the math, at one thread.
// Each BN "layer" (BN, plus the activation that directly follows it) is shown to a visitor once
// computed, with the batch statistics it used.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "arch_defs/operators.hpp"
#include "runtime/parameters.hpp"

namespace uibnas::runtime {

struct BatchNormLayer {
  int batch_norm = -1;        // op index of the BN
  int activation = -1;        // op index of the activation applied to its output, -1 when none
  arch_defs::Activation act = arch_defs::Activation::ReLU;  // meaningful when activation >= 0
  arch_defs::TensorShape shape;
  int batch = 0;
  const float* values = nullptr;  // [batch][h][w][c]: after BN and the activation, if any
  const std::vector<double>* mean = nullptr;      // per channel, over batch * h * w
  const std::vector<double>* variance = nullptr;  // biased, as BN normalises with it
};

using BatchNormLayerVisitor = std::function<void(const BatchNormLayer&)>;

// The tensor of a parameter by its timm key (expected_parameters' names and shapes); the executor
// packs or copies it before asking for the next, so a source may reuse one buffer (e.g. drawing
// random weights on demand, so that a network's unpacked weights never exist all at once).
using ParameterSource = std::function<const std::vector<float>&(const std::string& key)>;

class ProxyExecutor {
 public:
  // Packs the weights of every op of `ops` (all must have their parameters in `params`, as
  // expected_parameters names them; running statistics are ignored). Throws InputError otherwise.
  ProxyExecutor(const arch_defs::OperatorList& ops, const ParameterMap& params, int batch);
  ProxyExecutor(const arch_defs::OperatorList& ops, const ParameterSource& parameter, int batch);
  ~ProxyExecutor();
  ProxyExecutor(const ProxyExecutor&) = delete;
  ProxyExecutor& operator=(const ProxyExecutor&) = delete;

  // input: `batch` images NCHW, one after another. Returns the output of ops.output, [batch][h][w][c];
  // valid until the next run.
  const std::vector<float>& run(const std::vector<float>& input_nchw, const BatchNormLayerVisitor& visit = {});

  int batch() const { return batch_; }

 private:
  struct Plan;
  int batch_;
  std::unique_ptr<Plan> plan_;
};

}  // namespace uibnas::runtime
