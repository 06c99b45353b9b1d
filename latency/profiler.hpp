// Fills a latency table by running network parts alone and whole networks end to end, with
// checkpoints so that a killed run resumes without losing or repeating an entry.
#pragma once
#include <string>
#include <vector>

#include "arch_defs/architecture.hpp"
#include "latency/latency_table.hpp"
#include "latency/rounds.hpp"

namespace uibnas::latency {

struct ProfileTarget {
  Architecture arch;
  int resolution = 0;
};

struct ProfileOptions {
  std::string hardware_name;
  int threads = 1;
  int warmup = 3;
  int repeat = 20;   // timed runs per entry per round
  RoundPlan plan;    // every slot in rounds; the unsettled slots again (rounds.hpp)
  std::string out;
  bool resume = false;
  double checkpoint_seconds = 5;
  bool progress = true;
  double hw_seconds = 0.2;  // per hardware microbenchmark
};

// The measurement protocol as recorded in every table.
nlohmann::json measurement_protocol(const ProfileOptions& o);

// Every distinct part signature of the targets, in first-seen order.
std::vector<BlockSignature> distinct_signatures(const std::vector<ProfileTarget>& targets, int threads);

// Profiling times in slots: each target network with the parts it is the first to use (of `parts`,
// the ones not yet in the table), then the other parts (a search space's) kPartsPerSlot at a time,
// each slot side by side (time_slot). Indices are into `networks` (the targets whose end-to-end run
// is pending; -1: none) and `parts`.
struct ProfileSlot {
  std::vector<size_t> parts;
  int network = -1;
};
constexpr size_t kPartsPerSlot = 16;
std::vector<ProfileSlot> profile_slots(const std::vector<ProfileTarget>& targets,
                                       const std::vector<const ProfileTarget*>& networks,
                                       const std::vector<BlockSignature>& parts, int threads);

// Profiles `extra` signatures (e.g. a search space's) and the targets' parts and times each target
// end to end, slot by slot (profile_slots) in o.plan's rounds (an entry is its rounds combined). A
// resumed run keeps the entries it finds as they are. Writes o.out atomically every
// o.checkpoint_seconds and at the end. Returns the table.
LatencyTable profile(const std::vector<ProfileTarget>& targets, const std::vector<BlockSignature>& extra,
                     const ProfileOptions& o);

// Timed runs per turn when a slot is timed side by side: a turn costs one untimed lead-in run, and
// with five, one iteration of a conv_medium slot (a turn of each part and of the network) still
// takes well under a second, shorter than the machine's changes of speed.
constexpr int kSideBySideBurst = 5;

// How a slot is timed: parts with the table's cache state (weights evicted from L2, input hot) and
// `part_repeat` runs each; the network as `uibnas run` runs it, `network_repeat` runs.
struct SlotProtocol {
  int threads = 1;
  int warmup = 3;
  int part_repeat = 20;
  int network_repeat = 20;
  long long evict_bytes = 0;  // the buffer touched before each part's run: twice the L2
  int burst = kSideBySideBurst;  // timed runs per turn (side_by_side.hpp)
};

struct SlotTiming {
  std::vector<Measurement> parts;    // one per part, in order
  std::vector<double> network_runs;  // ms per timed run; empty without a network
};

// Times parts and (when not null) a network side by side (side_by_side.hpp): compiled once each, then
// they take turns of p.burst timed runs, each turn led in by an untimed run of the same thing, so that
// all of them see the same seconds of the machine and every timed run finds the caches as its own
// earlier run left them, as in a long run of repeats (the network: as `uibnas run` leaves them).
SlotTiming time_slot(const std::vector<BlockSignature>& parts, const ProfileTarget* network, const SlotProtocol& p);

}  // namespace uibnas::latency
