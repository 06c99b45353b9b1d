#include "estimator/measurement_ceiling.hpp"

#include <cmath>

#include "common/error.hpp"
#include "estimator/metrics.hpp"
#include "latency/rounds.hpp"

namespace uibnas::estimator {

std::optional<std::pair<double, double>> split_round_measurements(const std::vector<latency::Measurement>& rounds,
                                                                  latency::Statistic statistic) {
  if (rounds.size() < 2) return std::nullopt;
  std::vector<latency::Measurement> even, odd;
  for (size_t r = 0; r < rounds.size(); ++r) (r % 2 == 0 ? even : odd).push_back(rounds[r]);
  return std::pair{latency::statistic_of(latency::combine_rounds(even), statistic),
                   latency::statistic_of(latency::combine_rounds(odd), statistic)};
}

MeasurementCeiling measurement_ceiling(const std::vector<double>& first_ms, const std::vector<double>& second_ms) {
  if (first_ms.size() != second_ms.size())
    throw common::InputError("measurement ceiling: " + std::to_string(first_ms.size()) + " first but " +
                             std::to_string(second_ms.size()) + " second halves");
  const Agreement forward = agreement(first_ms, second_ms);
  const Agreement backward = agreement(second_ms, first_ms);
  MeasurementCeiling c;
  c.count = forward.count;
  // Pooled over both directions: the mean of the two mean squares, and of the two shares.
  c.rmspe_percent = std::sqrt((forward.rmspe_percent * forward.rmspe_percent +
                               backward.rmspe_percent * backward.rmspe_percent) / 2);
  c.within_5 = (forward.within_5 + backward.within_5) / 2;
  c.within_10 = (forward.within_10 + backward.within_10) / 2;
  c.kendall = forward.kendall;
  return c;
}

}  // namespace uibnas::estimator
