// Params and MACs of every published variant against timm (tests/data/reference): totals, per block,
// and per-block shapes, at each model's default input size.
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
}  // namespace

TEST_CASE("the catalogue holds exactly the 12 published MNv4 variants", "[catalogue]") {
  std::vector<std::string> expected;
  for (const auto& [name, _] : mnv4_archs()["models"].items()) expected.push_back(name);
  std::sort(expected.begin(), expected.end());
  std::vector<std::string> names;
  for (const auto& a : arch_defs::published_architectures()) names.push_back(a.name);
  CHECK(names == expected);
  CHECK(names.size() == 12);
}

TEST_CASE("published variants match timm's params and MACs, in total and per block", "[costs]") {
  for (const auto& arch : arch_defs::published_architectures()) {
    DYNAMIC_SECTION(arch.name) {
      const auto& ref = timm_structure()["models"][arch.name];
      REQUIRE(ref.is_object());
      const int res = ref["input_size"][1].get<int>();
      CHECK(res == arch.input_size);
      const arch_defs::OperatorList ops = arch_defs::lower_network(arch_defs::build_network(arch), res);
      CHECK(ops.total.params == mnv4_archs()["models"][arch.name]["params"].get<long long>());
      CHECK(ops.total.params == ref["params"].get<long long>());
      CHECK(ops.total.macs == ref["macs"].get<long long>());

      std::map<std::string, const arch_defs::BlockInfo*> by_name;
      for (const auto& b : ops.blocks) by_name[b.name] = &b;
      for (const auto& rb : ref["blocks"]) {
        const std::string name = rb["name"];
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
