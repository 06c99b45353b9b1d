#include "latency/steadiness.hpp"

#include <algorithm>
#include <cstdio>

#include "common/error.hpp"
#include "common/statistics.hpp"
#include "latency/rounds.hpp"

namespace uibnas::latency {

namespace {
std::vector<double> round_statistics(const std::vector<Measurement>& rounds, Statistic statistic) {
  std::vector<double> v;
  for (const auto& r : rounds) v.push_back(statistic_of(r, statistic));
  return v;
}
}  // namespace

double round_spread_percent(const std::vector<Measurement>& rounds, Statistic statistic) {
  const std::vector<double> v = round_statistics(rounds, statistic);
  if (v.empty()) return 0;
  const double lo = common::minimum(v), hi = common::maximum(v);
  return lo > 0 ? 100 * (hi / lo - 1) : 0;
}

bool best_rounds_agree(const std::vector<Measurement>& rounds, Statistic statistic, double percent) {
  return best_two_agree(round_statistics(rounds, statistic), percent);
}

double slot_slowdown_percent(double slot_parts_ms, double entries_ms) {
  return entries_ms > 0 ? 100 * (slot_parts_ms / entries_ms - 1) : 0;
}

double best_round_slowdown_percent(const std::vector<Measurement>& rounds,
                                   const std::vector<double>& slot_parts_ms, double entries_ms, Statistic statistic) {
  if (rounds.empty() || slot_parts_ms.size() != rounds.size())
    throw common::InputError("slot state: " + std::to_string(rounds.size()) + " rounds but " +
                     std::to_string(slot_parts_ms.size()) + " slot timings of their parts");
  const std::vector<double> v = round_statistics(rounds, statistic);
  const size_t best = size_t(std::min_element(v.begin(), v.end()) - v.begin());
  return slot_slowdown_percent(slot_parts_ms[best], entries_ms);
}

bool settled_in_normal_state(const std::vector<Measurement>& rounds, const std::vector<double>& slot_parts_ms,
                             double entries_ms, Statistic statistic, double percent, double state_percent) {
  const double slowdown = best_round_slowdown_percent(rounds, slot_parts_ms, entries_ms, statistic);  // checks lengths
  return best_rounds_agree(rounds, statistic, percent) && slowdown <= state_percent + 1e-9;
}

std::optional<Steadiness> summarize_steadiness(const std::vector<double>& probe_gmacs,
                                               const std::vector<std::vector<Measurement>>& rounds,
                                               Statistic statistic, double fingerprint_gmacs, double settle_percent,
                                               const std::vector<double>& best_round_slowdowns,
                                               double state_percent) {
  Steadiness s;
  s.state_percent = state_percent;
  s.slots_checked = int(best_round_slowdowns.size());
  s.slot_normal = common::share_at_most(best_round_slowdowns, state_percent);
  s.fingerprint_gmacs = fingerprint_gmacs;
  s.settle_percent = settle_percent;
  if (!probe_gmacs.empty()) {
    s.probes = int(probe_gmacs.size());
    s.probe_min_gmacs = common::minimum(probe_gmacs);
    s.probe_max_gmacs = common::maximum(probe_gmacs);
    s.probe_median_gmacs = common::median(probe_gmacs);
  }
  std::vector<double> spreads;
  int settled = 0;
  for (const auto& r : rounds)
    if (r.size() >= 2) {
      spreads.push_back(round_spread_percent(r, statistic));
      settled += best_rounds_agree(r, statistic, settle_percent);
      s.most_rounds = std::max(s.most_rounds, int(r.size()));
    }
  if (!spreads.empty()) {
    s.networks = int(spreads.size());
    s.median_spread_percent = common::median(spreads);
    s.p90_spread_percent = common::percentile(spreads, 90);
    s.rounds_within_10 = common::share_at_most(spreads, 10);
    s.settled = double(settled) / double(spreads.size());
  }
  if (s.probes == 0 && s.networks == 0) return std::nullopt;
  return s;
}

nlohmann::json Steadiness::to_json() const {
  return {{"fma_probe_gmacs", {{"count", probes}, {"min", probe_min_gmacs}, {"median", probe_median_gmacs},
                               {"max", probe_max_gmacs}}},
          {"fingerprint_gmacs", fingerprint_gmacs},
          {"networks", networks},
          {"round_spread_percent", {{"median", median_spread_percent}, {"p90", p90_spread_percent}}},
          {"rounds_within_10", rounds_within_10},
          {"settle_percent", settle_percent},
          {"settled", settled},
          {"most_rounds", most_rounds},
          {"best_round_slot", {{"networks", slots_checked}, {"state_percent", state_percent}, {"normal", slot_normal}}}};
}

std::string Steadiness::describe() const {
  char buf[512];
  std::string s = "machine steadiness:";
  if (probes > 0) {
    std::snprintf(buf, sizeof buf, " FMA probe %.1f .. %.1f GMAC/s (median %.1f) over %d slots, the table's fingerprint %.1f;",
                  probe_min_gmacs, probe_max_gmacs, probe_median_gmacs, probes, fingerprint_gmacs);
    s += buf;
  }
  if (networks > 0) {
    std::snprintf(buf, sizeof buf,
                  " a network's rounds differ by at most 10%% for %.1f%% of %d networks (spread median %.1f%%, p90 "
                  "%.1f%%; up to %d rounds), their two best rounds agree within %.0f%% for %.1f%%",
                  100 * rounds_within_10, networks, median_spread_percent, p90_spread_percent, most_rounds,
                  settle_percent, 100 * settled);
    s += buf;
  }
  if (slots_checked > 0) {
    std::snprintf(buf, sizeof buf, ", the best round's parts within %.0f%% of their entries for %.1f%%", state_percent,
                  100 * slot_normal);
    s += buf;
  }
  if (networks > 0) s += ": the agreement above carries this much measurement noise";
  return s;
}

}  // namespace uibnas::latency
