// Dense k x k convolution (groups = 1) over NHWC tensors with symmetric zero padding, run as an
// indirect GEMM on the packed weights of gemm.hpp: the microkernel reads each output pixel's patch
// through k row pointers straight into the input (one per kernel row, k*in_c contiguous floats),
// so there is no im2col copy; only patches crossing the left/right border are copied, zero-filled,
// into a small scratch. Used for the stem and the FusedIB expansion convs; 1x1 stride-1 convs run
// the GEMM on the input directly.
// Pure functions over caller-owned memory: no allocation, no threading (split work across
// threads by output rows with oy_begin/oy_end, each thread with its own scratch).
#pragma once
#include <cstddef>

#include "runtime/kernels/gemm.hpp"

namespace uibnas::runtime::kernels {

struct ConvGeometry {
  size_t in_h, in_w, in_c, out_h, out_w, out_c, kernel, stride, pad;
};

// Throws InputError unless out_h/out_w equal (in + 2 pad - kernel) / stride + 1 and every size
// is positive. The functions below call it.
void validate_conv2d(const ConvGeometry& g);

// Floats of packed weights: a GEMM with n = out_c, k = kernel * kernel * in_c.
size_t conv2d_packed_size(const ConvGeometry& g);

// w: OIHW [out_c][in_c][k][k] (PyTorch layout); bias: out_c floats or nullptr. The GEMM's K is
// ordered (ky, kx, ic) to match an NHWC patch.
void pack_conv2d_weights(const ConvGeometry& g, const float* w, const float* bias, float* packed);

// Scratch floats conv2d_nhwc needs: a zero segment and the zero-padded border patches of one row
// tile, independent of how many rows are computed (`rows` is accepted for compatibility and
// ignored). Zero for 1x1 stride-1 unpadded convs, which need no scratch (scratch may then be
// nullptr).
size_t conv2d_scratch_size(const ConvGeometry& g, size_t rows);

// Computes output rows [oy_begin, oy_end); in: [in_h][in_w][in_c], out: [out_h][out_w][out_c].
// scratch holds conv2d_scratch_size(g, ...) floats (scratch_rows is ignored). Kernels up to 16. The epilogue's residual, if any, is
// indexed by absolute output pixel: residual[(oy * out_w + ox) * ldr + oc]; it may alias out.
void conv2d_nhwc(const ConvGeometry& g, const float* in, const float* packed, float* out,
                 float* scratch, size_t scratch_rows, size_t oy_begin, size_t oy_end,
                 const GemmEpilogue& ep);

}  // namespace uibnas::runtime::kernels
