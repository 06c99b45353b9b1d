#include "search/strategy.hpp"

#include <cmath>

#include "common/error.hpp"
#include "search/nsga2.hpp"
#include "search/random_search.hpp"
#include "search/regularized_evolution.hpp"

namespace uibnas::search {

bool better(const Evaluation& a, const Evaluation& b) {
  if (a.feasible() != b.feasible()) return a.feasible();
  if (a.violation != b.violation) return a.violation < b.violation;
  return a.fitness < b.fitness;
}

std::unique_ptr<Strategy> make_strategy(const StrategySettings& s, const SearchProblem& problem) {
  if (s.population < 1) throw common::InputError("--population must be at least 1");
  if (s.name == "random") return std::make_unique<RandomSearch>(problem.space());
  if (s.name == "evolution") {
    if (problem.objective_count() != 1 && !problem.reward())
      throw common::InputError("evolution optimises one objective: give one, or two with --reward (or use nsga2)");
    if (s.sample < 1 || s.sample > s.population)
      throw common::InputError("--sample must be between 1 and --population (" + std::to_string(s.population) + ")");
    return std::make_unique<RegularizedEvolution>(problem.space(), s.population, s.sample);
  }
  if (s.name == "nsga2") {
    if (problem.objective_count() < 2 || problem.objective_count() > 3)
      throw common::InputError("nsga2 needs 2 or 3 objectives, got " + std::to_string(problem.objective_count()));
    if (problem.reward()) throw common::InputError("--reward is for the single-objective strategies (random, evolution)");
    if (s.population < 2) throw common::InputError("nsga2 needs --population of at least 2");
    return std::make_unique<Nsga2>(problem.space(), s.population);
  }
  throw common::InputError("--strategy must be random, evolution or nsga2, got '" + s.name + "'");
}

}  // namespace uibnas::search
