#include "runtime/arena_planner.hpp"

#include <algorithm>
#include <numeric>

namespace uibnas::runtime {
namespace {

// Placed tensors by the steps they are alive at, so a tensor looks only at the tensors that share a
// step with it: planning a chain of n steps costs O(n log n), not O(n^2). Steps are compressed to
// the distinct first/last steps: two lifetimes overlap exactly when both cover the later start.
class LiveIndex {
 public:
  explicit LiveIndex(const std::vector<TensorLifetime>& tensors) : tensors_(tensors), stamp_(tensors.size(), 0) {
    for (const auto& t : tensors) {
      steps_.push_back(t.first_step);
      steps_.push_back(t.last_step);
    }
    std::sort(steps_.begin(), steps_.end());
    steps_.erase(std::unique(steps_.begin(), steps_.end()), steps_.end());
    alive_.resize(steps_.size());
  }

  void add(size_t t) {
    for (size_t s = index(tensors_[t].first_step); s <= index(tensors_[t].last_step); ++s) alive_[s].push_back(t);
  }

  // The placed tensors alive at some step of t's lifetime, each once.
  std::vector<size_t> overlapping(size_t t) {
    ++round_;
    std::vector<size_t> found;
    for (size_t s = index(tensors_[t].first_step); s <= index(tensors_[t].last_step); ++s)
      for (size_t p : alive_[s])
        if (stamp_[p] != round_) stamp_[p] = round_, found.push_back(p);
    return found;
  }

 private:
  size_t index(int step) const { return size_t(std::lower_bound(steps_.begin(), steps_.end(), step) - steps_.begin()); }

  const std::vector<TensorLifetime>& tensors_;
  std::vector<int> steps_;
  std::vector<std::vector<size_t>> alive_;
  std::vector<size_t> stamp_;
  size_t round_ = 0;
};

}  // namespace

ArenaPlan plan_arena(const std::vector<TensorLifetime>& tensors) {
  constexpr std::size_t kAlign = 16;  // floats: one cache line
  auto aligned = [](std::size_t n) { return (n + kAlign - 1) / kAlign * kAlign; };
  std::vector<size_t> order(tensors.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return tensors[a].floats > tensors[b].floats; });

  ArenaPlan plan;
  plan.offsets.assign(tensors.size(), 0);
  LiveIndex live(tensors);
  for (size_t t : order) {
    // Address ranges of already placed tensors alive at the same time, sorted by offset.
    std::vector<std::pair<size_t, size_t>> busy;
    for (size_t p : live.overlapping(t)) busy.emplace_back(plan.offsets[p], plan.offsets[p] + aligned(tensors[p].floats));
    std::sort(busy.begin(), busy.end());
    size_t offset = 0;
    for (const auto& [begin, end] : busy) {
      if (offset + aligned(tensors[t].floats) <= begin) break;
      offset = std::max(offset, end);
    }
    plan.offsets[t] = offset;
    plan.total_floats = std::max(plan.total_floats, offset + aligned(tensors[t].floats));
    live.add(t);
  }
  return plan;
}

}  // namespace uibnas::runtime
