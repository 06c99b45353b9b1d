#include "runtime/buffer_plan.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "runtime/arena_planner.hpp"

namespace uibnas::runtime {

StepBuffers BufferPlan::buffers(std::size_t step) const {
  StepBuffers b;
  for (int producer : input_steps[step]) b.inputs.push_back(output[size_t(producer)]);
  b.output = output[step];
  return b;
}

BufferPlan plan_buffers(const arch_defs::OperatorList& ops, const std::vector<FusedStep>& steps) {
  BufferPlan plan;
  std::vector<TensorLifetime> lifetimes(steps.size());
  for (size_t s = 0; s < steps.size(); ++s) {
    const int v = steps[s].value;
    const arch_defs::TensorShape shape = v < 0 ? ops.input : ops.ops[v].out;
    lifetimes[s] = {static_cast<size_t>(shape.elements()), int(s), int(s)};
    plan.input_steps.emplace_back();
    for (int in : steps[s].inputs) {
      auto it = plan.step_of_value.find(in);
      if (it == plan.step_of_value.end()) {
        const std::string name = steps[s].primary < 0 ? "input" : ops.ops[steps[s].primary].name;
        throw std::logic_error("step " + name + " reads an unplanned value");
      }
      plan.input_steps.back().push_back(it->second);
      // One step past the last reader: with dependency scheduling a thread may write step s + 1's
      // output while the other still reads step s - 1's inputs (see StepScheduler).
      lifetimes[it->second].last_step = std::max(lifetimes[it->second].last_step, int(s) + 1);
    }
    plan.step_of_value[v] = int(s);
  }
  lifetimes[plan.step_of_value.at(ops.output)].last_step = int(steps.size());
  const ArenaPlan arena = plan_arena(lifetimes);
  plan.output = arena.offsets;
  plan.total_floats = arena.total_floats;
  return plan;
}

}  // namespace uibnas::runtime
