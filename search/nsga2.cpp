#include "search/nsga2.hpp"

#include <algorithm>
#include <numeric>

#include "search/pareto.hpp"

namespace uibnas::search {

std::vector<int> nsga2_select(const History& history, const std::vector<int>& candidates, int keep) {
  std::vector<const Evaluation*> points;
  for (int i : candidates) points.push_back(&history[size_t(i)]);
  std::vector<int> chosen;
  for (const std::vector<int>& front : non_dominated_sort(points)) {
    if (int(chosen.size()) >= keep) break;
    if (int(chosen.size() + front.size()) <= keep) {
      for (int k : front) chosen.push_back(candidates[size_t(k)]);
      continue;
    }
    const std::vector<double> crowding = crowding_distance(points, front);
    std::vector<size_t> order(front.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return crowding[a] > crowding[b]; });
    for (size_t k = 0; int(chosen.size()) < keep; ++k) chosen.push_back(candidates[size_t(front[order[k]])]);
  }
  return chosen;
}

int Nsga2::tournament(searchspace::Rng& rng) const {
  const int a = rng.below(int(population_.size())), b = rng.below(int(population_.size()));
  if (rank_[size_t(a)] != rank_[size_t(b)]) return rank_[size_t(a)] < rank_[size_t(b)] ? a : b;
  return crowding_[size_t(b)] > crowding_[size_t(a)] ? b : a;
}

std::vector<searchspace::Choices> Nsga2::propose(int count, searchspace::Rng& rng, const History& history) {
  std::vector<searchspace::Choices> out;
  for (int i = 0; i < count; ++i) {
    if (population_.empty()) {
      out.push_back(searchspace::sample(space_, rng));
      continue;
    }
    const searchspace::Choices& a = history[size_t(population_[size_t(tournament(rng))])].choices;
    const searchspace::Choices& b = history[size_t(population_[size_t(tournament(rng))])].choices;
    out.push_back(searchspace::mutate(space_, searchspace::crossover(space_, a, b, rng), rng));
  }
  return out;
}

void Nsga2::accept(const History& history, int first) {
  std::vector<int> candidates = population_;
  for (int i = first; i < int(history.size()); ++i) candidates.push_back(i);
  population_ = nsga2_select(history, candidates, population_size_);
  rank_population(history);
}

void Nsga2::rank_population(const History& history) {
  std::vector<const Evaluation*> points;
  for (int i : population_) points.push_back(&history[size_t(i)]);
  rank_.assign(population_.size(), 0);
  crowding_.assign(population_.size(), 0);
  const auto fronts = non_dominated_sort(points);
  for (size_t f = 0; f < fronts.size(); ++f) {
    const std::vector<double> crowding = crowding_distance(points, fronts[f]);
    for (size_t k = 0; k < fronts[f].size(); ++k) {
      rank_[size_t(fronts[f][k])] = int(f);
      crowding_[size_t(fronts[f][k])] = crowding[k];
    }
  }
}

void Nsga2::restore(const nlohmann::json& state, const History& history) {
  population_ = state.at("population").get<std::vector<int>>();
  rank_population(history);
}

}  // namespace uibnas::search
