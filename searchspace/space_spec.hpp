// The search-space description as written in a space file (searchspace/spaces/*.json, format version 1):
// what may vary in a MobileNet-V4 network. Reading it validates every field and reports every error
// with its JSON path; docs/search-spaces.md documents each key.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "arch_defs/architecture.hpp"
#include "common/error.hpp"

namespace uibnas::searchspace {

constexpr int kSpaceFormatVersion = 1;
constexpr const char* kSpaceFormatName = "uibnas-search-space";

// Where a block entry may stand inside its stage: any slot, only the first (strided) one, or the others.
enum class Position { Any, First, Rest };

// One entry of a stage's "blocks" list: a cn, er or uir block with its choice lists.
struct BlockOptions {
  arch_defs::BlockType type = arch_defs::BlockType::UIB;
  Position position = Position::Any;
  std::vector<int> kernels;        // cn, er: the conv kernel
  std::vector<int> start_dw;       // uir: start depthwise kernel, 0 = none
  std::vector<int> middle_dw;      // uir: middle depthwise kernel, 0 = none
  std::vector<double> expansions;  // er, uir: mid = make_divisible(in * e)
  std::vector<int> widths;         // only with position First: the block's own output width (else the stage's)
  std::string path;                // JSON path of the entry, for messages

  bool applies_to(int slot) const {
    return position == Position::Any || (position == Position::First) == (slot == 0);
  }
};

// The stage's "mqa" entry: `count` Mobile-MQA blocks stand one before each of the last `count` blocks of
// the stage (the MNv4 hybrid layout); heads, key/value dim and K/V stride are one choice per stage.
struct AttentionOptions {
  std::vector<int> counts;  // ascending; 0 allows a stage without attention
  std::vector<int> heads;
  std::vector<int> key_dims;
  std::vector<int> kv_strides;
  int kv_kernel = 3;        // the K/V down-sampling depthwise kernel
  std::string path;
};

struct StageSpec {
  int stride = 2;
  int min_depth = 1, max_depth = 1;  // blocks in the stage, MQA blocks not counted
  std::vector<int> widths;
  std::vector<BlockOptions> blocks;
  std::optional<AttentionOptions> attention;
  std::string path;
};

struct SpaceSpec {
  int version = kSpaceFormatVersion;
  std::string id;           // [a-z0-9-]+, the prefix of every candidate encoding
  std::string description;
  std::string source;       // the file it was read from ("" when read from memory)
  std::vector<int> resolutions;
  int stem_kernel = 3;
  std::vector<int> stem_widths;
  arch_defs::Activation act = arch_defs::Activation::ReLU;
  std::optional<double> layer_scale;
  int head_features = 960;  // the fixed last stage: cn 1x1 to this width
  int head_hidden = 1280;
  int num_classes = 1000;
  std::vector<StageSpec> stages;
};

// All validation errors of one space file, each "FILE: /json/path: reason". what() joins them with "; ".
class SpaceFormatError : public common::InputError {
 public:
  explicit SpaceFormatError(std::vector<std::string> errors);
  const std::vector<std::string>& errors() const { return errors_; }

 private:
  std::vector<std::string> errors_;
};

// Validates and reads a space description; `source` prefixes every message. Throws SpaceFormatError.
SpaceSpec read_space_spec(const nlohmann::json& j, const std::string& source);
SpaceSpec load_space_spec(const std::string& path);

}  // namespace uibnas::searchspace
