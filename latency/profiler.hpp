// Fills a latency table by running network parts alone and whole networks end to end, with
// checkpoints so that a killed run resumes without losing or repeating an entry.
#pragma once
#include <string>
#include <vector>

#include "arch_defs/architecture.hpp"
#include "latency/latency_table.hpp"
#include "latency/rounds.hpp"
#include "latency/slot_rounds.hpp"
#include "latency/slot_timing.hpp"

namespace uibnas::latency {

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
  std::vector<int> cpus;    // the CPUs the process is pinned to (--cpus); empty: not pinned by uibnas
  double cooldown_seconds = 0;  // wait between slots, so a phone or board cools down
  CpuSources sources;       // where the fingerprint and the thermal readings come from
};

// Waits `seconds`, waking every 50 ms to throw common::Interrupted on a stop request.
void cool_down(double seconds);

// The measurement protocol as recorded in every table (with --cpus and a cool-down only when given,
// so that tables of runs without them keep resuming).
nlohmann::json measurement_protocol(const ProfileOptions& o);

// Every distinct part signature of the targets, in first-seen order.
std::vector<BlockSignature> distinct_signatures(const std::vector<ProfileTarget>& targets, int threads);

// Profiling times in slots: each target network with the parts it is the first to use (of `parts`,
// the ones not yet in the table), then the other parts (a search space's) kPartsPerSlot at a time,
// each slot side by side (time_slot). Indices are into `networks` (the targets whose end-to-end run
// is pending; -1: none) and `parts`.
constexpr size_t kPartsPerSlot = 16;
std::vector<Slot> profile_slots(const std::vector<ProfileTarget>& targets,
                                const std::vector<const ProfileTarget*>& networks,
                                const std::vector<BlockSignature>& parts, int threads);

// Profiles `extra` signatures (e.g. a search space's) and the targets' parts and times each target
// end to end, slot by slot (profile_slots) in o.plan's rounds (an entry is its rounds combined). A
// resumed run keeps the entries it finds as they are. Writes o.out atomically every
// o.checkpoint_seconds, after every pass and at the end, each time under o.out's lock (PATH.lock) and
// merged with what another run saved there meanwhile (its entries for keys this run lacks, its
// end-to-end runs of other networks). On SIGINT/SIGTERM it saves within a timed run or two and throws
// common::Interrupted. Waits o.cooldown_seconds before every slot but the first. Every save records
// the thermal readings of that moment as the table's thermal_end. Returns the table.
LatencyTable profile(const std::vector<ProfileTarget>& targets, const std::vector<BlockSignature>& extra,
                     const ProfileOptions& o);

}  // namespace uibnas::latency
