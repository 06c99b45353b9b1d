// An architecture expanded the way timm's EfficientNetBuilder expands it: repeats unrolled, the stage
// stride rule applied, channels scaled and rounded, residuals decided. Every later part (operators,
// runtime, search) works from this, never from the strings again.
#pragma once
#include <string>
#include <vector>

#include "arch_defs/architecture.hpp"

namespace uibnas::arch_defs {

struct LayerConfig {
  std::string name;        // timm module name: "blocks.2.3"
  int stage = 0, index = 0;
  BlockType type = BlockType::UIB;
  BlockSpec spec;          // the block it came from (block string: source())
  int in_channels = 0, out_channels = 0;
  int mid_channels = 0;    // er/uir/ir: make_divisible(in * e); mqa: heads * key_dim (query width)
  int kernel = 0;          // cn/er conv kernel, uir middle DW (0 = none), mqa K/V down-conv kernel
  int start_kernel = 0;    // uir dw_start (0 = none)
  int end_kernel = 0;      // uir dw_end (0 = none)
  int stride = 1;
  int heads = 0, key_dim = 0, value_dim = 0, kv_stride = 1;  // mqa
  bool residual = false;
  bool layer_scale = false;
  Activation act = Activation::ReLU;  // the block's activation: its override, else the network's
  int se_channels = 0;                // squeeze-excite reduced width (0 = no SE)
  Activation se_act = Activation::ReLU, se_gate = Activation::HardSigmoid;  // meaningful with an SE

  // The block string it came from; made on demand, since search builds networks by the hundred
  // thousand and rarely prints one.
  std::string source() const { return to_block_string(spec); }
};

struct Network {
  std::string name;
  Activation act = Activation::ReLU;
  AntiAlias aa = AntiAlias::None;
  double layer_scale_init = 0;   // only meaningful where LayerConfig::layer_scale
  int in_channels = 3;
  int stem_channels = 0;
  int num_features = 0;          // channels out of the last stage
  HeadStyle head = HeadStyle::PoolConvNormAct;
  int head_hidden = 0;           // conv_head width; num_features with HeadStyle::Pool
  int num_classes = 0;
  int default_resolution = 224;
  std::vector<LayerConfig> blocks;
  std::vector<int> stage_ends;   // blocks[stage_ends[s]-1] is the last block of stage s
};

// Throws InputError with "stage S, block B 'STR': reason" for combinations that cannot be built.
Network build_network(const Architecture& arch);

}  // namespace uibnas::arch_defs
