// A network compiled for inference: operators fused (BN folded into conv weights, activations and
// layer scale and residual adds folded into the producing conv), weights packed once, buffers planned
// by liveness into one arena, and steps run inside a oneTBB task_arena of the requested size.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "runtime/graph.hpp"
#include "runtime/parameters.hpp"

namespace uibnas::runtime {

struct StepInfo {
  std::string name;
  OpKind kind;
  std::int64_t macs;
  std::vector<std::string> fused;  // names of the operators folded into this step
};

class CompiledModel {
 public:
  // `params` may be dropped after construction: everything the model needs is packed inside it.
  CompiledModel(const OperatorGraph& graph, const ParameterMap& params, int threads);
  ~CompiledModel();
  CompiledModel(CompiledModel&&) noexcept;

  // input: NCHW float [1, C, H, W]; logits: num_classes floats. With `stages`, each block stage's output
  // is copied out as NCHW (stage0 ... stageN).
  // With `step_ms`, each step's wall time is recorded (one entry per steps()).
  void run(const float* input, float* logits, std::vector<std::vector<float>>* stages = nullptr,
           std::vector<double>* step_ms = nullptr) const;

  // The profiler's split of run(): load the input into the arena once, then time execute(), which
  // runs every step after the input layout change and leaves the output in the arena.
  void load_input(const float* input) const;
  void execute() const;

  int threads() const;
  std::size_t arena_bytes() const;
  std::size_t packed_weight_bytes() const;
  const std::vector<StepInfo>& steps() const;
  const OperatorList& ops() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace uibnas::runtime
