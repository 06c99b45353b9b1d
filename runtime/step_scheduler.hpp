// Runs a network's steps as one parallel region per inference instead of one parallel_for per step.
//
// A run is a sequence of phases (one per step, plus optional copy-outs); phase p is split into
// chunks that may run concurrently, and every chunk of phase p starts only after every chunk of the
// phases before it has finished. The calling thread always takes part; up to threads - 1 helpers
// (oneTBB tasks in the model's task_arena) join whenever a worker picks them up. Chunks are claimed,
// never assigned: a helper that arrives late, or never, only means the others claim more, so nobody
// waits for a thread that has not claimed work (no deadlock, no per-step wake-up or task spawn).
//
// With two threads the caller claims each phase's chunks from the front and the helper from the
// back, so consecutive steps split the same way (top rows to one thread, bottom rows to the other)
// and each thread mostly reads activations its own core wrote: moving a 64 KB tensor between the
// two cores of this machine costs ~5 us, per step. With more threads all claim from the front.
//
// Two ways to order chunks. Barrier mode: phase p starts when every chunk of every earlier phase has
// finished. Dependency mode (`deps` given): chunk c of phase p waits only for (a) every phase up to
// p - 2 to finish and (b) the chunks of phase p - 1 it reads (deps->begin[c] .. deps->end[c], e.g.
// the rows a 1x1 conv needs, plus a halo for a k x k conv), so a thread can run up to one phase
// ahead of the other and a step's imbalance is absorbed by the next. The plan must then keep every
// buffer alive one step past its last reader (a thread may still be reading phase p - 1's inputs
// while another writes phase p + 1's output). Waiting is a short spin (pause, then yield on a
// loaded machine). Ordering: a chunk's writes are published by release stores that the waiting
// side's acquire loads see. (A variant whose helpers lingered between runs to skip the worker
// wake-up measured the same on back-to-back runs: oneTBB's workers already spin before sleeping.)
#pragma once
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <type_traits>
#include <vector>

#include <tbb/task_arena.h>

namespace uibnas::runtime {

class StepScheduler {
 public:
  explicit StepScheduler(int threads);
  ~StepScheduler();
  StepScheduler(const StepScheduler&) = delete;
  StepScheduler& operator=(const StepScheduler&) = delete;

  int threads() const { return threads_; }

  // Runs an empty parallel region that waits (at most `timeout_us`) until every helper has joined,
  // so that helpers asleep after an idle stretch are awake, and still spinning, when the next run
  // starts. Returns the helpers that joined (0 with one thread). The profiler calls it before timing
  // a part alone: inside a network the helpers never sleep between steps, so a part timed after an
  // idle pause would include a wake-up that no network pays.
  int wake_helpers(int timeout_us = 2000);

  // Per chunk (numbered over the whole run), the chunks of the previous phase it reads:
  // [begin[c], end[c]) in the same numbering (empty: none).
  struct Deps {
    std::vector<std::uint32_t> begin, end;
  };

  // chunk_base: prefix sums of the phases' chunk counts (size phases + 1, chunk_base[0] == 0).
  // body(phase, chunk_in_phase, participant) with participant in [0, threads): 0 is the caller.
  // deps == nullptr: barrier mode. One run at a time per scheduler.
  template <class Body>
  void run(const std::vector<std::uint32_t>& chunk_base, const Deps* deps, Body&& body) {
    using B = std::remove_reference_t<Body>;
    run_erased(
        chunk_base, deps,
        [](void* ctx, std::size_t p, std::uint32_t c, int part) { (*static_cast<B*>(ctx))(p, c, part); },
        const_cast<void*>(static_cast<const void*>(&body)));
  }

 private:
  using Invoke = void (*)(void* ctx, std::size_t phase, std::uint32_t chunk, int participant);
  struct State;

  void run_erased(const std::vector<std::uint32_t>& chunk_base, const Deps* deps, Invoke invoke, void* ctx);

  int threads_;
  std::unique_ptr<tbb::task_arena> arena_;
  std::unique_ptr<std::atomic<std::uint32_t>[]> claims_;      // per phase: claims made so far
  std::unique_ptr<std::atomic<std::uint32_t>[]> phase_done_;  // per phase: chunks finished
  std::size_t phase_capacity_ = 0;
  std::unique_ptr<std::atomic<std::uint32_t>[]> chunk_done_;  // per chunk: the run that finished it
  std::size_t chunk_capacity_ = 0;
  std::uint32_t generation_ = 0;
};

}  // namespace uibnas::runtime
