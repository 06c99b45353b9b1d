// Depthwise convolution kernels against a naive double-precision reference, through one tester
// (DwConvTester) run by the entry point and every implementation this CPU has.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstddef>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "kernel_test_support.hpp"
#include "runtime/kernels/dwconv.hpp"

namespace {

using uibnas::runtime::kernels::Act;
using uibnas::runtime::kernels::DwConvGeometry;
using uibnas::testing::act_name;
using uibnas::testing::kAllActs;
using Impl = uibnas::testing::NamedKernel<uibnas::runtime::kernels::DwConvFn>;

// The entry point plus every implementation this CPU can run.
std::vector<Impl> impls() {
  return uibnas::testing::family_kernels(&uibnas::runtime::kernels::KernelConfigs::dwconv, &uibnas::runtime::kernels::dwconv_nhwc);
}

constexpr float kSentinel = 12345.0f;
constexpr std::size_t kGuard = 64;  // floats past the output that must stay untouched

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

// One depthwise problem (geometry, activation, input, PyTorch-layout weights [c][1][k][k], optional
// bias) with its reference output straight from the definition (zero padding). run() executes an
// implementation over row ranges in the given order; check() compares rows [begin, end) with the
// reference and requires every other row and the guard zone past the output to be untouched.
class DwConvTester {
 public:
  DwConvTester(const DwConvGeometry& g, Act act, bool with_bias, std::mt19937& rng, float input_range = 1.0f)
      : g_(g), act_(act), with_bias_(with_bias) {
    in_ = random_vec(g.in_h * g.in_w * g.channels, rng, -input_range, input_range);
    w_ = random_vec(g.channels * g.kernel * g.kernel, rng);
    b_ = random_vec(g.channels, rng);
    prepare();
  }

  // Replaces the weights (e.g. a fixed filter); `w` has the PyTorch layout.
  void set_weights(std::vector<float> w) {
    w_ = std::move(w);
    prepare();
  }

  std::vector<float> run(const Impl& impl, const std::vector<std::pair<std::size_t, std::size_t>>& ranges) const {
    std::vector<float> out(g_.out_h * row_floats() + kGuard, kSentinel);
    run_into(out, impl, ranges);
    return out;
  }

  void run_into(std::vector<float>& out, const Impl& impl,
                const std::vector<std::pair<std::size_t, std::size_t>>& ranges) const {
    for (const auto& [begin, end] : ranges) impl.fn(g_, in_.data(), packed_.data(), out.data(), begin, end, act_);
  }

  // Every element of rows [begin, end) within 1e-5 relative (plus a small absolute floor near zero).
  void check(const std::vector<float>& out, std::size_t begin, std::size_t end, const std::string& what) const {
    const std::size_t row = row_floats(), n_out = g_.out_h * row;
    REQUIRE(out.size() == n_out + kGuard);
    std::size_t bad = 0, first = 0;
    for (std::size_t i = 0; i < out.size(); ++i) {
      const bool inside = i < n_out && i >= begin * row && i < end * row;
      const bool ok = inside ? std::fabs(out[i] - want_[i]) <= 1e-5 * (1.0 + std::fabs(want_[i])) : out[i] == kSentinel;
      if (!ok && bad++ == 0) first = i;
    }
    INFO(what << " " << describe() << ": " << bad << " mismatches; first at " << first << ": got " << out[first]
              << (first < n_out ? " want " + std::to_string(want_[first]) : std::string(" past the output")));
    CHECK(bad == 0);
  }

  // Runs all rows at once and checks them.
  void test(const Impl& impl) const { check(run(impl, {{0, g_.out_h}}), 0, g_.out_h, impl.name); }

  const DwConvGeometry& geometry() const { return g_; }

 private:
  std::size_t row_floats() const { return g_.out_w * g_.channels; }

  std::string describe() const {
    return "C=" + std::to_string(g_.channels) + " k=" + std::to_string(g_.kernel) + " s=" + std::to_string(g_.stride) +
           " pad=" + std::to_string(g_.pad) + " in=" + std::to_string(g_.in_h) + "x" + std::to_string(g_.in_w) +
           " act=" + act_name(act_) + " bias=" + std::to_string(with_bias_);
  }

  void prepare() {
    packed_.assign(uibnas::runtime::kernels::dwconv_packed_size(g_.channels, g_.kernel), 0.0f);
    uibnas::runtime::kernels::pack_dwconv_weights(g_.channels, g_.kernel, w_.data(), with_bias_ ? b_.data() : nullptr,
                                         packed_.data());
    want_.assign(g_.out_h * row_floats(), 0.0);
    const long K = static_cast<long>(g_.kernel);
    for (std::size_t oy = 0; oy < g_.out_h; ++oy)
      for (std::size_t ox = 0; ox < g_.out_w; ++ox)
        for (std::size_t c = 0; c < g_.channels; ++c) {
          double acc = with_bias_ ? b_[c] : 0.0;
          for (long ky = 0; ky < K; ++ky)
            for (long kx = 0; kx < K; ++kx) {
              const long iy = static_cast<long>(oy * g_.stride) - static_cast<long>(g_.pad) + ky;
              const long ix = static_cast<long>(ox * g_.stride) - static_cast<long>(g_.pad) + kx;
              if (iy < 0 || ix < 0 || iy >= static_cast<long>(g_.in_h) || ix >= static_cast<long>(g_.in_w)) continue;
              acc += static_cast<double>(in_[(iy * g_.in_w + ix) * g_.channels + c]) *
                     w_[c * g_.kernel * g_.kernel + static_cast<std::size_t>(ky * K + kx)];
            }
          want_[(oy * g_.out_w + ox) * g_.channels + c] = uibnas::testing::reference_activation(act_, acc);
        }
  }

  DwConvGeometry g_;
  Act act_;
  bool with_bias_;
  std::vector<float> in_, w_, b_, packed_;
  std::vector<double> want_;
};

}  // namespace

TEST_CASE("dwconv: packed size and layout", "[dwconv]") {
  CHECK(uibnas::runtime::kernels::dwconv_packed_size(16, 3) == 16 * 10);
  CHECK(uibnas::runtime::kernels::dwconv_packed_size(17, 3) == 32 * 10);
  CHECK(uibnas::runtime::kernels::dwconv_packed_size(5, 5) == 16 * 26);
  const std::size_t C = 17, K = 3;
  std::vector<float> w(C * K * K), b(C);
  for (std::size_t i = 0; i < w.size(); ++i) w[i] = static_cast<float>(i + 1);
  for (std::size_t c = 0; c < C; ++c) b[c] = -static_cast<float>(c + 1);
  std::vector<float> p(uibnas::runtime::kernels::dwconv_packed_size(C, K), kSentinel);
  uibnas::runtime::kernels::pack_dwconv_weights(C, K, w.data(), b.data(), p.data());
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
  uibnas::runtime::kernels::pack_dwconv_weights(C, K, w.data(), nullptr, p.data());
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
            const DwConvTester t(make_geometry(hw[0], hw[1], C, K, S, pad), kAllActs[config % uibnas::testing::kActCount], config % 3 != 0, rng);
            ++config;
            for (const auto& impl : all) t.test(impl);
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
      // Inputs in [-4, 4] so the activations' interesting ranges (e.g. ReLU6 clipping) are hit.
      const DwConvTester t(make_geometry(sh.h, sh.w, sh.c, sh.k, sh.s, (sh.k - 1) / 2), act, true, rng, 4.0f);
      for (const auto& impl : all) t.test(impl);
    }
}

TEST_CASE("dwconv: row subranges compose and leave other rows untouched", "[dwconv]") {
  std::mt19937 rng(3);
  const auto all = impls();
  for (std::size_t size : {15, 7})
    for (std::size_t K : {3, 5})
      for (std::size_t S : {1, 2}) {
        // 15 -> 15 or 8 output columns; 7 -> 7 or 4 (narrow rows take the partial-block path).
        const DwConvTester t(make_geometry(size, size, 40, K, S, (K - 1) / 2), Act::ReLU6, true, rng);
        const std::size_t out_h = t.geometry().out_h, a = out_h / 2, c = a + 1;
        for (const auto& impl : all) {
          // Three pieces, the middle one a single row and run first.
          std::vector<float> out = t.run(impl, {{a, c}});
          t.check(out, a, c, impl.name + " middle row");
          t.run_into(out, impl, {{0, a}, {c, out_h}});
          t.check(out, 0, out_h, impl.name + " three pieces");
          // An empty range writes nothing.
          t.check(t.run(impl, {{3, 3}}), 0, 0, impl.name + " empty range");
        }
      }
}

TEST_CASE("dwconv: blurpc anti-aliasing filter (binomial 3x3, stride 2, pad 1)", "[dwconv]") {
  std::mt19937 rng(11);
  const std::size_t C = 24;
  DwConvTester t(make_geometry(15, 15, C, 3, 2, 1), Act::None, false, rng);
  REQUIRE(t.geometry().out_h == 8);
  const float taps[9] = {1, 2, 1, 2, 4, 2, 1, 2, 1};
  std::vector<float> w(C * 9);
  for (std::size_t c = 0; c < C; ++c)
    for (int i = 0; i < 9; ++i) w[c * 9 + i] = taps[i] / 16.0f;
  t.set_weights(w);
  for (const auto& impl : impls()) t.test(impl);
}

TEST_CASE("dwconv: unusual stride falls back correctly", "[dwconv]") {
  std::mt19937 rng(5);
  const DwConvTester t(make_geometry(11, 10, 19, 3, 3, 1), Act::HardSwish, true, rng);
  for (const auto& impl : impls()) t.test(impl);
}
