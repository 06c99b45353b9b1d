// The shared spatial rule (arch_defs/feature_map) against timm's conv arithmetic worked out by hand:
// pad = ((s - 1) + (k - 1)) / 2 and out = floor((in + 2 pad - k) / s) + 1, on odd and even sizes.
#include <catch2/catch.hpp>

#include "arch_defs/feature_map.hpp"
#include "arch_defs/operators.hpp"

using namespace uibnas;

TEST_CASE("timm padding: ((s - 1) + (k - 1)) / 2", "[feature_map]") {
  CHECK(arch_defs::timm_padding(1, 1) == 0);
  CHECK(arch_defs::timm_padding(3, 1) == 1);
  CHECK(arch_defs::timm_padding(3, 2) == 1);  // (1 + 2) / 2
  CHECK(arch_defs::timm_padding(5, 1) == 2);
  CHECK(arch_defs::timm_padding(5, 2) == 2);  // (1 + 4) / 2
  CHECK(arch_defs::timm_padding(2, 2) == 1);  // (1 + 1) / 2
  CHECK(arch_defs::timm_padding(4, 1) == 1);  // (0 + 3) / 2
  CHECK(arch_defs::timm_padding(7, 2) == 3);  // (1 + 6) / 2
}

TEST_CASE("conv output size: floor((in + 2 pad - k) / s) + 1", "[feature_map]") {
  CHECK(arch_defs::conv_output_size(224, 3, 2, 1) == 112);  // floor(223 / 2) + 1
  CHECK(arch_defs::conv_output_size(15, 3, 2, 1) == 8);     // floor(14 / 2) + 1
  CHECK(arch_defs::conv_output_size(15, 5, 2, 2) == 8);     // floor(14 / 2) + 1
  CHECK(arch_defs::conv_output_size(7, 5, 2, 2) == 4);      // floor(6 / 2) + 1
  CHECK(arch_defs::conv_output_size(14, 5, 2, 2) == 7);     // floor(13 / 2) + 1
  CHECK(arch_defs::conv_output_size(15, 5, 1, 2) == 15);
  CHECK(arch_defs::conv_output_size(9, 2, 2, 0) == 4);      // floor(7 / 2) + 1
  CHECK(arch_defs::conv_output_size(10, 4, 1, 1) == 9);     // an even kernel loses a pixel: 10 + 2 - 4 + 1
  CHECK(arch_defs::conv_output_size(2, 5, 1, 0) <= 0);      // the map vanishes
}

TEST_CASE("timm padding keeps odd kernels 'same': ceil(in / s) for every size", "[feature_map]") {
  for (int in = 1; in <= 64; ++in)
    for (int k : {1, 3, 5, 7, 9})
      for (int s : {1, 2}) {
        INFO("in " << in << " k " << k << " s " << s);
        CHECK(arch_defs::timm_conv_output_size(in, k, s) == (in + s - 1) / s);
      }
}

TEST_CASE("anti-aliasing moves the stride into a pool after the conv", "[feature_map]") {
  const arch_defs::StridedConv plain = arch_defs::strided_conv(5, 2, arch_defs::AntiAlias::None, true);
  CHECK(plain.stride == 2);
  CHECK(plain.pad == 2);
  CHECK(plain.pool == arch_defs::AntiAlias::None);
  CHECK(arch_defs::strided_conv_output_size(15, 5, plain) == 8);

  const arch_defs::StridedConv avg = arch_defs::strided_conv(5, 2, arch_defs::AntiAlias::Avg, true);
  CHECK(avg.stride == 1);
  CHECK(avg.pad == 2);  // (0 + 4) / 2
  CHECK(avg.pool == arch_defs::AntiAlias::Avg);
  CHECK(arch_defs::strided_conv_output_size(15, 5, avg) == 7);  // 15 at stride 1, then 2x2 stride 2: floor(15 / 2)

  const arch_defs::StridedConv blur = arch_defs::strided_conv(3, 2, arch_defs::AntiAlias::BlurPC, true);
  CHECK(blur.stride == 1);
  CHECK(blur.pool == arch_defs::AntiAlias::BlurPC);
  CHECK(arch_defs::strided_conv_output_size(15, 3, blur) == 8);  // 15, then 3x3 stride 2 pad 1: floor(14 / 2) + 1

  CHECK(arch_defs::strided_conv(3, 2, arch_defs::AntiAlias::Avg, false).stride == 2);  // the block does not allow it
  CHECK(arch_defs::strided_conv(3, 2, arch_defs::AntiAlias::Avg, false).pool == arch_defs::AntiAlias::None);
  CHECK(arch_defs::strided_conv(3, 1, arch_defs::AntiAlias::Avg, true).pool == arch_defs::AntiAlias::None);  // nothing to downsample
  CHECK(arch_defs::anti_alias_output_size(15, arch_defs::AntiAlias::None) == 15);
  CHECK(arch_defs::anti_alias_output_size(15, arch_defs::AntiAlias::Avg) == 7);
  CHECK(arch_defs::anti_alias_output_size(16, arch_defs::AntiAlias::BlurPC) == 8);
}

namespace {

arch_defs::LayerConfig uib(int start, int middle, int end, int stride) {
  arch_defs::LayerConfig l;
  l.name = "blocks.1.0";
  l.type = arch_defs::BlockType::UIB;
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
std::vector<std::pair<std::string, int>> lowered_depthwise_strides(const arch_defs::LayerConfig& l) {
  arch_defs::Network net;
  net.blocks = {l};
  const arch_defs::OperatorList ops = arch_defs::lower_network_part(net, arch_defs::NetworkPart::Block, 0, {l.in_channels, 15, 15});
  std::vector<std::pair<std::string, int>> out;
  for (const arch_defs::Operator& op : ops.ops)
    if (op.kind == arch_defs::OpKind::DepthwiseConv) out.emplace_back(op.name.substr(l.name.size() + 1), op.stride);
  CHECK(ops.ops[ops.output].out == arch_defs::TensorShape{l.out_channels, 8, 8});  // 15 at stride 2: ceil(15 / 2)
  return out;
}

using Strides = std::vector<std::pair<std::string, int>>;

}  // namespace

TEST_CASE("the UIB stride sits on the first depthwise among middle, start, end", "[feature_map]") {
  const arch_defs::UibDepthwiseConvs extra_dw = arch_defs::uib_depthwise_convs(uib(3, 5, 0, 2));
  CHECK(extra_dw.start.kernel == 3);
  CHECK(extra_dw.start.stride == 1);
  CHECK(extra_dw.middle.kernel == 5);
  CHECK(extra_dw.middle.stride == 2);
  CHECK(extra_dw.end.kernel == 0);

  const arch_defs::UibDepthwiseConvs convnext = arch_defs::uib_depthwise_convs(uib(5, 0, 0, 2));
  CHECK(convnext.start.stride == 2);
  CHECK(convnext.start.allow_aa);

  const arch_defs::UibDepthwiseConvs end_only = arch_defs::uib_depthwise_convs(uib(0, 0, 3, 2));
  CHECK(end_only.end.stride == 2);
  CHECK_FALSE(end_only.end.allow_aa);  // timm anti-aliases only the start and middle depthwise

  const arch_defs::UibDepthwiseConvs start_end = arch_defs::uib_depthwise_convs(uib(3, 0, 5, 2));
  CHECK(start_end.start.stride == 2);
  CHECK(start_end.end.stride == 1);

  // The lowering places the stride by the same rule.
  CHECK(lowered_depthwise_strides(uib(3, 5, 0, 2)) == Strides{{"dw_start.conv", 1}, {"dw_mid.conv", 2}});
  CHECK(lowered_depthwise_strides(uib(0, 3, 0, 2)) == Strides{{"dw_mid.conv", 2}});
  CHECK(lowered_depthwise_strides(uib(5, 0, 0, 2)) == Strides{{"dw_start.conv", 2}});
  CHECK(lowered_depthwise_strides(uib(3, 0, 5, 2)) == Strides{{"dw_start.conv", 2}, {"dw_end.conv", 1}});
  CHECK(lowered_depthwise_strides(uib(0, 0, 3, 2)) == Strides{{"dw_end.conv", 2}});
}
