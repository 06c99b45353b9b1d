#include "search/search_run.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

namespace uibnas::search {

searchspace::Rng generation_rng(std::uint64_t seed, int generation) {
  // splitmix64 of (seed, generation): nearby seeds and generations give unrelated streams.
  std::uint64_t z = seed + 0x9E3779B97F4A7C15ULL * (std::uint64_t(generation) + 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return searchspace::Rng(z ^ (z >> 31));
}

SearchRun::SearchRun(const SearchProblem& problem, const SearchSettings& settings)
    : problem_(problem),
      settings_(settings),
      strategy_(make_strategy(settings.strategy, problem)),
      evaluator_(problem, settings.threads) {}

void SearchRun::resume(SearchState state) {
  state_ = std::move(state);
  for (const Evaluation& e : state_.history) evaluator_.remember(e);
  strategy_->restore(state_.strategy, state_.history);
  absorb(0);
}

const SearchState& SearchRun::state() const {
  state_.strategy = strategy_->state();
  return state_;
}

// The archive and the best candidate take in history[first, end).
void SearchRun::absorb(int first) {
  const History& h = state_.history;
  const bool scalar = problem_.reward() || problem_.objective_count() == 1;
  for (int i = first; i < int(h.size()); ++i) {
    archive_.add(h, i);
    if (!h[size_t(i)].feasible()) continue;
    const bool improves = !best_ || (scalar ? h[size_t(i)].fitness < h[size_t(*best_)].fitness
                                            : h[size_t(i)].minimised[0] < h[size_t(*best_)].minimised[0]);
    if (improves) best_ = i;
  }
}

double SearchRun::front_hypervolume() const {
  if (problem_.objective_count() > 3 || state_.bounds.lo.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::vector<std::vector<double>> points;
  for (int i : archive_.members()) points.push_back(state_.bounds.normalise(state_.history[size_t(i)].minimised));
  return hypervolume(points, std::vector<double>(size_t(problem_.objective_count()), kReferencePoint));
}

GenerationReport SearchRun::run_generation(double session_start_elapsed) {
  const auto t0 = std::chrono::steady_clock::now();
  const int generation = state_.generations;
  const long long left = settings_.budget - (long long)state_.history.size();
  const int count = int(std::min<long long>(settings_.strategy.population, left));
  searchspace::Rng rng = generation_rng(settings_.seed, generation);
  const std::vector<searchspace::Choices> proposed = strategy_->propose(count, rng, state_.history);
  std::vector<Evaluation> evaluated = evaluator_.evaluate(proposed, generation);
  const int first = int(state_.history.size());
  for (Evaluation& e : evaluated) state_.history.push_back(std::move(e));
  strategy_->accept(state_.history, first);
  if (generation == 0) {
    std::vector<std::vector<double>> feasible, all;
    for (const Evaluation& e : state_.history) (e.feasible() ? feasible : all).push_back(e.minimised);
    state_.bounds = bounds_of(feasible.empty() ? all : feasible);
  }
  absorb(first);
  state_.hypervolume.push_back(front_hypervolume());
  state_.generations = generation + 1;
  state_.elapsed_s = session_start_elapsed + std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  GenerationReport r;
  r.generation = generation;
  r.evaluations = (long long)state_.history.size();
  r.budget = settings_.budget;
  if (best_) {
    const Evaluation& b = state_.history[size_t(*best_)];
    r.best = problem_.reward() ? -b.fitness : b.metrics[0];
  }
  r.front_size = int(archive_.members().size());
  r.hypervolume = state_.hypervolume.back();
  r.elapsed_s = state_.elapsed_s;
  r.eta_s = r.elapsed_s / double(r.evaluations) * double(r.budget - r.evaluations);
  return r;
}

void SearchRun::run(const std::function<bool(const GenerationReport&)>& after_generation) {
  while (!done()) {
    const GenerationReport r = run_generation(state_.elapsed_s);
    if (!after_generation(r)) return;
  }
}

}  // namespace uibnas::search
