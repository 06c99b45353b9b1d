// Average pooling kernels against naive references.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstddef>
#include <random>
#include <string>
#include <vector>

#include "kernel_test_support.hpp"
#include "runtime/kernels/pooling.hpp"

namespace {

namespace kernels = uibnas::runtime::kernels;

std::vector<uibnas::testing::NamedKernel<kernels::AvgPool2x2Fn>> pool_impls() {
  return uibnas::testing::family_kernels(&kernels::KernelConfigs::avgpool2x2, &kernels::avgpool2x2_nhwc);
}

std::vector<uibnas::testing::NamedKernel<kernels::GlobalAvgPoolFn>> gap_impls() {
  return uibnas::testing::family_kernels(&kernels::KernelConfigs::global_avgpool, &kernels::global_avgpool_nhwc);
}

std::vector<float> random_vec(std::size_t n, std::mt19937& rng) {
  std::uniform_real_distribution<float> d(-3.0f, 3.0f);
  std::vector<float> v(n);
  for (auto& x : v) x = d(rng);
  return v;
}

constexpr float kSentinel = 12345.0f;

}  // namespace

TEST_CASE("pooling: 2x2 average pool matches the reference (floor, odd sizes, row ranges)", "[pooling]") {
  std::mt19937 rng(4);
  const std::size_t sizes[][2] = {{2, 2}, {7, 7}, {15, 15}, {9, 5}, {2, 3}, {8, 8}, {1, 1}, {3, 1}, {56, 56}};
  for (const auto& [name, fn] : pool_impls())
    for (const auto& hw : sizes)
      for (std::size_t C : {1, 5, 16, 17, 40, 100}) {
        const std::size_t H = hw[0], W = hw[1], OH = H / 2, OW = W / 2;
        INFO(name << " " << H << "x" << W << "x" << C);
        const auto in = random_vec(H * W * C, rng);
        std::vector<float> out(OH * OW * C + 1, kSentinel);
        // Split into two row ranges (the first possibly empty) to check that ranges compose.
        fn(H, W, C, in.data(), out.data(), 0, OH / 2);
        fn(H, W, C, in.data(), out.data(), OH / 2, OH);
        for (std::size_t oy = 0; oy < OH; ++oy)
          for (std::size_t ox = 0; ox < OW; ++ox)
            for (std::size_t c = 0; c < C; ++c) {
              auto at = [&](std::size_t y, std::size_t x) { return static_cast<double>(in[(y * W + x) * C + c]); };
              const double want =
                  (at(2 * oy, 2 * ox) + at(2 * oy, 2 * ox + 1) + at(2 * oy + 1, 2 * ox) + at(2 * oy + 1, 2 * ox + 1)) /
                  4.0;
              REQUIRE(std::fabs(out[(oy * OW + ox) * C + c] - want) <= 1e-6 * (1 + std::fabs(want)));
            }
        CHECK(out[OH * OW * C] == kSentinel);
      }
}

TEST_CASE("pooling: 2x2 average pool row subrange leaves other rows untouched", "[pooling]") {
  std::mt19937 rng(5);
  const std::size_t H = 15, W = 15, C = 17, OH = 7, OW = 7;
  const auto in = random_vec(H * W * C, rng);
  for (const auto& [name, fn] : pool_impls()) {
    INFO(name);
    std::vector<float> out(OH * OW * C, kSentinel);
    fn(H, W, C, in.data(), out.data(), 2, 4);
    for (std::size_t i = 0; i < out.size(); ++i) {
      const bool inside = i >= 2 * OW * C && i < 4 * OW * C;
      REQUIRE((out[i] == kSentinel) == !inside);
    }
  }
}

TEST_CASE("pooling: global average pool matches the reference", "[pooling]") {
  std::mt19937 rng(6);
  for (const auto& [name, fn] : gap_impls())
    for (std::size_t P : {1, 7, 49, 196})
      for (std::size_t C : {1, 5, 16, 17, 40, 100, 128, 130, 300}) {
        INFO(name << " pixels=" << P << " C=" << C);
        const auto in = random_vec(P * C, rng);
        std::vector<float> out(C + 1, kSentinel);
        fn(P, C, in.data(), out.data());
        for (std::size_t c = 0; c < C; ++c) {
          double sum = 0;
          for (std::size_t p = 0; p < P; ++p) sum += in[p * C + c];
          const double want = sum / static_cast<double>(P);
          REQUIRE(std::fabs(out[c] - want) <= 1e-5 * (1 + std::fabs(want)));
        }
        CHECK(out[C] == kSentinel);
      }
}
