#include "arch_defs/architecture.hpp"

#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include "common/error.hpp"
#include "common/user_text.hpp"
#include "common/json_file.hpp"
#include "arch_defs/limits.hpp"
#include "arch_defs/timm_description.hpp"

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
      fail(path, "expected an integer, got " + common::excerpt(j.dump()));
    const double v = j.get<double>();
    if (v < lo || v > hi)
      fail(path, common::excerpt(j.dump()) + " is out of range [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
    return static_cast<int>(v);
  }
  double number(const json& j, const std::string& path, double lo, double hi) const {
    if (!j.is_number()) fail(path, "expected a number, got " + common::excerpt(j.dump()));
    const double v = j.get<double>();
    if (!(v >= lo && v <= hi)) fail(path, common::excerpt(j.dump()) + " is out of range [" + format_number(lo) + ", " + format_number(hi) + "]");
    return v;
  }
  std::string string(const json& j, const std::string& path) const {
    if (!j.is_string()) fail(path, "expected a string, got " + common::excerpt(j.dump()));
    return j.get<std::string>();
  }
};

Activation parse_activation(const Reader& r, const json& j, const std::string& path = "/act") {
  const std::string s = r.string(j, path);
  const auto a = activation_from_name(s);
  if (!a || *a == Activation::Sigmoid || *a == Activation::HardSigmoid)
    r.fail(path, "unknown activation '" + common::excerpt(s) + "' (expected relu, relu6, gelu, hard_swish or silu)");
  return *a;
}

constexpr HeadStyle kHeadStyles[] = {HeadStyle::PoolConvNormAct, HeadStyle::PoolConvBiasAct, HeadStyle::ConvNormActPool,
                                     HeadStyle::Pool};

HeadStyle parse_head(const Reader& r, const json& j) {
  const std::string s = r.string(j, "/head");
  for (HeadStyle h : kHeadStyles)
    if (s == head_style_name(h)) return h;
  r.fail("/head", "unknown head '" + common::excerpt(s) + "' (expected pool_conv_bn_act, pool_conv_bias_act, conv_bn_act_pool or pool)");
}

SqueezeExciteStyle parse_se_style(const Reader& r, const json& j) {
  if (!j.is_object()) r.fail("/se", "expected an object {from_expansion, rounding, act, gate}");
  for (const auto& [key, value] : j.items())
    if (key != "from_expansion" && key != "rounding" && key != "act" && key != "gate")
      r.fail("/se/" + key, "unknown field (known: from_expansion, rounding, act, gate)");
  SqueezeExciteStyle se;
  if (j.contains("from_expansion")) {
    if (!j["from_expansion"].is_boolean()) r.fail("/se/from_expansion", "expected true or false");
    se.from_expansion = j["from_expansion"].get<bool>();
  }
  if (j.contains("rounding")) {
    const std::string rounding = r.string(j["rounding"], "/se/rounding");
    if (rounding != "make_divisible" && rounding != "round")
      r.fail("/se/rounding", "expected \"make_divisible\" or \"round\", got '" + common::excerpt(rounding) + "'");
    se.round_to_divisor = rounding == "make_divisible";
  }
  if (j.contains("act") && !(j["act"].is_string() && j["act"].get<std::string>() == "block"))
    se.act = parse_activation(r, j["act"], "/se/act");
  if (j.contains("gate")) {
    const std::string gate = r.string(j["gate"], "/se/gate");
    if (gate != "sigmoid" && gate != "hard_sigmoid")
      r.fail("/se/gate", "expected \"sigmoid\" or \"hard_sigmoid\", got '" + common::excerpt(gate) + "'");
    se.gate = *activation_from_name(gate);
  }
  return se;
}

json se_style_to_json(const SqueezeExciteStyle& se) {
  return {{"from_expansion", se.from_expansion},
          {"rounding", se.round_to_divisor ? "make_divisible" : "round"},
          {"act", se.act ? activation_name(*se.act) : "block"},
          {"gate", activation_name(se.gate)}};
}

AntiAlias parse_anti_alias(const Reader& r, const json& j) {
  if (j.is_null()) return AntiAlias::None;
  const std::string s = r.string(j, "/aa");
  if (s == "avg") return AntiAlias::Avg;
  if (s == "blurpc") return AntiAlias::BlurPC;
  if (s == "none") return AntiAlias::None;
  r.fail("/aa", "unknown anti-aliasing '" + common::excerpt(s) + "' (expected null, \"avg\" or \"blurpc\")");
}

// The limits a parsed stage must keep: the network's block count (after repeats) and every output
// width after the channel multiplier. `network_blocks` counts the blocks of the stages before.
void check_stage_size(const Reader& r, const std::vector<BlockSpec>& stage, size_t s, double multiplier,
                      int& network_blocks) {
  for (size_t b = 0; b < stage.size(); ++b) {
    const std::string where = "/stages/" + std::to_string(s) + "/" + std::to_string(b);
    network_blocks += stage[b].repeat;
    if (network_blocks > limits::kMaxBlocks)
      r.fail(where, "the network has more than " + std::to_string(limits::kMaxBlocks) + " blocks (after repeats)");
    const int width = make_divisible(stage[b].out_channels * multiplier);
    if (width > limits::kMaxChannels)
      r.fail(where, "c" + std::to_string(stage[b].out_channels) + " x channel_multiplier " + format_number(multiplier) +
                        " is " + std::to_string(width) + " channels, more than " + std::to_string(limits::kMaxChannels));
  }
}

}  // namespace

const char* head_style_name(HeadStyle h) {
  switch (h) {
    case HeadStyle::PoolConvNormAct: return "pool_conv_bn_act";
    case HeadStyle::PoolConvBiasAct: return "pool_conv_bias_act";
    case HeadStyle::ConvNormActPool: return "conv_bn_act_pool";
    case HeadStyle::Pool: return "pool";
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

int se_reduced_channels(const SqueezeExciteStyle& style, double ratio, int channels, double expansion) {
  const double v = channels * (style.from_expansion ? ratio : ratio / expansion);
  // std::nearbyint rounds half to even in the default rounding mode, as Python's round does.
  return style.round_to_divisor ? make_divisible(v) : static_cast<int>(std::nearbyint(v));
}

Architecture architecture_from_json(const json& j, const std::string& source) {
  const Reader r{source};
  if (!j.is_object()) r.fail("/", "an architecture must be a JSON object, got " + std::string(j.type_name()));
  static const std::set<std::string> known = {
      "name", "family", "stem", "act", "layer_scale", "channel_multiplier", "aa", "head", "head_hidden", "se",
      "num_classes", "input_size", "test_input_size", "stages", "params", "timm_top1", "paper"};
  for (const auto& [key, value] : j.items())
    if (!known.count(key)) r.fail("/" + common::excerpt(key), "unknown field (known: name, family, stem, act, layer_scale, channel_multiplier, aa, "
                                              "head, head_hidden, se, num_classes, input_size, test_input_size, stages, params, "
                                              "timm_top1, paper)");
  Architecture a;
  if (j.contains("name")) a.name = r.string(j["name"], "/name");
  if (j.contains("family")) a.family = r.string(j["family"], "/family");
  if (j.contains("head")) a.head = parse_head(r, j["head"]);
  if (j.contains("se") && !j["se"].is_null()) a.se = parse_se_style(r, j["se"]);
  if (j.contains("stem")) a.stem_channels = r.integer(j["stem"], "/stem", 1, limits::kMaxStemChannels);
  if (j.contains("act")) a.act = parse_activation(r, j["act"]);
  if (j.contains("layer_scale") && !j["layer_scale"].is_null())
    a.layer_scale = r.number(j["layer_scale"], "/layer_scale", -1e6, 1e6);
  if (j.contains("channel_multiplier"))
    a.channel_multiplier = r.number(j["channel_multiplier"], "/channel_multiplier", 0.05, 8.0);
  if (j.contains("aa")) a.aa = parse_anti_alias(r, j["aa"]);
  if (j.contains("head_hidden")) a.head_hidden = r.integer(j["head_hidden"], "/head_hidden", 1, limits::kMaxChannels);
  if (j.contains("num_classes")) a.num_classes = r.integer(j["num_classes"], "/num_classes", 1, limits::kMaxClasses);
  if (j.contains("input_size")) a.input_size = r.integer(j["input_size"], "/input_size", limits::kMinInputSize, limits::kMaxInputSize);
  if (j.contains("test_input_size") && !j["test_input_size"].is_null())
    a.test_input_size = r.integer(j["test_input_size"], "/test_input_size", limits::kMinInputSize, limits::kMaxInputSize);
  if (j.contains("params") && !j["params"].is_null()) {
    if (!j["params"].is_number_integer() || j["params"].get<long long>() < 0)
      r.fail("/params", "expected a non-negative integer, got " + common::excerpt(j["params"].dump()));
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
        r.fail("/timm_top1/" + common::excerpt(res), "key must be a resolution in pixels");
      }
      a.timm_top1[resolution] = r.number(top1, "/timm_top1/" + res, 0, 100);
    }
  }
  if (j.contains("paper")) a.paper = j["paper"];

  if (!j.contains("stages")) r.fail("/stages", "missing (a list of stages, each a list of block strings)");
  const json& stages = j["stages"];
  if (!stages.is_array() || stages.empty()) r.fail("/stages", "expected a non-empty list of stages");
  if (stages.size() > size_t(limits::kMaxStages))
    r.fail("/stages", std::to_string(stages.size()) + " stages, more than the " + std::to_string(limits::kMaxStages) + " allowed");
  int network_blocks = 0;  // after repeats
  for (size_t s = 0; s < stages.size(); ++s) {
    const std::string spath = "/stages/" + std::to_string(s);
    if (!stages[s].is_array() || stages[s].empty()) r.fail(spath, "a stage must be a non-empty list of block strings");
    std::vector<BlockSpec> blocks;
    for (size_t b = 0; b < stages[s].size(); ++b) {
      const json& item = stages[s][b];
      if (!item.is_string())
        r.fail(spath + "/" + std::to_string(b), "expected a block string such as \"uir_r1_a3_k5_s2_e4_c80\", got " + common::excerpt(item.dump()));
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
    check_stage_size(r, a.stages.back(), s, a.channel_multiplier, network_blocks);
  }
  for (const auto& stage : a.stages)
    for (const BlockSpec& b : stage)
      if (b.se_ratio && !a.se)
        r.fail("/se", "block '" + to_block_string(b) + "' has squeeze-excite, so the architecture needs an \"se\" style");
  return a;
}

json architecture_to_json(const Architecture& a) {
  json j;
  j["name"] = a.name;
  if (a.family != Architecture{}.family) j["family"] = a.family;
  j["stem"] = a.stem_channels;
  j["act"] = activation_name(a.act);
  j["layer_scale"] = a.layer_scale ? json(*a.layer_scale) : json(nullptr);
  j["channel_multiplier"] = a.channel_multiplier;
  j["aa"] = a.aa == AntiAlias::None ? json(nullptr) : json(anti_alias_name(a.aa));
  if (a.head != HeadStyle::PoolConvNormAct) j["head"] = head_style_name(a.head);
  j["head_hidden"] = a.head_hidden;
  if (a.se) j["se"] = se_style_to_json(*a.se);
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
  const json j = common::read_json_file(path, "architecture file");
  if (j.is_object() && j.contains("timm_class")) return architecture_from_timm_description(j, path);
  return architecture_from_json(j, path);
}

}  // namespace uibnas::arch_defs
