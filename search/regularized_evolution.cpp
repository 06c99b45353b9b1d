#include "search/regularized_evolution.hpp"

namespace uibnas::search {

std::vector<searchspace::Choices> RegularizedEvolution::propose(int count, searchspace::Rng& rng,
                                                                const History& history) {
  std::vector<searchspace::Choices> out;
  for (int i = 0; i < count; ++i) {
    if (int(population_.size()) + i < population_size_) {
      out.push_back(searchspace::sample(space_, rng));
      continue;
    }
    int best = population_[size_t(rng.below(int(population_.size())))];
    for (int k = 1; k < sample_; ++k) {
      const int other = population_[size_t(rng.below(int(population_.size())))];
      if (better(history[size_t(other)], history[size_t(best)])) best = other;
    }
    out.push_back(searchspace::mutate(space_, history[size_t(best)].choices, rng));
  }
  return out;
}

void RegularizedEvolution::accept(const History& history, int first) {
  for (int i = first; i < int(history.size()); ++i) {
    population_.push_back(i);
    if (int(population_.size()) > population_size_) population_.pop_front();
  }
}

nlohmann::json RegularizedEvolution::state() const { return {{"population", population_}}; }

void RegularizedEvolution::restore(const nlohmann::json& state, const History&) {
  population_.clear();
  for (int i : state.at("population")) population_.push_back(i);
}

}  // namespace uibnas::search
