// Each proxy's arithmetic against values worked out by hand.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "search/proxy_measures.hpp"

using namespace uibnas::search;

TEST_CASE("naswot kernel counts agreeing codes, across 64-bit words and layers", "[proxy]") {
  // Layer 1, 4 units: codes 1010, 1101, 0000 (zero is off).
  const std::vector<float> layer1{1, -1, 2, 0, /**/ 1, 1, -3, 0.5, /**/ -1, -1, -1, -1};
  NaswotKernel k(3);
  k.add_layer(layer1.data(), 4);
  CHECK(k.kernel()(0, 0) == 4);
  CHECK(k.kernel()(0, 1) == 1);
  CHECK(k.kernel()(0, 2) == 2);
  CHECK(k.kernel()(1, 2) == 1);
  CHECK(k.kernel()(2, 1) == 1);
  // Layer 2, 70 units: sample 0 all on, sample 1 on at even units, sample 2 on at units < 10.
  std::vector<float> layer2(3 * 70, -1.0f);
  for (int u = 0; u < 70; ++u) {
    layer2[u] = 1;
    if (u % 2 == 0) layer2[70 + u] = 1;
    if (u < 10) layer2[140 + u] = 1;
  }
  k.add_layer(layer2.data(), 70);
  // agreements: (0,1) 35, (0,2) 10, (1,2) 5 even units < 10 on in both + 30 odd units >= 10 off in both = 35.
  const double expected[3][3] = {{74, 1 + 35, 2 + 10}, {36, 74, 1 + 35}, {12, 36, 74}};
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) CHECK(k.kernel()(i, j) == expected[i][j]);
  // det by cofactors: 74 (74*74 - 36*36) - 36 (36*74 - 36*12) + 12 (36*36 - 74*12)
  const double det = 74.0 * (74 * 74 - 36 * 36) - 36.0 * (36 * 74 - 36 * 12) + 12.0 * (36 * 36 - 74 * 12);
  CHECK(k.log_abs_det() == Approx(std::log(std::abs(det))));
}

TEST_CASE("naswot kernel of two identical samples is singular", "[proxy]") {
  const std::vector<float> v{1, -1, 1, -1};
  NaswotKernel k(2);
  k.add_layer(v.data(), 2);
  CHECK(std::isinf(k.log_abs_det()));
}

TEST_CASE("meco: minimum eigenvalue of the channel correlation matrix", "[proxy]") {
  // Two channels over four positions, values[position][channel]: a = 1 2 3 4, b = 2 1 4 3.
  // Deviations -1.5 -0.5 0.5 1.5 and -0.5 -1.5 1.5 0.5: r = 3 / 5; eigenvalues 1 +- r.
  const std::vector<float> two{1, 2, 2, 1, 3, 4, 4, 3};
  CHECK(min_correlation_eigenvalue(two.data(), 4, 2) == Approx(0.4));
  // A third channel a + b is linearly dependent: the matrix is singular.
  const std::vector<float> three{1, 2, 3, 2, 1, 3, 3, 4, 7, 4, 3, 7, 5, 5, 10};
  CHECK(min_correlation_eigenvalue(three.data(), 5, 3) == Approx(0.0).margin(1e-12));
  // Independent-looking channels but fewer positions than channels: rank-deficient, 0.
  const std::vector<float> wide{1, 5, 2, 7, 3, 1};
  CHECK(min_correlation_eigenvalue(wide.data(), 2, 3) == 0.0);
  // A constant channel has no correlation (MeCo sets it to 0): its zero row gives eigenvalue 0.
  const std::vector<float> constant{1, 2, 2, 2, 3, 2, 9, 2};
  CHECK(min_correlation_eigenvalue(constant.data(), 4, 2) == 0.0);
}

TEST_CASE("zen: mean Frobenius distance and the BN variance term", "[proxy]") {
  // Sample 0 differs by (3, 4): distance 5; sample 1 by (0, 1): distance 1.
  CHECK(mean_frobenius_distance({0, 0, 1, 1}, {3, 4, 1, 2}, 2) == Approx(3.0));
  CHECK(log_sqrt_mean_variance({1, 3}) == Approx(0.5 * std::log(2.0)));
  CHECK(log_sqrt_mean_variance({4}) == Approx(std::log(2.0)));
}
