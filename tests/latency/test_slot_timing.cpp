// How a slot's parts are timed: the table's protocol and the L2 eviction.
#include <catch2/catch.hpp>

#include "common/error.hpp"
#include "arch_defs/catalogue.hpp"
#include "latency/signature.hpp"
#include "latency/slot_timing.hpp"

using namespace uibnas;

TEST_CASE("the part protocol is the table's", "[slot_timing]") {
  latency::LatencyTable t;
  t.protocol = {{"warmup", 2}, {"repeats", 7}};
  t.hardware.l2_bytes = 2 << 20;
  const latency::PartProtocol p = latency::part_protocol(t, "t.json");
  CHECK(p.warmup == 2);
  CHECK(p.repeat == 7);
  CHECK(p.evict_bytes == 4 << 20);  // twice L2, as latency::profile evicts
  t.protocol = nlohmann::json::object();
  CHECK_THROWS_AS(latency::part_protocol(t, "t.json"), common::InputError);
}

TEST_CASE("parts are timed with twice the L2 evicted, at least 2 MiB", "[slot_timing]") {
  latency::HardwareInfo hw;
  hw.l2_bytes = 3 << 20;
  CHECK(latency::l2_eviction_bytes(hw) == 6 << 20);
  hw.l2_bytes = 0;  // unknown
  CHECK(latency::l2_eviction_bytes(hw) == 2 << 20);
}

TEST_CASE("a stepped network's steps map onto its parts: stem, every block, head", "[slot_timing]") {
  const arch_defs::Architecture arch = arch_defs::resolve_architecture("mobilenetv4_conv_small");
  const latency::ProfileTarget target{arch, 96};
  const auto parts = latency::network_parts(arch_defs::build_network(arch), 96, 1);
  std::vector<latency::BlockSignature> signatures;
  for (const auto& p : parts) signatures.push_back(p.signature);
  latency::SlotProtocol protocol;
  protocol.warmup = 1;
  protocol.part_repeat = 2;
  protocol.network_repeat = 3;
  protocol.stepped_network = true;
  const latency::SlotTiming t = latency::time_slot(signatures, &target, protocol);
  CHECK(t.parts.size() == parts.size());
  CHECK(t.network_runs.size() == 3);
  REQUIRE(t.stepped_runs.size() == 3);
  REQUIRE(t.step_ms.size() == 3);  // one per timed run: warm-up and lead-in runs are not kept
  REQUIRE(!t.step_part.empty());
  CHECK(t.step_part.front() == -1);  // the input's layout change
  for (const auto& run : t.step_ms) CHECK(run.size() == t.step_part.size());
  // Every part owns at least one step, in execution order.
  std::vector<int> owned(parts.size(), 0);
  int last = 0;
  for (size_t s = 1; s < t.step_part.size(); ++s) {
    REQUIRE(t.step_part[s] >= 0);
    REQUIRE(t.step_part[s] < int(parts.size()));
    CHECK(t.step_part[s] >= last);
    last = t.step_part[s];
    owned[size_t(t.step_part[s])]++;
  }
  for (size_t p = 0; p < parts.size(); ++p) CHECK(owned[p] > 0);
  // Without stepped_network nothing of the kind is recorded.
  protocol.stepped_network = false;
  const latency::SlotTiming plain = latency::time_slot(signatures, &target, protocol);
  CHECK(plain.stepped_runs.empty());
  CHECK(plain.step_ms.empty());
}
