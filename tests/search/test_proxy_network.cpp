// The proxies' random network: the seeded normal source's moments, each parameter's rule, the backbone cut.
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>

#include <nlohmann/json.hpp>

#include "search/proxy_network.hpp"
#include "tests/support/test_data.hpp"

using namespace uibnas;

TEST_CASE("normal source: mean 0, variance as asked, Irwin-Hall kurtosis, seeded", "[proxy]") {
  search::NormalSource normal(42);
  std::vector<float> v(1 << 20);
  normal.fill(v.data(), v.size(), 2.0f);
  double m1 = 0, m2 = 0, m4 = 0;
  for (float x : v) m1 += x / double(v.size());
  for (float x : v) m2 += (x - m1) * (x - m1) / double(v.size()), m4 += std::pow(x - m1, 4) / double(v.size());
  CHECK(m1 == Approx(0.0).margin(0.01));
  CHECK(m2 == Approx(4.0).epsilon(0.01));
  CHECK(m4 / (m2 * m2) == Approx(2.7).epsilon(0.02));  // the sum of four uniforms: 3 - 6 / (5 * 4)
  search::NormalSource again(42), other(43);
  std::vector<float> a(8), b(8), c(8);
  again.fill(a.data(), 8, 2.0f);
  other.fill(c.data(), 8, 2.0f);
  CHECK(std::equal(a.begin(), a.end(), v.begin()));
  CHECK(!std::equal(c.begin(), c.end(), v.begin()));
}

TEST_CASE("proxy parameters: weights scaled by fan-in or unit, BN and layer scale the identity", "[proxy]") {
  std::ifstream in(testing::test_data("tiny/tiny_mnv4_hybrid.arch.json"));
  const auto arch = arch_defs::architecture_from_json(nlohmann::json::parse(in), "tiny");
  const arch_defs::OperatorList ops = search::backbone_operators(arch_defs::build_network(arch), 64);
  CHECK(ops.output == ops.stage_outputs.back());
  CHECK(int(ops.ops.size()) == ops.output + 1);  // no pool, head or classifier
  search::NormalSource normal(1);
  for (auto [scale, fan_in_variance] : {std::pair{search::WeightScale::FanIn, true}, {search::WeightScale::Unit, false}}) {
    search::ProxyParameters parameters(ops, scale, normal);
    // blocks.4.0 is cn_r1_k1_s1_c96 after 48 channels: weights [96][48][1][1], fan-in 48.
    const std::vector<float> w = parameters("blocks.4.0.conv.weight");
    REQUIRE(w.size() == 96 * 48);
    double var = 0;
    for (float x : w) var += double(x) * x / double(w.size());
    CHECK(var == Approx(fan_in_variance ? 1.0 / 48 : 1.0).epsilon(0.1));
    for (const char* key : {"blocks.4.0.bn1.weight", "blocks.2.3.layer_scale.gamma"})
      for (float x : parameters(key)) CHECK(x == 1.0f);
    for (float x : parameters("blocks.4.0.bn1.bias")) CHECK(x == 0.0f);
  }
}
