// Non-dominated sorting, crowding distance, constraint domination, the Pareto archive and the
// hypervolume on hand-made points with hand-computed answers.
#include <catch2/catch.hpp>

#include <limits>

#include "search/hypervolume.hpp"
#include "search/pareto.hpp"

using namespace uibnas::search;

namespace {

Evaluation point(std::vector<double> v, double violation = 0, int choice = 0) {
  Evaluation e;
  e.minimised = std::move(v);
  e.violation = violation;
  e.choices = {choice};
  return e;
}

std::vector<const Evaluation*> pointers(const std::vector<Evaluation>& v) {
  std::vector<const Evaluation*> p;
  for (const auto& e : v) p.push_back(&e);
  return p;
}

}  // namespace

TEST_CASE("non-dominated sorting and crowding distance on hand-made points", "[search][pareto]") {
  const std::vector<Evaluation> pts = {point({2, 2}), point({1, 1}), point({1, 3}), point({4, 4}), point({3, 1})};
  const auto fronts = non_dominated_sort(pointers(pts));
  REQUIRE(fronts.size() == 3);
  CHECK(fronts[0] == std::vector<int>{1});
  CHECK(fronts[1] == std::vector<int>{0, 2, 4});
  CHECK(fronts[2] == std::vector<int>{3});
  // (1,3), (2,2), (3,1): extremes infinite; the middle one spans (3-1)/2 on each axis.
  const auto crowding = crowding_distance(pointers(pts), fronts[1]);
  CHECK(crowding[0] == Approx(2.0));
  CHECK(std::isinf(crowding[1]));
  CHECK(std::isinf(crowding[2]));
}

TEST_CASE("constraint domination: feasible first, then the smaller violation", "[search][pareto]") {
  const Evaluation good_infeasible = point({0, 0}, 0.5), bad_feasible = point({9, 9});
  const Evaluation slightly = point({5, 5}, 0.1), badly = point({1, 1}, 2.0);
  CHECK(constraint_dominates(bad_feasible, good_infeasible));
  CHECK_FALSE(constraint_dominates(good_infeasible, bad_feasible));
  CHECK(constraint_dominates(slightly, badly));
  CHECK_FALSE(constraint_dominates(badly, slightly));
  CHECK(constraint_dominates(point({1, 2}), point({1, 3})));
  CHECK_FALSE(constraint_dominates(point({1, 2}), point({1, 2})));
  const auto fronts = non_dominated_sort(pointers({badly, good_infeasible, bad_feasible, slightly}));
  CHECK(fronts == std::vector<std::vector<int>>{{2}, {3}, {1}, {0}});
}

TEST_CASE("the archive keeps the feasible non-dominated candidates once", "[search][pareto]") {
  std::vector<Evaluation> h = {point({3, 3}, 0, 1), point({1, 1}, 0.2, 2), point({2, 4}, 0, 3), point({3, 3}, 0, 1),
                               point({1, 5}, 0, 4), point({2, 2}, 0, 5)};
  ParetoArchive archive;
  for (int i = 0; i < int(h.size()); ++i) archive.add(h, i);
  // (2,2) evicts (3,3) and (2,4); the infeasible (1,1) and the repeat of candidate 1 never join.
  CHECK(archive.members() == std::vector<int>{4, 5});
}

TEST_CASE("exact hypervolume against hand-computed values", "[search][hypervolume]") {
  // 2-D staircase (1,3), (2,2), (3,1) under (4,4): 3 + 2 + 1.
  CHECK(hypervolume({{1, 3}, {2, 2}, {3, 1}}, {4, 4}) == Approx(6.0));
  // A dominated point and one beyond the reference add nothing.
  CHECK(hypervolume({{1, 3}, {2, 2}, {3, 1}, {3, 3}, {0.5, 5}}, {4, 4}) == Approx(6.0));
  CHECK(hypervolume({}, {1.2, 1.2}) == 0.0);
  CHECK(hypervolume({{0, 0}}, {1.2, 1.2}) == Approx(1.44));
  // 3-D: boxes 1x1x0.5 and 0.5x0.5x1 overlapping in 0.5x0.5x0.5.
  CHECK(hypervolume({{0, 0, 0.5}, {0.5, 0.5, 0}}, {1, 1, 1}) == Approx(0.5 + 0.25 - 0.125));
  // Three 3x1x1 boxes whose pairwise and triple intersections are all the unit cube [2,3]^3.
  CHECK(hypervolume({{0, 2, 2}, {2, 0, 2}, {2, 2, 0}}, {3, 3, 3}) == Approx(3 + 3 + 3 - 1 - 1 - 1 + 1));
  CHECK(hypervolume({{0.25}}, {1}) == Approx(0.75));
}

TEST_CASE("bounds normalise each axis to [0, 1] over the points", "[search][hypervolume]") {
  const Bounds b = bounds_of({{10, 5}, {20, 5}, {15, 5}});
  CHECK(b.normalise({10, 5}) == std::vector<double>{0, 0});
  CHECK(b.normalise({20, 5})[0] == Approx(1.0));
  CHECK(b.hi[1] == Approx(10.0));  // no spread: hi = lo + max(1, |lo|)
}
