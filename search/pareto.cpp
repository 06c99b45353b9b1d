#include "search/pareto.hpp"

#include <algorithm>
#include <limits>
#include <numeric>

namespace uibnas::search {

bool dominates(const std::vector<double>& a, const std::vector<double>& b) {
  bool better = false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] > b[i]) return false;
    better |= a[i] < b[i];
  }
  return better;
}

bool constraint_dominates(const Evaluation& a, const Evaluation& b) {
  if (a.feasible() != b.feasible()) return a.feasible();
  if (!a.feasible()) return a.violation < b.violation;
  return dominates(a.minimised, b.minimised);
}

std::vector<std::vector<int>> non_dominated_sort(const std::vector<const Evaluation*>& points) {
  const int n = int(points.size());
  std::vector<std::vector<int>> dominated_by_me(static_cast<size_t>(n));
  std::vector<int> dominators(size_t(n), 0);
  for (int i = 0; i < n; ++i)
    for (int j = i + 1; j < n; ++j) {
      if (constraint_dominates(*points[size_t(i)], *points[size_t(j)])) {
        dominated_by_me[size_t(i)].push_back(j);
        ++dominators[size_t(j)];
      } else if (constraint_dominates(*points[size_t(j)], *points[size_t(i)])) {
        dominated_by_me[size_t(j)].push_back(i);
        ++dominators[size_t(i)];
      }
    }
  std::vector<std::vector<int>> fronts;
  std::vector<int> current;
  for (int i = 0; i < n; ++i)
    if (dominators[size_t(i)] == 0) current.push_back(i);
  while (!current.empty()) {
    std::vector<int> next;
    for (int i : current)
      for (int j : dominated_by_me[size_t(i)])
        if (--dominators[size_t(j)] == 0) next.push_back(j);
    std::sort(next.begin(), next.end());
    fronts.push_back(std::move(current));
    current = std::move(next);
  }
  return fronts;
}

std::vector<double> crowding_distance(const std::vector<const Evaluation*>& points, const std::vector<int>& front) {
  const size_t n = front.size();
  std::vector<double> distance(n, 0.0);
  if (n == 0) return distance;
  const size_t objectives = points[size_t(front[0])]->minimised.size();
  std::vector<size_t> order(n);
  for (size_t m = 0; m < objectives; ++m) {
    auto value = [&](size_t k) { return points[size_t(front[k])]->minimised[m]; };
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return value(a) < value(b); });
    const double range = value(order.back()) - value(order.front());
    distance[order.front()] = distance[order.back()] = std::numeric_limits<double>::infinity();
    if (range <= 0) continue;
    for (size_t k = 1; k + 1 < n; ++k) distance[order[k]] += (value(order[k + 1]) - value(order[k - 1])) / range;
  }
  return distance;
}

bool ParetoArchive::add(const std::vector<Evaluation>& history, int index) {
  const Evaluation& p = history[size_t(index)];
  if (!p.feasible()) return false;
  for (int m : members_) {
    const Evaluation& q = history[size_t(m)];
    if (q.choices == p.choices || dominates(q.minimised, p.minimised)) return false;
  }
  std::erase_if(members_, [&](int m) { return dominates(p.minimised, history[size_t(m)].minimised); });
  members_.push_back(index);
  return true;
}

}  // namespace uibnas::search
