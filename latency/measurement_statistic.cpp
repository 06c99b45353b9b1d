#include "latency/measurement_statistic.hpp"

#include "common/error.hpp"
#include "runtime/timing.hpp"

namespace uibnas::latency {

const char* statistic_name(Statistic s) { return s == Statistic::Min ? "min" : "median"; }

Statistic parse_statistic(const std::string& s) {
  if (s == "median") return Statistic::Median;
  if (s == "min") return Statistic::Min;
  throw common::InputError("--statistic must be median or min, got '" + s + "'");
}

double statistic_of(const Measurement& m, Statistic s) { return s == Statistic::Min ? m.min_ms : m.median_ms; }

Measurement measurement_of_runs(const std::vector<double>& ms) {
  const runtime::LatencyStats s = runtime::summarize_latency(ms);
  return {s.median, s.p10, s.p90, s.min, s.repeats};
}

}  // namespace uibnas::latency
