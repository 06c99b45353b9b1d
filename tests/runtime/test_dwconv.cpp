// Depthwise convolution kernels against a naive double-precision reference.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstddef>
#include <random>
#include <string>
#include <vector>

#include "kernel_test_support.hpp"
#include "runtime/kernels/dwconv.hpp"

namespace {

using uibnas::kernels::Act;
using uibnas::kernels::DwConvGeometry;
using uibnas::testing::act_name;
using uibnas::testing::kAllActs;

// The entry point plus every implementation this CPU can run.
std::vector<uibnas::testing::NamedKernel<uibnas::kernels::DwConvFn>> impls() {
  return uibnas::testing::family_kernels(&uibnas::kernels::KernelConfigs::dwconv, &uibnas::kernels::dwconv_nhwc);
}

// Straight from the definition: zero padding, PyTorch weight layout [c][1][k][k].
std::vector<double> reference(const DwConvGeometry& g, const std::vector<float>& in, const std::vector<float>& w,
                              const std::vector<float>* bias, Act act) {
  std::vector<double> out(g.out_h * g.out_w * g.channels);
  const long K = static_cast<long>(g.kernel);
  for (std::size_t oy = 0; oy < g.out_h; ++oy)
    for (std::size_t ox = 0; ox < g.out_w; ++ox)
      for (std::size_t c = 0; c < g.channels; ++c) {
        double acc = bias ? (*bias)[c] : 0.0;
        for (long ky = 0; ky < K; ++ky)
          for (long kx = 0; kx < K; ++kx) {
            const long iy = static_cast<long>(oy * g.stride) - static_cast<long>(g.pad) + ky;
            const long ix = static_cast<long>(ox * g.stride) - static_cast<long>(g.pad) + kx;
            if (iy < 0 || ix < 0 || iy >= static_cast<long>(g.in_h) || ix >= static_cast<long>(g.in_w)) continue;
            acc += static_cast<double>(in[(iy * g.in_w + ix) * g.channels + c]) *
                   w[c * g.kernel * g.kernel + static_cast<std::size_t>(ky * K + kx)];
          }
        out[(oy * g.out_w + ox) * g.channels + c] = uibnas::testing::reference_activation(act, acc);
      }
  return out;
}

std::vector<float> random_vec(std::size_t n, std::mt19937& rng, float lo = -1.0f, float hi = 1.0f) {
  std::uniform_real_distribution<float> d(lo, hi);
  std::vector<float> v(n);
  for (auto& x : v) x = d(rng);
  return v;
}

DwConvGeometry make_geometry(std::size_t h, std::size_t w, std::size_t c, std::size_t k, std::size_t s,
                             std::size_t pad) {
  return {h, w, c, (h + 2 * pad - k) / s + 1, (w + 2 * pad - k) / s + 1, k, s, pad};
}

bool valid(std::size_t h, std::size_t w, std::size_t k, std::size_t pad) {
  return h + 2 * pad >= k && w + 2 * pad >= k;
}

// Every element within 1e-5 relative (plus a small absolute floor for values near zero).
void expect_close(const std::vector<float>& got, const std::vector<double>& want, const std::string& what) {
  REQUIRE(got.size() == want.size());
  std::size_t bad = 0, first = 0;
  for (std::size_t i = 0; i < got.size(); ++i) {
    const double tol = 1e-5 * (1.0 + std::fabs(want[i]));
    if (!(std::fabs(got[i] - want[i]) <= tol)) {
      if (bad++ == 0) first = i;
    }
  }
  INFO(what << ": " << bad << " mismatches; first at " << first << ": got " << got[first] << " want "
            << want[first]);
  CHECK(bad == 0);
}

constexpr float kSentinel = 12345.0f;

}  // namespace

TEST_CASE("dwconv: packed size and layout", "[dwconv]") {
  CHECK(uibnas::kernels::dwconv_packed_size(16, 3) == 16 * 10);
  CHECK(uibnas::kernels::dwconv_packed_size(17, 3) == 32 * 10);
  CHECK(uibnas::kernels::dwconv_packed_size(5, 5) == 16 * 26);
  const std::size_t C = 17, K = 3;
  std::vector<float> w(C * K * K), b(C);
  for (std::size_t i = 0; i < w.size(); ++i) w[i] = static_cast<float>(i + 1);
  for (std::size_t c = 0; c < C; ++c) b[c] = -static_cast<float>(c + 1);
  std::vector<float> p(uibnas::kernels::dwconv_packed_size(C, K), kSentinel);
  uibnas::kernels::pack_dwconv_weights(C, K, w.data(), b.data(), p.data());
  // Tile 0: bias lanes, then tap-major 16-lane groups.
  CHECK(p[0] == -1.0f);
  CHECK(p[16 + 0] == w[0]);            // channel 0, tap 0
  CHECK(p[16 * 3 + 5] == w[5 * 9 + 2]);  // channel 5, tap 2
  // Tile 1 holds channel 16 in lane 0; other lanes are zero padding.
  const float* t1 = p.data() + 16 * 10;
  CHECK(t1[0] == -17.0f);
  CHECK(t1[1] == 0.0f);
  CHECK(t1[16 * 9 + 0] == w[16 * 9 + 8]);
  CHECK(t1[16 * 9 + 15] == 0.0f);
  // Null bias packs zeros.
  uibnas::kernels::pack_dwconv_weights(C, K, w.data(), nullptr, p.data());
  CHECK(p[0] == 0.0f);
  CHECK(t1[0] == 0.0f);
}

TEST_CASE("dwconv: all implementations match the reference over edge-case geometries", "[dwconv]") {
  std::mt19937 rng(42);
  const std::size_t channels[] = {1, 5, 16, 17, 40, 100};
  const std::size_t kernels[] = {1, 3, 5, 7};
  const std::size_t strides[] = {1, 2};
  const std::size_t sizes[][2] = {{7, 7}, {15, 15}, {9, 5}, {1, 1}, {2, 3}, {8, 21}};
  const auto all = impls();
  std::size_t config = 0;
  for (std::size_t C : channels)
    for (std::size_t K : kernels)
      for (std::size_t S : strides)
        for (const auto& hw : sizes)
          for (std::size_t pad : {(K - 1) / 2, std::size_t{0}, K - 1}) {
            if (!valid(hw[0], hw[1], K, pad)) continue;
            if (pad == K - 1 && pad == (K - 1) / 2) continue;  // K == 1: already covered
            if (pad == K - 1 && C != 17 && C != 5) continue;   // wide padding: a couple of channel counts
            const DwConvGeometry g = make_geometry(hw[0], hw[1], C, K, S, pad);
            const Act act = kAllActs[config % 5];
            const bool with_bias = config % 3 != 0;
            ++config;
            const auto in = random_vec(g.in_h * g.in_w * C, rng);
            const auto w = random_vec(C * K * K, rng);
            const auto b = random_vec(C, rng);
            std::vector<float> packed(uibnas::kernels::dwconv_packed_size(C, K));
            uibnas::kernels::pack_dwconv_weights(C, K, w.data(), with_bias ? b.data() : nullptr, packed.data());
            const auto want = reference(g, in, w, with_bias ? &b : nullptr, act);
            for (const auto& impl : all) {
              const std::size_t n_out = g.out_h * g.out_w * C;
              std::vector<float> out(n_out + 64, kSentinel);  // guard zone past the end
              impl.fn(g, in.data(), packed.data(), out.data(), 0, g.out_h, act);
              for (std::size_t i = n_out; i < out.size(); ++i) REQUIRE(out[i] == kSentinel);
              out.resize(n_out);
              expect_close(out, want,
                           impl.name + " C=" + std::to_string(C) + " k=" + std::to_string(K) + " s=" +
                               std::to_string(S) + " pad=" + std::to_string(pad) + " in=" + std::to_string(hw[0]) +
                               "x" + std::to_string(hw[1]) + " act=" + act_name(act));
            }
          }
  CHECK(config > 300);
}

TEST_CASE("dwconv: every activation on MobileNet-like shapes", "[dwconv]") {
  std::mt19937 rng(7);
  struct Shape { std::size_t h, w, c, k, s; };
  const Shape shapes[] = {{15, 15, 24, 3, 2}, {14, 14, 40, 5, 1}, {8, 8, 72, 3, 1}, {9, 9, 120, 5, 2}};
  const auto all = impls();
  for (const Shape& sh : shapes)
    for (Act act : kAllActs) {
      const DwConvGeometry g = make_geometry(sh.h, sh.w, sh.c, sh.k, sh.s, (sh.k - 1) / 2);
      // Scale inputs up so the activations' interesting ranges (e.g. ReLU6 clipping) are hit.
      const auto in = random_vec(g.in_h * g.in_w * sh.c, rng, -4.0f, 4.0f);
      const auto w = random_vec(sh.c * sh.k * sh.k, rng);
      const auto b = random_vec(sh.c, rng);
      std::vector<float> packed(uibnas::kernels::dwconv_packed_size(sh.c, sh.k));
      uibnas::kernels::pack_dwconv_weights(sh.c, sh.k, w.data(), b.data(), packed.data());
      const auto want = reference(g, in, w, &b, act);
      for (const auto& impl : all) {
        std::vector<float> out(g.out_h * g.out_w * sh.c, kSentinel);
        impl.fn(g, in.data(), packed.data(), out.data(), 0, g.out_h, act);
        expect_close(out, want, impl.name + " " + act_name(act) + " c=" + std::to_string(sh.c));
      }
    }
}

TEST_CASE("dwconv: row subranges compose and leave other rows untouched", "[dwconv]") {
  std::mt19937 rng(3);
  const auto all = impls();
  for (std::size_t size : {15, 7})
    for (std::size_t K : {3, 5})
      for (std::size_t S : {1, 2}) {
        // 15 -> 15 or 8 output columns; 7 -> 7 or 4 (narrow rows take the partial-block path).
        const DwConvGeometry g = make_geometry(size, size, 40, K, S, (K - 1) / 2);
        const auto in = random_vec(g.in_h * g.in_w * g.channels, rng);
        const auto w = random_vec(g.channels * K * K, rng);
        const auto b = random_vec(g.channels, rng);
        std::vector<float> packed(uibnas::kernels::dwconv_packed_size(g.channels, K));
        uibnas::kernels::pack_dwconv_weights(g.channels, K, w.data(), b.data(), packed.data());
        const auto want = reference(g, in, w, &b, Act::ReLU6);
        const std::size_t row = g.out_w * g.channels;
        for (const auto& impl : all) {
          // Three pieces, the middle one a single row.
          const std::size_t a = g.out_h / 2, c = a + 1;
          std::vector<float> out(g.out_h * row, kSentinel);
          impl.fn(g, in.data(), packed.data(), out.data(), a, c, Act::ReLU6);
          for (std::size_t i = 0; i < out.size(); ++i)
            if (i < a * row || i >= c * row) REQUIRE(out[i] == kSentinel);
          impl.fn(g, in.data(), packed.data(), out.data(), 0, a, Act::ReLU6);
          impl.fn(g, in.data(), packed.data(), out.data(), c, g.out_h, Act::ReLU6);
          expect_close(out, want,
                       impl.name + " split " + std::to_string(size) + " k=" + std::to_string(K) +
                           " s=" + std::to_string(S));
          // An empty range writes nothing.
          std::vector<float> untouched(g.out_h * row, kSentinel);
          impl.fn(g, in.data(), packed.data(), untouched.data(), 3, 3, Act::None);
          CHECK(untouched == std::vector<float>(g.out_h * row, kSentinel));
        }
      }
}

TEST_CASE("dwconv: blurpc anti-aliasing filter (binomial 3x3, stride 2, pad 1)", "[dwconv]") {
  std::mt19937 rng(11);
  const std::size_t C = 24;
  const DwConvGeometry g = make_geometry(15, 15, C, 3, 2, 1);
  REQUIRE(g.out_h == 8);
  const float taps[9] = {1, 2, 1, 2, 4, 2, 1, 2, 1};
  std::vector<float> w(C * 9);
  for (std::size_t c = 0; c < C; ++c)
    for (int i = 0; i < 9; ++i) w[c * 9 + i] = taps[i] / 16.0f;
  const auto in = random_vec(g.in_h * g.in_w * C, rng);
  std::vector<float> packed(uibnas::kernels::dwconv_packed_size(C, 3));
  uibnas::kernels::pack_dwconv_weights(C, 3, w.data(), nullptr, packed.data());
  const auto want = reference(g, in, w, nullptr, Act::None);
  for (const auto& impl : impls()) {
    std::vector<float> out(g.out_h * g.out_w * C);
    impl.fn(g, in.data(), packed.data(), out.data(), 0, g.out_h, Act::None);
    expect_close(out, want, impl.name + " blurpc");
  }
}

TEST_CASE("dwconv: unusual stride falls back correctly", "[dwconv]") {
  std::mt19937 rng(5);
  const DwConvGeometry g = make_geometry(11, 10, 19, 3, 3, 1);
  const auto in = random_vec(g.in_h * g.in_w * g.channels, rng);
  const auto w = random_vec(g.channels * 9, rng);
  const auto b = random_vec(g.channels, rng);
  std::vector<float> packed(uibnas::kernels::dwconv_packed_size(g.channels, 3));
  uibnas::kernels::pack_dwconv_weights(g.channels, 3, w.data(), b.data(), packed.data());
  const auto want = reference(g, in, w, &b, Act::HardSwish);
  for (const auto& impl : impls()) {
    std::vector<float> out(g.out_h * g.out_w * g.channels);
    impl.fn(g, in.data(), packed.data(), out.data(), 0, g.out_h, Act::HardSwish);
    expect_close(out, want, impl.name + " stride 3");
  }
}
