// The JSON form of a whole architecture: reads mnv4_archs.json entries as they are, round-trips,
// and reports malformed files with the file, the JSON path or stage/block, and the reason.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "arch_defs/catalogue.hpp"
#include "common/error.hpp"
#include "arch_defs/operators.hpp"
#include "arch_defs/timm_description.hpp"
#include "tests/support/test_data.hpp"

using namespace uibnas;
using nlohmann::json;

namespace {
json reference_archs() {
  std::ifstream in(UIBNAS_TEST_DATA_DIR "/reference/mnv4_archs.json");
  REQUIRE(in.good());
  return json::parse(in);
}
json conv_small_entry() {
  json j = reference_archs()["models"]["mobilenetv4_conv_small"];
  j["name"] = "mobilenetv4_conv_small";
  return j;
}
}  // namespace

TEST_CASE("each mnv4_archs.json entry reads as it is and equals the built-in variant", "[arch_json]") {
  // Held in a variable: a range-for keeps only the outermost temporary alive, and `.items()` of a
  // member of the temporary document would iterate freed memory.
  const json archs = reference_archs();
  for (const auto& [name, entry] : archs["models"].items()) {
    INFO(name);
    json j = entry;
    j["name"] = name;
    const arch_defs::Architecture a = arch_defs::architecture_from_json(j, "mnv4_archs.json");
    CHECK(a == arch_defs::resolve_architecture(name));
    // Exact JSON round trip: every field written back as it was read.
    CHECK(arch_defs::architecture_to_json(a) == j);
    CHECK(arch_defs::architecture_from_json(arch_defs::architecture_to_json(a), "x") == a);
  }
}

TEST_CASE("a file holding one architecture resolves by path, names resolve short or long", "[arch_json]") {
  const auto path = std::filesystem::path(uibnas::testing::unique_temp_path("test_arch.json"));
  json j = conv_small_entry();
  j.erase("name");
  std::ofstream(path) << j.dump();
  const arch_defs::Architecture a = arch_defs::resolve_architecture(path.string());
  CHECK(a.name == path.stem().string());  // a file without a name is named after the file
  CHECK(a.stages == arch_defs::resolve_architecture("conv_small").stages);
  std::filesystem::remove(path);
  CHECK_THROWS_WITH(arch_defs::resolve_architecture("conv_tiny"), Catch::Contains("unknown model 'conv_tiny'") &&
                                                           Catch::Contains("mobilenetv4_conv_small"));
  CHECK_THROWS_WITH(arch_defs::resolve_architecture("/nonexistent/a.json"), Catch::Contains("/nonexistent/a.json: no such file"));
}

TEST_CASE("the expanded network follows timm's builder rules", "[network]") {
  const arch_defs::Network net = arch_defs::build_network(arch_defs::resolve_architecture("conv_large"));
  // uir_r4_a5_k5_s2_e4_c512: first copy 192->512 mid 768 stride 2, copies 2-4 are 512->512 mid 2048 stride 1.
  const auto it = std::find_if(net.blocks.begin(), net.blocks.end(), [](const auto& b) { return b.name == "blocks.3.0"; });
  REQUIRE(it != net.blocks.end());
  CHECK(it->in_channels == 192);
  CHECK(it->mid_channels == 768);
  CHECK(it->stride == 2);
  CHECK_FALSE(it->residual);
  CHECK(it[1].mid_channels == 2048);
  CHECK(it[1].stride == 1);
  CHECK(it[1].residual);

  // Width multiplier: stem fixed below 1.0, make_divisible on every output, head hidden unscaled.
  const arch_defs::Network small = arch_defs::build_network(arch_defs::resolve_architecture("conv_small_035"));
  CHECK(small.stem_channels == 32);
  CHECK(small.blocks[0].out_channels == 16);  // 32*0.35 = 11.2 -> 8 < 0.9*11.2 -> 16
  CHECK(small.num_features == 336);
  CHECK(small.head_hidden == 1280);
  CHECK(arch_defs::make_divisible(96 * 0.75) == 72);
  CHECK(arch_defs::make_divisible(11.2) == 16);
}

TEST_CASE("malformed architecture files give errors with file, path and reason", "[arch_json][errors]") {
  struct Case { std::function<void(json&)> edit; std::string expected; };
  const std::vector<Case> cases = {
      {[](json& j) { j["stages"][2][3] = "uir_r1_a4_k3_s1_e4_c96"; },
       "x.json: stage 2, block 3 'uir_r1_a4_k3_s1_e4_c96': start depthwise kernel must be 0 (none) or odd"},
      {[](json& j) { j.erase("stages"); }, "x.json: /stages: missing"},
      {[](json& j) { j["stages"] = json::array(); }, "x.json: /stages: expected a non-empty list of stages"},
      {[](json& j) { j["stages"][1] = json::array(); }, "x.json: /stages/1: a stage must be a non-empty list"},
      {[](json& j) { j["stages"][0][0] = 7; }, "x.json: /stages/0/0: expected a block string"},
      {[](json& j) { j["act"] = "swish"; }, "x.json: /act: unknown activation 'swish'"},
      {[](json& j) { j["act"] = 3; }, "x.json: /act: expected a string"},
      {[](json& j) { j["aa"] = "max"; }, "x.json: /aa: unknown anti-aliasing 'max'"},
      {[](json& j) { j["stem"] = -4; }, "x.json: /stem: -4 is out of range"},
      {[](json& j) { j["stem"] = 2.5; }, "x.json: /stem: expected an integer"},
      {[](json& j) { j["channel_multiplier"] = 0; }, "x.json: /channel_multiplier: 0 is out of range"},
      {[](json& j) { j["input_size"] = "big"; }, "x.json: /input_size: expected an integer"},
      {[](json& j) { j["num_classes"] = 0; }, "x.json: /num_classes: 0 is out of range"},
      {[](json& j) { j["timm_top1"] = json{{"abc", 70.0}}; }, "x.json: /timm_top1/abc: key must be a resolution"},
      {[](json& j) { j["timm_top1"] = json{{"224", 170.0}}; }, "x.json: /timm_top1/224: 170.0 is out of range"},
      {[](json& j) { j["params"] = "many"; }, "x.json: /params: expected a non-negative integer"},
      {[](json& j) { j["strides"] = 1; }, "x.json: /strides: unknown field"},
      {[](json& j) { j["name"] = 5; }, "x.json: /name: expected a string"},
      {[](json& j) { j["layer_scale"] = "yes"; }, "x.json: /layer_scale: expected a number"},
      {[](json& j) { j = json::array(); }, "x.json: /: an architecture must be a JSON object"},
      {[](json& j) { j["stages"][0][1] = "cn_r1_k1_s1_e1"; }, "x.json: stage 0, block 1 'cn_r1_k1_s1_e1': missing output channels (c)"},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    json j = conv_small_entry();
    cases[i].edit(j);
    INFO("case " << i << ": " << j.dump().substr(0, 200));
    REQUIRE_THROWS_WITH(arch_defs::architecture_from_json(j, "x.json"), Catch::StartsWith(cases[i].expected));
  }
}

TEST_CASE("unreadable or invalid files name the file", "[arch_json][errors]") {
  const std::filesystem::path bad = uibnas::testing::unique_temp_path("bad.json");
  std::ofstream(bad) << "{\"stages\": [[\"cn_r1_k3_s2_c32\"]";
  CHECK_THROWS_WITH(arch_defs::load_architecture_file(bad.string()), Catch::StartsWith(bad.string() + ": architecture file is not valid JSON"));
  std::filesystem::remove(bad);
  CHECK_THROWS_WITH(arch_defs::load_architecture_file(uibnas::testing::unique_temp_path("missing.json")), Catch::Contains("cannot open file"));
}

TEST_CASE("a feature map that would vanish is an error, not a crash", "[network][errors]") {
  const arch_defs::Network net = arch_defs::build_network(arch_defs::resolve_architecture("conv_small"));
  // Symmetric stride-2 convs give ceil(H/2) and never vanish; the 'avg' pool floors, so 16 px dies at 1 -> 0.
  CHECK_NOTHROW(arch_defs::lower_network(net, 8));
  CHECK_THROWS_WITH(arch_defs::lower_network(arch_defs::build_network(arch_defs::resolve_architecture("conv_aa_medium")), 16),
                    Catch::Contains("blocks.3.0 (blocks.3.0.dw_mid.aa): input 16 px is too small"));
  CHECK_THROWS_WITH(arch_defs::lower_network(net, 0), Catch::Contains("resolution must be in"));
  CHECK_NOTHROW(arch_defs::lower_network(net, 33));
}

TEST_CASE("each baselines.json entry reads as the built-in baseline, top-1 of the default tag included", "[arch_json]") {
  std::ifstream in(UIBNAS_TEST_DATA_DIR "/reference/baselines.json");
  REQUIRE(in.good());
  const json models = json::parse(in)["models"];
  for (const auto& [name, entry] : models.items()) {
    INFO(name);
    const arch_defs::Architecture a = arch_defs::architecture_from_timm_description(entry, "baselines.json");
    CHECK(a == arch_defs::resolve_architecture(name));
    CHECK(arch_defs::architecture_from_json(arch_defs::architecture_to_json(a), "x") == a);
    // The expanded network against the reference's per-block table: widths, SE width, act, residual.
    const arch_defs::Network net = arch_defs::build_network(a);
    REQUIRE(net.blocks.size() == entry["blocks"].size());
    for (size_t i = 0; i < net.blocks.size(); ++i) {
      const arch_defs::LayerConfig& l = net.blocks[i];
      const json& b = entry["blocks"][i];
      INFO(l.name);
      CHECK(std::string(arch_defs::block_type_token(l.type)) == b["kind"].get<std::string>());
      CHECK(l.stride == b["s"].get<int>());
      CHECK(l.in_channels == b["in"].get<int>());
      CHECK(l.out_channels == b["out"].get<int>());
      CHECK(l.mid_channels == (b["mid"].is_null() ? 0 : b["mid"].get<int>()));
      CHECK(l.se_channels == (b["se_rd"].is_null() ? 0 : b["se_rd"].get<int>()));
      CHECK(arch_defs::activation_name(l.act) == b["act"].get<std::string>());
      CHECK(l.residual == b["skip"].get<bool>());
    }
  }
}

TEST_CASE("the tiny MNv3 description loads as a file: MNv3 head and SE style, per-block overrides", "[arch_json]") {
  const arch_defs::Architecture a = arch_defs::load_architecture_file(uibnas::testing::test_data("tiny/tiny_mnv3.arch.json"));
  CHECK(a.name == "tiny_mnv3");
  CHECK(a.head == arch_defs::HeadStyle::PoolConvBiasAct);
  CHECK(a.head_hidden == 64);
  CHECK(a.num_classes == 10);
  REQUIRE(a.se);
  CHECK(a.se->from_expansion);
  CHECK(a.se->round_to_divisor);
  CHECK(a.se->act == arch_defs::Activation::ReLU);
  CHECK(a.se->gate == arch_defs::Activation::HardSigmoid);
  const arch_defs::Network net = arch_defs::build_network(a);
  // 72 * 0.25 = 18 rounds to 16 < 0.9 * 18, so make_divisible gives 24; e2.5 on 40 gives mid 104.
  CHECK(net.blocks[3].se_channels == 24);
  CHECK(net.blocks[6].mid_channels == 104);
  CHECK(net.blocks[0].act == arch_defs::Activation::ReLU);
  CHECK(net.blocks[5].act == arch_defs::Activation::HardSwish);
}

TEST_CASE("the squeeze-excite width: make_divisible from the SE input, or Python round of ratio / e", "[network]") {
  arch_defs::SqueezeExciteStyle mnv3;
  CHECK(arch_defs::se_reduced_channels(mnv3, 0.25, 72, 3.0) == 24);
  CHECK(arch_defs::se_reduced_channels(mnv3, 0.25, 16, 1.0) == 8);
  arch_defs::SqueezeExciteStyle effnet;
  effnet.from_expansion = false;
  effnet.round_to_divisor = false;
  CHECK(arch_defs::se_reduced_channels(effnet, 0.25, 144, 6.0) == 6);    // 144 * 0.25 / 6 = 6
  CHECK(arch_defs::se_reduced_channels(effnet, 0.25, 40, 1.0) == 10);
  CHECK(arch_defs::se_reduced_channels(effnet, 0.25, 10, 1.0) == 2);     // 2.5: half to even
  CHECK(arch_defs::se_reduced_channels(effnet, 0.25, 14, 1.0) == 4);     // 3.5: half to even
}
