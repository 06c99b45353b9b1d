#include "estimator/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "common/error.hpp"
#include "common/statistics.hpp"

namespace uibnas::estimator {

std::vector<double> average_ranks(const std::vector<double>& values) {
  std::vector<size_t> order(values.size());
  std::iota(order.begin(), order.end(), size_t(0));
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return values[a] < values[b]; });
  std::vector<double> ranks(values.size());
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    while (j + 1 < order.size() && values[order[j + 1]] == values[order[i]]) ++j;
    const double mean_rank = (double(i) + double(j)) / 2 + 1;
    for (size_t k = i; k <= j; ++k) ranks[order[k]] = mean_rank;
    i = j + 1;
  }
  return ranks;
}

double pearson(const std::vector<double>& a, const std::vector<double>& b) {
  const size_t n = a.size();
  if (n == 0 || b.size() != n) return 0;
  const double ma = common::mean(a), mb = common::mean(b);
  double sab = 0, saa = 0, sbb = 0;
  for (size_t i = 0; i < n; ++i) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) * (a[i] - ma);
    sbb += (b[i] - mb) * (b[i] - mb);
  }
  return saa > 0 && sbb > 0 ? sab / std::sqrt(saa * sbb) : 0;
}

double spearman(const std::vector<double>& a, const std::vector<double>& b) {
  return pearson(average_ranks(a), average_ranks(b));
}

double kendall_tau_b(const std::vector<double>& a, const std::vector<double>& b) {
  // O(n^2) pair count: validation sets hold hundreds of networks, fits a few thousand blocks.
  const size_t n = std::min(a.size(), b.size());
  long long concordant = 0, discordant = 0, ties_a = 0, ties_b = 0;
  for (size_t i = 0; i < n; ++i)
    for (size_t j = i + 1; j < n; ++j) {
      const double da = a[i] - a[j], db = b[i] - b[j];
      if (da == 0 && db == 0) continue;
      if (da == 0) ++ties_a;
      else if (db == 0) ++ties_b;
      else if ((da > 0) == (db > 0)) ++concordant;
      else ++discordant;
    }
  const double denominator =
      std::sqrt(double(concordant + discordant + ties_a) * double(concordant + discordant + ties_b));
  return denominator > 0 ? double(concordant - discordant) / denominator : 0;
}

Agreement agreement(const std::vector<double>& measured, const std::vector<double>& estimated) {
  if (measured.size() != estimated.size())
    throw common::InputError("agreement: " + std::to_string(measured.size()) + " measured but " +
                     std::to_string(estimated.size()) + " estimated latencies");
  if (measured.size() < 2) throw common::InputError("agreement needs at least two networks");
  Agreement r;
  r.count = int(measured.size());
  std::vector<double> errors, relative;
  double bias = 0;
  int w5 = 0, w10 = 0;
  for (size_t i = 0; i < measured.size(); ++i) {
    if (!(measured[i] > 0)) throw common::InputError("agreement: measured latency " + std::to_string(i) + " is not positive");
    const double e = estimated[i] - measured[i], rel = e / measured[i];
    errors.push_back(e);
    relative.push_back(rel);
    bias += rel;
    // A hair of slack so that an estimate exactly 10% off, computed in floating point, counts as within.
    w5 += std::abs(rel) <= 0.05 + 1e-12;
    w10 += std::abs(rel) <= 0.10 + 1e-12;
  }
  const double n = double(measured.size());
  r.rmse_ms = common::root_mean_square(errors);
  r.rmspe_percent = 100 * common::root_mean_square(relative);
  r.mean_bias_percent = 100 * bias / n;
  r.within_5 = w5 / n;
  r.within_10 = w10 / n;
  r.spearman = spearman(measured, estimated);
  r.kendall = kendall_tau_b(measured, estimated);
  return r;
}

}  // namespace uibnas::estimator
