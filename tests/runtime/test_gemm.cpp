// GEMM kernels against a double-precision reference: every microkernel variant, edge shapes,
// every activation, residual, column subranges, padded strides.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "runtime/kernels/gemm.hpp"
#include "runtime/kernels/gemm_ukernels.hpp"
#include "kernel_test_support.hpp"

using namespace uibnas::runtime::kernels;
using uibnas::testing::act_name;
using uibnas::testing::kAllActs;
using uibnas::testing::reference_activation;

namespace {

constexpr float kSentinel = -12345.0f;

const std::vector<GemmUkernel>& all_ukernels() {
  static const std::vector<GemmUkernel> v = uibnas::testing::runnable_gemm_ukernels();
  return v;
}

std::vector<float> random_vec(size_t n, std::mt19937& rng, float lo = -1.0f, float hi = 1.0f) {
  std::uniform_real_distribution<float> u(lo, hi);
  std::vector<float> v(n);
  for (float& x : v) x = u(rng);
  return v;
}

// One GEMM problem with its double-precision pre-activation result and error scale.
struct Problem {
  size_t m, n, k, lda;
  std::vector<float> a, w, bias, packed, residual;
  size_t ldr;
  std::vector<double> pre, scale;  // acc + bias, and sum |a w| + |bias| per element

  Problem(size_t m_, size_t n_, size_t k_, size_t lda_pad, size_t ldr_pad, std::mt19937& rng)
      : m(m_), n(n_), k(k_), lda(k_ + lda_pad), ldr(n_ + ldr_pad) {
    a = random_vec(m * lda, rng);
    w = random_vec(n * k, rng);
    bias = random_vec(n, rng);
    residual = random_vec(m * ldr, rng);
    packed.assign(gemm_packed_size(n, k), std::numeric_limits<float>::quiet_NaN());
    pack_gemm_weights(n, k, w.data(), bias.data(), packed.data());
    pre.resize(m * n);
    scale.resize(m * n);
    for (size_t i = 0; i < m; ++i)
      for (size_t j = 0; j < n; ++j) {
        double s = bias[j], sa = std::abs(bias[j]);
        for (size_t q = 0; q < k; ++q) {
          s += double(a[i * lda + q]) * w[j * k + q];
          sa += std::abs(double(a[i * lda + q]) * w[j * k + q]);
        }
        pre[i * n + j] = s;
        scale[i * n + j] = sa;
      }
  }

  // Empty string when c (stride ldc, columns [n_begin, n_end) written, the rest still the
  // sentinel) matches the reference.
  std::string check(const std::vector<float>& c, size_t ldc, Act act, bool with_residual,
                    size_t n_begin, size_t n_end) const {
    for (size_t i = 0; i < m; ++i)
      for (size_t j = 0; j < ldc; ++j) {
        const float got = c[i * ldc + j];
        const bool inside = j >= n_begin && j < n_end;
        if (!inside) {
          if (got != kSentinel) return where(i, j) + " written outside the column range";
          continue;
        }
        double want = reference_activation(act, pre[i * n + j]);
        if (with_residual) want += residual[i * ldr + j];
        const double tol = 1e-5 * std::max({1.0, std::abs(want), 0.1 * scale[i * n + j]});
        if (!(std::abs(got - want) <= tol)) {
          std::ostringstream os;
          os << where(i, j) << " got " << got << " want " << want << " (pre-act " << pre[i * n + j]
             << ")";
          return os.str();
        }
      }
    return {};
  }

  static std::string where(size_t i, size_t j) {
    return "C[" + std::to_string(i) + "][" + std::to_string(j) + "]";
  }
};

std::string describe(const GemmUkernel& uk, const Problem& p, Act act, bool res, size_t nb, size_t ne) {
  std::ostringstream os;
  os << uk.name << " m=" << p.m << " n=" << p.n << " k=" << p.k << " lda=" << p.lda << " act="
     << act_name(act) << " residual=" << res << " cols=[" << nb << "," << ne << ")";
  return os.str();
}

}  // namespace

TEST_CASE("gemm packing layout: bias first, K-major panels of gemm_nr columns, zero padding",
          "[kernels][gemm]") {
  REQUIRE(gemm_nr() == kGemmNR);
  const size_t n = 5, k = 3, nr = gemm_nr();
  std::vector<float> w(n * k), bias(n);
  for (size_t j = 0; j < n; ++j) {
    bias[j] = 100.0f + j;
    for (size_t q = 0; q < k; ++q) w[j * k + q] = float(j * 10 + q);
  }
  REQUIRE(gemm_packed_size(n, k) == nr * (k + 1));
  REQUIRE(gemm_packed_size(nr + 1, k) == 2 * nr * (k + 1));
  std::vector<float> packed(gemm_packed_size(n, k), -1.0f);
  pack_gemm_weights(n, k, w.data(), bias.data(), packed.data());
  for (size_t j = 0; j < nr; ++j) {
    CHECK(packed[j] == (j < n ? bias[j] : 0.0f));
    for (size_t q = 0; q < k; ++q) CHECK(packed[nr + q * nr + j] == (j < n ? w[j * k + q] : 0.0f));
  }
  pack_gemm_weights(n, k, w.data(), nullptr, packed.data());
  for (size_t j = 0; j < nr; ++j) CHECK(packed[j] == 0.0f);
}

TEST_CASE("gemm microkernels match the reference over edge shapes, activations and residuals",
          "[kernels][gemm]") {
  std::mt19937 rng(42);
  size_t cases = 0;
  for (size_t m : {1, 2, 7, 13, 49, 100})
    for (size_t n : {1, 5, 16, 17, 33, 40, 100})
      for (size_t k : {1, 3, 27, 64, 129}) {
        // Alternate tight and padded strides so both layouts see every shape class.
        const bool padded = (m + n + k) % 2 == 1;
        Problem p(m, n, k, padded ? 3 : 0, padded ? 7 : 0, rng);
        const size_t ldc = n + (padded ? 5 : 0);
        for (const GemmUkernel& uk : all_ukernels())
          for (Act act : kAllActs)
            for (bool res : {false, true}) {
              std::vector<float> c(m * ldc, kSentinel);
              GemmEpilogue ep;
              ep.act = act;
              ep.residual = res ? p.residual.data() : nullptr;
              ep.ldr = p.ldr;
              gemm_with(uk, m, n, k, p.a.data(), p.lda, p.packed.data(), c.data(), ldc, ep, 0, n);
              const std::string err = p.check(c, ldc, act, res, 0, n);
              INFO(describe(uk, p, act, res, 0, n));
              REQUIRE(err == "");
              ++cases;
            }
      }
  CHECK(cases >= 2100);
}

TEST_CASE("gemm with weights too large for L2 (k blocks, streamed panels) matches the reference",
          "[kernels][gemm]") {
  // Over 1 MB of packed weights takes the driver's streaming path: K split into blocks whose
  // partial sums wait in C (off for one row tile, and when the residual aliases C), and the
  // spread prefetch of the next block. k = 1000 gives uneven blocks; n = 300 a partial panel.
  std::mt19937 rng(11);
  const size_t n = 300, k = 1000;
  for (size_t m : {1, 13, 40}) {
    Problem p(m, n, k, 2, 1, rng);
    const size_t ldc = n + 1;
    for (const GemmUkernel& uk : all_ukernels())
      for (Act act : kAllActs)
        for (bool res : {false, true})
          for (size_t nb : {size_t(0), 3 * gemm_nr()}) {
            std::vector<float> c(m * ldc, kSentinel);
            GemmEpilogue ep;
            ep.act = act;
            ep.residual = res ? p.residual.data() : nullptr;
            ep.ldr = p.ldr;
            gemm_with(uk, m, n, k, p.a.data(), p.lda, p.packed.data(), c.data(), ldc, ep, nb, n);
            INFO(describe(uk, p, act, res, nb, n));
            REQUIRE(p.check(c, ldc, act, res, nb, n) == "");
          }
    // In place: the residual is the output buffer itself.
    for (const GemmUkernel& uk : all_ukernels()) {
      std::vector<float> c(m * p.ldr);
      for (size_t i = 0; i < c.size(); ++i) c[i] = i % p.ldr < n ? p.residual[i] : kSentinel;
      GemmEpilogue ep;
      ep.act = Act::ReLU6;
      ep.residual = c.data();
      ep.ldr = p.ldr;
      gemm_with(uk, m, n, k, p.a.data(), p.lda, p.packed.data(), c.data(), p.ldr, ep, 0, n);
      INFO(describe(uk, p, ep.act, true, 0, n) << " in place");
      REQUIRE(p.check(c, p.ldr, ep.act, true, 0, n) == "");
    }
  }
}

TEST_CASE("gemm column subranges split at a multiple of gemm_nr cover the output exactly",
          "[kernels][gemm]") {
  std::mt19937 rng(7);
  const size_t nr = gemm_nr();
  for (size_t m : {1, 13, 49})
    for (size_t n : {33, 40, 100, 129})
      for (size_t k : {3, 64}) {
        Problem p(m, n, k, 1, 2, rng);
        const size_t ldc = n + 3;
        const size_t split = std::max<size_t>(1, n / nr / 2) * nr;  // multiple of nr, < n
        for (const GemmUkernel& uk : all_ukernels()) {
          GemmEpilogue ep;
          ep.act = Act::HardSwish;
          ep.residual = p.residual.data();
          ep.ldr = p.ldr;
          // Each half alone writes only its own columns...
          std::vector<float> lo(m * ldc, kSentinel), hi(m * ldc, kSentinel);
          gemm_with(uk, m, n, k, p.a.data(), p.lda, p.packed.data(), lo.data(), ldc, ep, 0, split);
          gemm_with(uk, m, n, k, p.a.data(), p.lda, p.packed.data(), hi.data(), ldc, ep, split, n);
          INFO(describe(uk, p, ep.act, true, 0, split) << " split at " << split);
          REQUIRE(p.check(lo, ldc, ep.act, true, 0, split) == "");
          REQUIRE(p.check(hi, ldc, ep.act, true, split, n) == "");
          // ...and together they equal the full product.
          std::vector<float> both(m * ldc, kSentinel);
          gemm_with(uk, m, n, k, p.a.data(), p.lda, p.packed.data(), both.data(), ldc, ep, split, n);
          gemm_with(uk, m, n, k, p.a.data(), p.lda, p.packed.data(), both.data(), ldc, ep, 0, split);
          REQUIRE(p.check(both, ldc, ep.act, true, 0, n) == "");
        }
      }
}

TEST_CASE("gemm row splits (offset a, c, residual) match the whole product", "[kernels][gemm]") {
  std::mt19937 rng(11);
  const size_t m = 100, n = 72, k = 40;
  Problem p(m, n, k, 0, 0, rng);
  for (const GemmUkernel& uk : all_ukernels()) {
    std::vector<float> c(m * n, kSentinel);
    GemmEpilogue ep;
    ep.act = Act::ReLU6;
    ep.residual = p.residual.data();
    ep.ldr = n;
    const size_t split = 37;
    gemm_with(uk, split, n, k, p.a.data(), k, p.packed.data(), c.data(), n, ep, 0, n);
    GemmEpilogue ep2 = ep;
    ep2.residual += split * n;
    gemm_with(uk, m - split, n, k, p.a.data() + split * k, k, p.packed.data(), c.data() + split * n, n,
              ep2, 0, n);
    INFO(uk.name);
    REQUIRE(p.check(c, n, ep.act, true, 0, n) == "");
  }
}

TEST_CASE("gemm residual may alias the output (in-place skip connection)", "[kernels][gemm]") {
  std::mt19937 rng(3);
  const size_t m = 13, n = 40, k = 27;
  Problem p(m, n, k, 0, 0, rng);
  for (const GemmUkernel& uk : all_ukernels()) {
    std::vector<float> c = p.residual;  // c starts as the residual and is overwritten in place
    GemmEpilogue ep;
    ep.act = Act::GELU;
    ep.residual = c.data();
    ep.ldr = n;
    gemm_with(uk, m, n, k, p.a.data(), k, p.packed.data(), c.data(), n, ep, 0, n);
    INFO(uk.name);
    REQUIRE(p.check(c, n, ep.act, true, 0, n) == "");
  }
}

TEST_CASE("gemm entry point matches the reference", "[kernels][gemm]") {
  std::mt19937 rng(5);
  Problem p(49, 100, 64, 0, 0, rng);
  std::vector<float> c(49 * 100, kSentinel);
  GemmEpilogue ep;
  ep.act = Act::ReLU;
  gemm(49, 100, 64, p.a.data(), 64, p.packed.data(), c.data(), 100, ep, 0, 100);
  REQUIRE(p.check(c, 100, ep.act, false, 0, 100) == "");
}

TEST_CASE("gemm rejects a column range that does not start on a panel boundary", "[kernels][gemm]") {
  std::mt19937 rng(9);
  Problem p(4, 40, 8, 0, 0, rng);
  std::vector<float> c(4 * 40);
  GemmEpilogue ep;
  CHECK_THROWS_AS(gemm(4, 40, 8, p.a.data(), 8, p.packed.data(), c.data(), 40, ep, 16, 40),
                  std::invalid_argument);
  CHECK_THROWS_AS(gemm(4, 40, 8, p.a.data(), 8, p.packed.data(), c.data(), 40, ep, 0, 41),
                  std::invalid_argument);
  CHECK_THROWS_AS(gemm(4, 40, 8, p.a.data(), 8, p.packed.data(), c.data(), 30, ep, 0, 40),
                  std::invalid_argument);
  CHECK_NOTHROW(gemm(0, 40, 8, p.a.data(), 8, p.packed.data(), c.data(), 40, ep, 0, 40));
}

TEST_CASE("vectorised GELU follows the exact erf form across its range", "[kernels][gemm]") {
  // k = 1, weight 1, bias 0: C = act(A) for a dense sweep of x, including the erf table's
  // interval edges (multiples of 0.25 * sqrt 2) and the saturated tails.
  std::vector<float> xs;
  for (int i = -4800; i <= 4800; ++i) xs.push_back(float(i) * 0.0025f);  // [-12, 12]
  for (int i = 0; i <= 17; ++i) {
    const float edge = float(i) * 0.25f * 1.41421356f;
    for (float d : {-1e-6f, 0.0f, 1e-6f}) {
      xs.push_back(edge + d);
      xs.push_back(-edge - d);
    }
  }
  const size_t m = xs.size();
  const float one = 1.0f;
  std::vector<float> packed(gemm_packed_size(1, 1));
  pack_gemm_weights(1, 1, &one, nullptr, packed.data());
  for (const GemmUkernel& uk : all_ukernels())
    for (Act act : kAllActs) {
      std::vector<float> c(m);
      GemmEpilogue ep;
      ep.act = act;
      gemm_with(uk, m, 1, 1, xs.data(), 1, packed.data(), c.data(), 1, ep, 0, 1);
      double worst = 0;
      size_t worst_i = 0;
      for (size_t i = 0; i < m; ++i) {
        const double want = reference_activation(act, xs[i]);
        // Float evaluation of 0.5 x (1 + erf): erf is good to ~1 ulp of 1, scaled by |x|.
        const double err = std::abs(c[i] - want) / std::max(1.0, std::abs(double(xs[i])));
        if (err > worst) worst = err, worst_i = i;
        // apply_act_scalar is the documented scalar form of the same activation.
        REQUIRE(std::abs(apply_act_scalar(act, xs[i]) - want) <= 2e-7 * std::max(1.0, std::abs(want)) + 1e-7 * std::abs(xs[i]));
      }
      INFO(uk.name << " " << act_name(act) << " worst at x=" << xs[worst_i] << " got " << c[worst_i]
                    << " want " << reference_activation(act, xs[worst_i]));
      CHECK(worst <= 2.5e-7);
    }
}
