// NSGA-II, Deb et al. 2002: parents by binary tournament (lower front rank, then larger crowding
// distance), a child by uniform crossover of two parents followed by a one-decision mutation
// (searchspace/), and survival of the best P of parents + children by non-dominated sorting with
// constraint domination, the last front cut by crowding distance. The first generation is random.
// Rank and crowding for the tournament are those of the surviving population itself.
#pragma once
#include "search/strategy.hpp"

namespace uibnas::search {

class Nsga2 : public Strategy {
 public:
  Nsga2(const searchspace::SearchSpace& space, int population) : space_(space), population_size_(population) {}
  std::string name() const override { return "nsga2"; }
  std::vector<searchspace::Choices> propose(int count, searchspace::Rng& rng, const History& history) override;
  void accept(const History& history, int first) override;
  nlohmann::json state() const override { return {{"population", population_}}; }
  void restore(const nlohmann::json& state, const History& history) override;

  const std::vector<int>& population() const { return population_; }

 private:
  int tournament(searchspace::Rng& rng) const;
  void rank_population(const History& history);

  const searchspace::SearchSpace& space_;
  int population_size_;
  std::vector<int> population_;  // history indices
  std::vector<int> rank_;        // per population member
  std::vector<double> crowding_;
};

// NSGA-II's environmental selection: the best `keep` of `candidates` (history indices), in order of
// front, then (within the last front taken) decreasing crowding distance.
std::vector<int> nsga2_select(const History& history, const std::vector<int>& candidates, int keep);

}  // namespace uibnas::search
