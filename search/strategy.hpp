// A search strategy proposes each generation's candidates and keeps whatever population it breeds
// from. All its random numbers come from the generation's Rng on the main thread; evaluation happens
// elsewhere, so a strategy never sees a thread. Its state is a list of history indices, which is what
// a checkpoint stores.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "search/problem.hpp"
#include "searchspace/sampling.hpp"

namespace uibnas::search {

using History = std::vector<Evaluation>;

class Strategy {
 public:
  virtual ~Strategy() = default;
  virtual std::string name() const = 0;
  virtual std::vector<searchspace::Choices> propose(int count, searchspace::Rng& rng, const History& history) = 0;
  // The generation's evaluations are history[first, history.size()).
  virtual void accept(const History& history, int first) = 0;
  virtual nlohmann::json state() const = 0;
  virtual void restore(const nlohmann::json& state, const History& history) = 0;
};

struct StrategySettings {
  std::string name = "evolution";  // random, evolution, nsga2
  int population = 100;            // P
  int sample = 25;                 // S: regularized evolution's tournament size
};

// Throws InputError for an unknown name or settings the strategy cannot work with (evolution on
// several objectives without a reward, NSGA-II on other than 2 or 3 objectives, S > P, ...).
std::unique_ptr<Strategy> make_strategy(const StrategySettings& settings, const SearchProblem& problem);

// Single-objective order: feasible first, then the smaller violation, then the smaller fitness.
bool better(const Evaluation& a, const Evaluation& b);

}  // namespace uibnas::search
