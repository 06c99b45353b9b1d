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

#include "latency/latency_table.hpp"
#include "latency/measurement_statistic.hpp"

namespace uibnas::latency {

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
  int slots_checked = 0;                // networks whose best round's slot is known (best_round_slowdown_percent)
  double state_percent = 0;             // the slot-state tolerance
  double slot_normal = 0;               // share of those whose best round's slot was slowed by at most it

  nlohmann::json to_json() const;
  std::string describe() const;         // one line for summary.txt
};

// Max over min of a network's rounds (the chosen statistic of each), minus one, in percent.
double round_spread_percent(const std::vector<Measurement>& rounds, Statistic statistic);

// True when the two best (smallest) of a network's round statistics differ by at most `percent`:
// its unslowed latency was seen in two rounds, minutes apart. Fewer than two rounds never agree.
bool best_rounds_agree(const std::vector<Measurement>& rounds, Statistic statistic, double percent);

// A slot's slowdown: its parts' time there (Σ over the network's uses, each part the statistic of its
// runs in the slot) over the same parts' entries (combined over every slot that timed them), minus
// one, in percent. A round whose parts ran slow ran in a slowed machine, whatever the network did.
double slot_slowdown_percent(double slot_parts_ms, double entries_ms);

// The slowdown of the slot of a network's best round (smallest statistic): slot_parts_ms has one
// value per round (as in slot_slowdown_percent), entries_ms the same sum over the parts' entries.
// Throws InputError when the lengths differ or there are no rounds.
double best_round_slowdown_percent(const std::vector<Measurement>& rounds,
                                   const std::vector<double>& slot_parts_ms, double entries_ms, Statistic statistic);

// Settling with the slot's state: the two best rounds agree (best_rounds_agree) and the best round's
// slot was slowed by at most `state_percent`. A network all of whose rounds fell in one slowed
// stretch agrees with itself; its parts timed elsewhere (shared with other networks) show the stretch.
bool settled_in_normal_state(const std::vector<Measurement>& rounds, const std::vector<double>& slot_parts_ms,
                             double entries_ms, Statistic statistic, double percent, double state_percent);

// probe_gmacs: FMA probes of the run; rounds: each network's per-round measurements (those with
// fewer than two rounds are skipped); best_round_slowdowns: best_round_slowdown_percent of each
// network whose slots were recorded, judged against state_percent. Empty when there is nothing to
// summarise.
std::optional<Steadiness> summarize_steadiness(const std::vector<double>& probe_gmacs,
                                               const std::vector<std::vector<Measurement>>& rounds,
                                               Statistic statistic, double fingerprint_gmacs, double settle_percent,
                                               const std::vector<double>& best_round_slowdowns = {},
                                               double state_percent = 0);

}  // namespace uibnas::latency
