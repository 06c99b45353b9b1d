// Machine steadiness of a validation: round-to-round spread of each network and the FMA probes.
#include <catch2/catch.hpp>

#include "estimator/steadiness.hpp"

using namespace uibnas;
using namespace uibnas::estimator;

namespace {
latency::Measurement at(double median, double min) { return {median, min, median, min, 10}; }
}  // namespace

TEST_CASE("a network's round spread is max over min of its rounds, minus one", "[steadiness]") {
  const std::vector<latency::Measurement> rounds{at(10, 9), at(12, 9.9), at(11, 9.5)};
  CHECK(round_spread_percent(rounds, Statistic::Median) == Approx(20.0));  // 12 / 10
  CHECK(round_spread_percent(rounds, Statistic::Min) == Approx(10.0));     // 9.9 / 9
  CHECK(round_spread_percent({at(5, 4)}, Statistic::Median) == Approx(0.0));
}

TEST_CASE("steadiness summarises probes and spreads; networks with one round are skipped", "[steadiness]") {
  const std::vector<std::vector<latency::Measurement>> rounds{
      {at(10, 9), at(10.5, 9)},   // 5%
      {at(20, 18), at(26, 18)},   // 30%
      {at(4, 3), at(4.4, 3)},     // 10%: counts as within
      {at(7, 6)},                 // one round: not counted
  };
  const auto s = summarize_steadiness({80, 60, 90, 70}, rounds, Statistic::Median, 85, 5);
  REQUIRE(s);
  CHECK(s->probes == 4);
  CHECK(s->probe_min_gmacs == 60);
  CHECK(s->probe_max_gmacs == 90);
  CHECK(s->probe_median_gmacs == Approx(75));
  CHECK(s->fingerprint_gmacs == 85);
  CHECK(s->networks == 3);
  CHECK(s->median_spread_percent == Approx(10.0));
  CHECK(s->p90_spread_percent == Approx(10 + 0.8 * 20));  // linear interpolation between 10% and 30%
  CHECK(s->rounds_within_10 == Approx(2.0 / 3));
  CHECK(s->settled == Approx(1.0 / 3));  // only the first network's two rounds are within 5%
  CHECK(s->most_rounds == 2);
  const auto j = s->to_json();
  CHECK(j["fma_probe_gmacs"]["median"].get<double>() == Approx(75));
  CHECK(j["rounds_within_10"].get<double>() == Approx(2.0 / 3));
  CHECK(s->describe().find("66.7% of 3 networks") != std::string::npos);
}

TEST_CASE("no probes and no repeated rounds: nothing to say", "[steadiness]") {
  CHECK_FALSE(summarize_steadiness({}, {{at(1, 1)}}, Statistic::Median, 50, 5));
}

TEST_CASE("a network is settled when its two best rounds agree, whatever its slow rounds did", "[steadiness]") {
  // Slowed rounds (1.6x) around two that agree: settled on the median of each round.
  CHECK(best_rounds_agree({at(16, 15), at(10, 9), at(10.4, 9.9)}, Statistic::Median, 5));
  // On each round's minimum the two best are 9 and 9.9: 10% apart, not settled at 5%, settled at 10%.
  CHECK_FALSE(best_rounds_agree({at(16, 15), at(10, 9), at(10.4, 9.9)}, Statistic::Min, 5));
  CHECK(best_rounds_agree({at(16, 15), at(10, 9), at(10.4, 9.9)}, Statistic::Min, 10));
  // One fast round and two slow ones that agree with each other: the fast one is unconfirmed.
  CHECK_FALSE(best_rounds_agree({at(10, 9), at(16, 15), at(16.2, 15)}, Statistic::Median, 5));
  CHECK_FALSE(best_rounds_agree({at(10, 9)}, Statistic::Median, 5));
  CHECK_FALSE(best_rounds_agree({}, Statistic::Median, 5));
}
