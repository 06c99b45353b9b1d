#include "runtime/timing.hpp"

#include "common/statistics.hpp"

namespace uibnas::runtime {

LatencyStats summarize_latency(const std::vector<double>& ms) {
  LatencyStats s;
  s.repeats = int(ms.size());
  if (ms.empty()) return s;
  s.median = common::percentile(ms, 50);
  s.p10 = common::percentile(ms, 10);
  s.p90 = common::percentile(ms, 90);
  s.min = common::minimum(ms);
  s.mean = common::mean(ms);
  return s;
}

}  // namespace uibnas::runtime
