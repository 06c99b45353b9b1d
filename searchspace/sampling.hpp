// Random candidates, reproducible by seed: uniform sampling, mutation of one choice, crossover.
//
// Two definitions of "uniform" (docs/search-spaces.md):
// - PerDecision (the default): every decision is uniform over its options, independently. A stage's
//   depth is uniform over its range, a block's start DW uniform over {0, 3, 5}, and so on.
// - PerCandidate: every candidate of the space is equally likely. Decisions that open others (depth,
//   block type, MQA count) are then weighted by how many candidates each option leads to, which
//   puts nearly all the mass on the deepest stages.
// Both draw every decision, active or not, so a later mutation that deepens a stage reveals a block
// that was itself drawn uniformly.
#pragma once
#include <cstdint>
#include <random>

#include "searchspace/search_space.hpp"

namespace uibnas::searchspace {

enum class SamplingMode { PerDecision, PerCandidate };

// A 64-bit Mersenne Twister with its own bounded draws, so a seed gives the same candidates with
// every standard library (std::uniform_int_distribution differs between them).
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : engine_(seed) {}
  std::uint64_t next() { return engine_(); }
  int below(int n);            // uniform in [0, n), unbiased
  double unit();               // uniform in [0, 1)
  int weighted(const std::vector<double>& weights);

 private:
  std::mt19937_64 engine_;
};

Choices sample(const SearchSpace& space, Rng& rng, SamplingMode mode = SamplingMode::PerDecision);

// Changes exactly one active decision that has more than one option to another of its options
// (uniform over such decisions, then over the other options). Throws InputError when the space has
// a single candidate.
Choices mutate(const SearchSpace& space, const Choices& parent, Rng& rng);

// Uniform crossover: each decision comes from `a` or `b` with probability 1/2.
Choices crossover(const SearchSpace& space, const Choices& a, const Choices& b, Rng& rng);

}  // namespace uibnas::searchspace
