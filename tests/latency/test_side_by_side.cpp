// Side-by-side timing (latency/side_by_side.hpp) with recording items instead of work, and the
// slots a profile times its networks and parts in (latency::profile_slots).
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "arch_defs/catalogue.hpp"
#include "common/error.hpp"
#include "latency/profiler.hpp"
#include "latency/side_by_side.hpp"

using namespace uibnas;

namespace {
// Items that log "prepare X" / "run X" in call order.
std::vector<latency::SideBySideItem> logging_items(std::vector<std::string>& log, const std::vector<int>& repeats) {
  std::vector<latency::SideBySideItem> items;
  for (size_t i = 0; i < repeats.size(); ++i) {
    const std::string name(1, char('A' + i));
    items.push_back({repeats[i], [&log, name] { log.push_back("p" + name); }, [&log, name] { log.push_back(name); }, {}});
  }
  return items;
}

std::string joined(const std::vector<std::string>& log) {
  std::string s;
  for (const auto& e : log) s += e + " ";
  return s;
}
}  // namespace

TEST_CASE("side by side: warm-ups, then turns led in by an untimed run, spread evenly", "[side_by_side]") {
  std::vector<std::string> log;
  // A: 4 timed runs in turns of 2 (2 turns); B: 1 timed run (1 turn); 2 iterations. B's one turn falls
  // in the second iteration (floor((j+1)*1/2) > floor(j*1/2) at j = 1).
  const auto ms = latency::time_side_by_side(logging_items(log, {4, 1}), 1, 2);
  REQUIRE(ms.size() == 2);
  CHECK(ms[0].size() == 4);
  CHECK(ms[1].size() == 1);
  for (const auto& runs : ms)
    for (double t : runs) CHECK(t >= 0);
  CHECK(joined(log) ==
        // warm-ups      iteration 0: A's lead-in + 2 timed   iteration 1: A, then B
        "pA A pB B "     "pA A pA A pA A "                    "pA A pA A pA A pB B pB B ");
}

TEST_CASE("side by side: a last short turn, and items of equal repeats alternate every turn", "[side_by_side]") {
  std::vector<std::string> log;
  const auto ms = latency::time_side_by_side(logging_items(log, {3, 3}), 0, 2);
  CHECK(ms[0].size() == 3);  // turns of 2 and 1
  CHECK(ms[1].size() == 3);
  CHECK(joined(log) == "pA A pA A pA A pB B pB B pB B pA A pA A pB B pB B ");
  CHECK_THROWS_AS(latency::time_side_by_side(logging_items(log, {0}), 0, 1), common::InputError);
  CHECK_THROWS_AS(latency::time_side_by_side(logging_items(log, {1}), 0, 0), common::InputError);
  CHECK(latency::time_side_by_side({}, 3, 5).empty());
}

TEST_CASE("profile slots: each network with the parts it first uses, then the rest in slots of 16", "[side_by_side]") {
  const std::vector<latency::ProfileTarget> targets{{arch_defs::resolve_architecture("conv_small"), 224},
                                                    {arch_defs::resolve_architecture("conv_small_050"), 224}};
  std::vector<latency::BlockSignature> parts = latency::distinct_signatures(targets, 1);
  const size_t network_parts = parts.size();
  // Extra signatures no network uses: conv_medium's at 256.
  for (const auto& s : latency::distinct_signatures({{arch_defs::resolve_architecture("conv_medium"), 256}}, 1)) parts.push_back(s);
  // Only the second network's end-to-end run is pending (the first is in the table already).
  const std::vector<const latency::ProfileTarget*> networks{&targets[1]};
  const auto slots = latency::profile_slots(targets, networks, parts, 1);
  const size_t extra = parts.size() - network_parts;
  REQUIRE(slots.size() == 2 + (extra + latency::kPartsPerSlot - 1) / latency::kPartsPerSlot);
  CHECK(slots[0].network == -1);  // conv_small: its parts, no network
  CHECK(slots[1].network == 0);   // conv_small_050 and the parts conv_small did not already take
  std::set<size_t> seen;
  size_t placed = 0;
  for (const auto& slot : slots) {
    CHECK(slot.parts.size() <= std::max(latency::kPartsPerSlot, network_parts));
    for (size_t i : slot.parts) CHECK(seen.insert(i).second);  // every part in exactly one slot
    placed += slot.parts.size();
  }
  CHECK(placed == parts.size());
  CHECK(slots[0].parts.size() + slots[1].parts.size() == network_parts);
  for (size_t s = 2; s < slots.size(); ++s)
    for (size_t i : slots[s].parts) CHECK(i >= network_parts);
}

TEST_CASE("side by side: after_timed follows each timed run only", "[side_by_side]") {
  std::vector<std::string> log;
  std::vector<latency::SideBySideItem> items = logging_items(log, {3});
  items[0].after_timed = [&log] { log.push_back("t"); };
  const auto ms = latency::time_side_by_side(items, 1, 2);
  CHECK(ms[0].size() == 3);
  // warm-up, lead-in + 2 timed, lead-in + 1 timed: three "t", none after an untimed run.
  CHECK(joined(log) == "pA A pA A pA A t pA A t pA A pA A t ");
}
