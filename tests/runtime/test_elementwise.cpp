// Elementwise kernels (activations, add, per-channel affine) against double-precision references.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstddef>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "runtime/kernels/elementwise.hpp"

namespace {

using uibnas::kernels::Act;
namespace detail = uibnas::kernels::detail;

struct ActImpl {
  std::string name;
  void (*fn)(Act, float*, std::size_t);
};

std::vector<ActImpl> act_impls() {
  std::vector<ActImpl> v{{"dispatch", &uibnas::kernels::activation_inplace},
                         {"generic", &detail::f32_activation__generic}};
#if UIBNAS_KERNELS_X86
  if (detail::simd_avx512_available()) v.push_back({"avx512f", &detail::f32_activation_16x__avx512f});
#endif
  return v;
}

double act_ref(Act a, double x) {
  switch (a) {
    case Act::None: return x;
    case Act::ReLU: return x < 0 ? 0 : x;
    case Act::ReLU6: return x < 0 ? 0 : (x > 6 ? 6 : x);
    case Act::GELU: return 0.5 * x * std::erfc(-x / std::sqrt(2.0));  // = x*0.5*(1+erf(x/sqrt2)), no cancellation
    case Act::HardSwish: return x * std::min(std::max(x + 3.0, 0.0), 6.0) / 6.0;
  }
  return x;
}

// GELU: ~1e-6 absolute (plus float rounding of large outputs); the others are exact up to a couple of
// roundings (HardSwish may multiply by 1/6 instead of dividing).
double act_tol(Act a, double want) {
  return a == Act::GELU ? 1e-6 + 2e-7 * std::fabs(want) : 2.5e-7 * std::fabs(want);
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

const char* act_name(Act a) {
  switch (a) {
    case Act::None: return "None";
    case Act::ReLU: return "ReLU";
    case Act::ReLU6: return "ReLU6";
    case Act::GELU: return "GELU";
    case Act::HardSwish: return "HardSwish";
  }
  return "?";
}

}  // namespace

TEST_CASE("elementwise: activations match the reference for every length and implementation", "[elementwise]") {
  const auto base = test_inputs();
  for (const auto& impl : act_impls())
    for (Act act : {Act::None, Act::ReLU, Act::ReLU6, Act::GELU, Act::HardSwish})
      for (std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{15}, std::size_t{16}, std::size_t{17},
                            std::size_t{100}, base.size()}) {
        std::vector<float> x(base.begin(), base.begin() + static_cast<std::ptrdiff_t>(n));
        x.push_back(777.0f);  // guard element past the end must survive
        impl.fn(act, x.data(), n);
        std::size_t bad = 0, first = 0;
        for (std::size_t i = 0; i < n; ++i) {
          const double want = act_ref(act, base[i]);
          if (!(std::fabs(x[i] - want) <= act_tol(act, want))) {
            if (bad++ == 0) first = i;
          }
        }
        INFO(impl.name << " " << act_name(act) << " n=" << n << ": " << bad << " bad; first x=" << base[first]
                       << " got " << x[first] << " want " << act_ref(act, base[first]));
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
      const double want = act_ref(Act::GELU, base[i]);
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
  std::vector<std::pair<std::string, void (*)(const float*, const float*, float*, std::size_t)>> impls = {
      {"dispatch", &uibnas::kernels::add}, {"generic", &detail::f32_add__generic}};
#if UIBNAS_KERNELS_X86
  if (detail::simd_avx512_available()) impls.push_back({"avx512f", &detail::f32_add_64x__avx512f});
#endif
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
  using Fn = void (*)(const float*, const float*, const float*, float*, std::size_t, std::size_t);
  std::vector<std::pair<std::string, Fn>> impls = {{"dispatch", &uibnas::kernels::channel_affine_nhwc},
                                                   {"generic", &detail::f32_channel_affine__generic}};
#if UIBNAS_KERNELS_X86
  if (detail::simd_avx512_available()) impls.push_back({"avx512f", &detail::f32_channel_affine_16c__avx512f});
#endif
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
