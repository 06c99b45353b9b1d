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

void require_pairs(const std::vector<double>& x, const std::vector<double>& y, const char* what) {
  if (x.size() != y.size() || x.size() < 2)
    throw std::invalid_argument(std::string(what) + " needs two lists of the same length, at least 2");
}

double pearson(const std::vector<double>& x, const std::vector<double>& y) {
  const double mx = mean(x), my = mean(y);
  double sxy = 0, sxx = 0, syy = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  if (sxx == 0 || syy == 0) return std::nan("");
  return sxy / std::sqrt(sxx * syy);
}

}  // namespace

std::vector<double> average_ranks(const std::vector<double>& v) {
  std::vector<size_t> order(v.size());
  std::iota(order.begin(), order.end(), size_t(0));
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return v[a] < v[b]; });
  std::vector<double> ranks(v.size());
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    while (j + 1 < order.size() && v[order[j + 1]] == v[order[i]]) ++j;
    for (size_t k = i; k <= j; ++k) ranks[order[k]] = (double(i) + double(j)) / 2 + 1;
    i = j + 1;
  }
  return ranks;
}

double spearman(const std::vector<double>& x, const std::vector<double>& y) {
  require_pairs(x, y, "spearman");
  return pearson(average_ranks(x), average_ranks(y));
}

double kendall_tau_b(const std::vector<double>& x, const std::vector<double>& y) {
  require_pairs(x, y, "kendall_tau_b");
  double concordant_minus_discordant = 0, pairs_untied_x = 0, pairs_untied_y = 0;
  for (size_t i = 0; i < x.size(); ++i)
    for (size_t j = i + 1; j < x.size(); ++j) {
      const double dx = x[j] - x[i], dy = y[j] - y[i];
      if (dx != 0) ++pairs_untied_x;
      if (dy != 0) ++pairs_untied_y;
      if (dx != 0 && dy != 0) concordant_minus_discordant += (dx > 0) == (dy > 0) ? 1 : -1;
    }
  if (pairs_untied_x == 0 || pairs_untied_y == 0) return std::nan("");
  return concordant_minus_discordant / std::sqrt(pairs_untied_x * pairs_untied_y);
}

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
