// The architecture limits (arch_defs/limits.hpp) enforced where a file is read, and cost sums that no
// longer wrap: each error names the file and the JSON path or block.
#include <catch2/catch.hpp>

#include <string>

#include "arch_defs/architecture.hpp"
#include "arch_defs/network.hpp"
#include "arch_defs/operators.hpp"
#include "common/error.hpp"

using namespace uibnas;
using nlohmann::json;

namespace {

json one_stage(const json& blocks) { return {{"name", "limits"}, {"stages", json::array({blocks})}}; }

std::string error_of(const json& j) {
  try {
    arch_defs::architecture_from_json(j, "limits.json");
  } catch (const common::InputError& e) {
    return e.what();
  }
  return "(accepted)";
}

// 4 x er k15 e16 c16384 at 4096 px: each block after the first (which reads the 32 stem channels) has a
// 15x15 conv of 16384 x 16 x 2048^2 x 16384 x 225 MACs = 4.05e18, so the total (> 1.2e19) passes
// INT64_MAX = 9.22e18 at the fourth block.
json overflowing_architecture() {
  json j = one_stage({"er_r4_k15_s1_e16_c16384"});
  j["input_size"] = 4096;
  return j;
}

}  // namespace

TEST_CASE("an architecture with more than 64 stages is refused at /stages", "[arch_json][limits]") {
  json j = one_stage({"cn_r1_k3_s1_c8"});
  for (int s = 1; s < 65; ++s) j["stages"].push_back({"cn_r1_k3_s1_c8"});
  CHECK(error_of(j) == "limits.json: /stages: 65 stages, more than the 64 allowed");
  j["stages"].erase(64);
  CHECK(error_of(j) == "(accepted)");
}

TEST_CASE("a network of more than 1024 blocks after repeats is refused at the block that passes it", "[arch_json][limits]") {
  // 16 x r64 = 1024 blocks is the most; the 17th entry makes 1088.
  json blocks = json::array();
  for (int b = 0; b < 16; ++b) blocks.push_back("cn_r64_k3_s1_c8");
  CHECK(error_of(one_stage(blocks)) == "(accepted)");
  blocks.push_back("cn_r1_k3_s1_c8");
  CHECK(error_of(one_stage(blocks)) == "limits.json: /stages/0/16: the network has more than 1024 blocks (after repeats)");
}

TEST_CASE("a width past 65536 channels after the channel multiplier is refused", "[arch_json][limits]") {
  json j = one_stage({"cn_r1_k3_s2_c16384", "cn_r1_k3_s1_c8200"});
  j["channel_multiplier"] = 8;
  // c16384 x 8 = 131072; the first block is the one named.
  CHECK(error_of(j) == "limits.json: /stages/0/0: c16384 x channel_multiplier 8 is 131072 channels, more than 65536");
  j["channel_multiplier"] = 4;  // 65536: the largest width allowed
  CHECK(error_of(j) == "(accepted)");
}

TEST_CASE("a network whose MAC count passes int64 is an input error naming the block", "[operators][limits]") {
  const arch_defs::Network net = arch_defs::build_network(arch_defs::architecture_from_json(overflowing_architecture(), "x"));
  CHECK_THROWS_WITH(arch_defs::lower_network(net, 4096), "MAC count overflows int64 at block blocks.0.3");
  CHECK_THROWS_WITH(arch_defs::network_params_macs(net, 4096), "MAC count overflows int64 at block blocks.0.3");
  // At 224 px the same network's costs fit and both ways of counting agree.
  const arch_defs::OperatorList ops = arch_defs::lower_network(net, 224);
  CHECK(ops.total.macs > 0);
  CHECK(arch_defs::network_params_macs(net, 224).macs == ops.total.macs);
}
