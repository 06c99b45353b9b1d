// Each proxy's score of a tiny network against the same definition computed naively from the layer
// outputs the executor exposes (copied, then K_H, correlations and norms in plain double loops), and
// the public proxy_score's determinism and settings checks.
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>

#include <Eigen/Dense>
#include <nlohmann/json.hpp>

#include "common/error.hpp"
#include "search/proxy.hpp"
#include "search/proxy_network.hpp"
#include "search/proxy_scores.hpp"
#include "tests/support/test_data.hpp"

using namespace uibnas;

namespace {

arch_defs::Architecture tiny_hybrid() {  // GELU, MQA, layer scale
  std::ifstream in(testing::test_data("tiny/tiny_mnv4_hybrid.arch.json"));
  return arch_defs::architecture_from_json(nlohmann::json::parse(in), "tiny_mnv4_hybrid");
}

struct Layer {
  bool has_activation;
  arch_defs::TensorShape shape;
  std::vector<float> values;
  std::vector<double> variance;
};

struct TinySetup {
  arch_defs::OperatorList ops;
  runtime::ParameterMap params;
  std::vector<float> input;
  int batch = 4;
  TinySetup() {
    ops = search::backbone_operators(arch_defs::build_network(tiny_hybrid()), 48);
    params = runtime::random_parameters(ops, 11);
    search::NormalSource normal(3);
    input = search::normal_values(size_t(batch) * size_t(ops.input.elements()), normal);
  }
};

std::vector<Layer> layers_of(runtime::ProxyExecutor& executor, const std::vector<float>& input) {
  std::vector<Layer> layers;
  executor.run(input, [&](const runtime::BatchNormLayer& l) {
    layers.push_back({l.activation >= 0, l.shape,
                      std::vector<float>(l.values, l.values + size_t(l.batch) * size_t(l.shape.elements())), *l.variance});
  });
  return layers;
}

}  // namespace

TEST_CASE("naswot of a tiny network: log|det| of the Hamming-similarity kernel of its activation codes", "[proxy]") {
  TinySetup t;
  runtime::ProxyExecutor executor(t.ops, t.params, t.batch);
  Eigen::MatrixXd k = Eigen::MatrixXd::Zero(t.batch, t.batch);
  int coded = 0;
  for (const Layer& l : layers_of(executor, t.input)) {
    if (!l.has_activation) continue;
    ++coded;
    const size_t units = size_t(l.shape.elements());
    for (int i = 0; i < t.batch; ++i)
      for (int j = 0; j < t.batch; ++j)
        for (size_t u = 0; u < units; ++u) k(i, j) += (l.values[i * units + u] > 0) == (l.values[j * units + u] > 0);
  }
  CHECK(coded > 10);
  CHECK(search::naswot_score(executor, t.input) == Approx(std::log(std::abs(k.determinant()))).epsilon(1e-9));
}

TEST_CASE("zen of a tiny network: log of the output change plus the BN variance term", "[proxy]") {
  TinySetup t;
  runtime::ProxyExecutor executor(t.ops, t.params, t.batch);
  search::NormalSource normal(4);
  std::vector<float> perturbed = search::normal_values(t.input.size(), normal);
  for (size_t i = 0; i < perturbed.size(); ++i) perturbed[i] = t.input[i] + 0.01f * perturbed[i];
  double bn_term = 0;
  for (const Layer& l : layers_of(executor, t.input)) {
    double mean_var = 0;
    for (double v : l.variance) mean_var += v / double(l.variance.size());
    bn_term += std::log(std::sqrt(mean_var));
  }
  const std::vector<float> a = executor.run(t.input), b = executor.run(perturbed);
  const size_t per = a.size() / size_t(t.batch);
  double change = 0;
  for (int n = 0; n < t.batch; ++n) {
    double sq = 0;
    for (size_t i = n * per; i < (n + 1) * per; ++i) sq += (double(a[i]) - b[i]) * (double(a[i]) - b[i]);
    change += std::sqrt(sq) / t.batch;
  }
  CHECK(change > 0);
  CHECK(search::zen_score(executor, t.input, perturbed) == Approx(std::log(change) + bn_term).epsilon(1e-9));
}

TEST_CASE("meco of a tiny network: sum of each layer's minimum channel-correlation eigenvalue", "[proxy]") {
  TinySetup t;
  runtime::ProxyExecutor executor(t.ops, t.params, t.batch);
  double expected = 0;
  int full_rank = 0;
  for (const Layer& l : layers_of(executor, t.input)) {
    const int c = l.shape.c, p = l.shape.h * l.shape.w;  // sample 0: the first p * c values
    Eigen::MatrixXd corr(c, c);
    for (int i = 0; i < c; ++i)
      for (int j = 0; j < c; ++j) {
        double mi = 0, mj = 0, sij = 0, sii = 0, sjj = 0;
        for (int q = 0; q < p; ++q) mi += l.values[q * c + i] / double(p), mj += l.values[q * c + j] / double(p);
        for (int q = 0; q < p; ++q) {
          const double di = l.values[q * c + i] - mi, dj = l.values[q * c + j] - mj;
          sij += di * dj, sii += di * di, sjj += dj * dj;
        }
        corr(i, j) = sii > 0 && sjj > 0 ? sij / std::sqrt(sii * sjj) : 0.0;
      }
    const double min_eig = Eigen::EigenSolver<Eigen::MatrixXd>(corr, false).eigenvalues().real().minCoeff();
    if (c < p) ++full_rank;
    expected += c < p ? min_eig : 0.0;  // rank-deficient maps: 0 exactly, where the solver leaves rounding
    if (c >= p) CHECK(min_eig == Approx(0.0).margin(1e-6));
  }
  CHECK(full_rank >= 4);
  CHECK(search::meco_score(executor, t.input) == Approx(expected).epsilon(1e-6));
}

TEST_CASE("proxy_score is deterministic for given settings and depends on the seed", "[proxy]") {
  const arch_defs::Architecture arch = tiny_hybrid();
  search::ProxySettings s;
  s.batch = 4;
  s.resolution = 48;
  for (search::ProxyKind kind : search::proxy_kinds()) {
    INFO(search::proxy_name(kind));
    const double a = search::proxy_score(kind, arch, s);
    CHECK(std::isfinite(a));
    CHECK(search::proxy_score(kind, arch, s) == a);
    search::ProxySettings other = s;
    other.seed = 1;
    CHECK(search::proxy_score(kind, arch, other) != a);
    other = s;
    other.repeats = 2;  // the first repeat is the same initialisation; the average moves
    CHECK(search::proxy_score(kind, arch, other) != a);
  }
}

TEST_CASE("proxy names and settings are checked", "[proxy]") {
  for (search::ProxyKind kind : search::proxy_kinds()) CHECK(search::parse_proxy(search::proxy_name(kind)) == kind);
  CHECK(search::parse_proxy("synflow") == std::nullopt);
  const arch_defs::Architecture arch = tiny_hybrid();
  auto with = [](auto change) {
    search::ProxySettings s;
    change(s);
    return s;
  };
  CHECK_THROWS_AS(search::proxy_score(search::ProxyKind::Zen, arch, with([](auto& s) { s.batch = 1; })), common::InputError);
  CHECK_THROWS_AS(search::proxy_score(search::ProxyKind::Zen, arch, with([](auto& s) { s.resolution = 16; })), common::InputError);
  CHECK_THROWS_AS(search::proxy_score(search::ProxyKind::Zen, arch, with([](auto& s) { s.repeats = 0; })), common::InputError);
  CHECK_THROWS_AS(search::proxy_score(search::ProxyKind::Zen, arch, with([](auto& s) { s.data = "imgs/"; })), common::InputError);
}
