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
  RoundPlan plan;    // every part, then every network, in rounds; the unsettled ones again (rounds.hpp)
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

// Profiles `extra` signatures (e.g. a search space's) and the targets' parts, then times each target
// end to end, each in o.plan's rounds (an entry is its rounds combined). A resumed run keeps the entries
// it finds as they are. Writes o.out atomically every o.checkpoint_seconds and at the end. Returns the table.
LatencyTable profile(const std::vector<ProfileTarget>& targets, const std::vector<BlockSignature>& extra,
                     const ProfileOptions& o);

// Times a whole network as `uibnas run` does (random weights and input, NCHW to logits): one entry in ms
// per timed run, after `warmup` untimed runs.
std::vector<double> time_network_runs(const Architecture& arch, int resolution, int threads, int warmup, int repeat);

// Times one compiled part alone with the table's protocol (exposed for tests and benchmarks).
Measurement time_signature(const BlockSignature& s, int warmup, int repeat, long long evict_bytes);

}  // namespace uibnas::latency
