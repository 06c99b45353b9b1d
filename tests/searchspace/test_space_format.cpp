// The space file format: a valid file reads as written, and malformed files give every error with
// its JSON path, each "FILE: /path: reason".
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <functional>

#include "searchspace/search_space.hpp"

using namespace uibnas;
using namespace uibnas::searchspace;
using nlohmann::json;

namespace {

// Two stages that use every kind of entry: cn with a first-block width, uir first/rest, er, mqa.
json valid_space() {
  return json::parse(R"({
    "format": "uibnas-search-space", "version": 1, "id": "test-space", "description": "for the format tests",
    "resolutions": [192, 224], "act": "relu", "layer_scale": null,
    "stem": {"kernel": 3, "widths": [16, 24]},
    "head": {"features": 960, "hidden": 1280, "num_classes": 1000},
    "stages": [
      {"stride": 2, "depth": {"min": 2, "max": 3}, "widths": [32],
       "blocks": [{"type": "cn", "position": "first", "kernel": [3], "widths": [32, 48]},
                  {"type": "cn", "position": "rest", "kernel": [1, 3]}]},
      {"stride": 2, "depth": {"min": 3, "max": 5}, "widths": [64, 80],
       "blocks": [{"type": "uir", "position": "first", "start_dw": [0, 3], "middle_dw": [3, 5], "expansion": [4]},
                  {"type": "uir", "position": "rest", "start_dw": [0, 3, 5], "middle_dw": [0, 3], "expansion": [2, 4]},
                  {"type": "er", "position": "rest", "kernel": [3], "expansion": [4]},
                  {"type": "mqa", "count": [0, 2], "heads": [4], "key_dim": [16], "kv_stride": [1, 2],
                   "kv_kernel": 3, "placement": "before_last_blocks"}]}
    ]})");
}

std::string write_temp(const std::string& name, const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() / ("uibnas_space_" + std::to_string(::getpid()) + "_" + name);
  std::ofstream(path) << text;
  return path.string();
}

// The errors of a file holding `text` (none if it loads).
std::vector<std::string> errors_of_text(const std::string& text) {
  const std::string path = write_temp("case.json", text);
  std::vector<std::string> errors;
  try {
    load_search_space(path);
  } catch (const SpaceFormatError& e) {
    errors = e.errors();
  } catch (const common::InputError& e) {
    errors.push_back(e.what());
  }
  std::filesystem::remove(path);
  return errors;
}

struct Case {
  const char* what;
  std::function<void(json&)> edit;
  const char* expected;  // one of the errors, after "FILE: "
};

json& stage(json& j, int s) { return j["stages"][s]; }
json& entry(json& j, int s, int b) { return j["stages"][s]["blocks"][b]; }

const std::vector<Case>& malformed_cases() {
  static const std::vector<Case> cases = {
      {"root not an object", [](json& j) { j = json::array(); }, "/: a search space must be a JSON object, got []"},
      {"no format", [](json& j) { j.erase("format"); }, "/format: missing (\"uibnas-search-space\"; is this a search-space file?)"},
      {"wrong format", [](json& j) { j["format"] = "timm"; }, "/format: \"timm\" is not \"uibnas-search-space\""},
      {"no version", [](json& j) { j.erase("version"); }, "/version: missing (the format version, 1)"},
      {"future version", [](json& j) { j["version"] = 2; }, "/version: version 2 is not supported (this uibnas reads version 1)"},
      {"unknown key", [](json& j) { j["stage"] = json::array(); },
       "/stage: unknown key in a search space (known: format, version, id, description, resolutions, act, layer_scale, "
       "stem, head, stages)"},
      {"bad id", [](json& j) { j["id"] = "Conv M"; },
       "/id: 'Conv M' must be 1 to 40 characters of a-z, 0-9 and '-', starting with a letter or digit"},
      {"no resolutions", [](json& j) { j["resolutions"] = json::array(); },
       "/resolutions: expected a non-empty list of integers, got []"},
      {"fractional resolution", [](json& j) { j["resolutions"] = {224.5}; }, "/resolutions: expected an integer, got 224.5"},
      {"tiny resolution", [](json& j) { j["resolutions"] = {16}; }, "/resolutions: 16 is out of range [32, 2048]"},
      {"repeated resolution", [](json& j) { j["resolutions"] = {224, 224}; }, "/resolutions: 224 is listed twice"},
      {"unknown activation", [](json& j) { j["act"] = "swish"; },
       "/act: unknown activation 'swish' (expected relu, relu6, gelu or hard_swish)"},
      {"layer scale text", [](json& j) { j["layer_scale"] = "small"; },
       "/layer_scale: \"small\" is not null or a number in (0, 1] (the layer-scale init value)"},
      {"stem kernel", [](json& j) { j["stem"]["kernel"] = 5; }, "/stem/kernel: 5 is not 3 (the MNv4 stem is a fixed 3x3 stride-2 conv)"},
      {"stem width not x8", [](json& j) { j["stem"]["widths"] = {20}; },
       "/stem/widths: 20 is not a multiple of 8 (timm rounds every width to 8)"},
      {"stem without widths", [](json& j) { j["stem"].erase("widths"); }, "/stem/widths: missing (stem width choices, e.g. [24, 32])"},
      {"head features", [](json& j) { j["head"]["features"] = 964; }, "/head/features: 964 is not a multiple of 8 (timm rounds every width to 8)"},
      {"stages not a list", [](json& j) { j["stages"] = json::object(); }, "/stages: expected a list of 1 to 8 stages, got {}"},
      {"stride 3", [](json& j) { stage(j, 0)["stride"] = 3; }, "/stages/0/stride: 3 is out of range [1, 2]"},
      {"depth min > max", [](json& j) { stage(j, 1)["depth"] = {{"min", 5}, {"max", 3}}; }, "/stages/1/depth: min 5 is larger than max 3"},
      {"depth too deep", [](json& j) { stage(j, 1)["depth"]["max"] = 40; }, "/stages/1/depth/max: 40 is out of range [1, 32]"},
      {"depth as a list", [](json& j) { stage(j, 1)["depth"] = {3, 5}; }, "/stages/1/depth: depth must be a JSON object, got [3,5]"},
      {"stage without widths", [](json& j) { stage(j, 1).erase("widths"); },
       "/stages/1/widths: missing (output width choices, e.g. [64, 80, 96])"},
      {"unknown stage key", [](json& j) { stage(j, 0)["kernel"] = 3; },
       "/stages/0/kernel: unknown key in a stage (known: stride, depth, widths, blocks)"},
      {"no blocks", [](json& j) { stage(j, 1)["blocks"] = json::array(); },
       "/stages/1/blocks: expected a non-empty list of block entries, got []"},
      {"block not an object", [](json& j) { entry(j, 1, 0) = 5; }, "/stages/1/blocks/0: a block entry must be a JSON object, got 5"},
      {"block type ir", [](json& j) { entry(j, 1, 0)["type"] = "ir"; },
       "/stages/1/blocks/0/type: unknown block type 'ir' (expected cn, er, uir or mqa)"},
      {"block without type", [](json& j) { entry(j, 1, 0).erase("type"); }, "/stages/1/blocks/0/type: missing (cn, er, uir or mqa)"},
      {"even start dw", [](json& j) { entry(j, 1, 1)["start_dw"] = {0, 4}; },
       "/stages/1/blocks/1/start_dw: 4 is not 0 (none) or an odd kernel"},
      {"first block without middle dw", [](json& j) { entry(j, 1, 0)["middle_dw"] = {0, 3}; },
       "/stages/1/blocks/0/middle_dw: the first block of a strided stage has a middle depthwise conv, so 0 is not "
       "allowed here (give the blocks after the first \"position\": \"rest\")"},
      {"zero expansion", [](json& j) { entry(j, 1, 0)["expansion"] = {0}; }, "/stages/1/blocks/0/expansion: 0 is not a positive number"},
      {"expansion twice", [](json& j) { entry(j, 1, 1)["expansion"] = {4, 4}; }, "/stages/1/blocks/1/expansion: 4 is listed twice"},
      {"huge expansion", [](json& j) { entry(j, 1, 1)["expansion"] = {20}; },
       "/stages/1/blocks/1/expansion: 20 is larger than 16, the largest expansion"},
      {"unknown position", [](json& j) { entry(j, 1, 0)["position"] = "middle"; },
       "/stages/1/blocks/0/position: unknown position 'middle' (expected any, first or rest)"},
      {"widths on a rest entry", [](json& j) { entry(j, 0, 1)["widths"] = {32}; },
       "/stages/0/blocks/1/widths: only an entry with \"position\": \"first\" may have its own widths"},
      {"first widths in a stage of one", [](json& j) { stage(j, 0)["depth"]["min"] = 1; },
       "/stages/0/blocks/0/widths: a first block with its own widths needs depth.min >= 2, so that the stage width is used"},
      {"rest entry that never stands", [](json& j) {
         stage(j, 0)["depth"] = {{"min", 1}, {"max", 1}};
         entry(j, 0, 0).erase("widths");
       }, "/stages/0/blocks/1/position: a \"rest\" entry can never stand in a stage whose depth.max is 1"},
      {"no entry after the first", [](json& j) { stage(j, 1)["blocks"].erase(1); stage(j, 1)["blocks"].erase(1); },
       "/stages/1/blocks: no entry can stand after the first position (add one with \"position\": \"rest\" or \"any\")"},
      {"no entry at the first", [](json& j) { stage(j, 0)["blocks"].erase(0); },
       "/stages/0/blocks: no entry can stand at the first position (add one with \"position\": \"first\" or \"any\")"},
      {"two overlapping uir entries", [](json& j) { entry(j, 1, 0)["position"] = "any"; },
       "/stages/1/blocks/1: a second uir entry that can stand where /stages/1/blocks/0 stands; merge their choices or "
       "give them positions first and rest"},
      {"too many mqa blocks", [](json& j) { entry(j, 1, 3)["count"] = {0, 3}; },
       "/stages/1/blocks/3/count: 3 MQA blocks need 4 blocks in the stage (none before the first), but depth.min is 3"},
      {"mqa counts unordered", [](json& j) { entry(j, 1, 3)["count"] = {2, 0}; }, "/stages/1/blocks/3/count: must be in ascending order"},
      {"zero heads", [](json& j) { entry(j, 1, 3)["heads"] = {0}; }, "/stages/1/blocks/3/heads: 0 is out of range [1, 64]"},
      {"even kv kernel", [](json& j) { entry(j, 1, 3)["kv_kernel"] = 4; }, "/stages/1/blocks/3/kv_kernel: 4 is not an odd kernel"},
      {"unknown placement", [](json& j) { entry(j, 1, 3)["placement"] = "after"; },
       "/stages/1/blocks/3/placement: unknown placement 'after' (the one supported: before_last_blocks)"},
      {"mqa with a position", [](json& j) { entry(j, 1, 3)["position"] = "rest"; },
       "/stages/1/blocks/3/position: unknown key in an mqa entry (known: type, count, heads, key_dim, kv_stride, kv_kernel, "
       "placement)"},
      {"mqa twice", [](json& j) { stage(j, 1)["blocks"].push_back(entry(j, 1, 3)); },
       "/stages/1/blocks/4: a second mqa entry in the stage (one is allowed)"},
      {"only an mqa entry", [](json& j) { stage(j, 1)["blocks"] = json::array({entry(j, 1, 3)}); },
       "/stages/1/blocks: needs a cn, er or uir entry; mqa blocks only stand between them"},
      {"cn with an expansion", [](json& j) { entry(j, 0, 1)["expansion"] = {4}; },
       "/stages/0/blocks/1/expansion: unknown key in a cn entry (known: type, position, widths, kernel)"},
      {"er without kernel", [](json& j) { entry(j, 1, 2).erase("kernel"); },
       "/stages/1/blocks/2/kernel: missing (conv kernel choices, e.g. [3, 5])"},
      {"uir without middle dw", [](json& j) { entry(j, 1, 1).erase("middle_dw"); },
       "/stages/1/blocks/1/middle_dw: missing (middle depthwise kernel choices, 0 = none, e.g. [0, 3, 5])"},
      {"mqa without heads", [](json& j) { entry(j, 1, 3).erase("heads"); }, "/stages/1/blocks/3/heads: missing (query heads, e.g. [4, 8])"},
  };
  return cases;
}

}  // namespace

TEST_CASE("a valid space file reads as written", "[space][format]") {
  const SearchSpace sp(read_space_spec(valid_space(), "inline.json"));
  const SpaceSpec& s = sp.spec();
  CHECK(s.id == "test-space");
  CHECK(s.resolutions == std::vector<int>{192, 224});
  CHECK(s.stem_widths == std::vector<int>{16, 24});
  REQUIRE(s.stages.size() == 2);
  CHECK(s.stages[0].blocks[0].position == Position::First);
  CHECK(s.stages[0].blocks[0].widths == std::vector<int>{32, 48});
  CHECK(s.stages[1].min_depth == 3);
  CHECK(s.stages[1].max_depth == 5);
  CHECK(s.stages[1].blocks.size() == 3);  // the mqa entry is the stage's attention, not a block
  REQUIRE(s.stages[1].attention);
  CHECK(s.stages[1].attention->counts == std::vector<int>{0, 2});
  CHECK(s.stages[1].attention->kv_strides == std::vector<int>{1, 2});
  CHECK(s.stages[1].blocks[1].expansions == std::vector<double>{2, 4});
  // By hand: stage 0: 1 width x (first 2 x rest 2 + first 2 x rest 2 x rest 2) = 12. Stage 1: 2 widths x
  // (first 4 x after^2 + 4 x after^3 + 4 x after^4), after = uir 3x2x2 + er 1 = 13, x MQA (1 + 2 strides) = 3.
  const long long after = 13;
  const long long stage1 = 2 * (4 * after * after + 4 * after * after * after + 4 * after * after * after * after) * 3;
  CHECK(sp.cardinality().to_string() == std::to_string(2LL * 2 * 12 * stage1));
}

TEST_CASE("malformed space files give one clear error each, with the JSON path", "[space][format]") {
  REQUIRE(malformed_cases().size() >= 30);
  for (const Case& c : malformed_cases()) {
    DYNAMIC_SECTION(c.what) {
      json j = valid_space();
      c.edit(j);
      const std::string path = write_temp("case.json", j.dump(2));
      std::vector<std::string> errors;
      try {
        load_search_space(path);
      } catch (const SpaceFormatError& e) {
        errors = e.errors();
      }
      std::filesystem::remove(path);
      INFO("errors: " << nlohmann::json(errors).dump(1));
      REQUIRE(errors.size() == 1);
      CHECK(errors[0] == path + ": " + c.expected);
    }
  }
}

TEST_CASE("a space file with several problems reports all of them", "[space][format]") {
  json j = valid_space();
  j["resolutions"] = {224, 7};
  entry(j, 1, 0)["expansion"] = {0};
  stage(j, 0)["stride"] = "2";
  const std::string path = write_temp("several.json", j.dump());
  try {
    load_search_space(path);
    FAIL("loaded a malformed space");
  } catch (const SpaceFormatError& e) {
    REQUIRE(e.errors().size() == 3);
    CHECK(e.errors()[0] == path + ": /resolutions: 7 is out of range [32, 2048]");
    CHECK(e.errors()[1] == path + ": /stages/0/stride: expected an integer, got \"2\"");
    CHECK(e.errors()[2] == path + ": /stages/1/blocks/0/expansion: 0 is not a positive number");
    CHECK(std::string(e.what()) == e.errors()[0] + "; " + e.errors()[1] + "; " + e.errors()[2]);
  }
  std::filesystem::remove(path);
}

TEST_CASE("unreadable space files name the file", "[space][format]") {
  const auto not_json = errors_of_text("{\"format\": ");
  REQUIRE(not_json.size() == 1);
  CHECK(not_json[0].find(": search space file is not valid JSON (") != std::string::npos);
  CHECK_THROWS_WITH(load_search_space("/nonexistent/space.json"), "/nonexistent/space.json: cannot open file");
  // An architecture file is not a space file.
  const auto arch = errors_of_text(R"({"name": "x", "stages": [["cn_r1_k3_s2_c32"]]})");
  CHECK(arch.size() >= 3);
  CHECK(arch[0].find("/name: unknown key in a search space") != std::string::npos);
}
