// How well the measurements agree with themselves: the ceiling of any estimator's agreement. Each
// validated network is measured in several rounds (separate slots, in separately shuffled passes);
// its even rounds and its odd rounds are two independent measurements by the same protocol. Where
// these two disagree by more than ±10%, no estimator can be relied on to land within ±10% of either.
//
// A half holds about half of the rounds, so it is a little noisier than the full measurement an
// estimator is scored against: the ceiling is a conservative (low) bound, never an inflated one.
#pragma once
#include <optional>
#include <utility>
#include <vector>

#include "latency/measurement_statistic.hpp"

namespace uibnas::estimator {

// The chosen statistic of rounds 0, 2, 4, ... and of rounds 1, 3, 5, ... (each half combined as the
// full measurement is: latency::combine_rounds); nothing with fewer than two rounds.
std::optional<std::pair<double, double>> split_round_measurements(const std::vector<latency::Measurement>& rounds,
                                                                  latency::Statistic statistic);

struct MeasurementCeiling {
  int count = 0;
  double rmspe_percent = 0;  // root mean square of the relative difference, both directions pooled
  double within_5 = 0;       // share (0..1) of (network, direction) pairs within ±5%
  double within_10 = 0;
  double kendall = 0;        // rank agreement of the two halves
};

// One half taken as the measurement and the other as its "estimate", in both directions (so the
// figure does not depend on which half is called first). Throws InputError for mismatched lengths,
// fewer than two networks or a non-positive value.
MeasurementCeiling measurement_ceiling(const std::vector<double>& first_ms, const std::vector<double>& second_ms);

}  // namespace uibnas::estimator
