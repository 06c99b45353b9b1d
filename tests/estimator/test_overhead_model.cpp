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

TEST_CASE("with fewer than four networks the kept form is 'scale', the median of measured / parts - 1", "[overhead]") {
  const auto all = features();
  const std::vector<NetworkFeatures> nets(all.begin(), all.begin() + 3);
  const std::vector<double> measured{nets[0].parts_ms * 1.05, nets[1].parts_ms * 1.10, nets[2].parts_ms * 1.02};
  const OverheadFit f = fit_overhead(nets, measured);
  CHECK(f.model.form == "scale");
  CHECK(f.model.proportional == Approx(0.05).margin(1e-12));
  CHECK(f.model.describe() == "scale: +5.00% of parts");
  // Leave-one-out: without 1.05 the median of 1.10 and 1.02 is 1.06; without 1.10, 1.035; without 1.02, 1.075.
  const double e0 = 1.06 / 1.05 - 1, e1 = 1.035 / 1.10 - 1, e2 = 1.075 / 1.02 - 1;
  CHECK(f.loo_rmspe == Approx(100 * std::sqrt((e0 * e0 + e1 * e1 + e2 * e2) / 3)).epsilon(1e-9));
}

TEST_CASE("with four networks or more, 'per-part+scale' recovers a per-part cost and a scale", "[overhead]") {
  const auto nets = features();
  std::vector<double> measured;
  for (const auto& n : nets) measured.push_back(n.parts_ms * 1.05 - 0.012 * n.parts);
  const OverheadFit f = fit_overhead(nets, measured);
  CHECK(f.model.form == "per-part+scale");
  CHECK(f.model.constant_ms == 0);
  CHECK(f.model.per_part_ms == Approx(-0.012).margin(1e-9));
  CHECK(f.model.proportional == Approx(0.05).margin(1e-9));
  CHECK(f.loo_rmspe < 1e-6);
  CHECK(f.model.describe() == "per-part+scale: +5.00% of parts -0.0120 ms/part");
  // The same form on the first four networks alone.
  const std::vector<NetworkFeatures> four(nets.begin(), nets.begin() + 4);
  const OverheadFit g = fit_overhead(four, std::vector<double>(measured.begin(), measured.begin() + 4));
  CHECK(g.model.form == "per-part+scale");
  CHECK(g.model.per_part_ms == Approx(-0.012).margin(1e-9));
}

TEST_CASE("a pure slow-down has no per-part term, and a constant is scored beside the kept form", "[overhead]") {
  const auto nets = features();
  std::vector<double> slowed, constant;
  for (const auto& n : nets) {
    slowed.push_back(n.parts_ms * 1.084);
    constant.push_back(n.parts_ms + 0.4);
  }
  const OverheadFit f = fit_overhead(nets, slowed);
  CHECK(f.model.per_part_ms == Approx(0).margin(1e-9));
  CHECK(f.model.proportional == Approx(0.084).margin(1e-9));
  CHECK(f.model(nets[0]) == Approx(0.084 * nets[0].parts_ms).margin(1e-9));
  for (const auto& form : f.considered)
    if (form.form == "constant") CHECK(form.loo_rmspe > 1);  // 8.4% of 1..140 ms is no constant
  const OverheadFit c = fit_overhead(nets, constant);
  CHECK(c.model.form == "per-part+scale");
  bool saw_constant = false;
  for (const auto& form : c.considered)
    if (form.form == "constant") {
      saw_constant = true;
      CHECK(form.loo_rmspe < 1e-6);
      CHECK(form.loo_rmspe < c.loo_rmspe);
    }
  CHECK(saw_constant);
  CHECK(fit_overhead_form("constant", nets, constant).constant_ms == Approx(0.4).margin(1e-9));
}

TEST_CASE("one network measured in a slowed stretch does not move the kept fit", "[overhead]") {
  const auto nets = features();
  std::vector<double> measured;
  for (const auto& n : nets) measured.push_back(n.parts_ms * 1.05 - 0.012 * n.parts);
  measured[4] *= 1.6;  // slowed
  const OverheadFit f = fit_overhead(nets, measured);
  CHECK(f.model.per_part_ms == Approx(-0.012).margin(1e-9));
  CHECK(f.model.proportional == Approx(0.05).margin(1e-9));
  // Plain least squares of the same form is pulled by it.
  const OverheadModel ls = fit_overhead_form("per-part+scale", nets, measured);
  CHECK(std::abs(ls.proportional - 0.05) + std::abs(ls.per_part_ms + 0.012) > 1e-3);
}

TEST_CASE("the cache form, scored beside the kept one, recovers its ramp, slope and constant", "[overhead]") {
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
  CHECK(f.model.form == "per-part+scale");
  double cache_loo = -1;
  for (const auto& form : f.considered)
    if (form.form == "cache") cache_loo = form.loo_rmspe;
  CHECK(cache_loo >= 0);
  CHECK(cache_loo < 0.5);
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
  CHECK(f.model.form == "per-part+scale");
  double cache_loo = -1;
  for (const auto& form : f.considered)
    if (form.form == "cache") cache_loo = form.loo_rmspe;
  CHECK(cache_loo >= 0);
  CHECK(cache_loo < 1e-3);
}
