// Microbenchmarks behind the hardware fingerprint: peak FP32 FMA throughput and memory bandwidth.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <memory>
#include <thread>
#include <vector>

#include "common/stop_request.hpp"
#include "latency/hardware.hpp"
#include "runtime/kernels/cpu_features.hpp"

#if defined(__x86_64__)
// GCC 12's _mm512_reduce_add_ps reads its own _mm512_undefined_ps() under a target attribute and
// trips -Wuninitialized (GCC PR 105593): noise, as in gemm_avx512.cpp.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>
#elif defined(__aarch64__)
#include <arm_neon.h>
#endif

namespace uibnas::latency {
namespace {

using Clock = std::chrono::steady_clock;

// Many independent accumulators hide FMA latency: this is the most the core can do, with no memory.
#if defined(__x86_64__)
__attribute__((target("avx512f,fma"))) double fma_loop_avx512(long iterations) {
  __m512 acc[16];
  for (int i = 0; i < 16; ++i) acc[i] = _mm512_set1_ps(1.0f + 1e-7f * i);
  const __m512 a = _mm512_set1_ps(0.999999f), b = _mm512_set1_ps(1e-7f);
  for (long it = 0; it < iterations; ++it)
    for (int i = 0; i < 16; ++i) acc[i] = _mm512_fmadd_ps(acc[i], a, b);
  float sink = 0;
  for (int i = 0; i < 16; ++i) sink += _mm512_reduce_add_ps(acc[i]);
  return double(sink) * 0 + double(iterations) * 16 * 16;  // MACs
}

__attribute__((target("avx2,fma"))) double fma_loop_avx2(long iterations) {
  __m256 acc[12];
  for (int i = 0; i < 12; ++i) acc[i] = _mm256_set1_ps(1.0f + 1e-7f * i);
  const __m256 a = _mm256_set1_ps(0.999999f), b = _mm256_set1_ps(1e-7f);
  for (long it = 0; it < iterations; ++it)
    for (int i = 0; i < 12; ++i) acc[i] = _mm256_fmadd_ps(acc[i], a, b);
  alignas(32) float out[8];
  __m256 s = acc[0];
  for (int i = 1; i < 12; ++i) s = _mm256_add_ps(s, acc[i]);
  _mm256_store_ps(out, s);
  volatile float sink = out[0];
  (void)sink;
  return double(iterations) * 12 * 8;
}
#endif

#if defined(__aarch64__)
// 16 independent 4-wide FMA chains: enough to cover a 4-cycle FMA latency on two or four pipes.
double fma_loop_neon(long iterations) {
  float32x4_t acc[16];
  for (int i = 0; i < 16; ++i) acc[i] = vdupq_n_f32(1.0f + 1e-7f * i);
  const float32x4_t a = vdupq_n_f32(0.999999f), b = vdupq_n_f32(1e-7f);
  for (long it = 0; it < iterations; ++it)
    for (int i = 0; i < 16; ++i) acc[i] = vfmaq_f32(b, acc[i], a);
  float32x4_t s = acc[0];
  for (int i = 1; i < 16; ++i) s = vaddq_f32(s, acc[i]);
  volatile float sink = vgetq_lane_f32(s, 0);
  (void)sink;
  return double(iterations) * 16 * 4;
}
#endif

double fma_loop_scalar(long iterations) {
  float acc[8] = {1, 1, 1, 1, 1, 1, 1, 1};
  for (long it = 0; it < iterations; ++it)
    for (float& v : acc) v = v * 0.999999f + 1e-7f;
  volatile float sink = acc[0];
  (void)sink;
  return double(iterations) * 8;
}

double fma_loop(long iterations) {
#if defined(__x86_64__)
  const auto& f = runtime::kernels::cpu_features();
  if (f.avx512f && f.fma) return fma_loop_avx512(iterations);
  if (f.avx2 && f.fma) return fma_loop_avx2(iterations);
#elif defined(__aarch64__)
  if (runtime::kernels::cpu_features().asimd) return fma_loop_neon(iterations);
#endif
  return fma_loop_scalar(iterations);
}

// Runs body(thread) on `threads` threads started together; returns the wall time of the slowest.
template <typename Body>
double run_together(int threads, Body body) {
  std::atomic<int> ready{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      ready.fetch_add(1);
      while (!go.load(std::memory_order_acquire)) std::this_thread::yield();
      body(t);
    });
  while (ready.load() < threads) std::this_thread::yield();
  const auto t0 = Clock::now();
  go.store(true, std::memory_order_release);
  for (auto& th : pool) th.join();
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

}  // namespace

double measure_fma_gmacs(int threads, double seconds) {
  // Calibrate the iteration count on one thread (a run takes a tenth of `seconds`), then time runs.
  long iterations = 1 << 16;
  for (;;) {
    const auto t0 = Clock::now();
    fma_loop(iterations);
    if (std::chrono::duration<double>(Clock::now() - t0).count() > seconds / 10 || iterations > (1L << 34)) break;
    iterations *= 2;
  }
  // Best of repeated runs for about `seconds` (at least three): other load only ever slows the loop,
  // and on a shared machine a slow phase can last longer than one run.
  double best = 0;
  const auto start = Clock::now();
  for (int rep = 0; rep < 3 || (std::chrono::duration<double>(Clock::now() - start).count() < seconds && rep < 64);
       ++rep) {
    common::throw_if_stop_requested();  // the benchmarks take seconds: a stop request need not wait for them
    std::vector<double> macs(threads);
    const double wall = run_together(threads, [&](int t) { macs[t] = fma_loop(iterations); });
    double total = 0;
    for (double m : macs) total += m;
    best = std::max(best, total / wall / 1e9);
  }
  return best;
}

double measure_read_bandwidth_gbs(int threads, double seconds, std::size_t bytes) {
  const std::size_t n = bytes / sizeof(float);
  std::unique_ptr<float[]> data(new float[n]);
  const std::size_t per = n / threads;
  // First touch by the owning thread, as the runtime's arena would be.
  run_together(threads, [&](int t) { std::fill(data.get() + t * per, data.get() + (t + 1) * per, 1.0f); });
  double best = 0;
  const auto start = Clock::now();
  int reps = 0;
  while (reps < 3 || (std::chrono::duration<double>(Clock::now() - start).count() < seconds && reps < 20)) {
    common::throw_if_stop_requested();
    std::vector<float> sums(threads * 16);
    const double wall = run_together(threads, [&](int t) {
      const float* p = data.get() + t * per;
      float s[16] = {};
      for (std::size_t i = 0; i + 16 <= per; i += 16)
        for (int j = 0; j < 16; ++j) s[j] += p[i + j];
      std::memcpy(&sums[t * 16], s, sizeof s);
    });
    best = std::max(best, double(per * threads * sizeof(float)) / wall / 1e9);
    ++reps;
  }
  return best;
}

}  // namespace uibnas::latency
