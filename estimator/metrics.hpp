// How well estimated latencies agree with measured ones, in the terms nn-Meter (RMSE, RMSPE, share
// within ±5% and ±10%) and HW-NAS-Bench / HELP (Spearman ρ, Kendall τ) report.
#pragma once
#include <vector>

namespace uibnas::estimator {

struct Agreement {
  int count = 0;
  double rmse_ms = 0;
  double rmspe_percent = 0;  // root mean square of (estimate - measured) / measured, in percent
  double within_5 = 0;       // share (0..1) with |estimate - measured| <= 5% of measured
  double within_10 = 0;
  double spearman = 0;
  double kendall = 0;        // tau-b (ties in either list reduce the denominator)
  double mean_bias_percent = 0;  // mean of (estimate - measured) / measured: over- (+) or under-estimation
};

// Throws InputError unless both lists have the same length (>= 2) and every measured value is positive.
Agreement agreement(const std::vector<double>& measured, const std::vector<double>& estimated);

// Spearman's rho and Kendall's tau-b (common/statistics), 0 where undefined: a constant list says
// nothing about order.
double spearman(const std::vector<double>& a, const std::vector<double>& b);
double kendall_tau_b(const std::vector<double>& a, const std::vector<double>& b);

}  // namespace uibnas::estimator
