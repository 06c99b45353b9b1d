// The arena layout of a step sequence: each step's output value lives from the step that writes it
// to one step past its last reader, and plan_arena packs those lifetimes into one arena.
#pragma once
#include <cstddef>
#include <map>
#include <vector>

#include "runtime/fusion.hpp"
#include "runtime/steps.hpp"

namespace uibnas::runtime {

struct BufferPlan {
  std::vector<std::size_t> output;            // per step, its output's arena offset (floats)
  std::vector<std::vector<int>> input_steps;  // per step, the step producing each of its inputs
  std::map<int, int> step_of_value;           // operator value (-1: the network input) -> producing step
  std::size_t total_floats = 0;

  StepBuffers buffers(std::size_t step) const;
};

// Throws std::logic_error when a step reads a value no earlier step produces.
BufferPlan plan_buffers(const arch_defs::OperatorList& ops, const std::vector<FusedStep>& steps);

}  // namespace uibnas::runtime
