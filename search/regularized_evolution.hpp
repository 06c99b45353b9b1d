// Regularized (aging) evolution, Real et al. 2019: a population of the P most recent candidates;
// a child is the best of S members drawn at random (with replacement), changed in one decision
// (searchspace::mutate); the oldest member dies when a child joins. The population starts as random
// samples. A generation breeds its children from the population as it stood when the generation
// began, so that they can be evaluated together.
#pragma once
#include <deque>

#include "search/strategy.hpp"

namespace uibnas::search {

class RegularizedEvolution : public Strategy {
 public:
  RegularizedEvolution(const searchspace::SearchSpace& space, int population, int sample)
      : space_(space), population_size_(population), sample_(sample) {}
  std::string name() const override { return "evolution"; }
  std::vector<searchspace::Choices> propose(int count, searchspace::Rng& rng, const History& history) override;
  void accept(const History& history, int first) override;
  nlohmann::json state() const override;
  void restore(const nlohmann::json& state, const History& history) override;

 private:
  const searchspace::SearchSpace& space_;
  int population_size_, sample_;
  std::deque<int> population_;  // history indices, oldest first
};

}  // namespace uibnas::search
