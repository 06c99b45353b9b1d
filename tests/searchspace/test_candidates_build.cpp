// Every sampled candidate is a buildable MNv4 network at every resolution of its space: its block
// strings round-trip, its operator graph is consistent, and the fast params/MACs path agrees with it.
#include <catch2/catch.hpp>

#include "arch_defs/catalogue.hpp"
#include "arch_defs/operators.hpp"
#include "runtime/graph.hpp"
#include "searchspace/decode.hpp"
#include "searchspace/sampling.hpp"
#include "space_test_support.hpp"

using namespace uibnas;
using namespace uibnas::searchspace;

namespace {

void check_operator_list(const arch_defs::OperatorList& ops, const arch_defs::Network& net) {
  const arch_defs::TensorShape input{3, ops.resolution, ops.resolution};
  std::int64_t params = 0, macs = 0;
  for (size_t i = 0; i < ops.ops.size(); ++i) {
    const arch_defs::Operator& op = ops.ops[i];
    REQUIRE(op.inputs.size() == op.in.size());
    for (size_t k = 0; k < op.inputs.size(); ++k) {
      REQUIRE(op.inputs[k] < static_cast<int>(i));  // producers come first
      CHECK(op.in[k] == (op.inputs[k] < 0 ? input : ops.ops[op.inputs[k]].out));
    }
    if (op.kind == arch_defs::OpKind::Add) CHECK(op.in[0] == op.in[1]);
    CHECK(op.out.elements() > 0);
    params += op.cost.params;
    macs += op.cost.macs;
  }
  CHECK(params == ops.total.params);
  CHECK(macs == ops.total.macs);
  // Blocks tile the op list in order.
  int next = 0;
  for (const arch_defs::BlockInfo& b : ops.blocks) {
    CHECK(b.first_op == next);
    next = b.end_op;
  }
  CHECK(next == static_cast<int>(ops.ops.size()));
  CHECK(ops.stage_outputs.size() == net.stage_ends.size());
  CHECK(ops.ops[ops.output].out == (arch_defs::TensorShape{net.num_classes, 1, 1}));
  // Boost.Graph view used by the runtime: acyclic, every op reaches the output.
  const runtime::OperatorGraph graph(ops);
  CHECK(graph.topological_order().size() == ops.ops.size());
}

}  // namespace

TEST_CASE("every sampled candidate builds, lowers and round-trips at every resolution", "[space][build]") {
  for (const char* id : space_test::kShippedIds) {
    const SearchSpace& sp = space_test::shipped(id);
    Rng rng(2024);
    for (int k = 0; k < 12; ++k) {
      const Choices c = sample(sp, rng, k % 2 ? SamplingMode::PerCandidate : SamplingMode::PerDecision);
      const arch_defs::Architecture arch = to_architecture(sp, c);
      INFO(id << " " << arch.name);
      // The timm form reads back as the same architecture, every string parses to its block.
      CHECK(arch_defs::architecture_from_json(arch_defs::architecture_to_json(arch), "candidate") == arch);
      for (const auto& stage : arch.stages)
        for (const auto& b : stage) CHECK(arch_defs::parse_block_string(arch_defs::to_block_string(b)) == b);
      const arch_defs::Network net = arch_defs::build_network(arch);
      for (int res : sp.spec().resolutions) {
        const arch_defs::OperatorList ops = arch_defs::lower_network(net, res);
        check_operator_list(ops, net);
        const arch_defs::ParamsMacs fast = arch_defs::network_params_macs(net, res);
        CHECK(fast.params == ops.total.params);
        CHECK(fast.macs == ops.total.macs);
      }
    }
  }
}

TEST_CASE("the fast params/MACs path equals lower_network for every published variant", "[space][costs]") {
  // Includes the anti-aliased and width-scaled variants, and 240 px, where a stride-2 K/V conv sees 15 -> 8.
  for (const auto& arch : arch_defs::published_architectures()) {
    const arch_defs::Network net = arch_defs::build_network(arch);
    for (int res : {arch.input_size, 240}) {
      INFO(arch.name << " @ " << res);
      const arch_defs::OperatorList ops = arch_defs::lower_network(net, res);
      const arch_defs::ParamsMacs fast = arch_defs::network_params_macs(net, res);
      CHECK(fast.params == ops.total.params);
      CHECK(fast.macs == ops.total.macs);
    }
  }
  CHECK_THROWS_AS(arch_defs::network_params_macs(arch_defs::build_network(arch_defs::published_architectures().front()), 0), common::InputError);
}
