// Depthwise convolution: weight packing, the portable kernel, and the entry point.
#include "runtime/kernels/dwconv.hpp"

#include <algorithm>
#include <cstddef>

#include "runtime/kernels/elementwise.hpp"
#include "runtime/kernels/kernel_config.hpp"

namespace uibnas::runtime::kernels {

namespace {
constexpr std::size_t kTile = 16;  // channels per packed tile: one zmm of floats
}

std::size_t dwconv_packed_size(std::size_t channels, std::size_t kernel) {
  const std::size_t tiles = (channels + kTile - 1) / kTile;
  return tiles * kTile * (1 + kernel * kernel);
}

void pack_dwconv_weights(std::size_t channels, std::size_t kernel, const float* w, const float* bias, float* packed) {
  const std::size_t taps = kernel * kernel;
  const std::size_t tiles = (channels + kTile - 1) / kTile;
  for (std::size_t t = 0; t < tiles; ++t) {
    float* dst = packed + t * kTile * (1 + taps);
    for (std::size_t l = 0; l < kTile; ++l) {
      const std::size_t c = t * kTile + l;
      const bool valid = c < channels;
      // Padding lanes are zero so full-width SIMD on the last tile computes harmless zeros.
      dst[l] = (valid && bias != nullptr) ? bias[c] : 0.0f;
      for (std::size_t i = 0; i < taps; ++i) dst[kTile * (1 + i) + l] = valid ? w[c * taps + i] : 0.0f;
    }
  }
}

namespace detail {

void f32_dwconv__generic(const DwConvGeometry& g, const float* in, const float* packed, float* out,
                         std::size_t oy_begin, std::size_t oy_end, Act act) {
  using sz = std::ptrdiff_t;  // signed: tap positions can fall in the padding
  const sz K = static_cast<sz>(g.kernel), S = static_cast<sz>(g.stride), P = static_cast<sz>(g.pad);
  const sz IH = static_cast<sz>(g.in_h), IW = static_cast<sz>(g.in_w);
  const std::size_t C = g.channels;
  const std::size_t tiles = (C + kTile - 1) / kTile;
  const std::size_t tile_floats = kTile * static_cast<std::size_t>(1 + K * K);
  oy_end = std::min(oy_end, g.out_h);
  for (std::size_t oy = oy_begin; oy < oy_end; ++oy) {
    const sz iy0 = static_cast<sz>(oy) * S - P;
    const sz ky0 = std::max<sz>(0, -iy0), ky1 = std::min<sz>(K, IH - iy0);
    float* orow = out + oy * g.out_w * C;
    for (std::size_t ox = 0; ox < g.out_w; ++ox) {
      const sz ix0 = static_cast<sz>(ox) * S - P;
      const sz kx0 = std::max<sz>(0, -ix0), kx1 = std::min<sz>(K, IW - ix0);
      float* op = orow + ox * C;
      for (std::size_t t = 0; t < tiles; ++t) {
        const std::size_t c0 = t * kTile, cn = std::min(kTile, C - c0);
        const float* wt = packed + t * tile_floats;
        float acc[kTile];
        for (std::size_t l = 0; l < kTile; ++l) acc[l] = wt[l];
        for (sz ky = ky0; ky < ky1; ++ky) {
          for (sz kx = kx0; kx < kx1; ++kx) {
            const float* ip = in + static_cast<std::size_t>((iy0 + ky) * IW + ix0 + kx) * C + c0;
            const float* wp = wt + kTile * static_cast<std::size_t>(1 + ky * K + kx);
            for (std::size_t l = 0; l < cn; ++l) acc[l] += ip[l] * wp[l];
          }
        }
        for (std::size_t l = 0; l < cn; ++l) op[c0 + l] = acc[l];
      }
    }
    f32_activation__generic(act, orow, g.out_w * C);  // row is still in cache
  }
}

}  // namespace detail

void dwconv_nhwc(const DwConvGeometry& g, const float* in, const float* packed, float* out, std::size_t oy_begin,
                 std::size_t oy_end, Act act) {
  oy_end = std::min(oy_end, g.out_h);
  if (oy_begin >= oy_end || g.out_w == 0 || g.channels == 0) return;
  kernel_configs().dwconv.fn(g, in, packed, out, oy_begin, oy_end, act);
}

}  // namespace uibnas::runtime::kernels
