// Each strategy on the tiny space with synthetic objectives whose optimum and front are known, the
// rewards against hand arithmetic, constraint handling and determinism across thread counts.
#include <catch2/catch.hpp>

#include <cmath>
#include <set>

#include "search/search_run.hpp"
#include "search_test_support.hpp"

using namespace uibnas;
using namespace uibnas::search;
using namespace search_test;

namespace {

const searchspace::SearchSpace& tiny() {
  static const searchspace::SearchSpace space = searchspace::load_search_space(tiny_space_file());
  return space;
}

SearchProblem single_objective_problem() {
  std::vector<ChosenObjective> o;
  o.push_back(chosen<ChoiceSum>());
  return SearchProblem(tiny(), std::move(o), {}, std::nullopt);
}

SearchProblem two_objective_problem() {
  std::vector<ChosenObjective> o;
  o.push_back(chosen<ResolutionIndex>(false));
  o.push_back(chosen<ResolutionIndex>(true));
  return SearchProblem(tiny(), std::move(o), {}, std::nullopt);
}

SearchRun run_to_end(const SearchProblem& p, const std::string& strategy, long long budget, int threads = 1,
                     std::uint64_t seed = 7) {
  SearchRun run(p, {{strategy, 10, 3}, budget, seed, threads});
  run.run([](const GenerationReport&) { return true; });
  return run;
}

std::set<std::vector<double>> front_values(const SearchRun& run) {
  std::set<std::vector<double>> out;
  for (int i : run.front()) out.insert(run.state().history[size_t(i)].minimised);
  return out;
}

const std::set<std::vector<double>> kKnownFront = {{0, 4}, {1, 3}, {2, 2}, {3, 1}, {4, 0}};

}  // namespace

TEST_CASE("the tiny space has the 140 candidates its test objectives assume", "[search][strategy]") {
  CHECK(tiny().cardinality().to_string() == "140");
}

TEST_CASE("regularized evolution and random search find the single-objective optimum", "[search][strategy]") {
  const SearchProblem p = single_objective_problem();
  for (const char* strategy : {"evolution", "random"}) {
    INFO(strategy);
    const SearchRun run = run_to_end(p, strategy, 300);
    CHECK(run.state().history.size() == 300);
    double best = 1e9;
    for (const Evaluation& e : run.state().history) best = std::min(best, e.fitness);
    CHECK(best == 0.0);  // only the shallowest, narrowest candidates score 0
  }
}

TEST_CASE("evolution's children differ from a population member in one decision", "[search][strategy]") {
  const SearchProblem p = single_objective_problem();
  const SearchRun run = run_to_end(p, "evolution", 60);
  const History& h = run.state().history;
  // Generation 0 is random; every later candidate is one mutation away from an earlier candidate.
  for (size_t i = 10; i < h.size(); ++i) {
    bool one_step = false;
    for (size_t j = 0; j < size_t(h[i].generation) * 10 && !one_step; ++j) {
      int differ = 0;
      for (size_t d = 0; d < h[i].choices.size(); ++d) differ += h[i].choices[d] != h[j].choices[d];
      // The mutated decision, plus up to two start DWs a shallower depth hides (canonical zeroes them).
      one_step = differ >= 1 && differ <= 3;
    }
    CHECK(one_step);
  }
}

TEST_CASE("NSGA-II and random search recover the known two-objective front", "[search][strategy]") {
  const SearchProblem p = two_objective_problem();
  for (const char* strategy : {"nsga2", "random"}) {
    INFO(strategy);
    const SearchRun run = run_to_end(p, strategy, 400);
    CHECK(front_values(run) == kKnownFront);
    // Normalised by generation 0's spread, the full front's hypervolume is that of the 5 points.
    const Bounds& b = run.state().bounds;
    std::vector<std::vector<double>> normalised;
    for (const auto& v : kKnownFront) normalised.push_back(b.normalise(v));
    CHECK(run.state().hypervolume.back() == Approx(hypervolume(normalised, {1.2, 1.2})));
  }
}

TEST_CASE("hypervolume never decreases over generations", "[search][hypervolume]") {
  const SearchProblem p = two_objective_problem();
  const SearchRun run = run_to_end(p, "nsga2", 200);
  const auto& hv = run.state().hypervolume;
  REQUIRE(hv.size() == 20);
  for (size_t g = 1; g < hv.size(); ++g) CHECK(hv[g] >= hv[g - 1]);
}

TEST_CASE("TuNAS rewards against hand arithmetic", "[search][reward]") {
  // Q = 0.8, T = 12 ms, T0 = 10 ms, β = -0.1.
  CHECK(Reward{RewardKind::Abs, 10, -0.1}(0.8, 12) == Approx(0.8 - 0.1 * 0.2));
  CHECK(Reward{RewardKind::Mnas, 10, -0.1}(0.8, 12) == Approx(0.8 * std::pow(1.2, -0.1)));
  CHECK(Reward{RewardKind::MnasHard, 10, -0.1}(0.8, 12) == Approx(0.8 * std::pow(1.2, -0.1)));
  // Faster than the target: mnas rewards it, mnas_hard does not, abs penalises the miss.
  CHECK(Reward{RewardKind::Mnas, 10, -0.1}(0.8, 5) == Approx(0.8 * std::pow(0.5, -0.1)));
  CHECK(Reward{RewardKind::MnasHard, 10, -0.1}(0.8, 5) == Approx(0.8));
  CHECK(Reward{RewardKind::Abs, 10, -0.1}(0.8, 5) == Approx(0.75));
}

TEST_CASE("a violating candidate stays in the history, infeasible, and out of the front", "[search][constraint]") {
  std::vector<ChosenObjective> o;
  o.push_back(chosen<ResolutionIndex>(false));
  o.push_back(chosen<ResolutionIndex>(true));
  // resolution index at most 2: violation = max(0, r/2 - 1).
  const SearchProblem p(tiny(), std::move(o), {{"resolution", 2.0, -1}}, std::nullopt);
  const SearchRun run = run_to_end(p, "nsga2", 300);
  const History& h = run.state().history;
  CHECK(h.size() == 300);
  int infeasible = 0;
  for (const Evaluation& e : h) {
    const double r = e.metrics[0];
    CHECK(e.violation == Approx(std::max(0.0, r / 2 - 1)));
    infeasible += !e.feasible();
  }
  CHECK(infeasible > 0);
  CHECK(front_values(run) == std::set<std::vector<double>>{{0, 4}, {1, 3}, {2, 2}});
}

TEST_CASE("a search gives the same history at any thread count", "[search][determinism]") {
  const searchspace::SearchSpace space = searchspace::load_search_space(std::string(UIBNAS_SOURCE_DIR) + "/searchspace/spaces/conv-s.json");
  ObjectiveContext context{&space, nullptr, LatencyModel::Macs, 0};
  const SearchProblem p(space, {"params", "macs:max"}, {{"params", 3.5e6}}, context, std::nullopt);
  for (const char* strategy : {"nsga2", "random"}) {
    INFO(strategy);
    const SearchRun one = run_to_end(p, strategy, 300, 1, 11), four = run_to_end(p, strategy, 300, 4, 11);
    const History &a = one.state().history, &b = four.state().history;
    REQUIRE(a.size() == b.size());
    for (size_t i = 0; i < a.size(); ++i) {
      CHECK(a[i].choices == b[i].choices);
      CHECK(a[i].metrics == b[i].metrics);
    }
    CHECK(one.front() == four.front());
    CHECK(run_to_end(p, strategy, 300, 1, 12).state().history[0].choices != a[0].choices);  // the seed matters
  }
}
