#include "common/statistics.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>

namespace uibnas::common {
namespace {

void require_values(const std::vector<double>& values, const char* what) {
  if (values.empty()) throw std::invalid_argument(std::string(what) + " of no values");
}

}  // namespace

double percentile(std::vector<double> v, double q) {
  require_values(v, "percentile");
  std::sort(v.begin(), v.end());
  const double pos = q / 100.0 * double(v.size() - 1);
  const size_t lo = size_t(pos);
  const size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (pos - double(lo)) * (v[hi] - v[lo]);
}

double median(std::vector<double> values) { return percentile(std::move(values), 50); }

double minimum(const std::vector<double>& values) {
  require_values(values, "minimum");
  return *std::min_element(values.begin(), values.end());
}

double maximum(const std::vector<double>& values) {
  require_values(values, "maximum");
  return *std::max_element(values.begin(), values.end());
}

double mean(const std::vector<double>& values) {
  require_values(values, "mean");
  return std::accumulate(values.begin(), values.end(), 0.0) / double(values.size());
}

double root_mean_square(const std::vector<double>& values) {
  require_values(values, "root mean square");
  double sum_of_squares = 0;
  for (double v : values) sum_of_squares += v * v;
  return std::sqrt(sum_of_squares / double(values.size()));
}

double share_at_most(const std::vector<double>& values, double limit) {
  if (values.empty()) return 0;
  const auto within = std::count_if(values.begin(), values.end(), [&](double v) { return v <= limit + 1e-9; });
  return double(within) / double(values.size());
}

}  // namespace uibnas::common
