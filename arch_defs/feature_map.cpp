#include "arch_defs/feature_map.hpp"

namespace uibnas::arch_defs {

int timm_padding(int kernel, int stride) { return ((stride - 1) + (kernel - 1)) / 2; }

int conv_output_size(int in, int kernel, int stride, int pad) { return (in + 2 * pad - kernel) / stride + 1; }

int timm_conv_output_size(int in, int kernel, int stride) {
  return conv_output_size(in, kernel, stride, timm_padding(kernel, stride));
}

StridedConv strided_conv(int kernel, int stride, AntiAlias aa, bool allow_aa) {
  const bool use_aa = allow_aa && stride > 1 && aa != AntiAlias::None;
  StridedConv c;
  c.stride = use_aa ? 1 : stride;
  c.pad = timm_padding(kernel, c.stride);
  c.pool = use_aa ? aa : AntiAlias::None;
  return c;
}

int anti_alias_output_size(int in, AntiAlias pool) {
  switch (pool) {
    case AntiAlias::None: return in;
    case AntiAlias::Avg: return in / 2;
    case AntiAlias::BlurPC: return conv_output_size(in, 3, 2, 1);
  }
  return in;
}

int strided_conv_output_size(int in, int kernel, const StridedConv& conv) {
  return anti_alias_output_size(conv_output_size(in, kernel, conv.stride, conv.pad), conv.pool);
}

UibDepthwiseConvs uib_depthwise_convs(const LayerConfig& block) {
  UibDepthwiseConvs d;
  d.start = {block.start_kernel, block.kernel ? 1 : block.stride, true};
  d.middle = {block.kernel, block.stride, true};
  d.end = {block.end_kernel, (block.kernel || block.start_kernel) ? 1 : block.stride, false};
  return d;
}

}  // namespace uibnas::arch_defs
