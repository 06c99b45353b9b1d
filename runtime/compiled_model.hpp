// A network compiled for inference: operators fused (BN folded into conv weights, activations and
// layer scale and residual adds folded into the producing conv), weights packed once into one
// huge-page buffer in step order, buffers planned by liveness into one arena, and each inference
// run as one parallel region in a oneTBB task_arena of the requested size (see step_scheduler.hpp:
// steps cut into chunks, chunks claimed by the threads, a chunk waiting only for the chunks of the
// step before it reads).
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
  arch_defs::OpKind kind;
  std::int64_t macs;
  std::vector<std::string> fused;  // names of the operators folded into this step
};

class CompiledModel {
 public:
  // `params` may be dropped after construction: everything the model needs is packed inside it.
  CompiledModel(const OperatorGraph& graph, const ParameterMap& params, int threads);
  // Same, consuming `params`: each operator's parameters are freed as soon as they are packed, so
  // peak memory holds one copy of the weights, not two (pass std::move(map) or a temporary).
  CompiledModel(const OperatorGraph& graph, ParameterMap&& params, int threads);
  ~CompiledModel();
  CompiledModel(CompiledModel&&) noexcept;

  // input: NCHW float [1, C, H, W]; logits: num_classes floats. With `stages`, each block stage's output
  // is copied out as NCHW (stage0 ... stageN).
  // With `step_ms`, each step's wall time is recorded (one entry per steps()). Either option runs the
  // steps one after the other with barriers (a step ends before the next starts) so the copies and
  // times are per step; a plain run lets a thread start a step while the other finishes the last.
  void run(const float* input, float* logits, std::vector<std::vector<float>>* stages = nullptr,
           std::vector<double>* step_ms = nullptr) const;

  // The profiler's split of run(): load the input into the arena once, then time execute(), which
  // runs every step after the input layout change and leaves the output in the arena.
  void load_input(const float* input) const;
  void execute() const;
  // Wakes the helper threads (StepScheduler::wake_helpers) so that execute() starts as a step inside
  // a running network does; returns the helpers that joined.
  int wake_threads() const;

  int threads() const;
  std::size_t arena_bytes() const;
  std::size_t packed_weight_bytes() const;
  const std::vector<StepInfo>& steps() const;
  const arch_defs::OperatorList& ops() const;

 private:
  void init(const OperatorGraph& graph, const ParameterMap& params, ParameterMap* consume, int threads);
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace uibnas::runtime
