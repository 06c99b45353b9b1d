// The spatial rule every walk over a network shares (the lowering, the params/MACs walk, the part
// signatures, the search-space signatures): timm's padding, a conv's output size, how
// anti-aliasing moves a stride into a pool, and which depthwise conv of a UIB block carries the
// block stride.
#pragma once
#include "arch_defs/network.hpp"

namespace uibnas::arch_defs {

// timm's symmetric padding for pad_type='': ((stride - 1) + (kernel - 1)) / 2.
int timm_padding(int kernel, int stride);

// Output size of a kernel window over `in` with `pad` on both sides: (in + 2 pad - kernel) / stride + 1.
// At most 0 when the map vanishes.
int conv_output_size(int in, int kernel, int stride, int pad);

// conv_output_size with timm_padding: ceil(in / stride) for odd kernels.
int timm_conv_output_size(int in, int kernel, int stride);

// A strided conv as the network runs it: with anti-aliasing where the block allows it, the conv
// runs at stride 1 and a pool after it downsamples (timm's aa_layer).
struct StridedConv {
  int stride = 1;                    // the conv's own stride
  int pad = 0;                       // timm padding for that stride
  AntiAlias pool = AntiAlias::None;  // the downsampling pool after the conv, None without one
};
StridedConv strided_conv(int kernel, int stride, AntiAlias aa, bool allow_aa);

// Output size of an anti-aliasing pool: 'avg' is 2x2 stride 2 (floor), 'blurpc' 3x3 stride 2 pad 1;
// None leaves the size.
int anti_alias_output_size(int in, AntiAlias pool);

// Output size of the conv and its anti-aliasing pool.
int strided_conv_output_size(int in, int kernel, const StridedConv& conv);

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
UibDepthwiseConvs uib_depthwise_convs(const LayerConfig& block);

}  // namespace uibnas::arch_defs
