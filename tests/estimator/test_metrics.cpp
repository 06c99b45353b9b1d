// Agreement metrics against values worked out by hand.
#include <catch2/catch.hpp>

#include <cmath>

#include "common/error.hpp"
#include "common/statistics.hpp"
#include "estimator/metrics.hpp"

using namespace uibnas;
using namespace uibnas::estimator;

TEST_CASE("ranks share ties and rank correlations match hand computations", "[metrics]") {
  CHECK(common::average_ranks({10, 30, 20, 30}) == std::vector<double>{1, 3.5, 2, 3.5});
  const std::vector<double> a{1, 2, 3, 4, 5}, b{5, 6, 7, 8, 7};
  // ranks of b: 1 2 3.5 5 3.5; deviations from 3: -2 -1 .5 2 .5 against -2 -1 0 1 2 -> 8 / sqrt(10 * 9.5)
  CHECK(spearman(a, b) == Approx(8 / std::sqrt(95.0)));
  // 8 concordant pairs, 1 discordant (8 > 7), 1 tied in b only: (8 - 1) / sqrt(9 * 10)
  CHECK(kendall_tau_b(a, b) == Approx(7 / std::sqrt(90.0)));
  CHECK(spearman(a, {9, 7, 5, 3, 1}) == Approx(-1));
  CHECK(kendall_tau_b(a, {9, 7, 5, 3, 1}) == Approx(-1));
  CHECK(spearman(a, {2, 2, 2, 2, 2}) == 0);  // a constant list says nothing about order
}

TEST_CASE("agreement gives nn-Meter's error measures", "[metrics]") {
  // relative errors +10%, -5%, +10%, -20%
  const Agreement r = agreement({10, 20, 40, 50}, {11, 19, 44, 40});
  CHECK(r.count == 4);
  CHECK(r.rmse_ms == Approx(std::sqrt((1.0 + 1 + 16 + 100) / 4)));
  CHECK(r.rmspe_percent == Approx(12.5));  // 100 * sqrt((.01 + .0025 + .01 + .04) / 4)
  CHECK(r.within_5 == Approx(0.25));
  CHECK(r.within_10 == Approx(0.75));       // exactly 10% counts as within
  CHECK(r.mean_bias_percent == Approx(-1.25));
  CHECK(r.spearman == Approx(0.8));         // ranks 1 2 3 4 against 1 2 4 3
  CHECK(r.kendall == Approx(4.0 / 6));      // 5 concordant, 1 discordant pair
}

TEST_CASE("agreement refuses mismatched or meaningless input", "[metrics]") {
  CHECK_THROWS_AS(agreement({1, 2}, {1}), common::InputError);
  CHECK_THROWS_AS(agreement({1}, {1}), common::InputError);
  CHECK_THROWS_AS(agreement({1, 0}, {1, 1}), common::InputError);
}
