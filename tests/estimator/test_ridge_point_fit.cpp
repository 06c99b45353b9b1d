// The ridge-point fit recovers a known ridge point and scale from synthetic latencies.
#include <catch2/catch.hpp>

#include <cmath>

#include "common/error.hpp"
#include "estimator/ridge_point_fit.hpp"
#include "estimator_test_support.hpp"

using namespace uibnas;
using namespace uibnas::estimator;

namespace {

std::vector<RooflineTerms> terms_of(const std::vector<TestNetwork>& nets, double bytes_per_element) {
  std::vector<RooflineTerms> t;
  for (const auto& n : nets) t.push_back(roofline_terms(arch_defs::lower_network(n.net, n.resolution), bytes_per_element));
  return t;
}

// latency = scale * Σ max(MACs, RP * bytes), times a deterministic wobble of up to ±amplitude.
std::vector<double> synthetic(const std::vector<RooflineTerms>& t, double rp, double ms_per_gmac, double amplitude) {
  std::vector<double> ms;
  for (size_t i = 0; i < t.size(); ++i)
    ms.push_back(ms_per_gmac * mac_equivalents(t[i], rp) / 1e9 * (1 + amplitude * std::sin(1.7 * double(i) + 0.3)));
  return ms;
}

}  // namespace

TEST_CASE("the fit recovers a known ridge point and scale from exact latencies", "[fit]") {
  const std::vector<RooflineTerms> t = terms_of(test_networks(6), 1);  // INT8 bytes, as the paper's phones
  for (double rp : {31.2, 39.7, 120.0, 433.8}) {
    INFO("true RP " << rp);
    const RidgePointFit f = fit_ridge_point(t, synthetic(t, rp, 25.0, 0));
    CHECK(f.ridge_point == Approx(rp).margin(0.05));
    CHECK(f.ms_per_gmac == Approx(25.0).epsilon(1e-3));
    CHECK(f.rms_log_error < 1e-3);
    CHECK(f.spearman_roofline == Approx(1.0));
    CHECK(f.count == int(t.size()));
  }
  // RP 0 sits on the edge of the search range: latency proportional to MACs.
  const RidgePointFit zero = fit_ridge_point(t, synthetic(t, 0, 10.0, 0));
  CHECK(zero.ridge_point == Approx(0).margin(0.05));
  CHECK(zero.macs_ms_per_gmac == Approx(10.0).epsilon(1e-6));
  CHECK(zero.spearman_macs == Approx(1.0));
}

TEST_CASE("the fit stays near the ridge point under ±3% measurement noise", "[fit]") {
  const std::vector<RooflineTerms> t = terms_of(test_networks(6), 4);  // FP32 bytes, as this runtime moves them
  const RidgePointFit f = fit_ridge_point(t, synthetic(t, 12.0, 20.0, 0.03));
  CHECK(f.ridge_point == Approx(12.0).margin(1.5));
  CHECK(f.ms_per_gmac == Approx(20.0).epsilon(0.05));
  CHECK(f.rms_log_error < 0.03);
  // The best scale at the true ridge point is the geometric mean of measured / estimated.
  const ScaleAtRidgePoint s = scale_at_ridge_point(t, synthetic(t, 12.0, 20.0, 0), 12.0);
  CHECK(s.ms_per_gmac == Approx(20.0).epsilon(1e-9));
}

TEST_CASE("the fit refuses too few networks", "[fit]") {
  const std::vector<RooflineTerms> t = terms_of(test_networks(0), 4);
  CHECK_THROWS_AS(fit_ridge_point({t[0], t[1]}, {1.0, 2.0}), common::InputError);
  CHECK_THROWS_AS(fit_ridge_point({t[0], t[1], t[2]}, {1.0, 2.0}), common::InputError);
  CHECK_THROWS_AS(fit_ridge_point({t[0], t[1], t[2]}, {1.0, 2.0, -1.0}), common::InputError);
}
