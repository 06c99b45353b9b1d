// Latency statistics over repeated runs: median, p10, p90 (linear interpolation, as numpy), min.
#pragma once
#include <vector>

namespace uibnas::runtime {

struct LatencyStats {
  double median = 0, p10 = 0, p90 = 0, min = 0, mean = 0;
  int repeats = 0;
};

LatencyStats summarize_latency(const std::vector<double>& ms);  // all zero for no runs

}  // namespace uibnas::runtime
