// Multi-query attention kernel against a double-precision reference.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <random>
#include <string>
#include <vector>

#include "kernel_test_support.hpp"
#include "runtime/kernels/attention.hpp"

namespace {

namespace kernels = uibnas::runtime::kernels;
using AttnFn = kernels::AttentionFn;

std::vector<uibnas::testing::NamedKernel<AttnFn>> impls() {
  return uibnas::testing::family_kernels(&kernels::KernelConfigs::attention, &kernels::mqa_attention);
}

struct Problem {
  std::size_t n, m, heads, kd, vd, q_stride, out_stride;
  float scale;
  std::vector<float> q, k, v;
};

// Row-by-row softmax(q k^T * scale) v in double.
std::vector<double> reference(const Problem& p) {
  std::vector<double> out(p.n * p.out_stride, 0.0);
  std::vector<double> s(p.m);
  for (std::size_t r = 0; r < p.n; ++r)
    for (std::size_t h = 0; h < p.heads; ++h) {
      double mx = -INFINITY;
      for (std::size_t j = 0; j < p.m; ++j) {
        double dot = 0;
        for (std::size_t d = 0; d < p.kd; ++d)
          dot += static_cast<double>(p.q[r * p.q_stride + h * p.kd + d]) * p.k[j * p.kd + d];
        s[j] = dot * p.scale;
        mx = std::max(mx, s[j]);
      }
      double sum = 0;
      for (std::size_t j = 0; j < p.m; ++j) sum += (s[j] = std::exp(s[j] - mx));
      for (std::size_t e = 0; e < p.vd; ++e) {
        double acc = 0;
        for (std::size_t j = 0; j < p.m; ++j) acc += s[j] * p.v[j * p.vd + e];
        out[r * p.out_stride + h * p.vd + e] = acc / sum;
      }
    }
  return out;
}

Problem random_problem(std::size_t n, std::size_t m, std::size_t heads, std::size_t kd, std::size_t vd,
                       std::mt19937& rng) {
  Problem p{n, m, heads, kd, vd, heads * kd + 3, heads * vd + 5, 1.0f / std::sqrt(static_cast<float>(kd)), {}, {}, {}};
  std::uniform_real_distribution<float> d(-2.0f, 2.0f);
  p.q.resize(n * p.q_stride);
  p.k.resize(m * kd);
  p.v.resize(m * vd);
  for (auto& x : p.q) x = d(rng);
  for (auto& x : p.k) x = d(rng);
  for (auto& x : p.v) x = d(rng);
  return p;
}

constexpr float kSentinel = 12345.0f;

// Runs `fn` over the given row ranges, checks every head's output against the reference and that the
// stride padding of `out` is untouched.
void check(const Problem& p, const std::string& name, AttnFn fn, const std::vector<std::size_t>& cuts,
           double tol = 1e-5) {
  const auto want = reference(p);
  std::vector<float> out(p.n * p.out_stride, kSentinel);
  std::vector<float> scratch(uibnas::runtime::kernels::attention_scratch_size(p.m, p.kd, p.vd));
  for (std::size_t i = 0; i + 1 < cuts.size(); ++i)
    fn(p.n, p.m, p.heads, p.kd, p.vd, p.scale, p.q.data(), p.q_stride, p.k.data(), p.v.data(), out.data(),
       p.out_stride, scratch.data(), cuts[i], cuts[i + 1]);
  std::size_t bad = 0, first = 0;
  for (std::size_t r = 0; r < p.n; ++r)
    for (std::size_t c = 0; c < p.out_stride; ++c) {
      const std::size_t i = r * p.out_stride + c;
      const bool ok = c < p.heads * p.vd ? std::fabs(out[i] - want[i]) <= tol * (1 + std::fabs(want[i]))
                                         : out[i] == kSentinel;
      if (!ok && bad++ == 0) first = i;
    }
  INFO(name << " n=" << p.n << " m=" << p.m << " heads=" << p.heads << " kd=" << p.kd << " vd=" << p.vd << ": "
            << bad << " bad; first at " << first << " got " << out[first] << " want " << want[first]);
  CHECK(bad == 0);
}

}  // namespace

TEST_CASE("attention: all implementations match the reference", "[attention]") {
  std::mt19937 rng(8);
  const std::size_t dims[][2] = {{8, 8}, {17, 17}, {48, 48}, {17, 48}, {48, 8}};
  for (const auto& [name, fn] : impls())
    for (std::size_t n : {1, 7, 49})
      for (std::size_t m : {1, 16, 49})
        for (std::size_t heads : {1, 4})
          for (const auto& kv : dims) {
            const Problem p = random_problem(n, m, heads, kv[0], kv[1], rng);
            check(p, name, fn, {0, n});
            if (n > 2) check(p, name + " split", fn, {0, 1, n / 2, n});  // row ranges compose
          }
}

TEST_CASE("attention: MobileNet-V4 hybrid shapes", "[attention]") {
  std::mt19937 rng(9);
  struct Shape { std::size_t n, m, heads, d; };
  const Shape shapes[] = {{256, 64, 4, 64}, {196, 49, 8, 48}, {49, 49, 8, 64}};
  for (const auto& [name, fn] : impls())
    for (const Shape& s : shapes) {
      const Problem p = random_problem(s.n, s.m, s.heads, s.d, s.d, rng);
      check(p, name, fn, {0, s.n / 3, s.n});
    }
}

TEST_CASE("attention: softmax is stable for logits around +-1e3", "[attention]") {
  // Integer-valued q and k keep every logit exact in float, so the comparison with the double
  // reference tests only the softmax (exp of unshifted logits would overflow to inf / underflow to 0).
  std::mt19937 rng(10);
  std::uniform_int_distribution<int> di(-3, 3);
  const std::size_t n = 9, m = 40, heads = 2, kd = 8, vd = 17;
  for (float sign : {1.0f, -1.0f}) {
    Problem p{n, m, heads, kd, vd, heads * kd, heads * vd, 0.5f, {}, {}, {}};
    p.q.resize(n * p.q_stride);
    p.k.resize(m * kd);
    p.v.resize(m * vd);
    for (auto& x : p.q) x = static_cast<float>(di(rng));
    for (auto& x : p.k) x = static_cast<float>(di(rng));
    for (auto& x : p.v) x = static_cast<float>(di(rng)) / 8.0f;
    // Shift every logit by sign*1e3 through a constant key component (the rest spreads them by a few
    // units, so several keys share the probability mass), and duplicate a key so some rows have exact
    // ties at the max.
    for (std::size_t r = 0; r < n; ++r)
      for (std::size_t h = 0; h < heads; ++h) p.q[r * p.q_stride + h * kd + 0] = 50.0f;
    for (std::size_t j = 0; j < m; ++j) p.k[j * kd + 0] = sign * 40.0f;
    std::copy(p.k.begin(), p.k.begin() + kd, p.k.begin() + kd);
    for (const auto& [name, fn] : impls()) check(p, name + (sign > 0 ? " +1e3" : " -1e3"), fn, {0, 4, n});
  }
}

TEST_CASE("attention: empty row range writes nothing", "[attention]") {
  std::mt19937 rng(12);
  const Problem p = random_problem(5, 16, 2, 8, 8, rng);
  for (const auto& [name, fn] : impls()) {
    std::vector<float> out(p.n * p.out_stride, kSentinel);
    std::vector<float> scratch(uibnas::runtime::kernels::attention_scratch_size(p.m, p.kd, p.vd));
    fn(p.n, p.m, p.heads, p.kd, p.vd, p.scale, p.q.data(), p.q_stride, p.k.data(), p.v.data(), out.data(),
       p.out_stride, scratch.data(), 3, 3);
    INFO(name);
    CHECK(std::all_of(out.begin(), out.end(), [](float x) { return x == kSentinel; }));
  }
}
