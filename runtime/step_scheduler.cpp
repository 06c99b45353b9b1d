#include "runtime/step_scheduler.hpp"

#include <chrono>
#include <thread>

#include <tbb/task_group.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define UIBNAS_PAUSE() _mm_pause()
#elif defined(__aarch64__)
#define UIBNAS_PAUSE() asm volatile("yield")
#else
#define UIBNAS_PAUSE() std::this_thread::yield()
#endif

namespace uibnas::runtime {

namespace {

// Spins until value >= target (acquire), or until value == target when `equal`. A phase boundary usually clears within microseconds;
// after a few thousand pauses the thread we wait for is probably descheduled (a shared machine),
// so give the CPU away between checks.
template <bool equal = false>
void spin_until(const std::atomic<std::uint32_t>& value, std::uint32_t target) {
  for (int i = 0;; ++i) {
    const std::uint32_t v = value.load(std::memory_order_acquire);
    if (equal ? v == target : v >= target) return;
    if (i < 4096)
      UIBNAS_PAUSE();
    else
      std::this_thread::yield();
  }
}

}  // namespace

// One run's state, on the caller's stack.
struct StepScheduler::State {
  const std::vector<std::uint32_t>& base;
  const Deps* deps;
  Invoke invoke;
  void* ctx;
  std::atomic<std::uint32_t>* claims;
  std::atomic<std::uint32_t>* phase_done;
  std::atomic<std::uint32_t>* chunk_done;
  std::uint32_t generation;
  int threads;
  alignas(64) std::atomic<std::uint32_t> done{0};  // barrier mode: chunks finished, over all phases
  alignas(64) std::atomic<int> joined{0};          // helpers that started

  // Dependency mode: phases up to p - 2 finished, and the chunks of p - 1 that chunk g reads.
  void wait_for_inputs(std::size_t p, std::uint32_t g) const {
    for (std::size_t q = p >= 3 ? p - 3 : 0; q + 2 <= p; ++q) spin_until<true>(phase_done[q], base[q + 1] - base[q]);
    for (std::uint32_t d = deps->begin[g]; d < deps->end[g]; ++d) spin_until<true>(chunk_done[d], generation);
  }

  void participate(int participant) {
    const std::size_t phases = base.size() - 1;
    const bool two = threads == 2, from_back = two && participant == 1;
    for (std::size_t p = 0; p < phases; ++p) {
      const std::uint32_t n = base[p + 1] - base[p];
      // The k-th claim of a phase is valid while k < n; with two threads the caller's i-th valid
      // claim is chunk i and the helper's j-th is chunk n - 1 - j, so they never meet (i + j <= n).
      for (std::uint32_t mine = 0;; ++mine) {
        const std::uint32_t k = claims[p].fetch_add(1, std::memory_order_relaxed);
        if (k >= n) break;
        const std::uint32_t chunk = two ? (from_back ? n - 1 - mine : mine) : k;
        if (deps != nullptr) {
          wait_for_inputs(p, base[p] + chunk);
          invoke(ctx, p, chunk, participant);
          chunk_done[base[p] + chunk].store(generation, std::memory_order_release);
          phase_done[p].fetch_add(1, std::memory_order_acq_rel);
        } else {
          if (done.load(std::memory_order_acquire) < base[p]) spin_until(done, base[p]);
          invoke(ctx, p, chunk, participant);
          done.fetch_add(1, std::memory_order_acq_rel);
        }
      }
    }
  }
};

int StepScheduler::wake_helpers(int timeout_us) {
  if (threads_ == 1) return 0;
  std::atomic<int> joined{0};
  arena_->execute([&] {
    tbb::task_group helpers;
    for (int h = 1; h < threads_; ++h) helpers.run([&] { joined.fetch_add(1, std::memory_order_acq_rel); });
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::microseconds(timeout_us);
    while (joined.load(std::memory_order_acquire) < threads_ - 1 && std::chrono::steady_clock::now() < deadline)
      UIBNAS_PAUSE();
    helpers.wait();  // runs what no helper took (fewer workers than asked for)
  });
  return joined.load(std::memory_order_acquire);
}

StepScheduler::StepScheduler(int threads)
    : threads_(threads), arena_(threads > 1 ? std::make_unique<tbb::task_arena>(threads) : nullptr) {}

StepScheduler::~StepScheduler() = default;

void StepScheduler::run_erased(const std::vector<std::uint32_t>& chunk_base, const Deps* deps, Invoke invoke,
                               void* ctx) {
  const std::size_t phases = chunk_base.size() - 1;
  const std::uint32_t total = chunk_base.back();
  if (total == 0) return;
  if (phase_capacity_ < phases) {
    claims_.reset(new std::atomic<std::uint32_t>[phases]);
    phase_done_.reset(new std::atomic<std::uint32_t>[phases]);
    phase_capacity_ = phases;
  }
  if (deps != nullptr && chunk_capacity_ < total) {
    chunk_done_.reset(new std::atomic<std::uint32_t>[total]);
    for (std::size_t c = 0; c < total; ++c) chunk_done_[c].store(0, std::memory_order_relaxed);
    chunk_capacity_ = total;
    generation_ = 0;
  }
  if (++generation_ == 0) {  // wrapped: stamps from 2^32 runs ago could match
    for (std::size_t c = 0; c < chunk_capacity_; ++c) chunk_done_[c].store(0, std::memory_order_relaxed);
    generation_ = 1;
  }
  for (std::size_t p = 0; p < phases; ++p) {
    claims_[p].store(0, std::memory_order_relaxed);
    phase_done_[p].store(0, std::memory_order_relaxed);
  }
  State st{chunk_base, deps, invoke, ctx, claims_.get(), phase_done_.get(), chunk_done_.get(), generation_, threads_};
  if (threads_ == 1) {
    st.participate(0);
    return;
  }
  arena_->execute([&] {
    tbb::task_group helpers;
    for (int h = 1; h < threads_; ++h)
      helpers.run([&] { st.participate(1 + st.joined.fetch_add(1, std::memory_order_relaxed)); });
    st.participate(0);
    helpers.wait();
  });
}

}  // namespace uibnas::runtime
