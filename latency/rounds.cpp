#include "latency/rounds.hpp"

#include <algorithm>
#include <numeric>

#include "common/error.hpp"
#include "common/statistics.hpp"

namespace uibnas::latency {

bool best_two_agree(std::vector<double> values, double percent) {
  if (values.size() < 2) return false;
  std::partial_sort(values.begin(), values.begin() + 2, values.end());
  return values[0] > 0 && 100 * (values[1] / values[0] - 1) <= percent + 1e-9;
}

bool round_medians_agree(const std::vector<Measurement>& rounds, double percent) {
  std::vector<double> medians;
  for (const auto& r : rounds) medians.push_back(r.median_ms);
  return best_two_agree(std::move(medians), percent);
}

std::vector<std::vector<Measurement>> measure_in_rounds(size_t count, const RoundPlan& plan, const RoundHooks& hooks) {
  if (plan.rounds < 1 || plan.settle_rounds < 0 || !(plan.settle_percent >= 0))
    throw common::InputError("rounds must be >= 1, settle rounds >= 0 and the settle percentage >= 0");
  std::function<bool(size_t, const std::vector<Measurement>&)> settled = hooks.settled;
  if (!settled)
    settled = [percent = plan.settle_percent](size_t, const std::vector<Measurement>& rounds) {
      return round_medians_agree(rounds, percent);
    };
  std::vector<std::vector<Measurement>> rounds(count);
  auto pass = [&](std::vector<size_t> items, int index) {
    if (hooks.arrange) hooks.arrange(items, index);
    if (hooks.begin_pass) hooks.begin_pass(index, items);
    for (size_t i : items) rounds[i].push_back(hooks.measure(i));
    if (hooks.end_pass) hooks.end_pass(index, rounds);
  };
  std::vector<size_t> all(count);
  std::iota(all.begin(), all.end(), size_t(0));
  for (int r = 0; r < plan.rounds; ++r) pass(all, r);
  for (int extra = 0; extra < plan.settle_rounds; ++extra) {
    std::vector<size_t> unsettled;
    for (size_t i = 0; i < count; ++i)
      if (!settled(i, rounds[i])) unsettled.push_back(i);
    if (unsettled.empty()) break;
    pass(std::move(unsettled), plan.rounds + extra);
  }
  return rounds;
}

Measurement combine_rounds(const std::vector<Measurement>& rounds) {
  if (rounds.empty()) return {};
  std::vector<double> medians, p10s, p90s;
  Measurement m;
  m.min_ms = rounds.front().min_ms;
  for (const auto& r : rounds) {
    medians.push_back(r.median_ms);
    p10s.push_back(r.p10_ms);
    p90s.push_back(r.p90_ms);
    m.min_ms = std::min(m.min_ms, r.min_ms);
    m.repeats += r.repeats;
  }
  m.median_ms = common::median(medians);
  m.p10_ms = common::median(p10s);
  m.p90_ms = common::median(p90s);
  return m;
}

}  // namespace uibnas::latency
