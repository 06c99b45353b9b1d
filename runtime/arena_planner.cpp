#include "runtime/arena_planner.hpp"

#include <algorithm>
#include <numeric>

namespace uibnas::runtime {

ArenaPlan plan_arena(const std::vector<TensorLifetime>& tensors) {
  constexpr std::size_t kAlign = 16;  // floats: one cache line
  auto aligned = [](std::size_t n) { return (n + kAlign - 1) / kAlign * kAlign; };
  std::vector<size_t> order(tensors.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return tensors[a].floats > tensors[b].floats; });

  ArenaPlan plan;
  plan.offsets.assign(tensors.size(), 0);
  std::vector<size_t> placed;
  for (size_t t : order) {
    // Address ranges of already placed tensors alive at the same time, sorted by offset.
    std::vector<std::pair<size_t, size_t>> busy;
    for (size_t p : placed)
      if (tensors[p].first_step <= tensors[t].last_step && tensors[t].first_step <= tensors[p].last_step)
        busy.emplace_back(plan.offsets[p], plan.offsets[p] + aligned(tensors[p].floats));
    std::sort(busy.begin(), busy.end());
    size_t offset = 0;
    for (const auto& [begin, end] : busy) {
      if (offset + aligned(tensors[t].floats) <= begin) break;
      offset = std::max(offset, end);
    }
    plan.offsets[t] = offset;
    plan.total_floats = std::max(plan.total_floats, offset + aligned(tensors[t].floats));
    placed.push_back(t);
  }
  return plan;
}

}  // namespace uibnas::runtime
