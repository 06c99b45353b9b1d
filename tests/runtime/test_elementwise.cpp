// Elementwise kernels (activations, add, per-channel affine) against double-precision references.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstddef>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "kernel_test_support.hpp"
#include "runtime/kernels/elementwise.hpp"

namespace {

using uibnas::runtime::kernels::Act;
namespace kernels = uibnas::runtime::kernels;
using uibnas::testing::act_name;
using uibnas::testing::family_kernels;
using uibnas::testing::kAllActs;
using uibnas::testing::reference_activation;

std::vector<uibnas::testing::NamedKernel<kernels::ActivationFn>> act_impls() {
  return family_kernels(&kernels::KernelConfigs::activation, &kernels::activation_inplace);
}

// GELU: ~1e-6 absolute (plus float rounding of large outputs); SiLU and Sigmoid: a few ulp of an exp
// (plus denormal results far in the negative tail); the others are exact up to a couple of roundings
// (HardSwish may multiply by 1/6 instead of dividing).
double act_tol(Act a, double want) {
  if (a == Act::GELU) return 1e-6 + 2e-7 * std::fabs(want);
  if (a == Act::SiLU || a == Act::Sigmoid) return 1e-30 + 1e-6 * std::fabs(want);
  return 2.5e-7 * std::fabs(want);
}

std::vector<float> test_inputs() {
  std::vector<float> x = {0.0f, -0.0f, 1e-30f, -1e-30f, 1e-8f, -1e-8f, 0.5f, -0.5f, 2.9999f, -2.9999f,
                          3.0f, -3.0f, 3.0001f, -3.0001f, 5.9999f, 6.0f, 6.0001f, -6.0f, 100.0f, -100.0f,
                          1e6f, -1e6f, 1e30f, -1e30f};
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> d(-10.0f, 10.0f);
  for (int i = 0; i < 1000; ++i) x.push_back(d(rng));
  return x;
}

}  // namespace

TEST_CASE("elementwise: activations match the reference for every length and implementation", "[elementwise]") {
  const auto base = test_inputs();
  for (const auto& impl : act_impls())
    for (Act act : kAllActs)
      for (std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{15}, std::size_t{16}, std::size_t{17},
                            std::size_t{100}, base.size()}) {
        std::vector<float> x(base.begin(), base.begin() + static_cast<std::ptrdiff_t>(n));
        x.push_back(777.0f);  // guard element past the end must survive
        impl.fn(act, x.data(), n);
        std::size_t bad = 0, first = 0;
        for (std::size_t i = 0; i < n; ++i) {
          const double want = reference_activation(act, base[i]);
          if (!(std::fabs(x[i] - want) <= act_tol(act, want))) {
            if (bad++ == 0) first = i;
          }
        }
        INFO(impl.name << " " << act_name(act) << " n=" << n << ": " << bad << " bad; first x=" << base[first]
                       << " got " << x[first] << " want " << reference_activation(act, base[first]));
        CHECK(bad == 0);
        CHECK(x[n] == 777.0f);
      }
}

TEST_CASE("elementwise: GELU accuracy over a dense sweep", "[elementwise]") {
  std::vector<float> base;
  for (double v = -12.0; v <= 12.0; v += 1.0 / 1024) base.push_back(static_cast<float>(v));
  for (const auto& impl : act_impls()) {
    auto x = base;
    impl.fn(Act::GELU, x.data(), x.size());
    double max_abs = 0, max_rel_pos = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
      const double want = reference_activation(Act::GELU, base[i]);
      max_abs = std::max(max_abs, std::fabs(x[i] - want));
      if (base[i] > 0) max_rel_pos = std::max(max_rel_pos, std::fabs(x[i] - want) / want);
    }
    INFO(impl.name << ": max abs error " << max_abs << ", max rel error (x > 0) " << max_rel_pos);
    CHECK(max_abs < 1e-6);
    CHECK(max_rel_pos < 5e-7);
  }
}

TEST_CASE("elementwise: special values", "[elementwise]") {
  const float inf = std::numeric_limits<float>::infinity(), nan = std::numeric_limits<float>::quiet_NaN();
  for (const auto& impl : act_impls()) {
    INFO(impl.name);
    std::vector<float> x = {nan, inf, -inf};
    impl.fn(Act::ReLU, x.data(), x.size());
    CHECK(std::isnan(x[0]));
    CHECK(x[1] == inf);
    CHECK(x[2] == 0.0f);
    x = {nan, inf, -inf};
    impl.fn(Act::ReLU6, x.data(), x.size());
    CHECK(std::isnan(x[0]));
    CHECK(x[1] == 6.0f);
    CHECK(x[2] == 0.0f);
    x = {nan, inf, 50.0f, -50.0f};
    impl.fn(Act::GELU, x.data(), x.size());
    CHECK(std::isnan(x[0]));
    CHECK(x[1] == inf);
    CHECK(x[2] == 50.0f);
    CHECK(std::fabs(x[3]) < 1e-30f);
  }
}

TEST_CASE("elementwise: add, including in-place", "[elementwise]") {
  const auto impls = family_kernels(&kernels::KernelConfigs::add, &kernels::add);
  std::mt19937 rng(2);
  std::uniform_real_distribution<float> d(-5.0f, 5.0f);
  for (const auto& [name, fn] : impls)
    for (std::size_t n : {0, 1, 5, 16, 17, 63, 64, 65, 100, 1000}) {
      INFO(name << " n=" << n);
      std::vector<float> a(n + 1), b(n + 1), out(n + 1, 777.0f);
      for (auto& v : a) v = d(rng);
      for (auto& v : b) v = d(rng);
      fn(a.data(), b.data(), out.data(), n);
      for (std::size_t i = 0; i < n; ++i) REQUIRE(out[i] == a[i] + b[i]);
      CHECK(out[n] == 777.0f);
      auto a2 = a;
      fn(a2.data(), b.data(), a2.data(), n);  // out aliases a
      for (std::size_t i = 0; i < n; ++i) REQUIRE(a2[i] == a[i] + b[i]);
    }
}

TEST_CASE("elementwise: channel affine over NHWC, including in-place", "[elementwise]") {
  const auto impls = family_kernels(&kernels::KernelConfigs::channel_affine, &kernels::channel_affine_nhwc);
  std::mt19937 rng(3);
  std::uniform_real_distribution<float> d(-2.0f, 2.0f);
  for (const auto& [name, fn] : impls)
    for (std::size_t C : {1, 5, 16, 17, 40, 100})
      for (std::size_t P : {1, 7}) {
        INFO(name << " C=" << C << " pixels=" << P);
        std::vector<float> x(P * C), scale(C), shift(C), out(P * C + 1, 777.0f);
        for (auto& v : x) v = d(rng);
        for (auto& v : scale) v = d(rng);
        for (auto& v : shift) v = d(rng);
        fn(x.data(), scale.data(), shift.data(), out.data(), P, C);
        for (std::size_t p = 0; p < P; ++p)
          for (std::size_t c = 0; c < C; ++c) {
            const double want = static_cast<double>(x[p * C + c]) * scale[c] + shift[c];
            REQUIRE(std::fabs(out[p * C + c] - want) <= 1e-6 * (1 + std::fabs(want)));
          }
        CHECK(out[P * C] == 777.0f);
        auto x2 = x;
        fn(x2.data(), scale.data(), shift.data(), x2.data(), P, C);  // out aliases x
        for (std::size_t i = 0; i < x.size(); ++i) REQUIRE(x2[i] == out[i]);
      }
}
