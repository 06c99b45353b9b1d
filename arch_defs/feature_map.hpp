// The spatial rule every walk over a network shares (the lowering, the params/MACs walk, the part
// signatures, the search-space signatures): timm's padding, a conv's output size, how
// anti-aliasing moves a stride into a pool, and which depthwise conv of a UIB block carries the
// block stride. Inline: search evaluates these millions of times a second.
#pragma once
#include "arch_defs/network.hpp"

namespace uibnas::arch_defs {

// timm's symmetric padding for pad_type='': ((stride - 1) + (kernel - 1)) / 2.
inline int timm_padding(int kernel, int stride) { return ((stride - 1) + (kernel - 1)) / 2; }

// Output size of a kernel window over `in` with `pad` on both sides: (in + 2 pad - kernel) / stride + 1.
// At most 0 when the map vanishes.
inline int conv_output_size(int in, int kernel, int stride, int pad) { return (in + 2 * pad - kernel) / stride + 1; }

// conv_output_size with timm_padding: ceil(in / stride) for odd kernels.
inline int timm_conv_output_size(int in, int kernel, int stride) {
  return conv_output_size(in, kernel, stride, timm_padding(kernel, stride));
}

// A strided conv as the network runs it: with anti-aliasing where the block allows it, the conv
// runs at stride 1 and a pool after it downsamples (timm's aa_layer).
struct StridedConv {
  int stride = 1;                    // the conv's own stride
  int pad = 0;                       // timm padding for that stride
  AntiAlias pool = AntiAlias::None;  // the downsampling pool after the conv, None without one
};
inline StridedConv strided_conv(int kernel, int stride, AntiAlias aa, bool allow_aa) {
  const bool use_aa = allow_aa && stride > 1 && aa != AntiAlias::None;
  const int conv_stride = use_aa ? 1 : stride;
  return {conv_stride, timm_padding(kernel, conv_stride), use_aa ? aa : AntiAlias::None};
}

// Output size of an anti-aliasing pool: 'avg' is 2x2 stride 2 (floor), 'blurpc' 3x3 stride 2 pad 1;
// None leaves the size.
inline int anti_alias_output_size(int in, AntiAlias pool) {
  switch (pool) {
    case AntiAlias::None: return in;
    case AntiAlias::Avg: return in / 2;
    case AntiAlias::BlurPC: return conv_output_size(in, 3, 2, 1);
  }
  return in;
}

// Output size of the conv and its anti-aliasing pool.
inline int strided_conv_output_size(int in, int kernel, const StridedConv& conv) {
  return anti_alias_output_size(conv_output_size(in, kernel, conv.stride, conv.pad), conv.pool);
}

// A UIB block's optional depthwise convs (kernel 0: absent). The block stride sits on the first
// that exists among middle, start, end (timm's order of preference); the others run at stride 1.
// Only start and middle may be anti-aliased.
struct UibDepthwise {
  int kernel = 0;
  int stride = 1;
  bool allow_aa = false;
};
struct UibDepthwiseConvs {
  UibDepthwise start, middle, end;
};
inline UibDepthwiseConvs uib_depthwise_convs(const LayerConfig& block) {
  UibDepthwiseConvs d;
  d.start = {block.start_kernel, block.kernel ? 1 : block.stride, true};
  d.middle = {block.kernel, block.stride, true};
  d.end = {block.end_kernel, (block.kernel || block.start_kernel) ? 1 : block.stride, false};
  return d;
}

}  // namespace uibnas::arch_defs
