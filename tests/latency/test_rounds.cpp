// Measuring in rounds and settling (latency/rounds.hpp), with scripted timings instead of a clock.
#include <catch2/catch.hpp>

#include <map>

#include "latency/rounds.hpp"

using namespace uibnas;
using latency::Measurement;

namespace {
Measurement ms(double median, double min) { return {median, min, median, min, 10}; }
}  // namespace

TEST_CASE("rounds combine into the median of their medians and the smallest min", "[rounds]") {
  const Measurement m = latency::combine_rounds(
      {{10.0, 9.0, 12.0, 8.5, 20}, {14.0, 13.0, 15.0, 12.0, 20}, {11.0, 10.0, 11.5, 9.5, 10}});
  CHECK(m.median_ms == Approx(11.0));
  CHECK(m.p10_ms == Approx(10.0));
  CHECK(m.p90_ms == Approx(12.0));
  CHECK(m.min_ms == Approx(8.5));
  CHECK(m.repeats == 50);
  const Measurement two = latency::combine_rounds({{10.0, 9.0, 12.0, 8.5, 5}, {14.0, 13.0, 15.0, 12.0, 5}});
  CHECK(two.median_ms == Approx(12.0));  // linear interpolation between two rounds
  CHECK(latency::combine_rounds({}).repeats == 0);
}

TEST_CASE("the two best values agree within a percentage", "[rounds]") {
  CHECK(latency::best_two_agree({16, 10, 10.5}, 5));
  CHECK_FALSE(latency::best_two_agree({16, 10, 10.6}, 5));
  CHECK(latency::best_two_agree({10, 11}, 10));
  CHECK_FALSE(latency::best_two_agree({10}, 50));
  CHECK_FALSE(latency::best_two_agree({}, 50));
}

TEST_CASE("unsettled items are measured again until settled or out of settling passes", "[rounds]") {
  // Item 0 is steady; item 1 is slowed in rounds 2 and 3 and fast again in the first settling pass;
  // item 2 never repeats itself.
  const std::map<size_t, std::vector<double>> script{
      {0, {10, 10.1, 10.2}}, {1, {10, 16, 16, 10.3}}, {2, {10, 20, 30, 40, 50, 60}}};
  std::map<size_t, int> calls;
  std::vector<std::vector<size_t>> passes;
  int ends = 0;
  latency::RoundHooks hooks;
  hooks.measure = [&](size_t i) {
    const double v = script.at(i).at(size_t(calls[i]++));
    return ms(v, v * 0.9);
  };
  hooks.arrange = [](std::vector<size_t>& items, int pass) {
    if (pass % 2 == 1) std::reverse(items.begin(), items.end());
  };
  hooks.begin_pass = [&](int, const std::vector<size_t>& items) { passes.push_back(items); };
  hooks.end_pass = [&](int pass, const std::vector<std::vector<Measurement>>& rounds) {
    CHECK(pass == ends++);
    CHECK(rounds.size() == 3);
  };
  latency::RoundPlan plan;
  plan.rounds = 3;
  plan.settle_rounds = 3;
  plan.settle_percent = 5;
  const auto rounds = latency::measure_in_rounds(3, plan, hooks);
  REQUIRE(passes.size() == 6);
  CHECK(passes[0] == std::vector<size_t>{0, 1, 2});
  CHECK(passes[1] == std::vector<size_t>{2, 1, 0});  // arranged
  CHECK(passes[3] == std::vector<size_t>{2, 1});     // first settling pass (odd: reversed): item 0 settled
  CHECK(passes[4] == std::vector<size_t>{2});        // item 1 settled by 10 and 10.3
  CHECK(passes[5] == std::vector<size_t>{2});
  CHECK(ends == 6);
  CHECK(rounds[0].size() == 3);
  CHECK(rounds[1].size() == 4);
  CHECK(rounds[2].size() == 6);  // 3 rounds + every settling pass
  CHECK(latency::combine_rounds(rounds[1]).min_ms == Approx(9.0));

  // A custom criterion that settles everything: no settling pass, even for item 2.
  calls.clear();
  passes.clear();
  ends = 0;
  hooks.settled = [](size_t, const std::vector<Measurement>&) { return true; };
  const auto plain = latency::measure_in_rounds(3, plan, hooks);
  CHECK(passes.size() == 3);
  CHECK(plain[2].size() == 3);
}

TEST_CASE("a round plan needs at least one round", "[rounds]") {
  latency::RoundPlan plan;
  plan.rounds = 0;
  latency::RoundHooks hooks;
  hooks.measure = [](size_t) { return ms(1, 1); };
  CHECK_THROWS(latency::measure_in_rounds(1, plan, hooks));
}
