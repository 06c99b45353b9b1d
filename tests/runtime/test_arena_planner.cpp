// Liveness-based buffer planning: tensors alive at the same time never overlap, and reuse happens.
#include <catch2/catch.hpp>

#include <chrono>
#include <random>

#include "runtime/arena_planner.hpp"

using namespace uibnas::runtime;

TEST_CASE("tensors alive at the same step never share bytes", "[arena]") {
  std::mt19937 rng(42);
  for (int trial = 0; trial < 200; ++trial) {
    std::vector<TensorLifetime> t(1 + rng() % 40);
    for (auto& x : t) {
      x.floats = 1 + rng() % 5000;
      x.first_step = int(rng() % 30);
      x.last_step = x.first_step + int(rng() % 6);
    }
    const ArenaPlan plan = plan_arena(t);
    size_t peak = 0;  // the largest set of simultaneously live tensors bounds the arena from below
    for (int step = 0; step < 40; ++step) {
      size_t live = 0;
      for (const auto& x : t)
        if (x.first_step <= step && step <= x.last_step) live += x.floats;
      peak = std::max(peak, live);
    }
    CHECK(plan.total_floats >= peak);
    for (size_t a = 0; a < t.size(); ++a) {
      CHECK(plan.offsets[a] % 16 == 0);
      CHECK(plan.offsets[a] + t[a].floats <= plan.total_floats);
      for (size_t b = a + 1; b < t.size(); ++b) {
        const bool same_time = t[a].first_step <= t[b].last_step && t[b].first_step <= t[a].last_step;
        const bool overlap = plan.offsets[a] < plan.offsets[b] + t[b].floats && plan.offsets[b] < plan.offsets[a] + t[a].floats;
        CHECK_FALSE((same_time && overlap));
      }
    }
  }
}

TEST_CASE("a chain of steps reuses two buffers", "[arena]") {
  // x0 -> x1 -> x2 -> x3, each read only by the next step: two slots of the largest size suffice.
  std::vector<TensorLifetime> t = {{1000, 0, 1}, {1000, 1, 2}, {1000, 2, 3}, {1000, 3, 4}};
  const ArenaPlan plan = plan_arena(t);
  CHECK(plan.total_floats == 2 * 1008);
  CHECK(plan.offsets[0] == plan.offsets[2]);
  CHECK(plan.offsets[1] == plan.offsets[3]);
}

TEST_CASE("planning a chain of 400,000 steps takes linearithmic time", "[arena][limits]") {
  // Each tensor is read by the next step only, sizes cycling so the greedy order interleaves steps.
  // Comparing every pair of tensors took minutes at this size; the plan itself is two slots.
  constexpr int kSteps = 400000;
  std::vector<TensorLifetime> t(kSteps);
  for (int s = 0; s < kSteps; ++s) t[size_t(s)] = {size_t(16 * (1 + s % 7)), s, s + 1};
  const auto t0 = std::chrono::steady_clock::now();
  const ArenaPlan plan = plan_arena(t);
  CHECK(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() < 20.0);
  // The two largest sizes (7 x 16 and 6 x 16) side by side bound any two neighbours.
  CHECK(plan.total_floats <= 16 * (7 + 7));
  for (int s = 0; s + 1 < kSteps; ++s) {
    const size_t a = plan.offsets[size_t(s)], b = plan.offsets[size_t(s) + 1];
    REQUIRE((a + t[size_t(s)].floats <= b || b + t[size_t(s) + 1].floats <= a));
  }
}
