// The top-1 × latency Pareto front of a set of models: a model is on it unless another is at least
// as fast and at least as accurate, and strictly better in one of the two.
#pragma once
#include <optional>
#include <string>
#include <vector>

namespace uibnas::reports {

struct ModelPoint {
  std::string name;
  double latency = 0;  // any unit in which smaller is faster
  double top1 = 0;
};

// Of the models dominating one, the one named is the fastest (ties: the more accurate, then the
// first given): the largest saving at no loss of top-1.
struct Domination {
  std::string model;
  double latency_pct = 0;  // its latency relative to the dominated model's, in percent (negative = faster)
  double top1_delta = 0;   // its top-1 minus the dominated model's, in points (>= 0)
};

// One entry per point, in order: nullopt for the front's members.
std::vector<std::optional<Domination>> top1_latency_front(const std::vector<ModelPoint>& points);

}  // namespace uibnas::reports
