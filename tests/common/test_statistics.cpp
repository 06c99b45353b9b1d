// The shared statistics against values worked out by hand (numpy's linear-interpolation percentiles).
#include <catch2/catch.hpp>

#include <cmath>
#include <stdexcept>

#include "common/statistics.hpp"

using namespace uibnas::common;

TEST_CASE("percentiles interpolate linearly between order statistics", "[statistics]") {
  const std::vector<double> v{15, 1, 7, 3};  // sorted: 1 3 7 15
  CHECK(percentile(v, 0) == 1);
  CHECK(percentile(v, 100) == 15);
  CHECK(percentile(v, 50) == 5);              // position 1.5: halfway between 3 and 7
  CHECK(percentile(v, 90) == Approx(12.6));   // position 2.7: 7 + 0.7 * 8
  CHECK(percentile(v, 10) == Approx(1.6));    // position 0.3: 1 + 0.3 * 2
  CHECK(percentile({4}, 37) == 4);
}

TEST_CASE("the median is the middle value, or the mean of the middle two", "[statistics]") {
  CHECK(median({3, 1, 2}) == 2);
  CHECK(median({4, 1, 3, 2}) == 2.5);
  CHECK(median({-1, 10}) == 4.5);
}

TEST_CASE("extremes, mean and root mean square", "[statistics]") {
  const std::vector<double> v{3, -4, 12, 1};
  CHECK(minimum(v) == -4);
  CHECK(maximum(v) == 12);
  CHECK(mean(v) == 3);
  CHECK(root_mean_square(v) == Approx(std::sqrt((9.0 + 16 + 144 + 1) / 4)));
  CHECK(root_mean_square({3, 4}) == Approx(std::sqrt(12.5)));
}

TEST_CASE("a statistic of no values is an error", "[statistics]") {
  CHECK_THROWS_AS(percentile({}, 50), std::invalid_argument);
  CHECK_THROWS_AS(median({}), std::invalid_argument);
  CHECK_THROWS_AS(minimum({}), std::invalid_argument);
  CHECK_THROWS_AS(maximum({}), std::invalid_argument);
  CHECK_THROWS_AS(mean({}), std::invalid_argument);
  CHECK_THROWS_AS(root_mean_square({}), std::invalid_argument);
}

TEST_CASE("the share of values at most a limit counts the limit itself", "[statistics]") {
  CHECK(share_at_most({1, 5, 10, 10.5}, 10) == 0.75);
  CHECK(share_at_most({0.1 + 0.2}, 0.3) == 1);  // 0.30000000000000004: within by the slack
  CHECK(share_at_most({}, 10) == 0);
}
