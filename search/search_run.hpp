// The generation loop shared by every strategy: propose (main thread, the generation's own Rng),
// evaluate (in parallel), append to the history, let the strategy select, update the Pareto archive
// and the hypervolume. The generation's Rng is seeded from (seed, generation) alone, so a search
// continued from a checkpoint taken at any generation boundary draws exactly what the uninterrupted
// search drew.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>

#include "search/evaluator.hpp"
#include "search/hypervolume.hpp"
#include "search/pareto.hpp"
#include "search/strategy.hpp"

namespace uibnas::search {

struct SearchSettings {
  StrategySettings strategy;
  long long budget = 1000;  // candidates evaluated (repeats included)
  std::uint64_t seed = 1;
  int threads = 1;
};

// Everything a checkpoint needs to continue.
struct SearchState {
  int generations = 0;  // completed
  History history;
  nlohmann::json strategy;             // Strategy::state()
  Bounds bounds;                       // fixed after generation 0 (empty before)
  std::vector<double> hypervolume;     // of the feasible front after each generation (NaN beyond 3 objectives)
  double elapsed_s = 0;                // wall time spent, all sessions together
};

struct GenerationReport {
  int generation = 0;
  long long evaluations = 0, budget = 0;
  std::optional<double> best;  // best feasible: the reward, or the first objective's value
  int front_size = 0;
  double hypervolume = 0;
  double elapsed_s = 0, eta_s = 0;
};

searchspace::Rng generation_rng(std::uint64_t seed, int generation);

class SearchRun {
 public:
  SearchRun(const SearchProblem& problem, const SearchSettings& settings);

  // Continues from a checkpointed state (history, population, bounds, hypervolumes).
  void resume(SearchState state);
  bool done() const { return (long long)state_.history.size() >= settings_.budget; }
  // Runs generations until the budget is spent, calling `after_generation` after each (progress,
  // checkpoints); it may stop the search early by returning false.
  void run(const std::function<bool(const GenerationReport&)>& after_generation);

  const SearchProblem& problem() const { return problem_; }
  const SearchSettings& settings() const { return settings_; }
  const SearchState& state() const;  // with the strategy's current state
  const std::vector<int>& front() const { return archive_.members(); }
  long long computed() const { return evaluator_.computed(); }

 private:
  GenerationReport run_generation(double session_start_elapsed);
  void absorb(int first);
  double front_hypervolume() const;

  const SearchProblem& problem_;
  SearchSettings settings_;
  std::unique_ptr<Strategy> strategy_;
  Evaluator evaluator_;
  ParetoArchive archive_;
  mutable SearchState state_;
  std::optional<int> best_;  // history index of the best feasible candidate
};

}  // namespace uibnas::search
