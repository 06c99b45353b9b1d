// The gap decomposition: its components add up to the network exactly, and on a synthetic runtime with
// planted per-part and per-network costs the fit recovers them.
#include <catch2/catch.hpp>

#include <random>

#include "common/error.hpp"
#include "estimator/gap_decomposition.hpp"

using namespace uibnas::estimator;

TEST_CASE("a network's gap splits into parts alone, in context, outside, timers and overlap", "[gap]") {
  GapObservation o;
  o.network_ms = 10.0;
  o.stepped_ms = 10.6;
  o.outside_ms = 0.2;
  o.parts = {{3.0, 3.1, 1.0}, {4.0, 4.5, 2.0}, {2.0, 1.9, 0.5}};
  const GapComponents c = decompose_gap(o);
  CHECK(c.alone_ms == Approx(9.0));
  CHECK(c.in_context_ms == Approx(0.5));       // 9.5 in context
  CHECK(c.outside_ms == Approx(0.2));
  CHECK(c.step_timing_ms == Approx(0.9));      // 10.6 - 9.5 - 0.2
  CHECK(c.overlap_ms == Approx(-0.6));         // 10.0 - 10.6
  CHECK(c.total() == Approx(o.network_ms));
}

namespace {

// A synthetic runtime: a part costs `alone` timed alone and, in a network, alone + fixed + (beyond the
// cache) per_mb x its weights; a network adds outside + per_part x parts; timings carry ±1% noise.
struct PlantedCosts {
  double fixed_ms = -0.012, per_mb_beyond_ms = 0.08, per_mb_within_ms = 0, network_ms = 0.15, per_part_ms = -0.004;
};

GapObservation synthetic_network(std::mt19937_64& rng, const PlantedCosts& k, double cache_mb) {
  std::uniform_int_distribution<int> parts(8, 40);
  std::uniform_real_distribution<double> alone(0.05, 3.0), weights(0.01, 2.5), noise(-0.01, 0.01);
  GapObservation o;
  const int n = parts(rng);
  double in_context = 0;
  for (int i = 0; i < n; ++i) {
    PartUse p;
    p.alone_ms = alone(rng);
    p.weight_mb = weights(rng);
    o.weight_mb += p.weight_mb;
    o.parts.push_back(p);
  }
  const bool beyond = o.weight_mb > cache_mb;
  for (PartUse& p : o.parts) {
    p.in_context_ms = p.alone_ms + k.fixed_ms + (beyond ? k.per_mb_beyond_ms : k.per_mb_within_ms) * p.weight_mb;
    p.in_context_ms *= 1 + noise(rng);
    in_context += p.in_context_ms;
  }
  o.outside_ms = 0.05;
  o.stepped_ms = in_context + o.outside_ms + 0.003 * n;  // the timers
  o.network_ms = (in_context + k.network_ms + k.per_part_ms * n) * (1 + noise(rng) / 10);
  return o;
}

}  // namespace

TEST_CASE("the gap model recovers planted per-part and per-network costs", "[gap]") {
  std::mt19937_64 rng(42);
  const PlantedCosts k;
  const double cache_mb = 30;
  std::vector<GapObservation> observations;
  for (int i = 0; i < 60; ++i) observations.push_back(synthetic_network(rng, k, cache_mb));
  const GapModel m = fit_gap_model(observations, cache_mb);
  REQUIRE(m.part_in_cache.count > 100);
  REQUIRE(m.part_out_cache.count > 100);
  // The noise is 1% of parts of up to 3 ms: the fixed cost comes back within a few microseconds.
  CHECK(m.part_in_cache.intercept == Approx(k.fixed_ms).margin(0.004));
  CHECK(m.part_in_cache.slope == Approx(k.per_mb_within_ms).margin(0.004));
  CHECK(m.part_out_cache.intercept == Approx(k.fixed_ms).margin(0.004));
  CHECK(m.part_out_cache.slope == Approx(k.per_mb_beyond_ms).margin(0.004));
  // outside + timers + overlap = network term + per_part x parts (the timers cancel: they are in the
  // stepped run, which the overlap subtracts again).
  CHECK(m.network.intercept == Approx(k.network_ms).margin(0.1));
  CHECK(m.network.slope == Approx(k.per_part_ms).margin(0.004));
  CHECK(m.to_json()["part_out_of_cache"]["slope_ms"].get<double>() == Approx(m.part_out_cache.slope));

  CHECK_THROWS_AS(fit_gap_model({}, cache_mb), uibnas::common::InputError);
  CHECK_THROWS_AS(fit_gap_model(observations, 0), uibnas::common::InputError);
}
