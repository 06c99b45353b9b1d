// A whole network as data: the JSON form of one entry of ../shared/reference/mnv4_archs.json plus a
// "name". Reading and writing are exact inverses for every field uibnas knows.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "arch_defs/block_spec.hpp"

namespace uibnas::arch_defs {

enum class Activation { ReLU, ReLU6, GELU, HardSwish };
enum class AntiAlias { None, Avg, BlurPC };  // timm aa_layer: none, 'avg', 'blurpc'

const char* activation_name(Activation a);  // "relu", "relu6", "gelu", "hard_swish"
const char* anti_alias_name(AntiAlias a);   // "none", "avg", "blurpc"

struct Architecture {
  std::string name;
  std::string family = "mobilenetv4";  // for listing: mobilenetv4, mobilenetv3, efficientnet, ...
  int stem_channels = 32;
  Activation act = Activation::ReLU;
  std::optional<double> layer_scale;  // init value; present = LayerScale on every uir/mqa block
  double channel_multiplier = 1.0;
  AntiAlias aa = AntiAlias::None;
  int head_hidden = 1280;
  int num_classes = 1000;
  int input_size = 224;
  std::optional<int> test_input_size;
  std::vector<std::vector<BlockSpec>> stages;
  std::optional<long long> published_params;   // "params"
  std::map<int, double> timm_top1;             // resolution -> top-1
  nlohmann::json paper;                        // the paper's Table 6 row, kept as given (null if absent)

  bool operator==(const Architecture&) const = default;
};

// Reads the JSON form. `source` (a file name) prefixes every error, followed by the JSON path or the
// stage and block: "x.json: stage 2, block 3 'uir_...': start depthwise kernel must be 0 (none) or odd".
Architecture architecture_from_json(const nlohmann::json& j, const std::string& source);
nlohmann::json architecture_to_json(const Architecture& arch);

// Reads a file holding one architecture object; errors name the file.
Architecture load_architecture_file(const std::string& path);

// timm's make_divisible(v, 8, round_limit=0.9): channel rounding used for every width.
int make_divisible(double v, int divisor = 8);

}  // namespace uibnas::arch_defs
