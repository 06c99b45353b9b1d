// Descriptive statistics of a list of values, the one definition every layer uses: percentiles with
// linear interpolation between order statistics (numpy's default), the median as the 50th percentile,
// extremes, the mean and the root mean square. Every function throws std::invalid_argument for an
// empty list: a statistic of nothing is a caller's mistake, not a zero.
#pragma once
#include <vector>

namespace uibnas::common {

double percentile(std::vector<double> values, double q);  // q in [0, 100]
double median(std::vector<double> values);
double minimum(const std::vector<double>& values);
double maximum(const std::vector<double>& values);
double mean(const std::vector<double>& values);
double root_mean_square(const std::vector<double>& values);

// Share (0..1) of `values` at most `limit`; a hair of slack so that a value computed in floating
// point exactly at the limit counts as within. 0 for an empty list.
double share_at_most(const std::vector<double>& values, double limit);

// Ranks from 1, ties sharing the mean of the ranks they span.
std::vector<double> average_ranks(const std::vector<double>& values);

// Rank correlations of paired values (x[i], y[i]); both throw std::invalid_argument unless the lists
// have the same length of at least 2. NaN when either list is constant (no ordering to compare).
// Spearman's rho: Pearson's correlation of the ranks, ties given their average rank (scipy's spearmanr).
double spearman(const std::vector<double>& x, const std::vector<double>& y);
// Kendall's tau-b: (concordant - discordant) / sqrt((n0 - ties in x) (n0 - ties in y)), n0 = n (n - 1) / 2,
// pairs tied in both counted in neither (scipy's kendalltau).
double kendall_tau_b(const std::vector<double>& x, const std::vector<double>& y);

}  // namespace uibnas::common
