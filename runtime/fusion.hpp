// The fusion pass: groups a lowered network's operators into execution steps. BN, activation,
// layer scale and a residual add fold into the conv-like operator that produces their input,
// when it is their sole consumer and no stage output or the logits need the value in between.
#pragma once
#include <vector>

#include "runtime/graph.hpp"

namespace uibnas::runtime {

// Conv, pointwise, depthwise and linear: the operators that pack weights and take folds.
bool is_conv_like(arch_defs::OpKind kind);

// One step's operators: a primary operator and those folded into it (-1: absent).
struct FusedStep {
  int primary = -1;  // -1: the network input's NCHW -> NHWC layout change
  int batch_norm = -1, act = -1, layer_scale = -1, add = -1;
  int value = -1;           // the operator whose value the step produces (-1: the network input)
  std::vector<int> inputs;  // values read: the primary's inputs, then the residual add's other input

  // The folded operators, in the order they apply.
  std::vector<int> folded() const;
};

// The network input's step first, then one step per unfolded operator in topological order.
std::vector<FusedStep> fuse_operators(const OperatorGraph& graph);

}  // namespace uibnas::runtime
