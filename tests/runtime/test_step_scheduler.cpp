// The step scheduler: every chunk runs exactly once, after the chunks it depends on, in barrier and
// dependency mode, with 1-3 threads; and whole networks give the same logits for any thread count,
// run after run (a race between chunks would show up as a difference).
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <random>
#include <string>
#include <chrono>
#include <thread>
#include <vector>

#include "arch_defs/catalogue.hpp"
#include "runtime/compiled_model.hpp"
#include "runtime/step_scheduler.hpp"

using namespace uibnas;

namespace {

// A synthetic run: phase p has n_p chunks; chunk c of phase p depends on chunks [c - 1, c + 2) of
// phase p - 1 (clipped), like a 3-row halo.
struct Synthetic {
  std::vector<std::uint32_t> base{0};
  runtime::StepScheduler::Deps deps;
  explicit Synthetic(const std::vector<std::uint32_t>& chunks) {
    for (std::uint32_t n : chunks) base.push_back(base.back() + n);
    deps.begin.assign(base.back(), 0);
    deps.end.assign(base.back(), 0);
    for (size_t p = 1; p < chunks.size(); ++p)
      for (std::uint32_t c = 0; c < chunks[p]; ++c) {
        // Map chunk c of n onto the previous phase's chunks proportionally, then widen by one.
        const std::uint32_t np = chunks[p - 1];
        const std::uint32_t lo = c * np / chunks[p], hi = std::max(lo + 1, (c + 1) * np / chunks[p]);
        deps.begin[base[p] + c] = base[p - 1] + (lo > 0 ? lo - 1 : 0);
        deps.end[base[p] + c] = base[p - 1] + std::min(np, hi + 1);
      }
  }
};

}  // namespace

TEST_CASE("step scheduler runs each chunk once, after what it depends on", "[runtime][scheduler]") {
  const Synthetic syn({1, 4, 4, 1, 3, 8, 2, 2, 5, 1, 4});
  const std::uint32_t total = syn.base.back();
  for (int threads : {1, 2, 3})
    for (bool dependency_mode : {false, true}) {
      runtime::StepScheduler sched(threads);
      for (int run = 0; run < 30; ++run) {
        std::vector<std::atomic<int>> state(total);  // 0 not started, 1 running, 2 done
        for (auto& s : state) s.store(0);
        std::atomic<int> violations{0}, repeats{0};
        sched.run(syn.base, dependency_mode ? &syn.deps : nullptr, [&](size_t p, std::uint32_t c, int participant) {
          const std::uint32_t g = syn.base[p] + c;
          if (participant < 0 || participant >= threads) violations++;
          if (state[g].exchange(1) != 0) repeats++;
          // Barrier mode: everything before phase p is done. Dependency mode: phases up to p - 2
          // and the listed chunks of p - 1.
          const std::uint32_t settled = dependency_mode ? (p >= 2 ? syn.base[p - 1] : 0) : syn.base[p];
          for (std::uint32_t d = 0; d < settled; ++d)
            if (state[d].load() != 2) violations++;
          if (dependency_mode)
            for (std::uint32_t d = syn.deps.begin[g]; d < syn.deps.end[g]; ++d)
              if (state[d].load() != 2) violations++;
          volatile int spin = 0;
          while (spin < 200 * int(g % 7)) spin = spin + 1;
          state[g].store(2);
        });
        INFO("threads " << threads << " dependency mode " << dependency_mode << " run " << run);
        REQUIRE(violations.load() == 0);
        REQUIRE(repeats.load() == 0);
        for (auto& s : state) REQUIRE(s.load() == 2);
      }
    }
}

TEST_CASE("networks give bit-identical logits for 1, 2 and 3 threads, run after run", "[runtime][scheduler]") {
  struct Case {
    const char* model;
    int resolution;
  };
  // Plain blocks, avg-pool and blur-pool anti-aliasing, and MQA attention, at small sizes.
  for (const Case& c : {Case{"conv_small", 128}, Case{"conv_aa_medium", 96}, Case{"conv_blur_medium", 96},
                        Case{"hybrid_medium", 128}}) {
    const runtime::OperatorGraph graph(arch_defs::lower_network(arch_defs::build_network(arch_defs::resolve_architecture(c.model)), c.resolution));
    const auto params = runtime::random_parameters(graph.ops(), 21);
    std::vector<float> input(3 * size_t(c.resolution) * c.resolution);
    std::mt19937 rng(5);
    std::normal_distribution<float> normal;
    for (float& v : input) v = normal(rng);
    std::vector<float> want(1000), got(1000), staged(1000);
    runtime::CompiledModel(graph, params, 1).run(input.data(), want.data());
    for (int threads : {2, 3}) {
      const runtime::CompiledModel model(graph, params, threads);
      INFO(c.model << " @" << c.resolution << " threads " << threads);
      for (int run = 0; run < 10; ++run) {
        std::fill(got.begin(), got.end(), NAN);
        model.run(input.data(), got.data());
        REQUIRE(got == want);
      }
      // The barrier-mode paths: stage copy-outs and per-step timing.
      std::vector<std::vector<float>> stages;
      std::vector<double> ms;
      model.run(input.data(), staged.data(), &stages, &ms);
      REQUIRE(staged == want);
      REQUIRE(ms.size() == model.steps().size());
    }
  }
}

TEST_CASE("wake_helpers returns once every helper has joined, and the next run is whole", "[runtime][scheduler]") {
  runtime::StepScheduler one(1);
  CHECK(one.wake_helpers() == 0);
  runtime::StepScheduler two(2);
  for (int i = 0; i < 20; ++i) {
    std::this_thread::sleep_for(std::chrono::microseconds(200));  // long enough for a helper to fall asleep
    const int joined = two.wake_helpers();
    CHECK(joined <= 1);
    if (std::thread::hardware_concurrency() >= 2) CHECK(joined == 1);
    std::vector<std::atomic<int>> ran(8);
    const std::vector<std::uint32_t> base{0, 4, 8};
    two.run(base, nullptr, [&](size_t p, std::uint32_t c, int) { ran[base[p] + c]++; });
    for (auto& r : ran) CHECK(r.load() == 1);
  }
}
