#include "search/problem.hpp"

#include <algorithm>

#include "common/error.hpp"

namespace uibnas::search {

SearchProblem::SearchProblem(const searchspace::SearchSpace& space, const std::vector<std::string>& objectives,
                             const std::vector<std::pair<std::string, double>>& constraints,
                             const ObjectiveContext& context, std::optional<Reward> reward)
    : space_(space) {
  if (objectives.empty()) throw common::InputError("give at least one objective (--objectives)");
  for (const std::string& text : objectives) {
    metrics_.push_back(make_objective(text, context));
    const std::string name = metrics_.back().objective->name();
    for (size_t i = 0; i + 1 < metrics_.size(); ++i)
      if (metrics_[i].objective->name() == name) throw common::InputError("objective '" + name + "' is given twice");
  }
  objective_count_ = int(metrics_.size());
  for (const auto& [metric, limit] : constraints) constraints_.push_back({metric, limit, -1});
  attach_constraints(&context);
  if (reward) {
    RewardSetup setup{*reward, -1, -1};
    for (int i = 0; i < objective_count_; ++i)
      (metrics_[size_t(i)].objective->name() == "latency" ? setup.latency : setup.quality) = i;
    if (objective_count_ != 2 || setup.latency < 0 || setup.quality < 0)
      throw common::InputError("--reward needs exactly two objectives: latency and a quality (e.g. predictor:FILE.csv)");
    if (!(reward->target_latency > 0)) throw common::InputError("--reward needs --target-latency MS > 0");
    reward_ = setup;
  }
}

SearchProblem::SearchProblem(const searchspace::SearchSpace& space, std::vector<ChosenObjective> objectives,
                             std::vector<Constraint> constraints, std::optional<RewardSetup> reward)
    : space_(space), metrics_(std::move(objectives)), constraints_(std::move(constraints)), reward_(reward) {
  objective_count_ = int(metrics_.size());
  attach_constraints(nullptr);
}

void SearchProblem::attach_constraints(const ObjectiveContext* context) {
  for (Constraint& c : constraints_) {
    if (!(c.limit > 0)) throw common::InputError("the limit on " + c.metric + " must be positive");
    for (int i = 0; i < int(metrics_.size()) && c.index < 0; ++i)
      if (metrics_[size_t(i)].objective->name() == c.metric) c.index = i;
    if (c.index >= 0) continue;
    if (context == nullptr) throw common::InputError("no metric named '" + c.metric + "' to constrain");
    metrics_.push_back(make_objective(c.metric, *context));
    c.index = int(metrics_.size()) - 1;
  }
}

std::vector<std::string> SearchProblem::objective_labels() const {
  std::vector<std::string> labels;
  for (int i = 0; i < objective_count_; ++i) labels.push_back(metrics_[size_t(i)].label());
  return labels;
}

std::vector<double> SearchProblem::measure(const searchspace::Choices& canonical) const {
  const Candidate candidate(space_, canonical);
  std::vector<double> values(metrics_.size());
  for (size_t i = 0; i < metrics_.size(); ++i) values[i] = metrics_[i].objective->value(candidate);
  return values;
}

void SearchProblem::score(Evaluation& e) const {
  e.minimised.resize(size_t(objective_count_));
  for (int i = 0; i < objective_count_; ++i) {
    const double v = e.metrics[size_t(i)];
    e.minimised[size_t(i)] = metrics_[size_t(i)].direction == Direction::Minimise ? v : -v;
  }
  e.violation = 0;
  for (const Constraint& c : constraints_) e.violation += std::max(0.0, e.metrics[size_t(c.index)] / c.limit - 1);
  if (reward_) e.fitness = -reward_->reward(e.metrics[size_t(reward_->quality)], e.metrics[size_t(reward_->latency)]);
  else if (objective_count_ == 1) e.fitness = e.minimised[0];
}

}  // namespace uibnas::search
