// A search problem: the space, the objectives with their directions, the constraints and, for the
// single-objective strategies, how a candidate's objectives become one fitness.
//
// Every candidate is evaluated into metrics: the objectives first, then any quantity only a
// constraint needs (--max-latency without a latency objective). From them follow the minimised
// objectives (maximised ones negated), the total constraint violation Σ max(0, value/limit − 1)
// (relative, so that milliseconds and parameter counts add up; 0 = feasible) and the fitness.
#pragma once
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "search/objective_registry.hpp"
#include "search/reward.hpp"

namespace uibnas::search {

struct Constraint {
  std::string metric;  // latency, params, macs
  double limit = 0;    // the metric must not exceed it
  int index = -1;      // into the metrics
};

// Reward over the objectives: Q is the objective that is not latency, T the latency objective.
struct RewardSetup {
  Reward reward;
  int quality = -1, latency = -1;  // objective indices
};

struct Evaluation {
  searchspace::Choices choices;    // canonical
  std::vector<double> metrics;     // objectives, then constraint-only metrics
  std::vector<double> minimised;   // one per objective
  double violation = 0;
  double fitness = std::numeric_limits<double>::quiet_NaN();  // minimised scalar (single-objective)
  int generation = 0;
  bool feasible() const { return violation <= 0; }
};

class SearchProblem {
 public:
  // Makes each objective and each constraint's metric; throws InputError for an unknown objective, a
  // constraint on an unknown metric, or a reward without exactly one latency and one other objective.
  SearchProblem(const searchspace::SearchSpace& space, const std::vector<std::string>& objectives,
                const std::vector<std::pair<std::string, double>>& constraints, const ObjectiveContext& context,
                std::optional<Reward> reward);
  // For tests and custom problems: objectives made by the caller.
  SearchProblem(const searchspace::SearchSpace& space, std::vector<ChosenObjective> objectives,
                std::vector<Constraint> constraints, std::optional<RewardSetup> reward);

  const searchspace::SearchSpace& space() const { return space_; }
  int objective_count() const { return objective_count_; }
  int metric_count() const { return int(metrics_.size()); }
  const ChosenObjective& metric(int i) const { return metrics_[size_t(i)]; }
  std::vector<std::string> objective_labels() const;
  const std::vector<Constraint>& constraints() const { return constraints_; }
  const std::optional<RewardSetup>& reward() const { return reward_; }

  // The candidate's metrics (thread-safe).
  std::vector<double> measure(const searchspace::Choices& canonical) const;
  // Fills minimised, violation and fitness from metrics.
  void score(Evaluation& e) const;

 private:
  void attach_constraints(const ObjectiveContext* context);

  const searchspace::SearchSpace& space_;
  std::vector<ChosenObjective> metrics_;
  int objective_count_ = 0;
  std::vector<Constraint> constraints_;
  std::optional<RewardSetup> reward_;
};

}  // namespace uibnas::search
