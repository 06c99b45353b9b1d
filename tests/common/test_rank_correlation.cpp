// Spearman and Kendall tau-b against pairs counted by hand (the values are scipy's for the same lists).
#include <catch2/catch.hpp>

#include <cmath>
#include <stdexcept>

#include "common/statistics.hpp"

using namespace uibnas::common;

TEST_CASE("spearman ranks ties by their average rank", "[statistics]") {
  // y's ranks: 1 2 3.5 5 3.5; against 1..5: sum of products of deviations 8, squares 10 and 9.5.
  CHECK(spearman({1, 2, 3, 4, 5}, {5, 6, 7, 8, 7}) == Approx(8 / std::sqrt(95.0)));
  CHECK(spearman({1, 2, 3}, {30, 20, 10}) == Approx(-1.0));
  CHECK(spearman({0.1, 5, 2}, {1, 100, 50}) == Approx(1.0));  // monotone, not linear
  CHECK(std::isnan(spearman({1, 1, 1}, {1, 2, 3})));
}

TEST_CASE("kendall tau-b leaves tied pairs out of the numerator and the denominator", "[statistics]") {
  // 8 concordant, 1 discordant, 1 pair tied in y only: 7 / sqrt(10 * 9).
  CHECK(kendall_tau_b({1, 2, 3, 4, 5}, {5, 6, 7, 8, 7}) == Approx(7 / std::sqrt(90.0)));
  // 2 concordant, 6 discordant; one pair tied in both, one in x only: -4 / sqrt(8 * 9).
  CHECK(kendall_tau_b({12, 2, 1, 12, 2}, {1, 4, 7, 1, 0}) == Approx(-4 / std::sqrt(72.0)));
  CHECK(kendall_tau_b({1, 2, 3}, {3, 2, 1}) == Approx(-1.0));
  CHECK(std::isnan(kendall_tau_b({1, 2, 3}, {4, 4, 4})));
}

TEST_CASE("rank correlations need two paired lists of at least two values", "[statistics]") {
  CHECK_THROWS_AS(spearman({1, 2}, {1, 2, 3}), std::invalid_argument);
  CHECK_THROWS_AS(kendall_tau_b({1}, {1}), std::invalid_argument);
}
