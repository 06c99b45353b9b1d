// The shared spatial rule (arch_defs/feature_map) against timm's conv arithmetic worked out by hand:
// pad = ((s - 1) + (k - 1)) / 2 and out = floor((in + 2 pad - k) / s) + 1, on odd and even sizes.
#include <catch2/catch.hpp>

#include "arch_defs/feature_map.hpp"
#include "arch_defs/operators.hpp"

using namespace uibnas;

TEST_CASE("timm padding: ((s - 1) + (k - 1)) / 2", "[feature_map]") {
  CHECK(timm_padding(1, 1) == 0);
  CHECK(timm_padding(3, 1) == 1);
  CHECK(timm_padding(3, 2) == 1);  // (1 + 2) / 2
  CHECK(timm_padding(5, 1) == 2);
  CHECK(timm_padding(5, 2) == 2);  // (1 + 4) / 2
  CHECK(timm_padding(2, 2) == 1);  // (1 + 1) / 2
  CHECK(timm_padding(4, 1) == 1);  // (0 + 3) / 2
  CHECK(timm_padding(7, 2) == 3);  // (1 + 6) / 2
}

TEST_CASE("conv output size: floor((in + 2 pad - k) / s) + 1", "[feature_map]") {
  CHECK(conv_output_size(224, 3, 2, 1) == 112);  // floor(223 / 2) + 1
  CHECK(conv_output_size(15, 3, 2, 1) == 8);     // floor(14 / 2) + 1
  CHECK(conv_output_size(15, 5, 2, 2) == 8);     // floor(14 / 2) + 1
  CHECK(conv_output_size(7, 5, 2, 2) == 4);      // floor(6 / 2) + 1
  CHECK(conv_output_size(14, 5, 2, 2) == 7);     // floor(13 / 2) + 1
  CHECK(conv_output_size(15, 5, 1, 2) == 15);
  CHECK(conv_output_size(9, 2, 2, 0) == 4);      // floor(7 / 2) + 1
  CHECK(conv_output_size(10, 4, 1, 1) == 9);     // an even kernel loses a pixel: 10 + 2 - 4 + 1
  CHECK(conv_output_size(2, 5, 1, 0) <= 0);      // the map vanishes
}

TEST_CASE("timm padding keeps odd kernels 'same': ceil(in / s) for every size", "[feature_map]") {
  for (int in = 1; in <= 64; ++in)
    for (int k : {1, 3, 5, 7, 9})
      for (int s : {1, 2}) {
        INFO("in " << in << " k " << k << " s " << s);
        CHECK(timm_conv_output_size(in, k, s) == (in + s - 1) / s);
      }
}

TEST_CASE("anti-aliasing moves the stride into a pool after the conv", "[feature_map]") {
  const StridedConv plain = strided_conv(5, 2, AntiAlias::None, true);
  CHECK(plain.stride == 2);
  CHECK(plain.pad == 2);
  CHECK(plain.pool == AntiAlias::None);
  CHECK(strided_conv_output_size(15, 5, plain) == 8);

  const StridedConv avg = strided_conv(5, 2, AntiAlias::Avg, true);
  CHECK(avg.stride == 1);
  CHECK(avg.pad == 2);  // (0 + 4) / 2
  CHECK(avg.pool == AntiAlias::Avg);
  CHECK(strided_conv_output_size(15, 5, avg) == 7);  // 15 at stride 1, then 2x2 stride 2: floor(15 / 2)

  const StridedConv blur = strided_conv(3, 2, AntiAlias::BlurPC, true);
  CHECK(blur.stride == 1);
  CHECK(blur.pool == AntiAlias::BlurPC);
  CHECK(strided_conv_output_size(15, 3, blur) == 8);  // 15, then 3x3 stride 2 pad 1: floor(14 / 2) + 1

  CHECK(strided_conv(3, 2, AntiAlias::Avg, false).stride == 2);  // the block does not allow it
  CHECK(strided_conv(3, 2, AntiAlias::Avg, false).pool == AntiAlias::None);
  CHECK(strided_conv(3, 1, AntiAlias::Avg, true).pool == AntiAlias::None);  // nothing to downsample
  CHECK(anti_alias_output_size(15, AntiAlias::None) == 15);
  CHECK(anti_alias_output_size(15, AntiAlias::Avg) == 7);
  CHECK(anti_alias_output_size(16, AntiAlias::BlurPC) == 8);
}

namespace {

LayerConfig uib(int start, int middle, int end, int stride) {
  LayerConfig l;
  l.name = "blocks.1.0";
  l.type = BlockType::UIB;
  l.in_channels = 8;
  l.mid_channels = 16;
  l.out_channels = 12;
  l.start_kernel = start;
  l.kernel = middle;
  l.end_kernel = end;
  l.stride = stride;
  return l;
}

// The depthwise convs of one UIB block lowered on a 15x15 input: name suffix -> stride.
std::vector<std::pair<std::string, int>> lowered_depthwise_strides(const LayerConfig& l) {
  Network net;
  net.blocks = {l};
  const OperatorList ops = lower_network_part(net, NetworkPart::Block, 0, {l.in_channels, 15, 15});
  std::vector<std::pair<std::string, int>> out;
  for (const Operator& op : ops.ops)
    if (op.kind == OpKind::DepthwiseConv) out.emplace_back(op.name.substr(l.name.size() + 1), op.stride);
  CHECK(ops.ops[ops.output].out == TensorShape{l.out_channels, 8, 8});  // 15 at stride 2: ceil(15 / 2)
  return out;
}

using Strides = std::vector<std::pair<std::string, int>>;

}  // namespace

TEST_CASE("the UIB stride sits on the first depthwise among middle, start, end", "[feature_map]") {
  const UibDepthwiseConvs extra_dw = uib_depthwise_convs(uib(3, 5, 0, 2));
  CHECK(extra_dw.start.kernel == 3);
  CHECK(extra_dw.start.stride == 1);
  CHECK(extra_dw.middle.kernel == 5);
  CHECK(extra_dw.middle.stride == 2);
  CHECK(extra_dw.end.kernel == 0);

  const UibDepthwiseConvs convnext = uib_depthwise_convs(uib(5, 0, 0, 2));
  CHECK(convnext.start.stride == 2);
  CHECK(convnext.start.allow_aa);

  const UibDepthwiseConvs end_only = uib_depthwise_convs(uib(0, 0, 3, 2));
  CHECK(end_only.end.stride == 2);
  CHECK_FALSE(end_only.end.allow_aa);  // timm anti-aliases only the start and middle depthwise

  const UibDepthwiseConvs start_end = uib_depthwise_convs(uib(3, 0, 5, 2));
  CHECK(start_end.start.stride == 2);
  CHECK(start_end.end.stride == 1);

  // The lowering places the stride by the same rule.
  CHECK(lowered_depthwise_strides(uib(3, 5, 0, 2)) == Strides{{"dw_start.conv", 1}, {"dw_mid.conv", 2}});
  CHECK(lowered_depthwise_strides(uib(0, 3, 0, 2)) == Strides{{"dw_mid.conv", 2}});
  CHECK(lowered_depthwise_strides(uib(5, 0, 0, 2)) == Strides{{"dw_start.conv", 2}});
  CHECK(lowered_depthwise_strides(uib(3, 0, 5, 2)) == Strides{{"dw_start.conv", 2}, {"dw_end.conv", 1}});
  CHECK(lowered_depthwise_strides(uib(0, 0, 3, 2)) == Strides{{"dw_end.conv", 2}});
}
