// Single-thread GEMM throughput on MobileNet-V4-like shapes, for each microkernel, next to the
// measured FMA peak of this core. Built with the project: build/bench/bench_gemm.
#include <algorithm>
#include <chrono>
#include <sys/mman.h>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "common/statistics.hpp"
#include "runtime/kernels/conv2d.hpp"
#include "runtime/kernels/cpu_features.hpp"
#include "runtime/kernels/gemm.hpp"
#include "runtime/kernels/gemm_ukernels.hpp"
#include "runtime/kernels/kernel_config.hpp"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

using namespace uibnas::runtime::kernels;
using Clock = std::chrono::steady_clock;

namespace {

struct AlignedBuf {
  float* p;
  explicit AlignedBuf(size_t n) : p(static_cast<float*>(std::aligned_alloc(64, (n * 4 + 63) / 64 * 64))) {}
  ~AlignedBuf() { std::free(p); }
};

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

#if defined(__x86_64__)
// 16 independent FMA chains: enough to cover latency on two FMA ports; reports GMAC/s (best of
// a few runs: the core may share its FMA units with a sibling hyperthread).
__attribute__((target("avx512f,fma"), noinline)) double fma_peak_once() {
  __m512 acc[16];
  for (int i = 0; i < 16; ++i) acc[i] = _mm512_set1_ps(float(i));
  const __m512 x = _mm512_set1_ps(0.999f), y = _mm512_set1_ps(0.001f);
  const long iters = 10'000'000;
  const auto t0 = Clock::now();
  for (long it = 0; it < iters; ++it) {
#pragma GCC unroll 16
    for (int i = 0; i < 16; ++i) acc[i] = _mm512_fmadd_ps(acc[i], x, y);
  }
  const double s = seconds_since(t0);
  alignas(64) float lanes[16];
  float sink = 0;
  for (int i = 0; i < 16; ++i) {
    _mm512_store_ps(lanes, acc[i]);
    sink += lanes[i];
  }
  if (sink == 12345.f) std::puts("");
  return iters * 16.0 * 16.0 / s * 1e-9;
}

double fma_peak() {
  double best = 0;
  for (int i = 0; i < 5; ++i) best = std::max(best, fma_peak_once());
  return best;
}
#endif

// Cold weights, as in a network whose weights (tens of MB) do not stay cached between layers:
// rotate through enough copies of the packed weights to exceed 64 MB; A and C stay warm.
double bench_cold(size_t m, size_t k, size_t n) {
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> u(-1.f, 1.f);
  const size_t psize = gemm_packed_size(n, k);
  const size_t copies = std::max<size_t>(2, (64u << 20) / (psize * 4) + 1);
  AlignedBuf a(m * k), w(n * k), c(m * n);
  const size_t pbytes = (psize * copies * 4 + (2u << 20) - 1) / (2u << 20) * (2u << 20);
  AlignedBuf packed(0);
  std::free(packed.p);
  packed.p = static_cast<float*>(std::aligned_alloc(2u << 20, pbytes));
  madvise(packed.p, pbytes, MADV_HUGEPAGE);  // as the runtime allocates its weights
  for (size_t i = 0; i < m * k; ++i) a.p[i] = u(rng);
  for (size_t i = 0; i < n * k; ++i) w.p[i] = u(rng);
  for (size_t i = 0; i < copies; ++i) pack_gemm_weights(n, k, w.p, nullptr, packed.p + i * psize);
  GemmEpilogue ep;
  const double macs = double(m) * n * k;
  // Thread CPU time, not wall time: on a shared machine preemption would dominate the spread.
  auto cpu_now = [] {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + 1e-9 * double(ts.tv_nsec);
  };
  std::vector<double> t;
  for (int trial = 0; trial < 15; ++trial) {
    const double t0 = cpu_now();
    for (size_t r = 0; r < copies; ++r) gemm(m, n, k, a.p, k, packed.p + r * psize, c.p, n, ep, 0, n);
    t.push_back((cpu_now() - t0) / double(copies));
  }
  return macs / uibnas::common::median(t) * 1e-9;
}

// Dense conv2d (NHWC) through conv2d_nhwc, warm, thread CPU time, median: GMAC/s.
double bench_conv(size_t h, size_t w, size_t cin, size_t cout, size_t kern, size_t stride, size_t pad) {
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> u(-1.f, 1.f);
  const size_t oh = (h + 2 * pad - kern) / stride + 1, ow = (w + 2 * pad - kern) / stride + 1;
  const ConvGeometry g{h, w, cin, oh, ow, cout, kern, stride, pad};
  AlignedBuf in(h * w * cin), wt(cout * cin * kern * kern), packed(conv2d_packed_size(g)), out(oh * ow * cout),
      scratch(conv2d_scratch_size(g, 4) + 16);
  for (size_t i = 0; i < h * w * cin; ++i) in.p[i] = u(rng);
  for (size_t i = 0; i < cout * cin * kern * kern; ++i) wt.p[i] = u(rng);
  pack_conv2d_weights(g, wt.p, nullptr, packed.p);
  GemmEpilogue ep;
  ep.act = Act::ReLU;
  auto cpu_now = [] {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + 1e-9 * double(ts.tv_nsec);
  };
  std::vector<double> t;
  for (int trial = 0; trial < 21; ++trial) {
    const double t0 = cpu_now();
    conv2d_nhwc(g, in.p, packed.p, out.p, scratch.p, 4, 0, oh, ep);
    t.push_back(cpu_now() - t0);
  }
  return double(oh * ow * cout * cin * kern * kern) / uibnas::common::median(t) * 1e-9;
}

double bench(const GemmUkernel& uk, size_t m, size_t k, size_t n, Act act) {
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> u(-1.f, 1.f);
  AlignedBuf a(m * k), w(n * k), bias(n), packed(gemm_packed_size(n, k)), c(m * n);
  for (size_t i = 0; i < m * k; ++i) a.p[i] = u(rng);
  for (size_t i = 0; i < n * k; ++i) w.p[i] = u(rng);
  for (size_t i = 0; i < n; ++i) bias.p[i] = u(rng);
  pack_gemm_weights(n, k, w.p, bias.p, packed.p);
  GemmEpilogue ep;
  ep.act = act;
  gemm_with(uk, m, n, k, a.p, k, packed.p, c.p, n, ep, 0, n);  // warm up
  const double macs = double(m) * n * k;
  // Best of many short trials: the machine is shared, so the minimum is the stable number.
  const size_t reps = std::max<size_t>(1, size_t(2e8 / macs));
  double best = 1e30;
  for (int trial = 0; trial < 15; ++trial) {
    const auto t0 = Clock::now();
    for (size_t r = 0; r < reps; ++r) gemm_with(uk, m, n, k, a.p, k, packed.p, c.p, n, ep, 0, n);
    best = std::min(best, seconds_since(t0) / double(reps));
  }
  return macs / best * 1e-9;
}

}  // namespace

// Usage: bench_gemm              -> FMA peak, then every shape for every microkernel
//        bench_gemm M K N        -> just the selected microkernel on that shape, number only
//        bench_gemm M K N cold   -> gemm() with weights cold from memory (median), number only
//        bench_gemm conv H W CIN COUT K S P -> conv2d_nhwc (ReLU), warm, GMAC/s
int main(int argc, char** argv) {
  if (argc == 9 && std::string(argv[1]) == "conv") {
    size_t v[7];
    for (int i = 0; i < 7; ++i) v[i] = std::strtoul(argv[i + 2], nullptr, 10);
    std::printf("%.1f\n", bench_conv(v[0], v[1], v[2], v[3], v[4], v[5], v[6]));
    return 0;
  }
  if (argc == 5 && std::string(argv[4]) == "cold") {
    const size_t m = std::strtoul(argv[1], nullptr, 10), k = std::strtoul(argv[2], nullptr, 10),
                 n = std::strtoul(argv[3], nullptr, 10);
    std::printf("%.1f\n", bench_cold(m, k, n));
    return 0;
  }
  if (argc == 4) {
    const size_t m = std::strtoul(argv[1], nullptr, 10), k = std::strtoul(argv[2], nullptr, 10),
                 n = std::strtoul(argv[3], nullptr, 10);
    std::printf("%.1f\n", bench(kernel_configs().gemm, m, k, n, Act::None));
    return 0;
  }
  struct Shape { size_t m, k, n; };
  const Shape shapes[] = {{3136, 96, 384}, {196, 160, 640}, {49, 512, 2048}, {12544, 32, 64},
                          {784, 72, 24}, {1, 1280, 1000}};
#if defined(__x86_64__)
  if (cpu_features().avx512f) std::printf("measured AVX-512 FMA peak: %.1f GMAC/s\n", fma_peak());
#endif
  std::vector<const GemmUkernel*> kernels{&gemm_ukernel_generic()};
#if UIBNAS_KERNELS_X86
  if (cpu_runs_avx512_kernels(cpu_features())) kernels.push_back(&gemm_ukernel_avx512f());
#endif
#if UIBNAS_KERNELS_NEON
  if (cpu_runs_neon_kernels(cpu_features())) kernels.push_back(&gemm_ukernel_neonfma());
#endif
  for (const GemmUkernel* uk : kernels) {
    for (const Shape& s : shapes) {
      std::printf("%-26s m=%5zu k=%5zu n=%5zu  %6.1f GMAC/s  (ReLU6 %6.1f)\n", uk->name, s.m, s.k, s.n,
                  bench(*uk, s.m, s.k, s.n, Act::None), bench(*uk, s.m, s.k, s.n, Act::ReLU6));
    }
  }
  return 0;
}
