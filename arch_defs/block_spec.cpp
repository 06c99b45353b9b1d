#include "arch_defs/block_spec.hpp"

#include <charconv>
#include <cmath>
#include <map>
#include <vector>

#include "arch_defs/limits.hpp"
#include "common/error.hpp"
#include "common/user_text.hpp"

namespace uibnas::arch_defs {
namespace {

using limits::kMaxBlockChannels;
using limits::kMaxExpansion;
using limits::kMaxHeadDim;
using limits::kMaxHeads;
using limits::kMaxKernel;
using limits::kMaxKvStride;
using limits::kMaxRepeat;

[[noreturn]] void fail(std::string_view text, const std::string& why) {
  throw common::InputError("block '" + common::excerpt(text) + "': " + why);
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == sep) {
      out.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return out;
}

int parse_int(std::string_view text, std::string_view key, std::string_view value, int lo, int hi,
              const char* what) {
  int v = 0;
  auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
  if (ec != std::errc() || ptr != value.data() + value.size())
    fail(text, std::string(what) + " '" + common::excerpt(std::string(key) + std::string(value)) + "' is not an integer");
  if (v < lo || v > hi)
    fail(text, std::string(what) + " must be in [" + std::to_string(lo) + ", " + std::to_string(hi) +
                   "], got " + std::string(key) + common::excerpt(value));
  return v;
}

double parse_expansion(std::string_view text, std::string_view value) {
  double v = 0;
  auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
  if (ec != std::errc() || ptr != value.data() + value.size() || !std::isfinite(v))
    fail(text, "expansion 'e" + common::excerpt(value) + "' is not a number");
  if (!(v > 0) || v > kMaxExpansion)
    fail(text, "expansion must be in (0, " + format_number(kMaxExpansion) + "], got e" + common::excerpt(value));
  return v;
}

double parse_se_ratio(std::string_view text, std::string_view value) {
  double v = 0;
  auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
  if (ec != std::errc() || ptr != value.data() + value.size() || !(v > 0) || v > 1)
    fail(text, "squeeze-excite ratio must be a number in (0, 1], got se" + common::excerpt(value));
  return v;
}

// timm's per-block activation tokens (baselines-spec.md §1).
std::optional<Activation> activation_token(std::string_view tok) {
  if (tok == "nre") return Activation::ReLU;
  if (tok == "nr6") return Activation::ReLU6;
  if (tok == "nhs") return Activation::HardSwish;
  if (tok == "nsw") return Activation::SiLU;
  return std::nullopt;
}

const char* activation_token_of(Activation a) {
  switch (a) {
    case Activation::ReLU: return "nre";
    case Activation::ReLU6: return "nr6";
    case Activation::HardSwish: return "nhs";
    case Activation::SiLU: return "nsw";
    default: return "?";
  }
}

constexpr BlockType kBlockTypes[] = {BlockType::ConvBnAct,          BlockType::FusedIB,
                                     BlockType::UIB,                BlockType::MQA,
                                     BlockType::DepthwiseSeparable, BlockType::DepthwiseSeparableAct,
                                     BlockType::InvertedResidual};

// What every block type needs, and which values it can take.
void check_structure(std::string_view text, const BlockSpec& spec, const std::map<std::string, std::string_view>& seen) {
  if (!seen.count("r")) fail(text, "missing repeat count (r)");
  if (!seen.count("s")) fail(text, "missing stride (s)");
  if (spec.stride < 1 || spec.stride > limits::kMaxStride) fail(text, "stride must be 1 or 2, got s" + std::to_string(spec.stride));
  if (!seen.count("c")) fail(text, "missing output channels (c)");
  if (!seen.count("k")) fail(text, "missing kernel (k)");
  auto odd = [](int k) { return k % 2 == 1; };
  const bool is_uib = spec.type == BlockType::UIB;
  if (!is_uib && spec.start_kernel) fail(text, "start depthwise kernel (a) is only for uir blocks");
  if (!is_uib && spec.end_kernel) fail(text, "end depthwise kernel (p) is only for uir blocks");
  if (spec.type != BlockType::MQA && (spec.heads || spec.head_dim || spec.kv_stride))
    fail(text, "heads (h), key/value dim (d) and K/V stride (v) are only for mqa blocks");
  switch (spec.type) {
    case BlockType::ConvBnAct:
    case BlockType::FusedIB:
      if (!odd(spec.kernel)) fail(text, "conv kernel must be odd, got k" + std::to_string(spec.kernel));
      if (spec.type == BlockType::FusedIB && !spec.expansion) fail(text, "missing expansion (e)");
      break;
    case BlockType::UIB:
      if (!spec.expansion) fail(text, "missing expansion (e)");
      if (spec.kernel != 0 && !odd(spec.kernel))
        fail(text, "middle depthwise kernel must be 0 (none) or odd, got k" + std::to_string(spec.kernel));
      if (spec.start_dw() != 0 && !odd(spec.start_dw()))
        fail(text, "start depthwise kernel must be 0 (none) or odd, got a" + std::to_string(spec.start_dw()));
      if (spec.end_dw() != 0 && !odd(spec.end_dw()))
        fail(text, "end depthwise kernel must be 0 (none) or odd, got p" + std::to_string(spec.end_dw()));
      if (spec.stride == 2 && spec.kernel == 0 && spec.start_dw() == 0 && spec.end_dw() == 0)
        fail(text, "a stride-2 uir block needs a depthwise conv to carry the stride (a, k or p > 0)");
      break;
    case BlockType::MQA:
      if (!odd(spec.kernel)) fail(text, "K/V down-sampling kernel must be odd, got k" + std::to_string(spec.kernel));
      if (!spec.heads) fail(text, "missing number of heads (h)");
      if (!spec.head_dim) fail(text, "missing key/value dim (d)");
      break;
    case BlockType::DepthwiseSeparable:
    case BlockType::DepthwiseSeparableAct:
    case BlockType::InvertedResidual:
      if (!odd(spec.kernel)) fail(text, "depthwise kernel must be odd, got k" + std::to_string(spec.kernel));
      if (spec.type == BlockType::InvertedResidual && !spec.expansion) fail(text, "missing expansion (e)");
      break;
  }
  const bool baseline_kind = spec.type == BlockType::DepthwiseSeparable ||
                             spec.type == BlockType::DepthwiseSeparableAct || spec.type == BlockType::InvertedResidual;
  if (spec.se_ratio && !baseline_kind) fail(text, "squeeze-excite (se) is only supported on ds, dsa and ir blocks");
  if (spec.act && spec.type == BlockType::MQA) fail(text, "an mqa block has no activation to override");
  if (spec.type != BlockType::ConvBnAct && spec.skip == true)
    fail(text, "'skip' only applies to cn blocks; other blocks add the residual by themselves");
}

}  // namespace

const char* block_type_token(BlockType t) {
  switch (t) {
    case BlockType::ConvBnAct: return "cn";
    case BlockType::FusedIB: return "er";
    case BlockType::UIB: return "uir";
    case BlockType::MQA: return "mqa";
    case BlockType::DepthwiseSeparable: return "ds";
    case BlockType::DepthwiseSeparableAct: return "dsa";
    case BlockType::InvertedResidual: return "ir";
  }
  return "?";
}

const char* uib_kind_name(int start_kernel, int mid_kernel) {
  if (start_kernel > 0) return mid_kernel > 0 ? "ExtraDW" : "ConvNeXt";
  return mid_kernel > 0 ? "IB" : "FFN";
}

std::string format_number(double v) {
  char buf[64];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, ptr) : std::to_string(v);
}

BlockSpec parse_block_string(std::string_view text) {
  if (text.empty()) fail(text, "empty block string");
  for (char ch : text)
    if (static_cast<unsigned char>(ch) < 0x21 || static_cast<unsigned char>(ch) > 0x7e)
      fail(text, "contains a space or a non-printable character");
  auto tokens = split(text, '_');
  BlockSpec spec;
  const std::string_view type = tokens[0];
  bool known_type = false;
  for (BlockType t : kBlockTypes)
    if (type == block_type_token(t)) {
      spec.type = t;
      known_type = true;
    }
  if (!known_type) {
    if (type == "mha" || type == "cna") fail(text, "block type '" + common::excerpt(type) + "' is timm's but not supported");
    fail(text, "unknown block type '" + common::excerpt(type) + "' (expected cn, er, uir, mqa, ds, dsa or ir)");
  }

  std::map<std::string, std::string_view> seen;
  for (size_t i = 1; i < tokens.size(); ++i) {
    std::string_view tok = tokens[i];
    if (tok.empty()) fail(text, "empty option (two '_' in a row or a trailing '_')");
    if (const auto act = activation_token(tok)) {
      if (spec.act) fail(text, "two activation overrides ('" + common::excerpt(tok) + "')");
      spec.act = *act;
      continue;
    }
    if (tok == "nmi") fail(text, "the mish override 'nmi' is not supported (relu, relu6, hard_swish and silu are)");
    if (tok == "skip" || tok == "noskip") {
      if (spec.skip) fail(text, "'skip'/'noskip' given twice");
      spec.skip = (tok == "skip");
      continue;
    }
    size_t digit = 0;
    while (digit < tok.size() && !(tok[digit] >= '0' && tok[digit] <= '9')) ++digit;
    std::string key(tok.substr(0, digit));
    std::string_view value = tok.substr(digit);
    if (value.empty()) fail(text, "option '" + common::excerpt(tok) + "' has no value");
    if (key.empty()) fail(text, "option '" + common::excerpt(tok) + "' has no key");
    if (!seen.emplace(key, value).second) fail(text, "option '" + common::excerpt(key) + "' given twice");
    if (key == "r") spec.repeat = parse_int(text, key, value, 1, kMaxRepeat, "repeat");
    else if (key == "k") spec.kernel = parse_int(text, key, value, 0, kMaxKernel, "kernel");
    else if (key == "a") spec.start_kernel = parse_int(text, key, value, 0, kMaxKernel, "start depthwise kernel");
    else if (key == "p") spec.end_kernel = parse_int(text, key, value, 0, kMaxKernel, "end depthwise kernel");
    else if (key == "s") spec.stride = parse_int(text, key, value, 0, 1000, "stride");
    else if (key == "e") spec.expansion = parse_expansion(text, value);
    else if (key == "se") spec.se_ratio = parse_se_ratio(text, value);
    else if (key == "c") spec.out_channels = parse_int(text, key, value, 1, kMaxBlockChannels, "output channels");
    else if (key == "h") spec.heads = parse_int(text, key, value, 1, kMaxHeads, "heads");
    else if (key == "d") spec.head_dim = parse_int(text, key, value, 1, kMaxHeadDim, "key/value dim");
    else if (key == "v") spec.kv_stride = parse_int(text, key, value, 1, kMaxKvStride, "K/V stride");
    else fail(text, "unknown option '" + common::excerpt(key) + "' in '" + common::excerpt(tok) + "'");
  }

  check_structure(text, spec, seen);
  return spec;
}

std::string to_block_string(const BlockSpec& spec) {
  std::string s = block_type_token(spec.type);
  auto add = [&](const char* key, long long v) { s += "_"; s += key; s += std::to_string(v); };
  add("r", spec.repeat);
  if (spec.start_kernel) add("a", *spec.start_kernel);
  add("k", spec.kernel);
  if (spec.end_kernel) add("p", *spec.end_kernel);
  if (spec.heads) add("h", *spec.heads);
  add("s", spec.stride);
  if (spec.kv_stride) add("v", *spec.kv_stride);
  if (spec.head_dim) add("d", *spec.head_dim);
  if (spec.expansion) s += "_e" + format_number(*spec.expansion);
  add("c", spec.out_channels);
  if (spec.se_ratio) s += "_se" + format_number(*spec.se_ratio);
  if (spec.act) s += std::string("_") + activation_token_of(*spec.act);
  if (spec.skip) s += *spec.skip ? "_skip" : "_noskip";
  return s;
}

}  // namespace uibnas::arch_defs
