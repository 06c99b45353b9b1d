// Dense NHWC convolution against a direct double-precision reference: kernel sizes, strides,
// odd spatial sizes, padding (border patches of the indirect GEMM), row subranges, every GEMM
// microkernel, the 1x1 fast path.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "kernel_test_support.hpp"
#include "runtime/kernels/conv2d.hpp"
#include "runtime/kernels/gemm_ukernels.hpp"

using namespace uibnas::runtime::kernels;
using uibnas::testing::kAllActs;
using uibnas::testing::reference_activation;

namespace {

constexpr float kSentinel = -777.0f;

ConvGeometry make_geometry(size_t in_h, size_t in_w, size_t in_c, size_t out_c, size_t kernel,
                           size_t stride) {
  const size_t pad = (kernel - 1) / 2;
  return {in_h, in_w, in_c, (in_h + 2 * pad - kernel) / stride + 1,
          (in_w + 2 * pad - kernel) / stride + 1, out_c, kernel, stride, pad};
}

std::vector<float> random_vec(size_t n, std::mt19937& rng) {
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  std::vector<float> v(n);
  for (float& x : v) x = u(rng);
  return v;
}

struct ConvCase {
  ConvGeometry g;
  std::vector<float> in, w, bias, packed, residual;
  std::vector<double> pre, scale;

  ConvCase(const ConvGeometry& geo, std::mt19937& rng) : g(geo) {
    in = random_vec(g.in_h * g.in_w * g.in_c, rng);
    w = random_vec(g.out_c * g.in_c * g.kernel * g.kernel, rng);
    bias = random_vec(g.out_c, rng);
    residual = random_vec(g.out_h * g.out_w * g.out_c, rng);
    packed.resize(conv2d_packed_size(g));
    pack_conv2d_weights(g, w.data(), bias.data(), packed.data());
    // Direct convolution straight from the OIHW weights and the padded geometry.
    pre.assign(g.out_h * g.out_w * g.out_c, 0.0);
    scale.assign(pre.size(), 0.0);
    const long k = long(g.kernel);
    for (size_t oy = 0; oy < g.out_h; ++oy)
      for (size_t ox = 0; ox < g.out_w; ++ox)
        for (size_t oc = 0; oc < g.out_c; ++oc) {
          double s = bias[oc], sa = std::abs(bias[oc]);
          for (long ky = 0; ky < k; ++ky)
            for (long kx = 0; kx < k; ++kx) {
              const long iy = long(oy * g.stride) - long(g.pad) + ky;
              const long ix = long(ox * g.stride) - long(g.pad) + kx;
              if (iy < 0 || ix < 0 || iy >= long(g.in_h) || ix >= long(g.in_w)) continue;
              for (size_t ic = 0; ic < g.in_c; ++ic) {
                const double x = in[(size_t(iy) * g.in_w + size_t(ix)) * g.in_c + ic];
                const double wt = w[((oc * g.in_c + ic) * g.kernel + size_t(ky)) * g.kernel + size_t(kx)];
                s += x * wt;
                sa += std::abs(x * wt);
              }
            }
          const size_t idx = (oy * g.out_w + ox) * g.out_c + oc;
          pre[idx] = s;
          scale[idx] = sa;
        }
  }

  // Rows [oy_begin, oy_end) must match the reference, every other row must be untouched.
  std::string check(const std::vector<float>& out, Act act, bool with_residual, size_t oy_begin,
                    size_t oy_end) const {
    for (size_t oy = 0; oy < g.out_h; ++oy)
      for (size_t ox = 0; ox < g.out_w; ++ox)
        for (size_t oc = 0; oc < g.out_c; ++oc) {
          const size_t idx = (oy * g.out_w + ox) * g.out_c + oc;
          std::ostringstream os;
          os << "out[" << oy << "][" << ox << "][" << oc << "]";
          if (oy < oy_begin || oy >= oy_end) {
            if (out[idx] != kSentinel) return os.str() + " written outside the row range";
            continue;
          }
          double want = reference_activation(act, pre[idx]);
          if (with_residual) want += residual[idx];
          const double tol = 1e-5 * std::max({1.0, std::abs(want), 0.1 * scale[idx]});
          if (!(std::abs(out[idx] - want) <= tol)) {
            os << " got " << out[idx] << " want " << want;
            return os.str();
          }
        }
    return {};
  }
};

const std::vector<GemmUkernel>& all_ukernels() {
  static const std::vector<GemmUkernel> v = uibnas::testing::runnable_gemm_ukernels();
  return v;
}

std::string describe(const ConvGeometry& g) {
  std::ostringstream os;
  os << g.in_h << "x" << g.in_w << "x" << g.in_c << " -> " << g.out_h << "x" << g.out_w << "x"
     << g.out_c << " k" << g.kernel << " s" << g.stride << " p" << g.pad;
  return os.str();
}

}  // namespace

TEST_CASE("conv2d matches direct convolution over kernels, strides, odd sizes and padding",
          "[kernels][conv2d]") {
  std::mt19937 rng(1234);
  size_t variant = 0;
  for (size_t kernel : {1, 3, 5, 7})
    for (size_t stride : {1, 2})
      for (auto [h, w] : {std::pair<size_t, size_t>{15, 15}, {7, 9}, {4, 31}})
        for (size_t in_c : {3, 17})
          for (size_t out_c : {5, 40}) {
            const ConvGeometry g = make_geometry(h, w, in_c, out_c, kernel, stride);
            ConvCase cc(g, rng);
            const Act act = kAllActs[variant % uibnas::testing::kActCount];
            const bool res = variant % 2 == 1;
            ++variant;
            GemmEpilogue ep;
            ep.act = act;
            ep.residual = res ? cc.residual.data() : nullptr;
            ep.ldr = g.out_c;
            for (const GemmUkernel& uk : all_ukernels()) {
              INFO(describe(g) << " act " << int(act) << " residual " << res << " " << uk.name);
              std::vector<float> scratch(conv2d_scratch_size(g, g.out_h));
              // Whole output at once.
              std::vector<float> out(g.out_h * g.out_w * g.out_c, kSentinel);
              conv2d_nhwc_with(uk, g, cc.in.data(), cc.packed.data(), out.data(), scratch.data(), 0, g.out_h, ep);
              REQUIRE(cc.check(out, act, res, 0, g.out_h) == "");
              // Two row subranges (as two threads would).
              const size_t split = g.out_h / 2;
              std::vector<float> lo(out.size(), kSentinel), both(out.size(), kSentinel);
              conv2d_nhwc_with(uk, g, cc.in.data(), cc.packed.data(), lo.data(), scratch.data(), 0, split, ep);
              REQUIRE(cc.check(lo, act, res, 0, split) == "");
              conv2d_nhwc_with(uk, g, cc.in.data(), cc.packed.data(), both.data(), scratch.data(), split, g.out_h, ep);
              REQUIRE(cc.check(both, act, res, split, g.out_h) == "");
              conv2d_nhwc_with(uk, g, cc.in.data(), cc.packed.data(), both.data(), scratch.data(), 0, split, ep);
              REQUIRE(cc.check(both, act, res, 0, g.out_h) == "");
            }
          }
}

TEST_CASE("conv2d with taps entirely in the padding (kernel wider than the input)", "[kernels][conv2d]") {
  std::mt19937 rng(4321);
  for (auto [h, w] : {std::pair<size_t, size_t>{2, 2}, {1, 6}, {6, 1}})
    for (size_t stride : {1, 2}) {
      const ConvGeometry g = make_geometry(h, w, 5, 33, 5, stride);
      ConvCase cc(g, rng);
      GemmEpilogue ep;
      ep.act = Act::ReLU6;
      for (const GemmUkernel& uk : all_ukernels()) {
        INFO(describe(g) << " " << uk.name);
        std::vector<float> scratch(conv2d_scratch_size(g, 1));
        std::vector<float> out(g.out_h * g.out_w * g.out_c, kSentinel);
        conv2d_nhwc_with(uk, g, cc.in.data(), cc.packed.data(), out.data(), scratch.data(), 0, g.out_h, ep);
        REQUIRE(cc.check(out, ep.act, false, 0, g.out_h) == "");
      }
    }
}

TEST_CASE("conv2d stem geometry: 3x3 stride 2 on 3 channels, even input", "[kernels][conv2d]") {
  std::mt19937 rng(99);
  const ConvGeometry g = make_geometry(32, 32, 3, 24, 3, 2);  // 224 -> 112 in miniature
  REQUIRE(g.out_h == 16);
  REQUIRE(g.out_w == 16);
  ConvCase cc(g, rng);
  std::vector<float> scratch(conv2d_scratch_size(g, 5));
  std::vector<float> out(g.out_h * g.out_w * g.out_c, kSentinel);
  GemmEpilogue ep;
  ep.act = Act::ReLU;
  conv2d_nhwc(g, cc.in.data(), cc.packed.data(), out.data(), scratch.data(), 5, 0, g.out_h, ep);
  REQUIRE(cc.check(out, ep.act, false, 0, g.out_h) == "");
}

TEST_CASE("conv2d 1x1 stride 1 runs the GEMM on the input without scratch", "[kernels][conv2d]") {
  std::mt19937 rng(5);
  const ConvGeometry g = make_geometry(7, 9, 17, 40, 1, 1);
  REQUIRE(conv2d_scratch_size(g, 4) == 0);
  ConvCase cc(g, rng);
  GemmEpilogue ep;
  ep.act = Act::HardSwish;
  ep.residual = cc.residual.data();
  ep.ldr = g.out_c;
  std::vector<float> out(g.out_h * g.out_w * g.out_c, kSentinel);
  conv2d_nhwc(g, cc.in.data(), cc.packed.data(), out.data(), nullptr, 0, 2, 5, ep);
  REQUIRE(cc.check(out, ep.act, true, 2, 5) == "");
  conv2d_nhwc(g, cc.in.data(), cc.packed.data(), out.data(), nullptr, 0, 0, 2, ep);
  conv2d_nhwc(g, cc.in.data(), cc.packed.data(), out.data(), nullptr, 0, 5, g.out_h, ep);
  REQUIRE(cc.check(out, ep.act, true, 0, g.out_h) == "");
}

TEST_CASE("conv2d scratch size does not depend on the rows computed", "[kernels][conv2d]") {
  const ConvGeometry g = make_geometry(15, 15, 3, 5, 3, 2);  // 8x8 output, K = 27
  CHECK(conv2d_scratch_size(g, 1) == conv2d_scratch_size(g, 100));
  CHECK(conv2d_scratch_size(g, 0) == conv2d_scratch_size(g, 1));
  CHECK(conv2d_scratch_size(g, 1) >= 3 * 9);  // at least the zero segment and one patch row
  CHECK(conv2d_scratch_size(g, 1) < 8 * 8 * 27);  // far below an im2col of the output
  CHECK(conv2d_packed_size(g) == gemm_packed_size(5, 27));
}

TEST_CASE("conv2d rejects an inconsistent geometry", "[kernels][conv2d]") {
  ConvGeometry g = make_geometry(15, 15, 3, 5, 3, 2);
  g.out_h += 1;
  CHECK_THROWS_AS(conv2d_packed_size(g), uibnas::common::InputError);
  g = make_geometry(15, 15, 3, 5, 3, 2);
  g.stride = 0;
  CHECK_THROWS_AS(conv2d_scratch_size(g, 1), uibnas::common::InputError);
  g = make_geometry(2, 2, 3, 5, 5, 1);  // 5x5 kernel, pad 2: fine
  CHECK_NOTHROW(validate_conv2d(g));
  g.pad = 0;  // 5x5 kernel on an unpadded 2x2 input
  CHECK_THROWS_AS(validate_conv2d(g), uibnas::common::InputError);
}
