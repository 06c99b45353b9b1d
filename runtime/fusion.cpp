#include "runtime/fusion.hpp"

namespace uibnas::runtime {
bool is_conv_like(arch_defs::OpKind kind) {
  return kind == arch_defs::OpKind::Conv || kind == arch_defs::OpKind::PointwiseConv || kind == arch_defs::OpKind::DepthwiseConv ||
         kind == arch_defs::OpKind::Linear;
}

namespace {

class Fuser {
 public:
  explicit Fuser(const OperatorGraph& graph) : graph_(graph), ops_(graph.ops().ops), pinned_(ops_.size(), false) {
    for (int s : graph.ops().stage_outputs) pinned_[s] = true;
    pinned_[graph.ops().output] = true;
  }

  std::vector<FusedStep> run() {
    std::vector<FusedStep> steps(1);  // the input's layout change
    std::vector<bool> absorbed(ops_.size(), false);
    for (int i : graph_.topological_order()) {
      if (absorbed[i]) continue;
      FusedStep f = ops_[i].kind == arch_defs::OpKind::Linear || !is_conv_like(ops_[i].kind) ? alone(i) : conv_with_folds(i);
      for (int j : f.folded()) absorbed[j] = true;
      steps.push_back(std::move(f));
    }
    return steps;
  }

 private:
  // The consumer of `op` when it is the only one and of `kind`, and op's value is not needed on its own.
  int sole_consumer(int op, arch_defs::OpKind kind) const {
    if (pinned_[op]) return -1;
    const auto& cons = graph_.consumers(op);
    if (cons.size() != 1 || ops_[cons[0]].kind != kind) return -1;
    return cons[0];
  }

  FusedStep alone(int op) const {
    FusedStep f;
    f.primary = f.value = op;
    f.inputs = ops_[op].inputs;
    return f;
  }

  FusedStep conv_with_folds(int op) const {
    FusedStep f = alone(op);
    if ((f.batch_norm = sole_consumer(f.value, arch_defs::OpKind::BatchNorm)) >= 0) f.value = f.batch_norm;
    if ((f.act = sole_consumer(f.value, arch_defs::OpKind::Act)) >= 0) f.value = f.act;
    // gamma * act(x) is not a weight scaling, so layer scale folds only without an activation.
    if (f.act < 0 && (f.layer_scale = sole_consumer(f.value, arch_defs::OpKind::LayerScale)) >= 0) f.value = f.layer_scale;
    // The GEMM epilogue adds a residual; the other convs have none.
    if (ops_[op].kind == arch_defs::OpKind::PointwiseConv && (f.add = sole_consumer(f.value, arch_defs::OpKind::Add)) >= 0) {
      const auto& add_in = ops_[f.add].inputs;
      f.inputs.push_back(add_in[0] == f.value ? add_in[1] : add_in[0]);
      f.value = f.add;
    }
    return f;
  }

  const OperatorGraph& graph_;
  const std::vector<arch_defs::Operator>& ops_;
  std::vector<bool> pinned_;  // values that must exist on their own: stage outputs, logits
};

}  // namespace

std::vector<int> FusedStep::folded() const {
  std::vector<int> out;
  for (int j : {batch_norm, act, layer_scale, add})
    if (j >= 0) out.push_back(j);
  return out;
}

std::vector<FusedStep> fuse_operators(const OperatorGraph& graph) { return Fuser(graph).run(); }

}  // namespace uibnas::runtime
