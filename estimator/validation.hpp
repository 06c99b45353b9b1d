// Validation of the estimators against latency measured end to end on this machine: the networks to
// validate on (random candidates of search spaces, the published variants). Their timings, parts
// alone (with the table's own protocol) and whole networks end to end, are latency/network_rounds.hpp's.
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

namespace uibnas::estimator {

struct ValidationTarget {
  std::string name;   // the candidate's encoding, or the model's name
  std::string group;  // the space id, or "published"
  arch_defs::Architecture arch;
  int resolution = 0;
};

// `samples` candidates from each space file (per-decision uniform sampling, one generator seeded with
// `seed` per space, so a space's sample does not depend on the others given), then `models` at their
// resolutions (group "published").
std::vector<ValidationTarget> validation_targets(const std::vector<std::string>& space_files, int samples,
                                                 std::uint64_t seed, const std::vector<arch_defs::Architecture>& models);

}  // namespace uibnas::estimator
