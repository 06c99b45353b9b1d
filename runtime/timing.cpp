#include "runtime/timing.hpp"

#include <algorithm>
#include <numeric>
#include <stdexcept>

namespace uibnas::runtime {

double percentile(std::vector<double> v, double q) {
  if (v.empty()) throw std::invalid_argument("percentile of no values");
  std::sort(v.begin(), v.end());
  const double pos = q / 100.0 * double(v.size() - 1);
  const size_t lo = size_t(pos);
  const size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (pos - double(lo)) * (v[hi] - v[lo]);
}

LatencyStats summarize_latency(const std::vector<double>& ms) {
  LatencyStats s;
  s.repeats = int(ms.size());
  if (ms.empty()) return s;
  s.median = percentile(ms, 50);
  s.p10 = percentile(ms, 10);
  s.p90 = percentile(ms, 90);
  s.min = *std::min_element(ms.begin(), ms.end());
  s.mean = std::accumulate(ms.begin(), ms.end(), 0.0) / double(ms.size());
  return s;
}

}  // namespace uibnas::runtime
