#include "search/evaluator.hpp"

#include <algorithm>

#include <tbb/info.h>
#include <tbb/parallel_for.h>

namespace uibnas::search {

size_t ChoicesHash::operator()(const searchspace::Choices& c) const {
  std::uint64_t h = 1469598103934665603ULL;  // FNV-1a over the option indices
  for (int v : c) h = (h ^ std::uint64_t(std::uint32_t(v))) * 1099511628211ULL;
  return size_t(h);
}

Evaluator::Evaluator(const SearchProblem& problem, int threads)
    // More workers than the machine has would only be refused by oneTBB (with a warning); the results
    // do not depend on the count either way.
    : problem_(problem),
      threads_(std::clamp(threads, 1, std::max(1, tbb::info::default_concurrency()))),
      arena_(threads_) {}

std::vector<Evaluation> Evaluator::evaluate(const std::vector<searchspace::Choices>& candidates, int generation) {
  const searchspace::SearchSpace& space = problem_.space();
  std::vector<Evaluation> out(candidates.size());
  std::vector<size_t> to_compute;  // first occurrence of each candidate the cache does not hold
  std::unordered_map<searchspace::Choices, size_t, ChoicesHash> first_in_batch;
  for (size_t i = 0; i < candidates.size(); ++i) {
    out[i].choices = space.canonical(candidates[i]);
    out[i].generation = generation;
    if (const auto hit = cache_.find(out[i].choices); hit != cache_.end()) out[i].metrics = hit->second;
    else if (first_in_batch.emplace(out[i].choices, i).second) to_compute.push_back(i);
  }
  auto compute = [&](size_t k) { out[to_compute[k]].metrics = problem_.measure(out[to_compute[k]].choices); };
  if (threads_ == 1 || to_compute.size() < 2) {
    for (size_t k = 0; k < to_compute.size(); ++k) compute(k);
  } else {
    arena_.execute([&] { tbb::parallel_for(size_t(0), to_compute.size(), compute); });
  }
  computed_ += (long long)to_compute.size();
  for (size_t i : to_compute) cache_.emplace(out[i].choices, out[i].metrics);
  for (Evaluation& e : out) {
    if (e.metrics.empty()) e.metrics = cache_.at(e.choices);
    problem_.score(e);
  }
  return out;
}

}  // namespace uibnas::search
