// Measuring whole networks against their parts: each network in a slot with all its distinct parts
// (the table's protocol for the parts, `uibnas run`'s for the network), in rounds of slots
// (slot_rounds.hpp), each pass in its own seeded order. This is how `uibnas validate` measures; what it
// does with the measurements (fits, scores) is the estimator's.
#pragma once
#include <cstdint>
#include <functional>
#include <vector>

#include "latency/measurement_statistic.hpp"
#include "latency/slot_rounds.hpp"

namespace uibnas::latency {

struct EndToEndOptions {
  int threads = 1;
  int warmup = 3;
  int repeat = 10;  // timed runs per network per round
  RoundPlan plan;   // passes over all networks (each side by side with its parts), settling
  bool progress = true;
};

// The slot-state check compares one slot's parts with their entries over many slots (the smallest
// minimum of many, for the min statistic), so it allows this many times the rounds' tolerance.
constexpr double kStateToleranceFactor = 2;

// Per round of a network: its slot's parts summed over the network's part uses, each part's median
// and each part's minimum in that slot (for the slot-state check, steadiness.hpp).
struct SlotParts {
  std::vector<double> median_ms, min_ms;
  const std::vector<double>& of(Statistic s) const { return s == Statistic::Min ? min_ms : median_ms; }
};

struct NetworkRoundsOptions {
  EndToEndOptions end_to_end;
  PartProtocol parts;                       // the table's (part_protocol)
  Statistic statistic = Statistic::Median;  // what settles a network (settled_in_normal_state)
  std::uint64_t seed = 0;                   // each pass's order
};

struct NetworkRounds {
  SlotSchedule schedule;  // the distinct parts of all networks, the networks, slot i: network i and its parts
  SlotRecord record;
  std::vector<SlotParts> slot_parts;  // per network, per round
  std::vector<double> probe_gmacs;    // an FMA probe before every slot
};

// Times `networks` as above. A network is settled when its two best rounds agree and its best round's
// slot ran its parts no slower than their entries (settled_in_normal_state, within
// kStateToleranceFactor times the settling tolerance). `checkpoint` sees the measurements after every
// pass, every few seconds and before a stop request ends it (common::Interrupted). `timer` defaults to time_slot with the parts' protocol and the network's repeats (the larger
// of the two warm-ups for all).
NetworkRounds measure_networks_in_rounds(const std::vector<ProfileTarget>& networks, const NetworkRoundsOptions& options,
                                         const std::function<void(const NetworkRounds&)>& checkpoint,
                                         SlotTimer timer = {});

}  // namespace uibnas::latency
