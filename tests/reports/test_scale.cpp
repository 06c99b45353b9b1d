// Axis scales and ticks: the values a reader sees on the axes.
#include <catch2/catch.hpp>

#include <cmath>

#include "reports/scale.hpp"

using namespace uibnas::reports;

TEST_CASE("nice ticks step by 1, 2 or 5 times a power of ten", "[reports]") {
  CHECK(nice_ticks(0, 10, 5) == std::vector<double>{0, 2, 4, 6, 8, 10});
  CHECK(nice_ticks(0, 500, 10) == std::vector<double>{0, 50, 100, 150, 200, 250, 300, 350, 400, 450, 500});
  const std::vector<double> t = nice_ticks(0.13, 0.61, 5);  // step 0.1: 0.2 .. 0.6
  REQUIRE(t.size() == 5);
  CHECK(t.front() == Approx(0.2));
  CHECK(t.back() == Approx(0.6));
}

TEST_CASE("log ticks are decades, or 1-2-5 and every multiple over a narrow range", "[reports]") {
  CHECK(log_ticks(1, 1000) == std::vector<double>{1, 10, 100, 1000});
  const std::vector<double> mid = log_ticks(1.5, 60);  // fewer than 3 decades: 2, 5, 10, 20, 50
  REQUIRE(mid.size() == 5);
  CHECK(mid[0] == Approx(2));
  CHECK(mid[4] == Approx(50));
  const std::vector<double> narrow = log_ticks(1.2, 5.3);  // only 2 and 5 of 1-2-5: every multiple instead
  REQUIRE(narrow.size() == 4);
  CHECK(narrow[0] == Approx(2));
  CHECK(narrow[3] == Approx(5));
}

TEST_CASE("a log scale maps the geometric mean to the middle, a linear one the mean", "[reports]") {
  const Scale log{1, 100, 0, 200, true};
  CHECK(log.map(10) == Approx(100));
  CHECK(log.map(1) == Approx(0));
  CHECK(log.map(100) == Approx(200));
  const Scale y{0, 50, 400, 0, false};  // an inverted y axis
  CHECK(y.map(25) == Approx(200));
  CHECK(y.map(50) == Approx(0));
}

TEST_CASE("a linear scale's domain is widened to nice values around the data", "[reports]") {
  const Scale s = linear_scale(3.2, 47.5, 0, 100, 5);  // step 10
  CHECK(s.domain_lo == Approx(0));
  CHECK(s.domain_hi == Approx(50));
  const Scale point = linear_scale(5, 5, 0, 100);  // a single value still gets an interval around it
  CHECK(point.domain_lo < 5);
  CHECK(point.domain_hi > 5);
  const Scale l = log_scale(2, 200, 0, 100);  // padded a little beyond the data on both sides
  CHECK(l.domain_lo < 2);
  CHECK(l.domain_hi > 200);
  CHECK(l.map(20) == Approx(50));
}

TEST_CASE("tick labels are short", "[reports]") {
  CHECK(tick_label(0.5) == "0.5");
  CHECK(tick_label(12) == "12");
  CHECK(tick_label(2e5) == "200k");
  CHECK(tick_label(3.2e6) == "3.2M");
  CHECK(tick_label(1.1e9) == "1.1G");
}
