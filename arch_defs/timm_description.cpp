#include "arch_defs/timm_description.hpp"

#include "common/error.hpp"
#include "common/user_text.hpp"

namespace uibnas::arch_defs {
namespace {

using nlohmann::json;

[[noreturn]] void fail(const std::string& source, const std::string& path, const std::string& why) {
  throw common::InputError(common::with_context(source, path + ": " + why));
}

const json& field(const json& j, const std::string& key, const std::string& source, const std::string& path) {
  if (!j.is_object() || !j.contains(key)) fail(source, path + "/" + key, "missing");
  return j[key];
}

// The descriptions spell activations timm's way, often followed by an explanation: "relu (force_act_layer=...)",
// "hard_sigmoid: relu6(x + 3) / 6". The first word is the name.
std::string first_word(const json& j, const std::string& source, const std::string& path) {
  if (!j.is_string()) fail(source, path, "expected a string, got " + common::excerpt(j.dump()));
  const std::string s = j.get<std::string>();
  const size_t end = s.find_first_of(" :(");
  const std::string word = s.substr(0, end);
  return word == "swish" ? "silu" : word;
}

HeadStyle head_style(const json& head, const std::string& source) {
  const std::string style = field(head, "style", source, "/head").get<std::string>();
  if (style == "none") return HeadStyle::Pool;
  const bool pool_first = field(head, "pool_before_conv_head", source, "/head").get<bool>();
  const bool bias = field(head, "conv_head_bias", source, "/head").get<bool>();
  const bool norm = field(head, "head_norm", source, "/head").get<bool>();
  if (pool_first && bias && !norm) return HeadStyle::PoolConvBiasAct;
  if (pool_first && !bias && norm) return HeadStyle::PoolConvNormAct;
  if (!pool_first && !bias && norm) return HeadStyle::ConvNormActPool;
  fail(source, "/head", "head '" + common::excerpt(style) + "' (pool first, bias, norm) is not one uibnas builds");
}

// The "se" object of the uibnas form (architecture.hpp's SqueezeExciteStyle).
json se_style(const json& se, const std::string& source) {
  json style = json::object();
  style["from_expansion"] = field(se, "se_from_exp", source, "/se").get<bool>();
  const std::string rounding = first_word(field(se, "rd_formula", source, "/se"), source, "/se/rd_formula");
  if (rounding.rfind("make_divisible", 0) == 0) style["rounding"] = "make_divisible";
  else if (rounding.rfind("round", 0) == 0) style["rounding"] = "round";
  else fail(source, "/se/rd_formula", "unknown rounding '" + common::excerpt(rounding) + "'");
  const json& act = field(se, "act", source, "/se");
  // "silu (the block activation)": the SE follows its block; otherwise the named activation is fixed.
  if (act.get<std::string>().find("block activation") == std::string::npos) {
    const auto a = activation_from_name(first_word(act, source, "/se/act"));
    if (!a) fail(source, "/se/act", "unknown activation " + common::excerpt(act.dump()));
    style["act"] = activation_name(*a);
  } else {
    style["act"] = "block";
  }
  const auto gate = activation_from_name(first_word(field(se, "gate", source, "/se"), source, "/se/gate"));
  if (!gate || (*gate != Activation::Sigmoid && *gate != Activation::HardSigmoid))
    fail(source, "/se/gate", "expected a sigmoid or hard_sigmoid gate");
  style["gate"] = activation_name(*gate);
  return style;
}

}  // namespace

Architecture architecture_from_timm_description(const json& j, const std::string& source) {
  if (!j.is_object()) fail(source, "/", "expected an object");
  json plain = json::object();
  plain["name"] = j.contains("timm_name") ? j["timm_name"] : field(j, "name", source, "");
  for (const char* key : {"family", "stem", "channel_multiplier", "num_classes", "input_size", "stages", "params"})
    plain[key] = field(j, key, source, "");
  if (j.contains("test_input_size")) plain["test_input_size"] = j["test_input_size"];
  plain["act"] = first_word(field(j, "act", source, ""), source, "/act");
  const json& head = field(j, "head", source, "");
  plain["head"] = head_style_name(head_style(head, source));
  plain["head_hidden"] = field(head, "head_hidden", source, "/head");
  if (j.contains("se") && j["se"].is_object()) plain["se"] = se_style(j["se"], source);
  Architecture a = architecture_from_json(plain, source);
  if (j.contains("timm_top1") && j["timm_top1"].is_array())
    for (const json& row : j["timm_top1"])
      if (row.value("default", false)) a.timm_top1[row.at("img_size").get<int>()] = row.at("top1").get<double>();
  return a;
}

}  // namespace uibnas::arch_defs
