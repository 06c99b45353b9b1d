// Machine steadiness of a validation: round-to-round spread of each network and the FMA probes.
#include <catch2/catch.hpp>

#include "common/error.hpp"
#include "latency/steadiness.hpp"

using namespace uibnas;
using namespace uibnas::latency;

namespace {
latency::Measurement at(double median, double min) { return {median, min, median, min, 10}; }
}  // namespace

TEST_CASE("a network's round spread is max over min of its rounds, minus one", "[steadiness]") {
  const std::vector<latency::Measurement> rounds{at(10, 9), at(12, 9.9), at(11, 9.5)};
  CHECK(round_spread_percent(rounds, Statistic::Median) == Approx(20.0));  // 12 / 10
  CHECK(round_spread_percent(rounds, Statistic::Min) == Approx(10.0));     // 9.9 / 9
  CHECK(round_spread_percent({at(5, 4)}, Statistic::Median) == Approx(0.0));
}

TEST_CASE("steadiness summarises probes and spreads, networks with one round are skipped", "[steadiness]") {
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

TEST_CASE("a slot's slowdown is its parts' time over their entries, minus one", "[steadiness]") {
  CHECK(slot_slowdown_percent(13.0, 10.0) == Approx(30.0));
  CHECK(slot_slowdown_percent(9.5, 10.0) == Approx(-5.0));
  CHECK(slot_slowdown_percent(5.0, 0.0) == 0.0);  // no entries yet: nothing to compare with
}

TEST_CASE("a network is not settled while its best round's slot ran its parts slow", "[steadiness]") {
  // Three rounds in one slowed stretch agree with each other (15, 15.3, 15.6 ms: within 5%) ...
  const std::vector<latency::Measurement> slowed{at(16, 15), at(16.5, 15.3), at(16.4, 15.6)};
  // ... and their parts ran 1.5x their entries (10 ms, timed in other networks' slots too): unsettled.
  CHECK_FALSE(settled_in_normal_state(slowed, {15, 15.2, 15.1}, 10, Statistic::Min, 5, 10));
  // The same rounds with their parts at their entries' speed (within 10%): the network is simply slow.
  CHECK(settled_in_normal_state(slowed, {10.9, 15.2, 15.1}, 10, Statistic::Min, 5, 10));
  // It is the best round's slot that counts (round 0 on minima, round 0 on medians here).
  CHECK_FALSE(settled_in_normal_state(slowed, {11.1, 10, 10}, 10, Statistic::Min, 5, 10));
  CHECK(settled_in_normal_state(slowed, {10, 13, 13}, 10, Statistic::Median, 5, 10));
  // Rounds that disagree are unsettled whatever their slots did.
  CHECK_FALSE(settled_in_normal_state({at(10, 9), at(16, 15)}, {10, 10}, 10, Statistic::Min, 5, 10));
  CHECK_THROWS_AS(settled_in_normal_state(slowed, {10}, 10, Statistic::Min, 5, 10), common::InputError);
}

TEST_CASE("the best round's slot: its slowdown, and the share of networks in a normal state", "[steadiness]") {
  const std::vector<latency::Measurement> rounds{at(12, 11), at(10, 9.5), at(11, 9)};
  // Best on medians: round 1; on minima: round 2.
  CHECK(best_round_slowdown_percent(rounds, {20, 11, 14}, 10, Statistic::Median) == Approx(10.0));
  CHECK(best_round_slowdown_percent(rounds, {20, 11, 14}, 10, Statistic::Min) == Approx(40.0));
  CHECK_THROWS_AS(best_round_slowdown_percent({}, {}, 10, Statistic::Min), common::InputError);
  CHECK_THROWS_AS(best_round_slowdown_percent(rounds, {1, 2}, 10, Statistic::Min), common::InputError);

  const auto s = summarize_steadiness({80}, {rounds}, Statistic::Median, 85, 5, {3, 12, -2}, 10);
  REQUIRE(s);
  CHECK(s->slots_checked == 3);
  CHECK(s->slot_normal == Approx(2.0 / 3));  // 12% is beyond 10%
  CHECK(s->to_json()["best_round_slot"]["normal"].get<double>() == Approx(2.0 / 3));
  CHECK(s->describe().find("parts within 10% of their entries for 66.7%") != std::string::npos);
  CHECK(summarize_steadiness({80}, {rounds}, Statistic::Median, 85, 5)->slots_checked == 0);
}
