#include "searchspace/sampling.hpp"

namespace uibnas::searchspace {

int Rng::below(int n) {
  // Lemire's multiply-and-reject: exact uniformity without a division on the common path.
  const std::uint64_t range = static_cast<std::uint64_t>(n);
  unsigned __int128 m = static_cast<unsigned __int128>(next()) * range;
  std::uint64_t low = static_cast<std::uint64_t>(m);
  if (low < range) {
    const std::uint64_t threshold = -range % range;
    while (low < threshold) {
      m = static_cast<unsigned __int128>(next()) * range;
      low = static_cast<std::uint64_t>(m);
    }
  }
  return static_cast<int>(m >> 64);
}

double Rng::unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

int Rng::weighted(const std::vector<double>& weights) {
  double total = 0;
  for (double w : weights) total += w;
  double r = unit() * total;
  for (size_t i = 0; i + 1 < weights.size(); ++i) {
    if (r < weights[i]) return static_cast<int>(i);
    r -= weights[i];
  }
  return static_cast<int>(weights.size()) - 1;
}

Choices sample(const SearchSpace& space, Rng& rng, SamplingMode mode) {
  const auto& decisions = space.decisions();
  Choices c(decisions.size());
  for (size_t i = 0; i < decisions.size(); ++i) {
    const Decision& d = decisions[i];
    if (mode == SamplingMode::PerCandidate && !d.completions.empty()) c[i] = rng.weighted(d.completions);
    else c[i] = d.options() > 1 ? rng.below(d.options()) : 0;
  }
  return c;
}

Choices mutate(const SearchSpace& space, const Choices& parent, Rng& rng) {
  space.check(parent);
  std::vector<int> mutable_decisions;
  for (size_t i = 0; i < parent.size(); ++i)
    if (space.decisions()[i].options() > 1 && space.is_active(parent, static_cast<int>(i)))
      mutable_decisions.push_back(static_cast<int>(i));
  if (mutable_decisions.empty()) throw common::InputError(space.id() + ": the space has one candidate; nothing to mutate");
  Choices child = parent;
  const int i = mutable_decisions[rng.below(static_cast<int>(mutable_decisions.size()))];
  const int other = rng.below(space.decisions()[i].options() - 1);
  child[i] = other >= parent[i] ? other + 1 : other;
  return child;
}

Choices crossover(const SearchSpace& space, const Choices& a, const Choices& b, Rng& rng) {
  space.check(a);
  space.check(b);
  Choices child(a.size());
  std::uint64_t bits = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    if (i % 64 == 0) bits = rng.next();
    child[i] = (bits >> (i % 64)) & 1 ? a[i] : b[i];
  }
  return child;
}

}  // namespace uibnas::searchspace
