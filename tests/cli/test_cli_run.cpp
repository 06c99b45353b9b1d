// `uibnas run` end to end: a timm checkpoint and input in, logits and stage outputs out.
#include <catch2/catch.hpp>

#include <filesystem>
#include <numeric>

#include <nlohmann/json.hpp>

#include "run_binary.hpp"
#include "runtime/weights/safetensors.hpp"
#include "tests/support/test_data.hpp"

using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// `uibnas run MODEL` on the checkpoint PREFIX.weights.safetensors with timm's input: logits within
// 1e-4 x max|ref|, timm's top-5, every stage written with timm's shape. Returns its --json output.
json check_run_matches_timm(const std::string& model, const std::string& prefix, int classes) {
  const std::string out = uibnas::testing::unique_temp_path("run_out.safetensors");
  const auto r = run_uibnas("run " + model + " --weights " + prefix + ".weights.safetensors --input " + prefix +
                            ".reference.safetensors --threads 2 --repeat 2 --warmup 0 --output " + out + " --stages --json");
  REQUIRE(r.status == 0);
  const json j = json::parse(r.out);
  CHECK(j["threads"] == 2);
  const auto ref = uibnas::runtime::weights::SafetensorsFile::open(prefix + ".reference.safetensors");
  const auto got = uibnas::runtime::weights::SafetensorsFile::open(out);
  const auto expected = ref.read_f32("logits");
  CHECK(got.find("logits")->shape == std::vector<std::int64_t>{1, classes});
  const auto logits = got.read_f32("logits");
  REQUIRE(logits.size() == expected.size());
  double max_ref = 0, max_diff = 0;
  for (size_t i = 0; i < expected.size(); ++i) {
    max_ref = std::max(max_ref, double(std::abs(expected[i])));
    max_diff = std::max(max_diff, double(std::abs(expected[i] - logits[i])));
  }
  CHECK(max_diff <= 1e-4 * max_ref);
  std::vector<int> order(expected.size());
  std::iota(order.begin(), order.end(), 0);
  std::partial_sort(order.begin(), order.begin() + 5, order.end(), [&](int a, int b) { return expected[a] > expected[b]; });
  CHECK(j["top5"] == json(std::vector<int>(order.begin(), order.begin() + 5)));
  for (int s = 0; s < 5; ++s) {
    const std::string name = "stage" + std::to_string(s);
    REQUIRE(got.find(name));
    CHECK(got.find(name)->shape == ref.find(name)->shape);
  }
  fs::remove(out);
  return j;
}

}  // namespace

TEST_CASE("uibnas run on a tiny timm checkpoint (architecture file) matches timm", "[cli][run]") {
  const std::string prefix = uibnas::testing::test_data("tiny/tiny_mnv4_hybrid");
  check_run_matches_timm(prefix + ".arch.json", prefix, 10);
}

TEST_CASE("uibnas run on the tiny MobileNet-V3 description file matches timm", "[cli][run]") {
  const std::string prefix = uibnas::testing::test_data("tiny/tiny_mnv3");
  check_run_matches_timm(prefix + ".arch.json", prefix, 10);
}

TEST_CASE("uibnas run mobilenetv3_large_100 on its timm checkpoint matches timm", "[cli][run][large]") {
  const auto weights = uibnas::testing::large_fixture("fixtures/mobilenetv3_large_100.weights.safetensors");
  if (!weights) return;
  check_run_matches_timm("mobilenetv3_large_100", weights->substr(0, weights->size() - 20), 1000);
}

TEST_CASE("uibnas run on a timm checkpoint writes logits and stages that match timm", "[cli][run][large]") {
  const auto weights = uibnas::testing::large_fixture("fixtures/mobilenetv4_conv_small.weights.safetensors");
  if (!weights) return;
  const std::string fx = weights->substr(0, weights->size() - std::string(".weights.safetensors").size());
  const json j = check_run_matches_timm("conv_small", fx, 1000);
  CHECK(j["model"] == "mobilenetv4_conv_small");
  CHECK(j["resolution"] == 224);
  CHECK(j["threads"] == 2);
  for (const char* k : {"median", "p10", "p90", "min"}) CHECK(j["latency_ms"][k].get<double>() > 0);
  // Every timed run is listed; the statistics are theirs (two runs: the median is their mean).
  const auto runs = j["runs_ms"].get<std::vector<double>>();
  REQUIRE(runs.size() == 2);
  CHECK(j["latency_ms"]["median"].get<double>() == Approx((runs[0] + runs[1]) / 2));
  CHECK(j["latency_ms"]["min"].get<double>() == Approx(std::min(runs[0], runs[1])));
  // conv_small at 224: its packed weights hold at least its 3.77 M parameters in FP32.
  CHECK(j["memory_bytes"]["packed_weights"].get<double>() >= 4.0 * 3774024);
  CHECK(j["memory_bytes"]["arena"].get<double>() > 0);
}

TEST_CASE("uibnas run prints top-5 and latency in its table form", "[cli][run]") {
  const auto r = run_uibnas("run conv_small --resolution 96 --threads 1 --repeat 3 --warmup 1");
  REQUIRE(r.status == 0);
  CHECK(r.out.find("top-5:") != std::string::npos);
  CHECK(r.out.find("latency over 3 runs") != std::string::npos);
  CHECK(r.out.find("median") != std::string::npos);
}

TEST_CASE("uibnas run rejects bad options and files with one line and exit 2", "[cli][run][errors]") {
  const std::string fx = uibnas::testing::test_data("tiny/tiny_mnv4_conv");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"run conv_small --threads 0", "error: --threads must be at least 1, got 0"},
      {"run conv_small --repeat 0", "error: --repeat must be at least 1, got 0"},
      {"run conv_small --stages", "error: --stages needs --output FILE"},
      {"run conv_small --weights /nonexistent.safetensors", "error: /nonexistent.safetensors: cannot open file"},
      {"run hybrid_medium --weights " + fx + ".weights.safetensors", "error: " + fx + ".weights.safetensors: checkpoint does not fit"},
      {"run conv_small --input " + fx + ".reference.safetensors --resolution 256", "error: " + fx + ".reference.safetensors: input is 64 px but --resolution is 256"},
      {"run conv_small --input " + fx + ".weights.safetensors", "no tensor named \"input\""},
  };
  for (const auto& [args, expected] : cases) {
    INFO("uibnas " << args);
    const auto r = run_uibnas(args);
    CHECK(r.status == 2);
    CHECK(r.err.find(expected) != std::string::npos);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  }
}

TEST_CASE("uibnas run --profile breaks the time down per operator and per kind", "[cli][run]") {
  const auto r = run_uibnas("run hybrid_medium --resolution 128 --threads 1 --repeat 3 --warmup 1 --profile");
  REQUIRE(r.status == 0);
  for (const char* s : {"per operator", "per kind", "pointwise", "depthwise", "dense conv", "attention", "%peak",
                        "blocks.2.4.attn"})
    CHECK(r.out.find(s) != std::string::npos);
}
