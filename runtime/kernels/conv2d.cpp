// Dense convolution = indirect GEMM (row pointers into the NHWC input) with the fused epilogue.
#include "runtime/kernels/conv2d.hpp"

#include <algorithm>
#include <string>

#include "common/error.hpp"
#include "runtime/kernels/gemm_ukernels.hpp"
#include "runtime/kernels/kernel_config.hpp"

namespace uibnas::runtime::kernels {

namespace {

size_t patch_size(const ConvGeometry& g) { return g.kernel * g.kernel * g.in_c; }

// 1x1 stride-1 unpadded: the NHWC input already is the GEMM's A matrix.
bool is_pointwise(const ConvGeometry& g) { return g.kernel == 1 && g.stride == 1 && g.pad == 0; }

// Largest kernel the indirect path takes (pointer table on the stack); larger ones are rejected.
constexpr size_t kMaxKernel = 16;
constexpr size_t kMaxTileRows = 16;

size_t round16(size_t n) { return (n + 15) / 16 * 16; }

}  // namespace

void validate_conv2d(const ConvGeometry& g) {
  auto fail = [&](const std::string& what) {
    throw common::InputError("conv2d " + std::to_string(g.in_h) + "x" + std::to_string(g.in_w) + "x" +
                     std::to_string(g.in_c) + " -> " + std::to_string(g.out_h) + "x" +
                     std::to_string(g.out_w) + "x" + std::to_string(g.out_c) + " (kernel " +
                     std::to_string(g.kernel) + ", stride " + std::to_string(g.stride) + ", pad " +
                     std::to_string(g.pad) + "): " + what);
  };
  if (g.in_h == 0 || g.in_w == 0 || g.in_c == 0 || g.out_c == 0 || g.kernel == 0 || g.stride == 0)
    fail("sizes must be positive");
  if (g.in_h + 2 * g.pad < g.kernel || g.in_w + 2 * g.pad < g.kernel)
    fail("kernel larger than the padded input");
  const size_t oh = (g.in_h + 2 * g.pad - g.kernel) / g.stride + 1;
  const size_t ow = (g.in_w + 2 * g.pad - g.kernel) / g.stride + 1;
  if (g.out_h != oh || g.out_w != ow)
    fail("output must be " + std::to_string(oh) + "x" + std::to_string(ow));
}

size_t conv2d_packed_size(const ConvGeometry& g) {
  validate_conv2d(g);
  return gemm_packed_size(g.out_c, patch_size(g));
}

void pack_conv2d_weights(const ConvGeometry& g, const float* w, const float* bias, float* packed) {
  validate_conv2d(g);
  // Write the GEMM panel layout directly (nr biases, then K rows of nr weights), reading OIHW
  // and placing element (oc, ic, ky, kx) at K index (ky * k + kx) * in_c + ic.
  const size_t nr = gemm_nr(), k = g.kernel, K = patch_size(g);
  const size_t panels = (g.out_c + nr - 1) / nr;
  for (size_t p = 0; p < panels; ++p) {
    float* panel = packed + p * nr * (K + 1);
    for (size_t j = 0; j < nr; ++j) {
      const size_t oc = p * nr + j;
      if (oc >= g.out_c) {
        panel[j] = 0.0f;
        for (size_t q = 0; q < K; ++q) panel[nr + q * nr + j] = 0.0f;
        continue;
      }
      panel[j] = bias != nullptr ? bias[oc] : 0.0f;
      const float* src = w + oc * g.in_c * k * k;
      for (size_t ic = 0; ic < g.in_c; ++ic)
        for (size_t ky = 0; ky < k; ++ky)
          for (size_t kx = 0; kx < k; ++kx)
            panel[nr + ((ky * k + kx) * g.in_c + ic) * nr + j] = src[(ic * k + ky) * k + kx];
    }
  }
}

size_t conv2d_scratch_size(const ConvGeometry& g, size_t /*rows*/) {
  validate_conv2d(g);
  if (is_pointwise(g)) return 0;
  // One zero segment, then a zero-padded copy of every segment of one row tile (border pixels).
  const size_t seg = round16(g.kernel * g.in_c);
  return seg + kMaxTileRows * g.kernel * seg;
}

void conv2d_nhwc_with(const GemmUkernel& uk, const ConvGeometry& g, const float* in, const float* packed,
                      float* out, float* scratch, size_t oy_begin, size_t oy_end, const GemmEpilogue& ep) {
  validate_conv2d(g);
  oy_end = std::min(oy_end, g.out_h);
  if (oy_begin >= oy_end) return;
  const size_t K = patch_size(g);
  if (is_pointwise(g)) {
    GemmEpilogue e = ep;
    if (e.residual != nullptr) e.residual += oy_begin * g.out_w * e.ldr;
    const size_t m = (oy_end - oy_begin) * g.out_w;
    gemm_with(uk, m, g.out_c, K, in + oy_begin * g.in_w * g.in_c, g.in_c, packed, out + oy_begin * g.out_w * g.out_c,
              g.out_c, e, 0, g.out_c);
    return;
  }
  if (g.kernel > kMaxKernel || uk.mr > kMaxTileRows)
    throw common::InputError("conv2d: kernel " + std::to_string(g.kernel) + " is larger than " + std::to_string(kMaxKernel));

  // Indirect GEMM: output pixel p's patch is k segments (one per kernel row ky) of k*in_c floats,
  // each contiguous in the NHWC input when the row is inside the image and the taps do not cross
  // the left/right border. Rows above/below the image read a zero segment; border-crossing
  // segments are copied with zero fill into the scratch (a few pixels per output row).
  const size_t k = g.kernel, c = g.in_c, seg = k * c, seg_pad = round16(seg);
  float* zeros = scratch;
  float* patches = scratch + seg_pad;
  std::fill_n(zeros, seg, 0.0f);
  const std::ptrdiff_t in_h = static_cast<std::ptrdiff_t>(g.in_h), in_w = static_cast<std::ptrdiff_t>(g.in_w);
  const std::ptrdiff_t kk = static_cast<std::ptrdiff_t>(k);
  const float* ptrs[kMaxKernel * kMaxTileRows];
  const size_t nr = gemm_nr(), panel = nr * (K + 1);

  const size_t p_begin = oy_begin * g.out_w, p_end = oy_end * g.out_w;
  const size_t pixels = p_end - p_begin;
  const size_t blocks = (pixels + uk.mr - 1) / uk.mr, base = pixels / blocks, extra = pixels % blocks;
  const std::ptrdiff_t row_floats = in_w * static_cast<std::ptrdiff_t>(c);
  size_t p = p_begin, oy = p_begin / g.out_w, ox = p_begin % g.out_w;  // pixel p = (oy, ox)
  for (size_t b = 0; b < blocks; ++b) {
    const size_t mr = base + (b < extra ? 1 : 0);
    for (size_t r = 0; r < mr; ++r) {
      const std::ptrdiff_t iy0 = static_cast<std::ptrdiff_t>(oy * g.stride) - static_cast<std::ptrdiff_t>(g.pad);
      const std::ptrdiff_t ix0 = static_cast<std::ptrdiff_t>(ox * g.stride) - static_cast<std::ptrdiff_t>(g.pad);
      if (++ox == g.out_w) {
        ox = 0;
        ++oy;
      }
      if (iy0 >= 0 && iy0 + kk <= in_h && ix0 >= 0 && ix0 + kk <= in_w) {  // interior: k rows of the input
        const float* top = in + iy0 * row_floats + ix0 * static_cast<std::ptrdiff_t>(c);
        for (size_t ky = 0; ky < k; ++ky) ptrs[ky * uk.mr + r] = top + static_cast<std::ptrdiff_t>(ky) * row_floats;
        continue;
      }
      const std::ptrdiff_t kx_lo = std::clamp<std::ptrdiff_t>(-ix0, 0, kk);
      const std::ptrdiff_t kx_hi = std::clamp<std::ptrdiff_t>(in_w - ix0, kx_lo, kk);
      for (size_t ky = 0; ky < k; ++ky) {
        const std::ptrdiff_t iy = iy0 + static_cast<std::ptrdiff_t>(ky);
        const float*& dst = ptrs[ky * uk.mr + r];
        if (iy < 0 || iy >= in_h || kx_lo == kx_hi) {
          dst = zeros;
        } else if (kx_lo == 0 && kx_hi == kk) {
          dst = in + iy * row_floats + ix0 * static_cast<std::ptrdiff_t>(c);
        } else {
          float* patch = patches + (r * k + ky) * seg_pad;
          const float* src = in + iy * row_floats + (ix0 + kx_lo) * static_cast<std::ptrdiff_t>(c);
          std::fill_n(patch, seg, 0.0f);
          std::copy_n(src, static_cast<size_t>(kx_hi - kx_lo) * c, patch + kx_lo * c);
          dst = patch;
        }
      }
    }
    for (size_t j0 = 0; j0 < g.out_c; j0 += nr) {
      const size_t nc = std::min(nr, g.out_c - j0);
      const float* res = ep.residual != nullptr ? ep.residual + p * ep.ldr + j0 : nullptr;
      uk.igemm(mr, nc, k, seg, ptrs, packed + (j0 / nr) * panel, out + p * g.out_c + j0, g.out_c, res, ep.ldr, ep.act);
    }
    p += mr;
  }
}

void conv2d_nhwc(const ConvGeometry& g, const float* in, const float* packed, float* out,
                 float* scratch, size_t /*scratch_rows*/, size_t oy_begin, size_t oy_end,
                 const GemmEpilogue& ep) {
  conv2d_nhwc_with(kernel_configs().gemm, g, in, packed, out, scratch, oy_begin, oy_end, ep);
}

}  // namespace uibnas::runtime::kernels
