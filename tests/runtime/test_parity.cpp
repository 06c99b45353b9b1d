// Whole-network numerics: the runtime against timm's outputs (the tiny checkpoints in tests/data and
// the optional large fixtures) and against the naive reference interpreter at odd feature maps.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "arch_defs/catalogue.hpp"
#include "naive_reference.hpp"
#include "runtime/compiled_model.hpp"
#include "runtime/weights/safetensors.hpp"
#include "tests/support/test_data.hpp"

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

// A timm checkpoint of `arch` (PREFIX.weights.safetensors) against timm's outputs for its input
// (PREFIX.reference.safetensors): logits and every stage within 1e-4 x max|ref|, the same top-5.
void check_checkpoint(const arch_defs::Architecture& arch, const std::string& prefix, int threads) {
  const auto ref = runtime::weights::SafetensorsFile::open(prefix + ".reference.safetensors");
  const std::vector<float> input = ref.read_f32("input");
  const std::vector<float> expected = ref.read_f32("logits");
  const int res = int(ref.find("input")->shape[3]);
  const runtime::OperatorGraph graph(arch_defs::lower_network(arch_defs::build_network(arch), res));
  const runtime::CompiledModel compiled(graph, runtime::load_parameters(prefix + ".weights.safetensors", graph.ops()),
                                        threads);
  std::vector<float> logits(expected.size());
  std::vector<std::vector<float>> stages;
  compiled.run(input.data(), logits.data(), &stages);

  const double tol = 1e-4 * max_abs(expected);
  INFO(arch.name << " threads=" << threads << " max|logit|=" << max_abs(expected));
  CHECK(max_abs_diff(logits, expected) <= tol);
  CHECK(top5(logits) == top5(expected));
  // One stageN per stage of the architecture, as the reference stores them.
  REQUIRE(stages.size() == arch.stages.size());
  REQUIRE(ref.find("stage" + std::to_string(stages.size() - 1)) != nullptr);
  for (size_t s = 0; s < stages.size(); ++s) {
    const auto stage_ref = ref.read_f32("stage" + std::to_string(s));
    INFO("stage" << s);
    CHECK(max_abs_diff(stages[s], stage_ref) <= 1e-4 * max_abs(stage_ref));
  }
}

// A large fixture of ../shared (skipped without it).
void check_fixture(const std::string& model, const std::vector<int>& thread_counts) {
  const auto weights = testing::large_fixture("fixtures/" + model + ".weights.safetensors");
  if (!weights) return;
  const std::string prefix = weights->substr(0, weights->size() - std::string(".weights.safetensors").size());
  for (int threads : thread_counts) check_checkpoint(arch_defs::resolve_architecture(model), prefix, threads);
}

void check_tiny(const std::string& name) {
  const std::string prefix = testing::test_data("tiny/" + name);
  const arch_defs::Architecture arch = arch_defs::load_architecture_file(prefix + ".arch.json");
  for (int threads : {1, 2}) check_checkpoint(arch, prefix, threads);
}

void check_against_naive(const std::string& model, int resolution, int threads, std::uint64_t seed) {
  const runtime::OperatorGraph graph(arch_defs::lower_network(arch_defs::build_network(arch_defs::resolve_architecture(model)), resolution));
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

TEST_CASE("tiny_mnv4_conv (F32: cn, FusedIB, every UIB kind, residuals) matches timm", "[parity][tiny]") {
  check_tiny("tiny_mnv4_conv");
}

TEST_CASE("tiny_mnv4_hybrid (F16: GELU, layer scale, MQA with and without K/V stride, odd maps) matches timm",
          "[parity][tiny]") {
  check_tiny("tiny_mnv4_hybrid");
}

TEST_CASE("tiny_mnv3 (F32: ds with residual, ir with SE, nre, hard-swish, the MNv3 head) matches timm",
          "[parity][tiny]") {
  check_tiny("tiny_mnv3");
}

TEST_CASE("mobilenetv3_large_100 (F32: SE with hard-sigmoid gate, biased conv_head) matches timm", "[parity][large]") {
  check_fixture("mobilenetv3_large_100", {1, 2});
}

TEST_CASE("efficientnet_b0 (F16: SiLU, SE with sigmoid gate, conv_head before the pool) matches timm",
          "[parity][large]") {
  check_fixture("efficientnet_b0", {1, 2});
}

TEST_CASE("MobileNet-V1/V2/V3-small (dsa, ds, ir and the pool-only head) match the naive reference", "[parity][naive]") {
  check_against_naive("mobilenetv1_100", 96, 2, 11);
  check_against_naive("mobilenetv2_100", 80, 1, 12);
  check_against_naive("mobilenetv3_small_100", 112, 2, 13);
  check_against_naive("efficientnet_b0", 65, 2, 14);
}

TEST_CASE("conv_small (F32 checkpoint) matches timm's logits and stages", "[parity][large]") {
  check_fixture("mobilenetv4_conv_small", {1, 2});
}

TEST_CASE("hybrid_medium (F16 checkpoint, MQA, layer scale) matches timm", "[parity][large]") {
  check_fixture("mobilenetv4_hybrid_medium", {1, 2});
}

TEST_CASE("hybrid_large_075 (F16, GELU, width 0.75) matches timm", "[parity][large]") {
  check_fixture("mobilenetv4_hybrid_large_075", {2});
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
  const runtime::OperatorGraph graph(arch_defs::lower_network(arch_defs::build_network(arch_defs::resolve_architecture("hybrid_medium")), 224));
  const auto params = runtime::random_parameters(graph.ops(), 3);
  std::vector<float> input(3 * 224 * 224, 0.5f);
  std::vector<float> a(1000), b(1000);
  runtime::CompiledModel(graph, params, 1).run(input.data(), a.data());
  runtime::CompiledModel(graph, params, 2).run(input.data(), b.data());
  CHECK(max_abs_diff(a, b) <= 1e-5 * max_abs(a));
}
