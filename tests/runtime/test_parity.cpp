// Whole-network numerics: the runtime against timm's outputs (../shared/fixtures) and against the
// naive reference interpreter at resolutions with odd feature maps.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "arch_defs/catalogue.hpp"
#include "naive_reference.hpp"
#include "runtime/compiled_model.hpp"
#include "runtime/weights/safetensors.hpp"

using namespace uibnas;

namespace {

template <typename A, typename B>
double max_abs_diff(const A& a, const B& b) {
  REQUIRE(a.size() == b.size());
  double d = 0;
  for (size_t i = 0; i < a.size(); ++i) d = std::max(d, std::abs(double(a[i]) - double(b[i])));
  return d;
}

template <typename A>
double max_abs(const A& a) {
  double m = 0;
  for (auto v : a) m = std::max(m, std::abs(double(v)));
  return m;
}

template <typename A>
std::vector<int> top5(const A& logits) {
  std::vector<int> idx(logits.size());
  std::iota(idx.begin(), idx.end(), 0);
  std::partial_sort(idx.begin(), idx.begin() + 5, idx.end(), [&](int a, int b) { return logits[a] > logits[b]; });
  idx.resize(5);
  return idx;
}

void check_fixture(const std::string& model, int threads) {
  const std::string dir = UIBNAS_SHARED_DIR "/fixtures/";
  const auto ref = weights::SafetensorsFile::open(dir + model + ".reference.safetensors");
  const std::vector<float> input = ref.read_f32("input");
  const std::vector<float> expected = ref.read_f32("logits");
  const int res = int(ref.find("input")->shape[3]);
  const runtime::OperatorGraph graph(lower_network(build_network(resolve_architecture(model)), res));
  const runtime::CompiledModel compiled(graph, runtime::load_parameters(dir + model + ".weights.safetensors", graph.ops()),
                                        threads);
  std::vector<float> logits(expected.size());
  std::vector<std::vector<float>> stages;
  compiled.run(input.data(), logits.data(), &stages);

  const double tol = 1e-4 * max_abs(expected);
  INFO(model << " threads=" << threads << " max|logit|=" << max_abs(expected));
  CHECK(max_abs_diff(logits, expected) <= tol);
  CHECK(top5(logits) == top5(expected));
  REQUIRE(stages.size() == 5);
  for (size_t s = 0; s < stages.size(); ++s) {
    const auto stage_ref = ref.read_f32("stage" + std::to_string(s));
    INFO("stage" << s);
    CHECK(max_abs_diff(stages[s], stage_ref) <= 1e-4 * max_abs(stage_ref));
  }
}

void check_against_naive(const std::string& model, int resolution, int threads, std::uint64_t seed) {
  const runtime::OperatorGraph graph(lower_network(build_network(resolve_architecture(model)), resolution));
  const auto params = runtime::random_parameters(graph.ops(), seed);
  std::vector<float> input(3 * size_t(resolution) * resolution);
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal;
  for (float& v : input) v = normal(rng);
  const auto naive = testing::run_naive(graph.ops(), params, input);
  const runtime::CompiledModel compiled(graph, params, threads);
  std::vector<float> logits(naive.logits.size());
  std::vector<std::vector<float>> stages;
  compiled.run(input.data(), logits.data(), &stages);
  INFO(model << " @" << resolution << " threads=" << threads);
  CHECK(max_abs_diff(logits, naive.logits) <= 1e-4 * max_abs(naive.logits));
  CHECK(top5(logits) == top5(naive.logits));
  for (size_t s = 0; s < stages.size(); ++s) {
    INFO("stage" << s);
    CHECK(max_abs_diff(stages[s], naive.stages[s]) <= 1e-4 * max_abs(naive.stages[s]));
  }
}

}  // namespace

TEST_CASE("conv_small (F32 checkpoint) matches timm's logits and stages", "[parity]") {
  check_fixture("mobilenetv4_conv_small", 1);
  check_fixture("mobilenetv4_conv_small", 2);
}

TEST_CASE("hybrid_medium (F16 checkpoint, MQA, layer scale) matches timm", "[parity]") {
  check_fixture("mobilenetv4_hybrid_medium", 1);
  check_fixture("mobilenetv4_hybrid_medium", 2);
}

TEST_CASE("hybrid_large_075 (F16, GELU, width 0.75) matches timm", "[parity]") {
  check_fixture("mobilenetv4_hybrid_large_075", 2);
}

TEST_CASE("odd feature maps (240 px: 15 -> 8) match the naive reference", "[parity][naive]") {
  check_against_naive("mobilenetv4_hybrid_medium", 240, 1, 7);
  check_against_naive("mobilenetv4_hybrid_medium", 240, 2, 7);
  check_against_naive("mobilenetv4_conv_small", 240, 2, 8);
}

TEST_CASE("anti-aliased variants (avg and blur pools) match the naive reference", "[parity][naive]") {
  check_against_naive("mobilenetv4_conv_blur_medium", 112, 2, 9);
  check_against_naive("mobilenetv4_conv_aa_medium", 96, 1, 10);
}

TEST_CASE("the same output for any thread count", "[parity][threads]") {
  const runtime::OperatorGraph graph(lower_network(build_network(resolve_architecture("hybrid_medium")), 224));
  const auto params = runtime::random_parameters(graph.ops(), 3);
  std::vector<float> input(3 * 224 * 224, 0.5f);
  std::vector<float> a(1000), b(1000);
  runtime::CompiledModel(graph, params, 1).run(input.data(), a.data());
  runtime::CompiledModel(graph, params, 2).run(input.data(), b.data());
  CHECK(max_abs_diff(a, b) <= 1e-5 * max_abs(a));
}
