// Squeeze-excite and the biased 1x1 conv head as the runtime composes them from kernel families
// (global average pool, GEMM with a bias and an activation epilogue, per-channel affine as the
// multiply), against a double-precision reference written from baselines-spec.md §2.4 and §3.
#include <catch2/catch.hpp>

#include <cmath>
#include <random>
#include <vector>

#include "kernel_test_support.hpp"
#include "runtime/kernels/elementwise.hpp"
#include "runtime/kernels/gemm.hpp"
#include "runtime/kernels/pooling.hpp"

namespace {

namespace kernels = uibnas::runtime::kernels;
using kernels::Act;
using uibnas::testing::reference_activation;

struct SeCase {
  std::size_t pixels, channels, reduced;
  Act act, gate;
};

std::vector<float> normal(std::size_t n, double sd, std::mt19937& rng) {
  std::normal_distribution<float> d(0.0f, float(sd));
  std::vector<float> v(n);
  for (float& x : v) x = d(rng);
  return v;
}

// out[j] = act(b[j] + sum_i w[j][i] x[i]) through the packed GEMM with one row.
std::vector<float> biased_pointwise(const std::vector<float>& x, const std::vector<float>& w, const std::vector<float>& b,
                                    std::size_t in, std::size_t out, Act act) {
  std::vector<float> packed(kernels::gemm_packed_size(out, in));
  kernels::pack_gemm_weights(out, in, w.data(), b.data(), packed.data());
  std::vector<float> y(out);
  kernels::GemmEpilogue ep;
  ep.act = act;
  kernels::gemm(1, out, in, x.data(), in, packed.data(), y.data(), out, ep, 0, out);
  return y;
}

double relative_error(const std::vector<float>& got, const std::vector<double>& want) {
  double worst = 0, scale = 0;
  for (double v : want) scale = std::max(scale, std::abs(v));
  for (std::size_t i = 0; i < got.size(); ++i) worst = std::max(worst, std::abs(got[i] - want[i]));
  return worst / scale;
}

}  // namespace

TEST_CASE("squeeze-excite: pool, biased 1x1 convs, gate and multiply match the reference", "[squeeze_excite]") {
  // MNv3 (ReLU inside, hard-sigmoid gate, rd from make_divisible) and EfficientNet (SiLU, sigmoid,
  // rd not a multiple of 8); a single pixel; more channels than one GEMM panel.
  const SeCase cases[] = {{49, 72, 24, Act::ReLU, Act::HardSigmoid}, {196, 40, 10, Act::SiLU, Act::Sigmoid},
                          {1, 16, 8, Act::ReLU, Act::HardSigmoid}, {9, 200, 50, Act::SiLU, Act::Sigmoid}};
  std::mt19937 rng(21);
  for (const SeCase& c : cases) {
    INFO(c.pixels << " px, " << c.channels << " -> " << c.reduced << " ch");
    const std::vector<float> x = normal(c.pixels * c.channels, 1.0, rng);
    const std::vector<float> w1 = normal(c.reduced * c.channels, 0.3, rng), b1 = normal(c.reduced, 0.5, rng);
    // Wide expand biases put gate inputs in both saturated ranges of the hard sigmoid (|s| > 3).
    const std::vector<float> w2 = normal(c.channels * c.reduced, 0.3, rng), b2 = normal(c.channels, 3.0, rng);

    std::vector<double> mean(c.channels, 0.0), reduced(c.reduced), gate(c.channels), want(x.size());
    for (std::size_t p = 0; p < c.pixels; ++p)
      for (std::size_t ch = 0; ch < c.channels; ++ch) mean[ch] += x[p * c.channels + ch] / double(c.pixels);
    for (std::size_t r = 0; r < c.reduced; ++r) {
      double acc = b1[r];
      for (std::size_t ch = 0; ch < c.channels; ++ch) acc += double(w1[r * c.channels + ch]) * mean[ch];
      reduced[r] = reference_activation(c.act, acc);
    }
    std::size_t saturated = 0;
    for (std::size_t ch = 0; ch < c.channels; ++ch) {
      double acc = b2[ch];
      for (std::size_t r = 0; r < c.reduced; ++r) acc += double(w2[ch * c.reduced + r]) * reduced[r];
      saturated += std::abs(acc) > 3;
      gate[ch] = reference_activation(c.gate, acc);
    }
    for (std::size_t i = 0; i < x.size(); ++i) want[i] = x[i] * gate[i % c.channels];
    CHECK(saturated > 0);

    std::vector<float> pooled(c.channels);
    kernels::global_avgpool_nhwc(c.pixels, c.channels, x.data(), pooled.data());
    const std::vector<float> s = biased_pointwise(pooled, w1, b1, c.channels, c.reduced, c.act);
    const std::vector<float> g = biased_pointwise(s, w2, b2, c.reduced, c.channels, c.gate);
    std::vector<float> out(x.size());
    const std::vector<float> zero(c.channels, 0.0f);
    kernels::channel_affine_nhwc(x.data(), g.data(), zero.data(), out.data(), c.pixels, c.channels);
    CHECK(relative_error(out, want) <= 1e-5);
  }
}

TEST_CASE("the MobileNet-V3 head conv: 1x1 with bias, then hard-swish, no BN", "[squeeze_excite]") {
  std::mt19937 rng(22);
  const std::size_t in = 96, hidden = 70;
  const std::vector<float> x = normal(in, 1.0, rng), w = normal(hidden * in, 0.2, rng), b = normal(hidden, 0.5, rng);
  std::vector<double> want(hidden);
  for (std::size_t j = 0; j < hidden; ++j) {
    double acc = b[j];
    for (std::size_t i = 0; i < in; ++i) acc += double(w[j * in + i]) * x[i];
    want[j] = reference_activation(Act::HardSwish, acc);
  }
  CHECK(relative_error(biased_pointwise(x, w, b, in, hidden, Act::HardSwish), want) <= 1e-5);
}
