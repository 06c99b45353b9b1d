#include "estimator/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "common/error.hpp"
#include "common/statistics.hpp"

namespace uibnas::estimator {

// common/statistics' rank correlations, 0 where they are undefined (fewer than two pairs, or a
// constant list): a summary then reports no agreement rather than NaN.
double spearman(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() < 2 || a.size() != b.size()) return 0;
  const double rho = common::spearman(a, b);
  return std::isnan(rho) ? 0 : rho;
}

double kendall_tau_b(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() < 2 || a.size() != b.size()) return 0;
  const double tau = common::kendall_tau_b(a, b);
  return std::isnan(tau) ? 0 : tau;
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
