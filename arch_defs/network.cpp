#include "arch_defs/network.hpp"

#include <algorithm>

#include "common/error.hpp"

namespace uibnas::arch_defs {
namespace {

// The SE sees the depthwise output: mid channels in ir, input channels in ds/dsa (which do not expand).
void add_squeeze_excite(LayerConfig& l, const SqueezeExciteStyle& style, double ratio) {
  const bool ir = l.type == BlockType::InvertedResidual;
  l.se_channels = se_reduced_channels(style, ratio, ir ? l.mid_channels : l.in_channels, ir ? *l.spec.expansion : 1.0);
  l.se_act = style.act.value_or(l.act);
  l.se_gate = style.gate;
}

}  // namespace

Network build_network(const Architecture& arch) {
  Network net;
  net.name = arch.name;
  net.act = arch.act;
  net.aa = arch.aa;
  net.layer_scale_init = arch.layer_scale.value_or(0.0);
  net.head = arch.head;
  net.head_hidden = arch.head_hidden;
  net.num_classes = arch.num_classes;
  net.default_resolution = arch.input_size;
  const double mult = arch.channel_multiplier;
  // timm keeps the stem unscaled below 1.0 (fix_stem) and rounds it otherwise.
  net.stem_channels = mult < 1.0 ? arch.stem_channels : make_divisible(arch.stem_channels * mult);

  int in = net.stem_channels;
  size_t layers = 0;
  for (const auto& stage : arch.stages)
    for (const BlockSpec& spec : stage) layers += size_t(std::max(spec.repeat, 0));
  net.blocks.reserve(layers);
  for (size_t s = 0; s < arch.stages.size(); ++s) {
    int index = 0;
    for (size_t b = 0; b < arch.stages[s].size(); ++b) {
      const BlockSpec& spec = arch.stages[s][b];
      for (int r = 0; r < spec.repeat; ++r, ++index) {
        LayerConfig l;
        l.stage = static_cast<int>(s);
        l.index = index;
        l.name = "blocks." + std::to_string(s) + "." + std::to_string(index);
        l.type = spec.type;
        l.spec = spec;
        l.in_channels = in;
        l.out_channels = make_divisible(spec.out_channels * mult);
        // Only the first block of a stage keeps its stride (timm's builder resets the rest to 1).
        l.stride = index == 0 ? spec.stride : 1;
        l.kernel = spec.kernel;
        l.start_kernel = spec.start_dw();
        l.end_kernel = spec.end_dw();
        const bool noskip = spec.skip == false;
        l.act = spec.act.value_or(arch.act);
        switch (spec.type) {
          case BlockType::ConvBnAct:
            l.residual = spec.skip == true && l.stride == 1 && in == l.out_channels;
            break;
          case BlockType::FusedIB:
          case BlockType::UIB:
            l.mid_channels = make_divisible(in * *spec.expansion);
            l.residual = !noskip && l.stride == 1 && in == l.out_channels;
            l.layer_scale = spec.type == BlockType::UIB && arch.layer_scale.has_value();
            break;
          case BlockType::MQA:
            l.heads = *spec.heads;
            l.key_dim = l.value_dim = *spec.head_dim;
            l.kv_stride = spec.kv_down();
            l.mid_channels = l.heads * l.key_dim;
            l.residual = !noskip && l.stride == 1 && in == l.out_channels;
            l.layer_scale = arch.layer_scale.has_value();
            break;
          case BlockType::DepthwiseSeparable:
          case BlockType::DepthwiseSeparableAct:
            l.residual = spec.type == BlockType::DepthwiseSeparable && !noskip && l.stride == 1 && in == l.out_channels;
            break;
          case BlockType::InvertedResidual:
            l.mid_channels = make_divisible(in * *spec.expansion);
            l.residual = !noskip && l.stride == 1 && in == l.out_channels;
            break;
        }
        if (spec.se_ratio) {
          if (!arch.se) throw common::InputError(l.name + " '" + l.source() + "': squeeze-excite needs the architecture's \"se\" style");
          add_squeeze_excite(l, *arch.se, *spec.se_ratio);
        }
        net.blocks.push_back(std::move(l));
        in = net.blocks.back().out_channels;
      }
    }
    net.stage_ends.push_back(static_cast<int>(net.blocks.size()));
  }
  net.num_features = in;
  if (net.head == HeadStyle::Pool) net.head_hidden = in;
  return net;
}

}  // namespace uibnas::arch_defs
