// NSGA-II's orderings (Deb et al. 2002) on minimised objective vectors with constraint violations.
// Constraint domination: a feasible point beats an infeasible one; of two infeasible points the one
// with the smaller total violation wins; two feasible points compare by Pareto dominance.
#pragma once
#include <vector>

#include "search/problem.hpp"

namespace uibnas::search {

// a Pareto-dominates b: no worse in every objective, better in at least one (all minimised).
bool dominates(const std::vector<double>& a, const std::vector<double>& b);
bool constraint_dominates(const Evaluation& a, const Evaluation& b);

// Fronts of indices into `points` by constraint domination: front 0 is dominated by none, front 1
// only by front 0, ... Within a front the indices keep their input order.
std::vector<std::vector<int>> non_dominated_sort(const std::vector<const Evaluation*>& points);

// Crowding distance of each member of one front (same order as `front`): the sum over objectives of
// the normalised gap between its neighbours; the extremes of each objective get infinity.
std::vector<double> crowding_distance(const std::vector<const Evaluation*>& points, const std::vector<int>& front);

// The feasible candidates no feasible candidate dominates, kept as history indices in the order
// they arrived; a repeat of a member (same canonical choices) is not added twice.
class ParetoArchive {
 public:
  // Returns true when the point joined the front (possibly evicting members it dominates).
  bool add(const std::vector<Evaluation>& history, int index);
  const std::vector<int>& members() const { return members_; }

 private:
  std::vector<int> members_;
};

}  // namespace uibnas::search
