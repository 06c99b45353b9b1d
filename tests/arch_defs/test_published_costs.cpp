// Params and MACs of every published variant (MNv4 and the baselines) against timm
// (tests/data/reference): totals, per block, and per-block shapes, at each model's default input size.
#include <catch2/catch.hpp>

#include <fstream>

#include "arch_defs/catalogue.hpp"
#include "arch_defs/operators.hpp"

using namespace uibnas;

namespace {
nlohmann::json read_json(const std::string& path) {
  std::ifstream in(path);
  REQUIRE(in.good());
  return nlohmann::json::parse(in);
}
const nlohmann::json& timm_structure() {
  static const auto j = read_json(UIBNAS_TEST_DATA_DIR "/reference/timm_structure.json");
  return j;
}
const nlohmann::json& mnv4_archs() {
  static const auto j = read_json(UIBNAS_TEST_DATA_DIR "/reference/mnv4_archs.json");
  return j;
}

const nlohmann::json& baselines() {
  static const auto j = read_json(UIBNAS_TEST_DATA_DIR "/reference/baselines.json");
  return j;
}

std::vector<std::string> sorted_keys(const nlohmann::json& models) {
  std::vector<std::string> names;
  for (const auto& [name, _] : models.items()) names.push_back(name);
  std::sort(names.begin(), names.end());
  return names;
}
}  // namespace

TEST_CASE("the catalogue holds exactly the 12 published MNv4 variants and the 5 baselines", "[catalogue]") {
  std::vector<std::string> mnv4, others;
  for (const auto& a : arch_defs::published_architectures()) (a.family == "mobilenetv4" ? mnv4 : others).push_back(a.name);
  CHECK(mnv4 == sorted_keys(mnv4_archs()["models"]));
  CHECK(mnv4.size() == 12);
  CHECK(others == sorted_keys(baselines()["models"]));
  CHECK(others.size() == 5);
  for (const auto& a : arch_defs::published_architectures())
    if (a.family != "mobilenetv4") CHECK(a.family == baselines()["models"][a.name]["family"].get<std::string>());
}

TEST_CASE("published variants match timm's params and MACs, in total and per block", "[costs]") {
  for (const auto& arch : arch_defs::published_architectures()) {
    DYNAMIC_SECTION(arch.name) {
      const auto& ref = timm_structure()["models"][arch.name];
      REQUIRE(ref.is_object());
      const int res = ref["input_size"][1].get<int>();
      CHECK(res == arch.input_size);
      const arch_defs::OperatorList ops = arch_defs::lower_network(arch_defs::build_network(arch), res);
      const auto& listed = arch.family == "mobilenetv4" ? mnv4_archs() : baselines();
      CHECK(ops.total.params == listed["models"][arch.name]["params"].get<long long>());
      CHECK(arch_defs::network_params_macs(arch_defs::build_network(arch), res).macs == ref["macs"].get<long long>());
      CHECK(ops.total.params == ref["params"].get<long long>());
      CHECK(ops.total.macs == ref["macs"].get<long long>());

      std::map<std::string, const arch_defs::BlockInfo*> by_name;
      for (const auto& b : ops.blocks) by_name[b.name] = &b;
      for (const auto& rb : ref["blocks"]) {
        const std::string name = rb["name"];
        if (rb["type"] == "Identity") continue;  // MobileNet-V1's absent conv_head: no module, no op
        INFO(arch.name << " " << name);
        REQUIRE(by_name.count(name));
        const arch_defs::BlockInfo& b = *by_name[name];
        CHECK(b.cost.params == rb["params"].get<long long>());
        CHECK(b.cost.macs == rb["macs"].get<long long>());
        const auto& out = rb["out"];
        if (out.size() == 4) {
          CHECK(b.out == arch_defs::TensorShape{out[1].get<int>(), out[2].get<int>(), out[3].get<int>()});
          const auto& in = rb["in"];
          CHECK(b.in == arch_defs::TensorShape{in[1].get<int>(), in[2].get<int>(), in[3].get<int>()});
        } else {
          CHECK(b.out.c == out[1].get<int>());
        }
      }
    }
  }
}

TEST_CASE("MACs at 224 px match timm's macs_224 where timm lists them", "[costs]") {
  for (const auto& arch : arch_defs::published_architectures()) {
    const auto& ref = timm_structure()["models"][arch.name];
    if (!ref.contains("macs_224")) continue;
    INFO(arch.name);
    CHECK(arch_defs::lower_network(arch_defs::build_network(arch), 224).total.macs == ref["macs_224"].get<long long>());
  }
}
