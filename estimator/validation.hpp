// Validation of the estimators against latency measured end to end on this machine: the networks to
// validate on (random candidates of search spaces, the published variants), and the timings that
// feed it: parts alone (with the table's own protocol) and whole networks end to end.
//
// Honesty: block entries are measured alone and end-to-end runs separately; the lookup table's
// per-network overhead is fitted only on calibration candidates drawn with another seed (or, with none,
// on the end-to-end runs stored in the table: the published variants from `uibnas profile`), never on
// the sampled candidates it is then judged on.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "arch_defs/architecture.hpp"
#include "latency/latency_table.hpp"
#include "latency/profiler.hpp"
#include "latency/rounds.hpp"

namespace uibnas::estimator {

struct ValidationTarget {
  std::string name;   // the candidate's encoding, or the model's name
  std::string group;  // the space id, or "published"
  Architecture arch;
  int resolution = 0;
};

// `samples` candidates from each space file (per-decision uniform sampling, one generator seeded with
// `seed` per space, so a space's sample does not depend on the others given), then `models` at their
// resolutions (group "published").
std::vector<ValidationTarget> validation_targets(const std::vector<std::string>& space_files, int samples,
                                                 std::uint64_t seed, const std::vector<Architecture>& models);

// How a table times a part alone (its protocol's warm-up and repeats, and latency::profile's L2
// eviction), read from the table; throws InputError naming `source` without them.
struct PartProtocol {
  int warmup = 3, repeat = 20;
  long long evict_bytes = 0;
};
PartProtocol part_protocol(const latency::LatencyTable& table, const std::string& source);

struct EndToEndOptions {
  int threads = 1;
  int warmup = 3;
  int repeat = 10;  // timed runs per target per round
  latency::RoundPlan plan;  // passes over all targets (each network side by side with its parts), settling
  bool progress = true;
};

// One network and some of its parts timed side by side (latency::time_slot): the parts with the
// table's protocol, the network as `uibnas run` runs it (NCHW input to logits, random weights of
// seed 0), `options.repeat` timed runs; the larger of the two warm-ups for all.
latency::SlotTiming time_network_slot(const ValidationTarget& target, const std::vector<latency::BlockSignature>& parts,
                                      const PartProtocol& protocol, const EndToEndOptions& options);

latency::Measurement summarize_runs(const std::vector<double>& ms);

}  // namespace uibnas::estimator
