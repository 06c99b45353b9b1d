// Reads and validates a space file. Every check records its error and reading goes on, so one run
// reports every problem of the file, each with its JSON path.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "common/json_file.hpp"
#include "common/user_text.hpp"
#include "searchspace/space_spec.hpp"

namespace uibnas::searchspace {
namespace {

using nlohmann::json;

constexpr int kMaxDepth = 32;
constexpr int kMaxStages = 8;
constexpr int kMaxKernel = 15;
constexpr int kMaxWidth = 4096;
constexpr double kMaxExpansion = 16.0;
// Items of any choice list (resolutions, widths, kernels, expansions, heads, ...): the number of part
// signatures and of candidates grows with their product.
constexpr std::size_t kMaxChoices = 64;

class Reader {
 public:
  explicit Reader(const std::string& source) : source_(source) {}

  void error(const std::string& path, const std::string& why) {
    errors_.push_back(common::with_context(source_, path + ": " + why));
  }
  std::vector<std::string>& errors() { return errors_; }

  // An object whose keys all belong to `known`; reports the ones that do not.
  bool object(const json& j, const std::string& path, const std::string& what, const std::vector<std::string>& known) {
    if (!j.is_object()) {
      error(path.empty() ? "/" : path, what + " must be a JSON object, got " + common::excerpt(j.dump()));
      return false;
    }
    for (const auto& [key, value] : j.items())
      if (std::find(known.begin(), known.end(), key) == known.end()) {
        std::string list;
        for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
        error(path + "/" + common::excerpt(key), "unknown key in " + what + " (known: " + list + ")");
      }
    return true;
  }

  const json* required(const json& obj, const std::string& key, const std::string& path, const std::string& hint) {
    if (!obj.contains(key)) {
      error(path + "/" + key, "missing (" + hint + ")");
      return nullptr;
    }
    return &obj[key];
  }

  std::optional<int> integer(const json& j, const std::string& path, int lo, int hi) {
    if (!is_integer(j)) {
      error(path, "expected an integer, got " + common::excerpt(j.dump()));
      return std::nullopt;
    }
    const double v = j.get<double>();
    if (v < lo || v > hi) {
      error(path, common::excerpt(j.dump()) + " is out of range [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
      return std::nullopt;
    }
    return static_cast<int>(v);
  }

  std::optional<std::string> string(const json& j, const std::string& path) {
    if (!j.is_string()) {
      error(path, "expected a string, got " + common::excerpt(j.dump()));
      return std::nullopt;
    }
    return j.get<std::string>();
  }

  // A non-empty list of distinct integers in [lo, hi]; `rule` names a further per-value requirement.
  std::vector<int> int_list(const json& j, const std::string& path, int lo, int hi,
                            bool (*rule)(int) = nullptr, const char* rule_text = "") {
    std::vector<int> out;
    if (!non_empty_list(j, path, "integers")) return out;
    bool ok = true;
    for (const auto& item : j) {
      const auto v = integer(item, path, lo, hi);
      if (!v) { ok = false; continue; }
      if (rule && !rule(*v)) {
        error(path, std::to_string(*v) + " " + rule_text);
        ok = false;
        continue;
      }
      if (std::find(out.begin(), out.end(), *v) != out.end()) {
        error(path, std::to_string(*v) + " is listed twice");
        ok = false;
        continue;
      }
      out.push_back(*v);
    }
    if (!ok) out.clear();
    return out;
  }

  std::vector<double> expansion_list(const json& j, const std::string& path) {
    std::vector<double> out;
    if (!non_empty_list(j, path, "numbers")) return out;
    bool ok = true;
    for (const auto& item : j) {
      if (!item.is_number() || !(item.get<double>() > 0)) {
        error(path, common::excerpt(item.dump()) + " is not a positive number");
        ok = false;
      } else if (item.get<double>() > kMaxExpansion) {
        error(path, common::excerpt(item.dump()) + " is larger than " + arch_defs::format_number(kMaxExpansion) + ", the largest expansion");
        ok = false;
      } else if (std::find(out.begin(), out.end(), item.get<double>()) != out.end()) {
        error(path, common::excerpt(item.dump()) + " is listed twice");
        ok = false;
      } else {
        out.push_back(item.get<double>());
      }
    }
    if (!ok) out.clear();
    return out;
  }

 private:
  static bool is_integer(const json& j) {
    return j.is_number_integer() || (j.is_number_float() && std::floor(j.get<double>()) == j.get<double>());
  }
  bool non_empty_list(const json& j, const std::string& path, const char* what) {
    if (j.is_array() && j.size() > kMaxChoices) {
      error(path, std::to_string(j.size()) + " choices, more than the " + std::to_string(kMaxChoices) + " allowed");
      return false;
    }
    if (j.is_array() && !j.empty()) return true;
    error(path, std::string("expected a non-empty list of ") + what + ", got " + common::excerpt(j.dump()));
    return false;
  }

  const std::string& source_;
  std::vector<std::string> errors_;
};

bool odd(int k) { return k % 2 == 1; }
bool none_or_odd(int k) { return k == 0 || k % 2 == 1; }
bool multiple_of_8(int c) { return c % 8 == 0; }
constexpr const char* kOddText = "is not an odd kernel";
constexpr const char* kDwText = "is not 0 (none) or an odd kernel";
constexpr const char* kWidthText = "is not a multiple of 8 (timm rounds every width to 8)";

std::vector<int> widths(Reader& r, const json& j, const std::string& path) {
  return r.int_list(j, path, 8, kMaxWidth, multiple_of_8, kWidthText);
}

std::optional<AttentionOptions> read_attention(Reader& r, const json& j, const std::string& path) {
  if (!r.object(j, path, "an mqa entry", {"type", "count", "heads", "key_dim", "kv_stride", "kv_kernel", "placement"}))
    return std::nullopt;
  AttentionOptions a;
  a.path = path;
  if (const json* v = r.required(j, "count", path, "how many MQA blocks may stand in the stage, e.g. [0, 2, 4]")) {
    a.counts = r.int_list(*v, path + "/count", 0, kMaxDepth - 1);
    if (!std::is_sorted(a.counts.begin(), a.counts.end())) r.error(path + "/count", "must be in ascending order");
  }
  if (const json* v = r.required(j, "heads", path, "query heads, e.g. [4, 8]")) a.heads = r.int_list(*v, path + "/heads", 1, 64);
  if (const json* v = r.required(j, "key_dim", path, "key and value dim, e.g. [48, 64]"))
    a.key_dims = r.int_list(*v, path + "/key_dim", 1, 1024);
  if (const json* v = r.required(j, "kv_stride", path, "K/V down-sampling stride, e.g. [1, 2]"))
    a.kv_strides = r.int_list(*v, path + "/kv_stride", 1, 8);
  if (j.contains("kv_kernel")) {
    const auto k = r.integer(j["kv_kernel"], path + "/kv_kernel", 1, kMaxKernel);
    if (k && !odd(*k)) r.error(path + "/kv_kernel", std::to_string(*k) + " " + kOddText);
    if (k) a.kv_kernel = *k;
  }
  if (j.contains("placement")) {
    const auto p = r.string(j["placement"], path + "/placement");
    if (p && *p != "before_last_blocks")
      r.error(path + "/placement", "unknown placement '" + common::excerpt(*p) + "' (the one supported: before_last_blocks)");
  }
  return a;
}

std::optional<BlockOptions> read_block(Reader& r, const json& j, const std::string& path, const std::string& type) {
  BlockOptions b;
  b.path = path;
  std::vector<std::string> known = {"type", "position", "widths"};
  if (type == "cn") {
    b.type = arch_defs::BlockType::ConvBnAct;
    known.push_back("kernel");
  } else if (type == "er") {
    b.type = arch_defs::BlockType::FusedIB;
    known.insert(known.end(), {"kernel", "expansion"});
  } else {
    b.type = arch_defs::BlockType::UIB;
    known.insert(known.end(), {"start_dw", "middle_dw", "expansion"});
  }
  if (!r.object(j, path, "a " + type + " entry", known)) return std::nullopt;
  if (j.contains("position")) {
    const auto p = r.string(j["position"], path + "/position");
    if (p == "first") b.position = Position::First;
    else if (p == "rest") b.position = Position::Rest;
    else if (p && *p != "any") r.error(path + "/position", "unknown position '" + common::excerpt(*p) + "' (expected any, first or rest)");
  }
  if (b.type != arch_defs::BlockType::UIB) {
    if (const json* v = r.required(j, "kernel", path, "conv kernel choices, e.g. [3, 5]"))
      b.kernels = r.int_list(*v, path + "/kernel", 1, kMaxKernel, odd, kOddText);
  } else {
    if (const json* v = r.required(j, "start_dw", path, "start depthwise kernel choices, 0 = none, e.g. [0, 3, 5]"))
      b.start_dw = r.int_list(*v, path + "/start_dw", 0, kMaxKernel, none_or_odd, kDwText);
    if (const json* v = r.required(j, "middle_dw", path, "middle depthwise kernel choices, 0 = none, e.g. [0, 3, 5]"))
      b.middle_dw = r.int_list(*v, path + "/middle_dw", 0, kMaxKernel, none_or_odd, kDwText);
  }
  if (b.type != arch_defs::BlockType::ConvBnAct)
    if (const json* v = r.required(j, "expansion", path, "expansion choices, e.g. [2, 4, 6]"))
      b.expansions = r.expansion_list(*v, path + "/expansion");
  if (j.contains("widths")) b.widths = widths(r, j["widths"], path + "/widths");
  return b;
}

// Rules between the entries of one stage: where each may stand, and what the first block must be.
void check_stage_rules(Reader& r, const StageSpec& s) {
  for (size_t i = 0; i < s.blocks.size(); ++i) {
    const BlockOptions& b = s.blocks[i];
    if (!b.widths.empty() && b.position != Position::First)
      r.error(b.path + "/widths", "only an entry with \"position\": \"first\" may have its own widths");
    else if (!b.widths.empty() && s.min_depth < 2)
      r.error(b.path + "/widths", "a first block with its own widths needs depth.min >= 2, so that the stage width is used");
    if (b.position == Position::Rest && s.max_depth < 2)
      r.error(b.path + "/position", "a \"rest\" entry can never stand in a stage whose depth.max is 1");
    if (s.stride == 2 && b.type == arch_defs::BlockType::UIB && b.applies_to(0) &&
        std::find(b.middle_dw.begin(), b.middle_dw.end(), 0) != b.middle_dw.end())
      r.error(b.path + "/middle_dw", "the first block of a strided stage has a middle depthwise conv, so 0 is not "
                                     "allowed here (give the blocks after the first \"position\": \"rest\")");
    for (size_t k = 0; k < i; ++k) {
      const BlockOptions& other = s.blocks[k];
      const bool overlap = other.type == b.type && (b.position == Position::Any || other.position == Position::Any ||
                                                    b.position == other.position);
      if (overlap)
        r.error(b.path, std::string("a second ") + arch_defs::block_type_token(b.type) + " entry that can stand where " + other.path +
                            " stands; merge their choices or give them positions first and rest");
    }
  }
  auto covered = [&](int slot) {
    return std::any_of(s.blocks.begin(), s.blocks.end(), [&](const BlockOptions& b) { return b.applies_to(slot); });
  };
  if (!s.blocks.empty() && !covered(0))
    r.error(s.path + "/blocks", "no entry can stand at the first position (add one with \"position\": \"first\" or \"any\")");
  if (!s.blocks.empty() && s.max_depth >= 2 && !covered(1))
    r.error(s.path + "/blocks", "no entry can stand after the first position (add one with \"position\": \"rest\" or \"any\")");
  if (s.attention && !s.attention->counts.empty() && s.attention->counts.back() > s.min_depth - 1)
    r.error(s.attention->path + "/count", std::to_string(s.attention->counts.back()) + " MQA blocks need " +
                                              std::to_string(s.attention->counts.back() + 1) +
                                              " blocks in the stage (none before the first), but depth.min is " +
                                              std::to_string(s.min_depth));
}

std::optional<StageSpec> read_stage(Reader& r, const json& j, const std::string& path) {
  if (!r.object(j, path, "a stage", {"stride", "depth", "widths", "blocks"})) return std::nullopt;
  StageSpec s;
  s.path = path;
  bool depth_ok = false;
  if (const json* v = r.required(j, "stride", path, "1 or 2")) {
    const auto st = r.integer(*v, path + "/stride", 1, 2);
    if (st) s.stride = *st;
  }
  if (const json* d = r.required(j, "depth", path, "{\"min\": M, \"max\": N}, blocks in the stage without MQA")) {
    if (r.object(*d, path + "/depth", "depth", {"min", "max"})) {
      const json* lo = r.required(*d, "min", path + "/depth", "the fewest blocks");
      const json* hi = r.required(*d, "max", path + "/depth", "the most blocks");
      const int min = lo ? r.integer(*lo, path + "/depth/min", 1, kMaxDepth).value_or(0) : 0;
      const int max = hi ? r.integer(*hi, path + "/depth/max", 1, kMaxDepth).value_or(0) : 0;
      if (min > 0 && max > 0 && min > max)
        r.error(path + "/depth", "min " + std::to_string(min) + " is larger than max " + std::to_string(max));
      else if (min > 0 && max > 0)
        s.min_depth = min, s.max_depth = max, depth_ok = true;
    }
  }
  if (const json* v = r.required(j, "widths", path, "output width choices, e.g. [64, 80, 96]"))
    s.widths = widths(r, *v, path + "/widths");
  const json* blocks = r.required(j, "blocks", path, "the block entries that may stand in the stage");
  if (blocks && (!blocks->is_array() || blocks->empty())) {
    r.error(path + "/blocks", "expected a non-empty list of block entries, got " + common::excerpt(blocks->dump()));
    blocks = nullptr;
  } else if (blocks && blocks->size() > kMaxChoices) {
    r.error(path + "/blocks", std::to_string(blocks->size()) + " block entries, more than the " +
                                  std::to_string(kMaxChoices) + " allowed");
    blocks = nullptr;
  }
  const size_t errors_before = r.errors().size();
  for (size_t i = 0; blocks && i < blocks->size(); ++i) {
    const json& e = (*blocks)[i];
    const std::string epath = path + "/blocks/" + std::to_string(i);
    if (!e.is_object() || !e.contains("type")) {
      r.error(e.is_object() ? epath + "/type" : epath,
              e.is_object() ? "missing (cn, er, uir or mqa)" : "a block entry must be a JSON object, got " + e.dump());
      continue;
    }
    const auto type = r.string(e["type"], epath + "/type");
    if (!type) continue;
    if (*type == "mqa") {
      if (s.attention) r.error(epath, "a second mqa entry in the stage (one is allowed)");
      else s.attention = read_attention(r, e, epath);
    } else if (*type == "cn" || *type == "er" || *type == "uir") {
      if (auto b = read_block(r, e, epath, *type)) s.blocks.push_back(std::move(*b));
    } else {
      r.error(epath + "/type", "unknown block type '" + common::excerpt(*type) + "' (expected cn, er, uir or mqa)");
    }
  }
  if (blocks && s.blocks.empty() && static_cast<size_t>(s.attention.has_value()) == blocks->size())
    r.error(path + "/blocks", "needs a cn, er or uir entry; mqa blocks only stand between them");
  // Rules between entries only make sense once every entry and the depth read cleanly.
  if (depth_ok && blocks && r.errors().size() == errors_before) check_stage_rules(r, s);
  return s;
}

}  // namespace

SpaceFormatError::SpaceFormatError(std::vector<std::string> errors)
    : common::InputError([&] {
        std::string all;
        for (const auto& e : errors) all += (all.empty() ? "" : "; ") + e;
        return all;
      }()),
      errors_(std::move(errors)) {}

SpaceSpec read_space_spec(const json& j, const std::string& source) {
  Reader r(source);
  SpaceSpec sp;
  sp.source = source;
  if (!r.object(j, "", "a search space", {"format", "version", "id", "description", "resolutions", "act",
                                          "layer_scale", "stem", "head", "stages"}))
    throw SpaceFormatError(std::move(r.errors()));
  if (const json* f = r.required(j, "format", "", std::string("\"") + kSpaceFormatName + "\"; is this a search-space file?")) {
    if (*f != kSpaceFormatName)
      r.error("/format", common::excerpt(f->dump()) + " is not \"" + kSpaceFormatName + "\"");
  }
  if (const json* v = r.required(j, "version", "", "the format version, 1")) {
    if (const auto version = r.integer(*v, "/version", 0, 1 << 30); version && *version != kSpaceFormatVersion)
      r.error("/version", "version " + std::to_string(*version) + " is not supported (this uibnas reads version " +
                              std::to_string(kSpaceFormatVersion) + ")");
  }
  if (const json* v = r.required(j, "id", "", "a short name such as \"conv-m\", the prefix of candidate encodings")) {
    const auto id = r.string(*v, "/id");
    static const std::regex id_pattern("[a-z0-9][a-z0-9-]{0,39}");
    if (id && !std::regex_match(*id, id_pattern))
      r.error("/id", "'" + common::excerpt(*id) + "' must be 1 to 40 characters of a-z, 0-9 and '-', starting with a letter or digit");
    else if (id)
      sp.id = *id;
  }
  if (j.contains("description")) sp.description = r.string(j["description"], "/description").value_or("");
  if (const json* v = r.required(j, "resolutions", "", "input sizes in pixels, e.g. [224, 256]"))
    sp.resolutions = r.int_list(*v, "/resolutions", 32, 2048);
  if (j.contains("act")) {
    const auto act = r.string(j["act"], "/act");
    if (act == "relu") sp.act = arch_defs::Activation::ReLU;
    else if (act == "relu6") sp.act = arch_defs::Activation::ReLU6;
    else if (act == "gelu") sp.act = arch_defs::Activation::GELU;
    else if (act == "hard_swish") sp.act = arch_defs::Activation::HardSwish;
    else if (act) r.error("/act", "unknown activation '" + common::excerpt(*act) + "' (expected relu, relu6, gelu or hard_swish)");
  }
  if (j.contains("layer_scale") && !j["layer_scale"].is_null()) {
    const json& ls = j["layer_scale"];
    if (!ls.is_number() || !(ls.get<double>() > 0 && ls.get<double>() <= 1))
      r.error("/layer_scale", common::excerpt(ls.dump()) + " is not null or a number in (0, 1] (the layer-scale init value)");
    else
      sp.layer_scale = ls.get<double>();
  }
  if (const json* stem = r.required(j, "stem", "", "{\"kernel\": 3, \"widths\": [...]}")) {
    if (r.object(*stem, "/stem", "the stem", {"kernel", "widths"})) {
      if (stem->contains("kernel"))
        if (const auto k = r.integer((*stem)["kernel"], "/stem/kernel", 1, kMaxKernel); k && *k != 3)
          r.error("/stem/kernel", std::to_string(*k) + " is not 3 (the MNv4 stem is a fixed 3x3 stride-2 conv)");
      if (const json* w = r.required(*stem, "widths", "/stem", "stem width choices, e.g. [24, 32]"))
        sp.stem_widths = widths(r, *w, "/stem/widths");
    }
  }
  if (j.contains("head") && r.object(j["head"], "/head", "the head", {"features", "hidden", "num_classes"})) {
    const json& h = j["head"];
    if (h.contains("features")) {
      const auto f = r.integer(h["features"], "/head/features", 8, kMaxWidth);
      if (f && !multiple_of_8(*f)) r.error("/head/features", std::to_string(*f) + " " + kWidthText);
      else if (f) sp.head_features = *f;
    }
    if (h.contains("hidden")) sp.head_hidden = r.integer(h["hidden"], "/head/hidden", 1, 65536).value_or(sp.head_hidden);
    if (h.contains("num_classes"))
      sp.num_classes = r.integer(h["num_classes"], "/head/num_classes", 1, 1000000).value_or(sp.num_classes);
  }
  if (const json* stages = r.required(j, "stages", "", "the block stages between the stem and the head")) {
    if (!stages->is_array() || stages->empty() || stages->size() > kMaxStages)
      r.error("/stages", "expected a list of 1 to " + std::to_string(kMaxStages) + " stages, got " +
                             (stages->is_array() ? std::to_string(stages->size()) + " stages" : common::excerpt(stages->dump())));
    else
      for (size_t i = 0; i < stages->size(); ++i)
        if (auto s = read_stage(r, (*stages)[i], "/stages/" + std::to_string(i))) sp.stages.push_back(std::move(*s));
  }
  if (!r.errors().empty()) throw SpaceFormatError(std::move(r.errors()));
  return sp;
}

SpaceSpec load_space_spec(const std::string& path) {
  return read_space_spec(common::read_json_file(path, "search space file"), path);
}

}  // namespace uibnas::searchspace
