// A whole network as data: the JSON form of one entry of ../shared/reference/mnv4_archs.json plus a
// "name", and the fields the baselines need (family, head, se). Reading and writing are exact
// inverses for every field uibnas knows.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "arch_defs/activation.hpp"
#include "arch_defs/block_spec.hpp"

namespace uibnas::arch_defs {

enum class AntiAlias { None, Avg, BlurPC };  // timm aa_layer: none, 'avg', 'blurpc'

const char* anti_alias_name(AntiAlias a);   // "none", "avg", "blurpc"

// Where the classifier's input comes from (baselines-spec.md §3):
//   PoolConvNormAct  global pool -> conv_head 1x1 -> norm_head BN + act   (MobileNet-V4)
//   PoolConvBiasAct  global pool -> conv_head 1x1 with bias -> act, no BN  (MobileNet-V3)
//   ConvNormActPool  conv_head 1x1 -> bn2 BN + act -> global pool          (EfficientNet, MobileNet-V2)
//   Pool             global pool only; the classifier reads the last stage (MobileNet-V1)
enum class HeadStyle { PoolConvNormAct, PoolConvBiasAct, ConvNormActPool, Pool };

// "pool_conv_bn_act", "pool_conv_bias_act", "conv_bn_act_pool", "pool"
const char* head_style_name(HeadStyle h);

// How the squeeze-excite modules of a network are sized and activated (baselines-spec.md §2.4).
// The SE sees C channels (mid for ir, in for ds/dsa); its reduced width is rounding(C * ratio'),
// where ratio' = ratio with from_expansion, ratio / e otherwise (timm's se_from_exp).
struct SqueezeExciteStyle {
  bool from_expansion = true;
  bool round_to_divisor = true;       // make_divisible(v, 8); false: Python round(v), half to even
  std::optional<Activation> act;      // fixed activation inside the SE; absent: the block's own
  Activation gate = Activation::HardSigmoid;

  bool operator==(const SqueezeExciteStyle&) const = default;
};

struct Architecture {
  std::string name;
  std::string family = "mobilenetv4";  // for listing: mobilenetv4, mobilenetv3, efficientnet, ...
  int stem_channels = 32;
  Activation act = Activation::ReLU;
  std::optional<double> layer_scale;  // init value; present = LayerScale on every uir/mqa block
  double channel_multiplier = 1.0;
  AntiAlias aa = AntiAlias::None;
  HeadStyle head = HeadStyle::PoolConvNormAct;
  int head_hidden = 1280;               // conv_head width; the last stage's width with HeadStyle::Pool
  std::optional<SqueezeExciteStyle> se; // required when a block has se<ratio>
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

// Reads a file holding one architecture object, in the form above or as a reference description
// (timm_description.hpp: an object with "timm_class"); errors name the file.
Architecture load_architecture_file(const std::string& path);

// timm's make_divisible(v, 8, round_limit=0.9): channel rounding used for every width.
int make_divisible(double v, int divisor = 8);

// The SE reduced width for an SE seeing `channels` in a block of expansion `expansion` (1 for ds).
int se_reduced_channels(const SqueezeExciteStyle& style, double ratio, int channels, double expansion);

}  // namespace uibnas::arch_defs
