// The batch-statistics execution mode against the naive reference interpreter (double precision),
// whose BN is made to normalise with the minibatch's statistics: for each BN in order, the test runs
// the naive network up to the BN's input for every sample, computes the per-channel mean and biased
// variance itself and writes them in as the BN's running statistics.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <random>

#include <nlohmann/json.hpp>

#include "arch_defs/operators.hpp"
#include "naive_reference.hpp"
#include "runtime/parameters.hpp"
#include "runtime/proxy_executor.hpp"
#include "tests/support/test_data.hpp"

using namespace uibnas;

namespace {

struct BatchStatistics {
  std::vector<double> mean, variance;
};

arch_defs::Architecture tiny(const std::string& name, const char* aa) {
  std::ifstream in(testing::test_data("tiny/" + name + ".arch.json"));
  nlohmann::json j = nlohmann::json::parse(in);
  if (aa) j["aa"] = aa;
  return arch_defs::architecture_from_json(j, name);
}

// The naive network cut just before op `end` (exclusive), its output being op `output`.
arch_defs::OperatorList prefix(const arch_defs::OperatorList& ops, int end, int output) {
  arch_defs::OperatorList cut = ops;
  cut.ops.resize(size_t(end));
  cut.stage_outputs.clear();
  cut.output = output;
  return cut;
}

std::vector<float> sample(const std::vector<float>& batch, int n, size_t image) {
  return {batch.begin() + n * image, batch.begin() + (n + 1) * image};
}

// Sets every BN's running statistics to the batch's own, in network order; returns them by op.
std::map<int, BatchStatistics> set_batch_statistics(const arch_defs::OperatorList& ops, runtime::ParameterMap& params,
                                                    const std::vector<float>& input, int batch) {
  const size_t image = size_t(ops.input.elements());
  std::map<int, BatchStatistics> stats;
  for (size_t i = 0; i < ops.ops.size(); ++i) {
    const arch_defs::Operator& bn = ops.ops[i];
    if (bn.kind != arch_defs::OpKind::BatchNorm) continue;
    const int producer = bn.inputs.front();
    REQUIRE(producer >= 0);
    const size_t c = size_t(bn.out.c), hw = size_t(bn.out.h) * bn.out.w;
    BatchStatistics s{std::vector<double>(c, 0.0), std::vector<double>(c, 0.0)};
    std::vector<std::vector<double>> values;
    for (int n = 0; n < batch; ++n)
      values.push_back(testing::run_naive(prefix(ops, int(i), producer), params, sample(input, n, image)).logits);
    for (const auto& v : values)
      for (size_t ch = 0; ch < c; ++ch)
        for (size_t p = 0; p < hw; ++p) s.mean[ch] += v[ch * hw + p] / double(batch * hw);
    for (const auto& v : values)
      for (size_t ch = 0; ch < c; ++ch)
        for (size_t p = 0; p < hw; ++p) s.variance[ch] += std::pow(v[ch * hw + p] - s.mean[ch], 2) / double(batch * hw);
    for (size_t ch = 0; ch < c; ++ch) {
      params.at(bn.name + ".running_mean").data[ch] = float(s.mean[ch]);
      params.at(bn.name + ".running_var").data[ch] = float(s.variance[ch]);
    }
    stats[int(i)] = std::move(s);
  }
  return stats;
}

double max_abs(const std::vector<double>& v) {
  double m = 0;
  for (double x : v) m = std::max(m, std::abs(x));
  return m;
}

void check_against_naive(const arch_defs::Architecture& arch, int resolution, int batch, std::uint64_t seed) {
  const arch_defs::OperatorList ops = arch_defs::lower_network(arch_defs::build_network(arch), resolution);
  runtime::ParameterMap params = runtime::random_parameters(ops, seed);
  std::vector<float> input(size_t(batch) * size_t(ops.input.elements()));
  std::mt19937 rng{static_cast<unsigned>(seed)};
  std::normal_distribution<float> normal;
  for (float& v : input) v = normal(rng);

  runtime::ProxyExecutor executor(ops, params, batch);  // before the running statistics change: it ignores them
  std::map<int, BatchStatistics> seen;
  int visited_with_activation = 0;
  const std::vector<float> logits = executor.run(input, [&](const runtime::BatchNormLayer& layer) {
    CHECK(ops.ops[layer.batch_norm].kind == arch_defs::OpKind::BatchNorm);
    if (layer.activation >= 0) {
      CHECK(ops.ops[layer.activation].kind == arch_defs::OpKind::Act);
      ++visited_with_activation;
    }
    seen[layer.batch_norm] = {*layer.mean, *layer.variance};
  });

  const std::map<int, BatchStatistics> expected = set_batch_statistics(ops, params, input, batch);
  REQUIRE(seen.size() == expected.size());
  CHECK(visited_with_activation > 0);
  for (const auto& [op, s] : expected) {
    INFO(ops.ops[op].name);
    for (size_t c = 0; c < s.mean.size(); ++c) {
      CHECK(seen[op].mean[c] == Approx(s.mean[c]).margin(1e-4 * std::sqrt(s.variance[c])));
      CHECK(seen[op].variance[c] == Approx(s.variance[c]).epsilon(1e-3).margin(1e-9));
    }
  }
  const size_t classes = size_t(ops.ops[ops.output].out.c);
  REQUIRE(logits.size() == size_t(batch) * classes);
  for (int n = 0; n < batch; ++n) {
    const auto naive = testing::run_naive(ops, params, sample(input, n, size_t(ops.input.elements()))).logits;
    for (size_t k = 0; k < classes; ++k) CHECK(logits[n * classes + k] == Approx(naive[k]).margin(1e-3 * max_abs(naive)));
  }
}

}  // namespace

TEST_CASE("proxy executor: batch-statistics BN matches the naive reference (GELU, MQA, layer scale)", "[proxy]") {
  check_against_naive(tiny("tiny_mnv4_hybrid", nullptr), 48, 3, 1);
}

TEST_CASE("proxy executor: every UIB kind and anti-aliasing pools match the naive reference", "[proxy]") {
  check_against_naive(tiny("tiny_mnv4_conv", "blurpc"), 40, 2, 2);
  check_against_naive(tiny("tiny_mnv4_conv", "avg"), 40, 2, 3);
}

TEST_CASE("proxy executor: a batch of one image normalises each channel over its own pixels", "[proxy]") {
  // The stem alone: conv -> BN -> act. After train-mode BN with gamma 1, beta 0 each channel has mean
  // 0 and variance var / (var + eps) over the image's pixels.
  const arch_defs::Architecture arch = tiny("tiny_mnv4_conv", nullptr);
  const arch_defs::Network net = arch_defs::build_network(arch);
  arch_defs::OperatorList ops = arch_defs::lower_network_part(net, arch_defs::NetworkPart::Stem, 0, {3, 16, 16});
  REQUIRE(ops.ops.size() == 3);
  ops.ops.pop_back();  // keep conv -> BN
  ops.output = 1;
  runtime::ParameterMap params = runtime::random_parameters(ops, 5);
  for (float& g : params.at("bn1.weight").data) g = 1.0f;
  for (float& b : params.at("bn1.bias").data) b = 0.0f;
  std::vector<float> input(3 * 16 * 16);
  for (size_t i = 0; i < input.size(); ++i) input[i] = float((i * 37) % 11) - 5.0f;
  runtime::ProxyExecutor executor(ops, params, 1);
  std::vector<double> variance;
  const std::vector<float> y = executor.run(input, [&](const runtime::BatchNormLayer& l) { variance = *l.variance; });
  const size_t c = size_t(ops.ops[1].out.c), pixels = y.size() / c;
  REQUIRE(variance.size() == c);
  for (size_t ch = 0; ch < c; ++ch) {
    double sum = 0, sq = 0;
    for (size_t p = 0; p < pixels; ++p) sum += y[p * c + ch];
    for (size_t p = 0; p < pixels; ++p) sq += std::pow(y[p * c + ch] - sum / pixels, 2);
    CHECK(sum / pixels == Approx(0.0).margin(1e-5));
    CHECK(sq / pixels == Approx(variance[ch] / (variance[ch] + 1e-5)).epsilon(1e-4));
  }
}
