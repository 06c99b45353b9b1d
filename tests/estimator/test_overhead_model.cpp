// The per-network overhead fit on synthetic end-to-end runs with known overheads.
#include <catch2/catch.hpp>

#include <chrono>
#include <cmath>

#include "common/error.hpp"
#include "estimator/overhead_model.hpp"

using namespace uibnas;
using namespace uibnas::estimator;

namespace {

std::vector<NetworkFeatures> features() {
  std::vector<NetworkFeatures> f;
  // weight MB spread over 4 .. 200 MB, parts 18 .. 45, Σ entries 1 .. 140 ms, not collinear
  for (int i = 0; i < 14; ++i)
    f.push_back({1.0 + 10.0 * i + (i % 3) * 2.5, 18 + (i * 7) % 28, 4.0 * std::pow(1.35, i)});
  return f;
}

}  // namespace

TEST_CASE("no networks: no overhead", "[overhead]") {
  const OverheadFit f = fit_overhead({}, {});
  CHECK(f.model.form == "none");
  CHECK(f.model(10.0, 20, 50.0) == 0);
}

TEST_CASE("a constant overhead is recovered, and no richer form replaces it", "[overhead]") {
  const auto nets = features();
  std::vector<double> measured;
  for (const auto& n : nets) measured.push_back(n.parts_ms + 0.4);
  const OverheadFit f = fit_overhead(nets, measured);
  CHECK(f.model.form == "constant");
  CHECK(f.model.constant_ms == Approx(0.4).margin(1e-9));
  CHECK(f.model(nets[3]) == Approx(0.4).margin(1e-9));
  CHECK(f.loo_rmspe < 1e-6);
  CHECK(f.rmspe_parts_only > 1);  // 0.4 ms on a 1 ms network is 29%
}

TEST_CASE("a pure slow-down is kept as 'scale', with no constant term", "[overhead]") {
  const auto nets = features();
  std::vector<double> measured;
  for (const auto& n : nets) measured.push_back(n.parts_ms * 1.084);
  const OverheadFit f = fit_overhead(nets, measured);
  CHECK(f.model.form == "scale");
  CHECK(f.model.constant_ms == 0);
  CHECK(f.model.proportional == Approx(0.084).margin(1e-9));
  CHECK(f.model(nets[0]) == Approx(0.084 * nets[0].parts_ms).margin(1e-9));
  CHECK(f.loo_rmspe < 1e-6);
  CHECK(f.model.describe() == "scale: +8.40% of parts");
  // "proportional" fits as well (its constant comes out 0) but is not clearly better, so it is not kept
  const OverheadModel p = fit_overhead_form("proportional", nets, measured);
  CHECK(p.constant_ms == Approx(0).margin(1e-9));
  CHECK(p.describe().find(" ms +8.40% of parts") != std::string::npos);
  bool saw_constant = false;
  for (const auto& form : f.considered)
    if (form.form == "constant") {
      saw_constant = true;
      CHECK(form.loo_rmspe > 1);  // 8.4% of 1..140 ms is no constant
    }
  CHECK(saw_constant);
}

TEST_CASE("a constant plus a slow-down needs 'proportional'", "[overhead]") {
  const auto nets = features();
  std::vector<double> measured;
  for (const auto& n : nets) measured.push_back(n.parts_ms * 1.05 + 0.3);
  const OverheadFit f = fit_overhead(nets, measured);
  CHECK(f.model.form == "proportional");
  CHECK(f.model.constant_ms == Approx(0.3).margin(1e-9));
  CHECK(f.model.proportional == Approx(0.05).margin(1e-9));
}

TEST_CASE("the cache form recovers its ramp, slope and constant", "[overhead]") {
  const auto nets = features();
  OverheadModel truth;
  truth.form = "cache";
  truth.constant_ms = 0.1;
  truth.miss_ms_per_mb = 0.15;
  truth.cache_low_mb = 16;   // knots on the fit's half-octave grid
  truth.cache_high_mb = 64;
  std::vector<double> measured;
  for (const auto& n : nets) measured.push_back(n.parts_ms + truth(n));
  CHECK(truth.miss_fraction(8) == 0);
  CHECK(truth.miss_fraction(40) == Approx(0.5));
  CHECK(truth.miss_fraction(100) == 1);

  const OverheadModel m = fit_overhead_form("cache", nets, measured);
  CHECK(m.constant_ms == Approx(0.1).margin(1e-9));
  CHECK(m.miss_ms_per_mb == Approx(0.15).margin(1e-9));
  CHECK(m.cache_low_mb == Approx(16));
  CHECK(m.cache_high_mb == Approx(64));

  const OverheadFit f = fit_overhead(nets, measured);
  CHECK(f.model.form == "cache");
  CHECK(f.loo_rmspe < 0.5);
  for (const auto& form : f.considered)
    if (form.form == "constant" || form.form == "proportional") CHECK(form.loo_rmspe > f.loo_rmspe);
}

TEST_CASE("overhead fit input errors", "[overhead]") {
  CHECK_THROWS_AS(fit_overhead(features(), {1.0}), common::InputError);
  CHECK_THROWS_AS(fit_overhead_form("quadratic", features(), std::vector<double>(14, 5.0)), common::InputError);
  std::vector<double> bad(14, 5.0);
  bad[2] = 0;
  CHECK_THROWS_AS(fit_overhead(features(), bad), common::InputError);
}

TEST_CASE("the leave-one-out fit over thousands of end-to-end runs takes linear time", "[overhead][limits]") {
  // 5000 networks from a known cache form: refitting every fold from scratch was 5000^2 rows per knot
  // pair and form (hours); subtracting the left-out row from the sums is 5000 solves of 4 unknowns.
  std::vector<NetworkFeatures> nets;
  for (int i = 0; i < 5000; ++i)
    nets.push_back({1.0 + (i % 140) + (i % 3) * 2.5, 18 + (i * 7) % 28, 4.0 * std::pow(1.35, (i % 60) / 4.0)});
  OverheadModel truth;
  truth.form = "cache";
  truth.constant_ms = 0.1;
  truth.miss_ms_per_mb = 0.15;
  truth.cache_low_mb = 16;
  truth.cache_high_mb = 64;
  std::vector<double> measured;
  for (const auto& n : nets) measured.push_back(n.parts_ms + truth(n));
  const auto t0 = std::chrono::steady_clock::now();
  const OverheadFit f = fit_overhead(nets, measured);
  CHECK(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() < 30.0);
  CHECK(f.count == 5000);
  CHECK(f.model.form == "cache");
  CHECK(f.model.constant_ms == Approx(0.1).margin(1e-6));
  CHECK(f.model.miss_ms_per_mb == Approx(0.15).margin(1e-6));
  CHECK(f.model.cache_low_mb == Approx(16));
  CHECK(f.model.cache_high_mb == Approx(64));
  CHECK(f.loo_rmspe < 1e-3);
}
