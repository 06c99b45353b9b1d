// How a slot's parts are timed: the table's protocol and the L2 eviction.
#include <catch2/catch.hpp>

#include "common/error.hpp"
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
