// Evaluates a generation of candidates: canonicalises them, answers repeats from a cache keyed by
// the canonical choices, and computes the rest in parallel on `threads` oneTBB workers, each into its
// own slot. Nothing random happens here, so the results do not depend on the thread count.
#pragma once
#include <memory>
#include <unordered_map>
#include <vector>

#include <tbb/task_arena.h>

#include "search/problem.hpp"

namespace uibnas::search {

struct ChoicesHash {
  size_t operator()(const searchspace::Choices& c) const;
};

class Evaluator {
 public:
  Evaluator(const SearchProblem& problem, int threads);

  // One Evaluation per candidate, in order, scored, with `generation` set.
  std::vector<Evaluation> evaluate(const std::vector<searchspace::Choices>& candidates, int generation);
  // Seeds the cache (a resumed search's history).
  void remember(const Evaluation& e) { cache_.emplace(e.choices, e.metrics); }
  long long computed() const { return computed_; }  // candidates not answered by the cache

 private:
  const SearchProblem& problem_;
  int threads_;
  tbb::task_arena arena_;
  std::unordered_map<searchspace::Choices, std::vector<double>, ChoicesHash> cache_;
  long long computed_ = 0;
};

}  // namespace uibnas::search
