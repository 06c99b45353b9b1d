// The measurement ceiling: two halves of a network's rounds, and their agreement, against values
// worked out by hand.
#include <catch2/catch.hpp>

#include <cmath>

#include "common/error.hpp"
#include "estimator/measurement_ceiling.hpp"
#include "estimator/validation_report.hpp"

using namespace uibnas;
using namespace uibnas::estimator;

namespace {

latency::Measurement round_of(double median_ms, double min_ms) {
  latency::Measurement m;
  m.median_ms = median_ms;
  m.p10_ms = min_ms;
  m.p90_ms = median_ms;
  m.min_ms = min_ms;
  m.repeats = 10;
  return m;
}

}  // namespace

TEST_CASE("a network's even and odd rounds are its two independent measurements", "[ceiling]") {
  // Round medians 10 12 11 13 9 (mins 9 11 10 12 8): even rounds 10 11 9, odd rounds 12 13.
  const std::vector<latency::Measurement> rounds{round_of(10, 9), round_of(12, 11), round_of(11, 10), round_of(13, 12),
                                                 round_of(9, 8)};
  const auto medians = split_round_measurements(rounds, latency::Statistic::Median);
  REQUIRE(medians);
  CHECK(medians->first == Approx(10));    // median of 10 11 9
  CHECK(medians->second == Approx(12.5)); // median of 12 13
  const auto minima = split_round_measurements(rounds, latency::Statistic::Min);
  REQUIRE(minima);
  CHECK(minima->first == Approx(8));   // smallest of 9 10 8
  CHECK(minima->second == Approx(11)); // smallest of 11 12
  CHECK_FALSE(split_round_measurements({round_of(10, 9)}, latency::Statistic::Median));
  CHECK_FALSE(split_round_measurements({}, latency::Statistic::Min));
}

TEST_CASE("the ceiling pools both directions of the two halves' differences", "[ceiling]") {
  const std::vector<double> first{100, 100, 100, 100}, second{105, 111, 90, 100};
  const MeasurementCeiling c = measurement_ceiling(first, second);
  CHECK(c.count == 4);
  // first as measured: +5%, +11%, -10%, 0; second as measured: -4.76%, -9.91%, +11.1%, 0.
  CHECK(c.within_10 == Approx((3.0 / 4 + 3.0 / 4) / 2));
  CHECK(c.within_5 == Approx((2.0 / 4 + 2.0 / 4) / 2));
  const double forward = (0.05 * 0.05 + 0.11 * 0.11 + 0.1 * 0.1) / 4;
  const double backward = ((5.0 / 105) * (5.0 / 105) + (11.0 / 111) * (11.0 / 111) + (10.0 / 90) * (10.0 / 90)) / 4;
  CHECK(c.rmspe_percent == Approx(100 * std::sqrt((forward + backward) / 2)));
  CHECK(c.kendall == 0);  // a constant half says nothing about order

  // Two halves that rank three networks the same way.
  CHECK(measurement_ceiling({1, 2, 3}, {1.1, 2.1, 2.9}).kendall == Approx(1));
  CHECK(measurement_ceiling({1, 2, 3}, {1, 2, 3}).within_10 == Approx(1));
  CHECK_THROWS_AS(measurement_ceiling({1, 2}, {1}), common::InputError);
  CHECK_THROWS_AS(measurement_ceiling({1}, {1}), common::InputError);
  CHECK_THROWS_AS(measurement_ceiling({1, 0}, {1, 1}), common::InputError);
}

TEST_CASE("the validation report gives a ceiling per group", "[ceiling]") {
  ValidationReport report;
  report.statistic = latency::Statistic::Median;
  auto row = [](const std::string& name, const std::string& group) {
    ValidationRow r;
    r.target.name = name;
    r.target.group = group;
    return r;
  };
  report.rows = {row("a", "conv-s"), row("b", "conv-s"), row("c", "conv-l"), row("d", "conv-l"), row("e", "published")};
  // a and b agree with themselves; c differs by 20% between its halves; d has one round; e two.
  const std::vector<std::vector<latency::Measurement>> rounds{
      {round_of(10, 9), round_of(10.2, 9)}, {round_of(20, 19), round_of(20.4, 19)},
      {round_of(10, 9), round_of(12, 9)},   {round_of(5, 4)},
      {round_of(3, 2), round_of(3, 2)}};
  add_measurement_ceilings(report, rounds);
  auto find = [&](const std::string& group) -> const MeasurementCeiling* {
    for (const auto& g : report.ceilings)
      if (g.group == group) return &g.ceiling;
    return nullptr;
  };
  REQUIRE(find("all"));
  CHECK(find("all")->count == 4);  // d has one round
  CHECK(find("all")->within_10 == Approx(3.0 / 4));
  REQUIRE(find("conv-s"));
  CHECK(find("conv-s")->within_10 == Approx(1));
  CHECK(find("conv-l") == nullptr);    // one network with two rounds
  CHECK(find("published") == nullptr);  // one network
  REQUIRE(find("sampled"));
  CHECK(find("sampled")->count == 3);
  CHECK(find("sampled")->within_10 == Approx(2.0 / 3));
  CHECK(validation_summary_text(report).find("measurement ceiling") != std::string::npos);
  CHECK(validation_summary_json(report)["measurement_ceiling"].size() == report.ceilings.size());
  CHECK_THROWS_AS(add_measurement_ceilings(report, {}), common::InputError);
}
