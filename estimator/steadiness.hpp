// How steady the machine was while a validation measured it. The agreement of estimates with
// measurements carries the measurements' own noise: on a shared machine whose speed drifts (another
// tenant, a clock that moves with the host's load) the round-to-round spread of each network, and a
// short FMA probe taken before every network's slot, say how much of a disagreement may be the
// machine's rather than the estimator's.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "estimator/lookup_table_estimator.hpp"
#include "latency/latency_table.hpp"

namespace uibnas::estimator {

struct Steadiness {
  int probes = 0;
  double probe_min_gmacs = 0, probe_median_gmacs = 0, probe_max_gmacs = 0;
  double fingerprint_gmacs = 0;         // the table's FMA peak at its thread count
  int networks = 0;                     // networks measured in at least two rounds
  double median_spread_percent = 0;     // of max/min - 1 over a network's rounds
  double p90_spread_percent = 0;
  double rounds_within_10 = 0;          // share of networks whose rounds differ by at most 10%
  double settle_percent = 0;            // the settling tolerance (see best_rounds_agree)
  double settled = 0;                   // share of networks whose two best rounds agree within it
  int most_rounds = 0;                  // the most rounds any network was measured in

  nlohmann::json to_json() const;
  std::string describe() const;         // one line for summary.txt
};

// Max over min of a network's rounds (the chosen statistic of each), minus one, in percent.
double round_spread_percent(const std::vector<latency::Measurement>& rounds, Statistic statistic);

// True when the two best (smallest) of a network's round statistics differ by at most `percent`:
// its unslowed latency was seen in two rounds, minutes apart. Fewer than two rounds never agree.
bool best_rounds_agree(const std::vector<latency::Measurement>& rounds, Statistic statistic, double percent);

// probe_gmacs: FMA probes of the run; rounds: each network's per-round measurements (those with
// fewer than two rounds are skipped). Empty when there is nothing to summarise.
std::optional<Steadiness> summarize_steadiness(const std::vector<double>& probe_gmacs,
                                               const std::vector<std::vector<latency::Measurement>>& rounds,
                                               Statistic statistic, double fingerprint_gmacs,
                                               double settle_percent);

}  // namespace uibnas::estimator
