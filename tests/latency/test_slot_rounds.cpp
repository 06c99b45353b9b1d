// The measurement orchestrator with a fake timer: which slots each pass times, what settles them,
// what the record holds and when checkpoints come; no network is run.
#include <catch2/catch.hpp>

#include <map>
#include <set>

#include "arch_defs/catalogue.hpp"
#include "common/error.hpp"
#include "latency/network_rounds.hpp"
#include "latency/slot_rounds.hpp"

using namespace uibnas;
using latency::Measurement;

namespace {

// Parts told apart by their thread count (1, 2, 3, ...): the fake timer reads it back.
latency::BlockSignature part(int id) {
  latency::BlockSignature s;
  s.kind = "cn";
  s.threads = id;
  return s;
}

Measurement at(double median) { return {median, median * 0.9, median * 1.1, median * 0.8, 5}; }

// Scripted timings: each part's and each network's median, call by call.
struct ScriptedTimer {
  std::map<int, std::vector<double>> parts;   // by part id
  std::vector<std::vector<double>> networks;  // by network resolution - 1
  std::map<int, size_t> part_calls;
  std::vector<size_t> network_calls = std::vector<size_t>(4, 0);
  int slots = 0;

  latency::SlotTimer timer() {
    return [this](const std::vector<latency::BlockSignature>& ps, const latency::ProfileTarget* network) {
      ++slots;
      latency::SlotTiming t;
      for (const auto& p : ps) t.parts.push_back(at(parts.at(p.threads).at(part_calls[p.threads]++)));
      if (network != nullptr) {
        const size_t n = size_t(network->resolution - 1);
        const double ms = networks.at(n).at(network_calls[n]++);
        t.network_runs = {ms * 1.2, ms, ms * 0.9};  // median ms, min 0.9 ms
      }
      return t;
    };
  }
};

latency::SlotSchedule two_slots() {
  latency::SlotSchedule s;
  s.parts = {part(1), part(2), part(3)};
  s.networks = {{arch_defs::Architecture{}, 1}};
  s.slots = {{{0, 1}, 0}, {{2}, -1}};
  return s;
}

latency::RoundPlan plan(int rounds, int settle_rounds, double percent = 5) {
  latency::RoundPlan p;
  p.rounds = rounds;
  p.settle_rounds = settle_rounds;
  p.settle_percent = percent;
  return p;
}

}  // namespace

TEST_CASE("slots: every slot in every round, then the unsettled slots again", "[slot_rounds]") {
  ScriptedTimer fake;
  // Slot 0 holds parts 1, 2 and the network: part 2 is slowed in round 2 and fast again when settling;
  // slot 1 (part 3) agrees from the start.
  fake.parts = {{1, {10, 10.1, 10.2}}, {2, {5, 8, 5.1}}, {3, {2, 2.05}}};
  fake.networks = {{20, 20.5, 20.4}};
  std::vector<std::vector<size_t>> passes;
  std::vector<bool> settling;
  latency::SlotRoundHooks hooks;
  hooks.begin_pass = [&](int, const std::vector<size_t>& slots) { passes.push_back(slots); };
  hooks.after_slot = [&](size_t, const latency::SlotTiming&, bool s) { settling.push_back(s); };
  const latency::SlotRecord r = latency::measure_slots_in_rounds(two_slots(), plan(2, 3), fake.timer(), hooks);
  REQUIRE(passes.size() == 3);
  CHECK(passes[2] == std::vector<size_t>{0});  // part 2's best rounds, 5 and 8, disagree; then 5 and 5.1 agree
  CHECK(settling == std::vector<bool>{false, false, false, false, true});
  CHECK(r.part_rounds[0].size() == 3);
  CHECK(r.part_rounds[1].size() == 3);
  CHECK(r.part_rounds[2].size() == 2);
  REQUIRE(r.network_rounds[0].size() == 3);
  // A network's round: its runs' median and minimum (runs 24, 20, 18 ms for 20 ms).
  CHECK(r.network_rounds[0][0].median_ms == Approx(20));
  CHECK(r.network_rounds[0][0].min_ms == Approx(18));
  CHECK(r.network_rounds[0][0].repeats == 3);
  CHECK(latency::combine_rounds(r.part_rounds[1]).median_ms == Approx(5.1));  // median of 5, 8, 5.1
}

TEST_CASE("slots: a slot is settled only when its network agrees too", "[slot_rounds]") {
  ScriptedTimer fake;
  fake.parts = {{1, {10, 10, 10, 10}}, {2, {5, 5, 5, 5}}, {3, {2, 2}}};
  fake.networks = {{30, 20, 40, 20.5}};  // the two best agree only after two settling passes
  const latency::SlotRecord r = latency::measure_slots_in_rounds(two_slots(), plan(2, 5), fake.timer(), {});
  CHECK(r.network_rounds[0].size() == 4);
  CHECK(r.part_rounds[2].size() == 2);
  CHECK(fake.slots == 2 + 2 + 1 + 1);
}

TEST_CASE("slots: the caller's settling criterion and order", "[slot_rounds]") {
  ScriptedTimer fake;
  fake.parts = {{1, {10, 10, 10}}, {2, {5, 5, 5}}, {3, {2, 3, 4}}};
  fake.networks = {{20, 20, 20}};
  std::vector<std::vector<size_t>> passes;
  latency::SlotRoundHooks hooks;
  hooks.arrange = [](std::vector<size_t>& slots, int) { std::reverse(slots.begin(), slots.end()); };
  hooks.begin_pass = [&](int, const std::vector<size_t>& slots) { passes.push_back(slots); };
  // Slot 1 settles once it has three timings, whatever they are; slot 0 at once.
  hooks.settled = [](size_t k, const latency::SlotRecord& r) { return k == 0 || r.part_rounds[2].size() >= 3; };
  latency::measure_slots_in_rounds(two_slots(), plan(2, 4), fake.timer(), hooks);
  REQUIRE(passes.size() == 3);
  CHECK(passes[0] == std::vector<size_t>{1, 0});
  CHECK(passes[2] == std::vector<size_t>{1});
}

TEST_CASE("slots: checkpoints after every pass, or after every slot when due", "[slot_rounds]") {
  ScriptedTimer fake;
  fake.parts = {{1, {10, 10}}, {2, {5, 5}}, {3, {2, 2}}};
  fake.networks = {{20, 20}};
  std::vector<size_t> timed_at_checkpoint;
  latency::SlotRoundHooks hooks;
  hooks.checkpoint = [&](const latency::SlotRecord& r) { timed_at_checkpoint.push_back(r.part_rounds[2].size()); };
  latency::measure_slots_in_rounds(two_slots(), plan(2, 0), fake.timer(), hooks);
  CHECK(timed_at_checkpoint == std::vector<size_t>{1, 2});  // passes only: the default is never due

  ScriptedTimer again = fake;
  again.part_calls.clear();
  again.network_calls.assign(4, 0);
  timed_at_checkpoint.clear();
  hooks.checkpoint_seconds = 0;  // due after every slot
  latency::measure_slots_in_rounds(two_slots(), plan(2, 0), again.timer(), hooks);
  // Per pass: after slot 0, after slot 1, at the pass's end.
  CHECK(timed_at_checkpoint == std::vector<size_t>{0, 1, 1, 1, 2, 2});
}

TEST_CASE("slots: a stop before a slot ends the run with what was timed", "[slot_rounds]") {
  ScriptedTimer fake;
  fake.parts = {{1, {10, 10}}, {2, {5, 5}}, {3, {2, 2}}};
  fake.networks = {{20, 20}};
  size_t saved_network_rounds = 99;
  latency::SlotRoundHooks hooks;
  hooks.before_slot = [&](size_t k, const latency::SlotRecord& r) {
    if (fake.slots == 3) {  // before the second pass's second slot
      saved_network_rounds = r.network_rounds[0].size();
      throw common::InputError("stop");
    }
  };
  CHECK_THROWS_AS(latency::measure_slots_in_rounds(two_slots(), plan(2, 0), fake.timer(), hooks), common::InputError);
  CHECK(saved_network_rounds == 2);
}

TEST_CASE("slots: a timer that returns other things than the slot holds is an error", "[slot_rounds]") {
  const latency::SlotTimer short_timer = [](const std::vector<latency::BlockSignature>&, const latency::ProfileTarget*) {
    latency::SlotTiming t;
    t.parts = {at(1)};
    return t;
  };
  CHECK_THROWS_AS(latency::measure_slots_in_rounds(two_slots(), plan(1, 0), short_timer, {}), common::InputError);
  latency::SlotSchedule bad = two_slots();
  bad.slots[1].parts = {7};
  CHECK_THROWS_AS(latency::measure_slots_in_rounds(bad, plan(1, 0), short_timer, {}), common::InputError);
}

TEST_CASE("slot agreement: every part and the network", "[slot_rounds]") {
  latency::SlotRecord r;
  r.part_rounds = {{at(10), at(10.4)}, {at(5), at(7)}};
  r.network_rounds = {{at(20), at(20.5)}};
  CHECK(latency::slot_rounds_agree({{0}, 0}, r, 5));
  CHECK_FALSE(latency::slot_rounds_agree({{0, 1}, 0}, r, 5));
  CHECK_FALSE(latency::slot_rounds_agree({{}, 0}, r, 2));  // 20.5 / 20: 2.5% apart
  CHECK(latency::slot_rounds_agree({{0}, -1}, r, 4));
}

TEST_CASE("networks in rounds: one slot per network with its distinct parts, settled by its rounds", "[slot_rounds]") {
  const latency::ProfileTarget small{arch_defs::resolve_architecture("conv_small"), 224}, medium{arch_defs::resolve_architecture("conv_medium"), 256};
  std::map<std::string, std::vector<double>> network_ms{{small.arch.name, {10, 10.2}},
                                                        {medium.arch.name, {15, 10, 10.3}}};
  std::map<std::string, size_t> calls;
  const latency::SlotTimer fake = [&](const std::vector<latency::BlockSignature>& parts,
                                      const latency::ProfileTarget* network) {
    latency::SlotTiming t;
    for (size_t i = 0; i < parts.size(); ++i) t.parts.push_back(at(1));  // 1 ms median, 0.8 ms min
    t.network_runs = {network_ms.at(network->arch.name).at(calls[network->arch.name]++)};
    return t;
  };
  latency::NetworkRoundsOptions o;
  o.end_to_end.threads = 1;
  o.end_to_end.progress = false;
  o.end_to_end.plan = plan(2, 2);
  int checkpoints = 0;
  const latency::NetworkRounds m = latency::measure_networks_in_rounds(
      {small, medium}, o, [&](const latency::NetworkRounds&) { ++checkpoints; }, fake);

  const std::vector<latency::SignedPart> small_uses = latency::network_parts(arch_defs::build_network(small.arch), 224, 1);
  const std::vector<latency::SignedPart> medium_uses = latency::network_parts(arch_defs::build_network(medium.arch), 256, 1);
  std::set<std::string> distinct, small_distinct;
  for (const auto& u : small_uses) distinct.insert(u.signature.key()), small_distinct.insert(u.signature.key());
  for (const auto& u : medium_uses) distinct.insert(u.signature.key());
  CHECK(m.schedule.parts.size() == distinct.size());
  REQUIRE(m.schedule.slots.size() == 2);
  CHECK(m.schedule.slots[0].parts.size() == small_distinct.size());
  CHECK(m.schedule.slots[1].network == 1);
  // conv_medium's 15 ms round is beaten twice only in the settling pass; conv_small settles at once.
  CHECK(m.record.network_rounds[0].size() == 2);
  CHECK(m.record.network_rounds[1].size() == 3);
  CHECK(checkpoints == 3);
  CHECK(m.probe_gmacs.size() == 5);  // one FMA probe per slot timed
  // Per round, the slot's parts summed over every use: 1 ms medians, 0.8 ms minima.
  REQUIRE(m.slot_parts[1].median_ms.size() == 3);
  CHECK(m.slot_parts[1].median_ms[2] == Approx(double(medium_uses.size())));
  CHECK(m.slot_parts[1].min_ms[0] == Approx(0.8 * double(medium_uses.size())));
}
