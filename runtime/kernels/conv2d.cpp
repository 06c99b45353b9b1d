// Dense convolution = im2col band + packed GEMM with the fused epilogue.
#include "runtime/kernels/conv2d.hpp"

#include <algorithm>
#include <cstring>
#include <string>

#include "arch_defs/error.hpp"

namespace uibnas::kernels {

namespace {

size_t patch_size(const ConvGeometry& g) { return g.kernel * g.kernel * g.in_c; }

// 1x1 stride-1 unpadded: the NHWC input already is the GEMM's A matrix.
bool is_pointwise(const ConvGeometry& g) { return g.kernel == 1 && g.stride == 1 && g.pad == 0; }

// Runs are often short (k * in_c = 9 floats for the stem), where a library memcpy call costs
// more than the copy: fixed-size 8-float chunks compile to plain vector moves.
inline void copy_floats(float* dst, const float* src, size_t n) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8) std::memcpy(dst + i, src + i, 8 * sizeof(float));
  if (i + 4 <= n) {
    std::memcpy(dst + i, src + i, 4 * sizeof(float));
    i += 4;
  }
  for (; i < n; ++i) dst[i] = src[i];
}

// Writes the patches of output rows [oy0, oy0 + rows) into band: one row of K = k*k*in_c floats
// per output pixel, ordered (ky, kx, ic). For a fixed ky the k taps are adjacent input pixels,
// i.e. one contiguous run of k*in_c floats in NHWC, so interior pixels are a single copy per ky
// and only the borders need zero fill.
void im2col_band(const ConvGeometry& g, const float* in, size_t oy0, size_t rows, float* band) {
  const size_t k = g.kernel, c = g.in_c, kc = k * c;
  const size_t patch = k * kc;
  const std::ptrdiff_t in_h = static_cast<std::ptrdiff_t>(g.in_h);
  const std::ptrdiff_t in_w = static_cast<std::ptrdiff_t>(g.in_w);
  const std::ptrdiff_t kk = static_cast<std::ptrdiff_t>(k);
  for (size_t r = 0; r < rows; ++r) {
    const std::ptrdiff_t iy0 = static_cast<std::ptrdiff_t>((oy0 + r) * g.stride) - static_cast<std::ptrdiff_t>(g.pad);
    for (size_t ox = 0; ox < g.out_w; ++ox) {
      float* dst = band + (r * g.out_w + ox) * patch;
      const std::ptrdiff_t ix0 = static_cast<std::ptrdiff_t>(ox * g.stride) - static_cast<std::ptrdiff_t>(g.pad);
      // Taps [kx_lo, kx_hi) fall inside the input row.
      const std::ptrdiff_t kx_lo = std::clamp<std::ptrdiff_t>(-ix0, 0, kk);
      const std::ptrdiff_t kx_hi = std::clamp<std::ptrdiff_t>(in_w - ix0, kx_lo, kk);
      for (size_t ky = 0; ky < k; ++ky, dst += kc) {
        const std::ptrdiff_t iy = iy0 + static_cast<std::ptrdiff_t>(ky);
        if (iy < 0 || iy >= in_h || kx_lo == kx_hi) {
          std::fill_n(dst, kc, 0.0f);
          continue;
        }
        const float* src = in + (static_cast<size_t>(iy) * g.in_w + static_cast<size_t>(ix0 + kx_lo)) * c;
        if (kx_lo > 0) std::fill_n(dst, static_cast<size_t>(kx_lo) * c, 0.0f);
        copy_floats(dst + kx_lo * c, src, static_cast<size_t>(kx_hi - kx_lo) * c);
        if (kx_hi < kk) std::fill_n(dst + kx_hi * c, static_cast<size_t>(kk - kx_hi) * c, 0.0f);
      }
    }
  }
}

}  // namespace

void validate_conv2d(const ConvGeometry& g) {
  auto fail = [&](const std::string& what) {
    throw InputError("conv2d " + std::to_string(g.in_h) + "x" + std::to_string(g.in_w) + "x" +
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

size_t conv2d_scratch_size(const ConvGeometry& g, size_t rows) {
  validate_conv2d(g);
  if (is_pointwise(g)) return 0;
  return std::min(std::max<size_t>(rows, 1), g.out_h) * g.out_w * patch_size(g);
}

void conv2d_nhwc(const ConvGeometry& g, const float* in, const float* packed, float* out,
                 float* scratch, size_t scratch_rows, size_t oy_begin, size_t oy_end,
                 const GemmEpilogue& ep) {
  validate_conv2d(g);
  oy_end = std::min(oy_end, g.out_h);
  if (oy_begin >= oy_end) return;
  const size_t K = patch_size(g);
  auto band_epilogue = [&](size_t oy) {
    GemmEpilogue e = ep;
    if (e.residual != nullptr) e.residual += oy * g.out_w * e.ldr;
    return e;
  };
  if (is_pointwise(g)) {
    const size_t m = (oy_end - oy_begin) * g.out_w;
    gemm(m, g.out_c, K, in + oy_begin * g.in_w * g.in_c, g.in_c, packed,
         out + oy_begin * g.out_w * g.out_c, g.out_c, band_epilogue(oy_begin), 0, g.out_c);
    return;
  }
  const size_t band_rows = std::max<size_t>(scratch_rows, 1);
  for (size_t oy = oy_begin; oy < oy_end; oy += band_rows) {
    const size_t rows = std::min(band_rows, oy_end - oy);
    im2col_band(g, in, oy, rows, scratch);
    gemm(rows * g.out_w, g.out_c, K, scratch, K, packed, out + oy * g.out_w * g.out_c, g.out_c,
         band_epilogue(oy), 0, g.out_c);
  }
}

}  // namespace uibnas::kernels
