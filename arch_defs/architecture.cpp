#include "arch_defs/architecture.hpp"

#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include "common/error.hpp"
#include "common/json_file.hpp"

namespace uibnas::arch_defs {
namespace {

using nlohmann::json;

struct Reader {
  const std::string& source;
  [[noreturn]] void fail(const std::string& path, const std::string& why) const {
    throw common::InputError(common::with_context(source, path + ": " + why));
  }
  int integer(const json& j, const std::string& path, int lo, int hi) const {
    if (!j.is_number_integer() && !(j.is_number_float() && std::floor(j.get<double>()) == j.get<double>()))
      fail(path, "expected an integer, got " + j.dump());
    const double v = j.get<double>();
    if (v < lo || v > hi)
      fail(path, j.dump() + " is out of range [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
    return static_cast<int>(v);
  }
  double number(const json& j, const std::string& path, double lo, double hi) const {
    if (!j.is_number()) fail(path, "expected a number, got " + j.dump());
    const double v = j.get<double>();
    if (!(v >= lo && v <= hi)) fail(path, j.dump() + " is out of range [" + format_number(lo) + ", " + format_number(hi) + "]");
    return v;
  }
  std::string string(const json& j, const std::string& path) const {
    if (!j.is_string()) fail(path, "expected a string, got " + j.dump());
    return j.get<std::string>();
  }
};

Activation parse_activation(const Reader& r, const json& j) {
  const std::string s = r.string(j, "/act");
  if (s == "relu") return Activation::ReLU;
  if (s == "relu6") return Activation::ReLU6;
  if (s == "gelu") return Activation::GELU;
  if (s == "hard_swish") return Activation::HardSwish;
  r.fail("/act", "unknown activation '" + s + "' (expected relu, relu6, gelu or hard_swish)");
}

AntiAlias parse_anti_alias(const Reader& r, const json& j) {
  if (j.is_null()) return AntiAlias::None;
  const std::string s = r.string(j, "/aa");
  if (s == "avg") return AntiAlias::Avg;
  if (s == "blurpc") return AntiAlias::BlurPC;
  if (s == "none") return AntiAlias::None;
  r.fail("/aa", "unknown anti-aliasing '" + s + "' (expected null, \"avg\" or \"blurpc\")");
}

}  // namespace

const char* activation_name(Activation a) {
  switch (a) {
    case Activation::ReLU: return "relu";
    case Activation::ReLU6: return "relu6";
    case Activation::GELU: return "gelu";
    case Activation::HardSwish: return "hard_swish";
  }
  return "?";
}

const char* anti_alias_name(AntiAlias a) {
  switch (a) {
    case AntiAlias::None: return "none";
    case AntiAlias::Avg: return "avg";
    case AntiAlias::BlurPC: return "blurpc";
  }
  return "?";
}

int make_divisible(double v, int divisor) {
  int rounded = std::max(divisor, static_cast<int>(v + divisor / 2.0) / divisor * divisor);
  if (rounded < 0.9 * v) rounded += divisor;
  return rounded;
}

Architecture architecture_from_json(const json& j, const std::string& source) {
  const Reader r{source};
  if (!j.is_object()) r.fail("/", "an architecture must be a JSON object, got " + std::string(j.type_name()));
  static const std::set<std::string> known = {
      "name", "stem", "act", "layer_scale", "channel_multiplier", "aa", "head_hidden", "num_classes",
      "input_size", "test_input_size", "stages", "params", "timm_top1", "paper"};
  for (const auto& [key, value] : j.items())
    if (!known.count(key)) r.fail("/" + key, "unknown field (known: name, stem, act, layer_scale, channel_multiplier, aa, "
                                              "head_hidden, num_classes, input_size, test_input_size, stages, params, timm_top1, paper)");
  Architecture a;
  if (j.contains("name")) a.name = r.string(j["name"], "/name");
  if (j.contains("stem")) a.stem_channels = r.integer(j["stem"], "/stem", 1, 4096);
  if (j.contains("act")) a.act = parse_activation(r, j["act"]);
  if (j.contains("layer_scale") && !j["layer_scale"].is_null())
    a.layer_scale = r.number(j["layer_scale"], "/layer_scale", -1e6, 1e6);
  if (j.contains("channel_multiplier"))
    a.channel_multiplier = r.number(j["channel_multiplier"], "/channel_multiplier", 0.05, 8.0);
  if (j.contains("aa")) a.aa = parse_anti_alias(r, j["aa"]);
  if (j.contains("head_hidden")) a.head_hidden = r.integer(j["head_hidden"], "/head_hidden", 1, 65536);
  if (j.contains("num_classes")) a.num_classes = r.integer(j["num_classes"], "/num_classes", 1, 1000000);
  if (j.contains("input_size")) a.input_size = r.integer(j["input_size"], "/input_size", 32, 4096);
  if (j.contains("test_input_size") && !j["test_input_size"].is_null())
    a.test_input_size = r.integer(j["test_input_size"], "/test_input_size", 32, 4096);
  if (j.contains("params") && !j["params"].is_null()) {
    if (!j["params"].is_number_integer() || j["params"].get<long long>() < 0)
      r.fail("/params", "expected a non-negative integer, got " + j["params"].dump());
    a.published_params = j["params"].get<long long>();
  }
  if (j.contains("timm_top1") && !j["timm_top1"].is_null()) {
    if (!j["timm_top1"].is_object()) r.fail("/timm_top1", "expected an object {\"resolution\": top1}");
    for (const auto& [res, top1] : j["timm_top1"].items()) {
      int resolution = 0;
      try {
        size_t used = 0;
        resolution = std::stoi(res, &used);
        if (used != res.size() || resolution <= 0) throw std::invalid_argument(res);
      } catch (const std::exception&) {
        r.fail("/timm_top1/" + res, "key must be a resolution in pixels");
      }
      a.timm_top1[resolution] = r.number(top1, "/timm_top1/" + res, 0, 100);
    }
  }
  if (j.contains("paper")) a.paper = j["paper"];

  if (!j.contains("stages")) r.fail("/stages", "missing (a list of stages, each a list of block strings)");
  const json& stages = j["stages"];
  if (!stages.is_array() || stages.empty()) r.fail("/stages", "expected a non-empty list of stages");
  for (size_t s = 0; s < stages.size(); ++s) {
    const std::string spath = "/stages/" + std::to_string(s);
    if (!stages[s].is_array() || stages[s].empty()) r.fail(spath, "a stage must be a non-empty list of block strings");
    std::vector<BlockSpec> blocks;
    for (size_t b = 0; b < stages[s].size(); ++b) {
      const json& item = stages[s][b];
      if (!item.is_string())
        r.fail(spath + "/" + std::to_string(b), "expected a block string such as \"uir_r1_a3_k5_s2_e4_c80\", got " + item.dump());
      try {
        blocks.push_back(parse_block_string(item.get<std::string>()));
      } catch (const common::InputError& e) {
        // The block error reads "block 'STR': why"; here it becomes "stage S, block B 'STR': why".
        const std::string what = e.what();
        throw common::InputError(common::with_context(source, "stage " + std::to_string(s) + ", block " + std::to_string(b) + " " +
                                                  what.substr(what.rfind("block ", 0) == 0 ? 6 : 0)));
      }
    }
    a.stages.push_back(std::move(blocks));
  }
  return a;
}

json architecture_to_json(const Architecture& a) {
  json j;
  j["name"] = a.name;
  j["stem"] = a.stem_channels;
  j["act"] = activation_name(a.act);
  j["layer_scale"] = a.layer_scale ? json(*a.layer_scale) : json(nullptr);
  j["channel_multiplier"] = a.channel_multiplier;
  j["aa"] = a.aa == AntiAlias::None ? json(nullptr) : json(anti_alias_name(a.aa));
  j["head_hidden"] = a.head_hidden;
  j["num_classes"] = a.num_classes;
  j["input_size"] = a.input_size;
  if (a.test_input_size) j["test_input_size"] = *a.test_input_size;
  json stages = json::array();
  for (const auto& stage : a.stages) {
    json blocks = json::array();
    for (const auto& b : stage) blocks.push_back(to_block_string(b));
    stages.push_back(blocks);
  }
  j["stages"] = stages;
  if (a.published_params) j["params"] = *a.published_params;
  if (!a.timm_top1.empty()) {
    json top1 = json::object();
    for (const auto& [res, v] : a.timm_top1) top1[std::to_string(res)] = v;
    j["timm_top1"] = top1;
  }
  if (!a.paper.is_null()) j["paper"] = a.paper;
  return j;
}

Architecture load_architecture_file(const std::string& path) {
  return architecture_from_json(common::read_json_file(path, "architecture file"), path);
}

}  // namespace uibnas::arch_defs
