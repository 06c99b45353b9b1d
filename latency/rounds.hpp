// Measuring in rounds, and settling. On a shared machine that is slowed for minutes at a time
// (another tenant's load on the shared cache and memory), one long run of repeats can fall wholly
// inside a slowed stretch. Rounds take each thing several times, minutes apart; an item whose two
// best rounds still disagree was slowed in one of them and is measured again, up to a limit.
// `uibnas profile` and `uibnas validate` both measure this way, in slots: a network with its parts,
// timed side by side (slot_rounds.hpp).
#pragma once
#include <functional>
#include <vector>

#include "latency/latency_table.hpp"

namespace uibnas::latency {

struct RoundPlan {
  int rounds = 3;             // passes over every item
  int settle_rounds = 4;      // at most this many more passes over the items not yet settled
  double settle_percent = 5;  // settled: the two best rounds (by `settled`'s statistic) within this
};

struct RoundHooks {
  std::function<Measurement(size_t item)> measure;  // one round of one item
  // Whether an item's rounds so far settle it; default: its two best round medians agree.
  std::function<bool(size_t item, const std::vector<Measurement>& rounds)> settled;
  // Reorders a pass's items (pass 0, 1, ...); default: index order.
  std::function<void(std::vector<size_t>& items, int pass)> arrange;
  std::function<void(int pass, const std::vector<size_t>& items)> begin_pass;  // e.g. a progress bar
  // After each pass, with every item's rounds so far: e.g. a checkpoint.
  std::function<void(int pass, const std::vector<std::vector<Measurement>>& rounds)> end_pass;
};

// Each item's rounds, in the order measured.
std::vector<std::vector<Measurement>> measure_in_rounds(size_t count, const RoundPlan& plan, const RoundHooks& hooks);

// True when the two smallest of `values` differ by at most `percent` (fewer than two never agree).
bool best_two_agree(std::vector<double> values, double percent);

// True when the two smallest round medians agree within `percent`: the default settling criterion.
bool round_medians_agree(const std::vector<Measurement>& rounds, double percent);

// Several timings of one thing taken at different times: the median of their medians (and of their
// p10s and p90s), the smallest min, the repeats added up. A burst of load during one round moves the
// median of three rounds much less than it moves one long run.
Measurement combine_rounds(const std::vector<Measurement>& rounds);

}  // namespace uibnas::latency
