// The fusion pass and the buffer plan on every published variant: each operator runs in exactly
// one step, folds follow the data flow, and no step writes over a value still to be read.
#include <catch2/catch.hpp>

#include <vector>

#include "arch_defs/catalogue.hpp"
#include "runtime/buffer_plan.hpp"
#include "runtime/fusion.hpp"

using namespace uibnas;
using namespace uibnas::runtime;

namespace {

OperatorGraph graph_of(const arch_defs::Architecture& arch, int resolution) {
  return OperatorGraph(arch_defs::lower_network(arch_defs::build_network(arch), resolution));
}

bool overlap(std::size_t a, std::size_t a_size, std::size_t b, std::size_t b_size) {
  return a < b + b_size && b < a + a_size;
}

}  // namespace

TEST_CASE("fusion covers each operator once and folds only along sole consumers", "[runtime][fusion]") {
  for (const auto& arch : arch_defs::published_architectures()) {
    DYNAMIC_SECTION(arch.name) {
      const OperatorGraph graph = graph_of(arch, 96);
      const arch_defs::OperatorList& ops = graph.ops();
      const std::vector<FusedStep> steps = fuse_operators(graph);
      REQUIRE(steps.front().primary == -1);
      CHECK(steps.front().value == -1);
      std::vector<int> covered(ops.ops.size(), 0);
      for (size_t s = 1; s < steps.size(); ++s) {
        const FusedStep& f = steps[s];
        covered[size_t(f.primary)]++;
        int previous = f.primary;
        for (int j : f.folded()) {
          covered[size_t(j)]++;
          CHECK(is_conv_like(ops.ops[size_t(f.primary)].kind));
          CHECK(graph.consumers(previous) == std::vector<int>{j});  // the previous value feeds only this fold
          previous = j;
        }
        CHECK(f.value == previous);
        if (f.add >= 0) {
          CHECK(ops.ops[size_t(f.primary)].kind == arch_defs::OpKind::PointwiseConv);
          CHECK(f.inputs.size() == ops.ops[size_t(f.primary)].inputs.size() + 1);
        }
        if (f.layer_scale >= 0) CHECK(f.act < 0);
      }
      for (size_t i = 0; i < covered.size(); ++i) {
        INFO(ops.ops[i].name);
        CHECK(covered[i] == 1);
      }
      for (int pinned : ops.stage_outputs) {  // a stage output is some step's value, never folded past
        bool produced = false;
        for (const FusedStep& f : steps) produced |= f.value == pinned;
        CHECK(produced);
      }
    }
  }
}

TEST_CASE("the buffer plan never lets a step overwrite a value still to be read", "[runtime][fusion][arena]") {
  for (const auto& arch : arch_defs::published_architectures()) {
    DYNAMIC_SECTION(arch.name) {
      const OperatorGraph graph = graph_of(arch, 96);
      const arch_defs::OperatorList& ops = graph.ops();
      const std::vector<FusedStep> steps = fuse_operators(graph);
      const BufferPlan plan = plan_buffers(ops, steps);
      REQUIRE(plan.output.size() == steps.size());
      auto floats = [&](size_t s) {
        const int v = steps[s].value;
        return size_t((v < 0 ? ops.input : ops.ops[size_t(v)].out).elements());
      };
      // Brute force: the last step reading each step's value (the logits are read after the end).
      std::vector<size_t> last_read(steps.size(), 0);
      for (size_t s = 0; s < steps.size(); ++s) {
        REQUIRE(plan.input_steps[s].size() == steps[s].inputs.size());
        for (size_t i = 0; i < steps[s].inputs.size(); ++i) {
          const size_t producer = size_t(plan.input_steps[s][i]);
          CHECK(producer < s);
          CHECK(steps[producer].value == steps[s].inputs[i]);
          CHECK(plan.buffers(s).inputs[i] == plan.output[producer]);
          last_read[producer] = std::max(last_read[producer], s);
        }
        CHECK(plan.output[s] + floats(s) <= plan.total_floats);
      }
      last_read[size_t(plan.step_of_value.at(ops.output))] = steps.size();
      // Step s may run while step s - 1 still reads: its output must miss every value read at s - 1 or later.
      for (size_t s = 1; s < steps.size(); ++s)
        for (size_t p = 0; p < s; ++p)
          if (last_read[p] + 1 >= s) {
            INFO("step " << s << " and the value of step " << p);
            CHECK_FALSE(overlap(plan.output[s], floats(s), plan.output[p], floats(p)));
          }
    }
  }
}
