// AVX-512 depthwise convolution, 16 channels per zmm. Loop order: bands of output rows, then channel
// tiles, then rows of the band, then pixels (see the band comment in f32_dwconv_16c__avx512f).
// A row is covered by blocks of up to 8 output pixels whose accumulators stay in registers; every input
// vector of an input row is loaded once and feeds all outputs of the block that use it. Blocks touching
// the left/right padding substitute zeros for the columns outside the row instead of taking a slow
// per-pixel path, and rows clip their ky range, so padding never needs a padded copy of the input.
// Kernel sizes 1/3/5/7 with stride 1/2 are specialised; anything else takes a per-pixel fallback.
#include "runtime/kernels/dwconv.hpp"

#if UIBNAS_KERNELS_X86
#include "runtime/kernels/x86_intrinsics.hpp"

#include <algorithm>
#include <cstddef>

#include "runtime/kernels/elementwise.hpp"


namespace uibnas::runtime::kernels::detail {
namespace {

using sz = std::ptrdiff_t;
constexpr sz kTile = 16;

// Activations cheap enough to apply in registers before the store; the others (GELU, SiLU and the
// gates) by a row pass of the activation kernel.
// max/min return the second operand on NaN, so the operand order keeps NaN inputs NaN.
UIBNAS_AVX512 inline __m512 relu(__m512 v) { return _mm512_max_ps(_mm512_setzero_ps(), v); }
UIBNAS_AVX512 inline __m512 relu6(__m512 v) { return _mm512_min_ps(_mm512_set1_ps(6.0f), relu(v)); }
UIBNAS_AVX512 inline __m512 hswish(__m512 v) {
  return _mm512_mul_ps(_mm512_mul_ps(v, relu6(_mm512_add_ps(v, _mm512_set1_ps(3.0f)))), _mm512_set1_ps(1.0f / 6.0f));
}

bool in_register_act(Act act) { return act == Act::None || act == Act::ReLU || act == Act::ReLU6 || act == Act::HardSwish; }

UIBNAS_AVX512 inline __m512 apply_act(__m512 v, Act act) {
  switch (act) {
    case Act::ReLU: return relu(v);
    case Act::ReLU6: return relu6(v);
    case Act::HardSwish: return hswish(v);
    default: return v;
  }
}

// One channel tile over a range of output rows.
struct TileArgs {
  const float* in;  // input (0, 0, c0)
  float* out;       // output (0, 0, c0)
  const float* wt;  // packed tile: bias, then K*K taps
  sz in_h, in_w, C, pad, out_w;
  sz ox_lo, ox_hi;  // output columns whose taps all lie inside the input row
  sz oy_begin, oy_end;
  __mmask16 mask;   // valid lanes of this tile
  Act act;          // only the register-applied ones (in_register_act)
};

// One output row of a tile.
struct RowCtx {
  const float* in;  // input row iy0 + ky0, column 0, channel c0
  float* out;       // output row, column 0, channel c0
  int ky0, ky1;     // valid kernel rows
};

// How a block loads its inputs: all lanes; the tile's lane mask; or lane mask and zeros for columns
// in the left/right padding.
enum class Load { Full, Tail, Edge };

// The weights of one tile. Small kernels (K <= 3: 9 taps + bias) keep them in registers for a whole
// tile pass, which removes a third of the loads of a 3x3 block; larger kernels re-read them from the
// packed buffer (L1) in every block.
template <int K>
struct TileWeights {
  static constexpr bool kInRegs = K <= 3;
  const float* wt;
  __m512 v[kInRegs ? K * K + 1 : 1];

  UIBNAS_AVX512 __attribute__((always_inline)) explicit TileWeights(const float* packed) : wt(packed) {
    if constexpr (kInRegs) {
#pragma GCC unroll 16
      for (int t = 0; t <= K * K; ++t) v[t] = _mm512_loadu_ps(packed + kTile * t);
    }
  }
  UIBNAS_AVX512 __attribute__((always_inline)) __m512 bias() const {
    if constexpr (kInRegs) return v[0];
    return _mm512_loadu_ps(wt);
  }
  UIBNAS_AVX512 __attribute__((always_inline)) __m512 tap(int t) const {
    if constexpr (kInRegs) return v[1 + t];
    return _mm512_loadu_ps(wt + kTile * (1 + t));
  }
};

// W output pixels starting at column ox, accumulators in registers. The kernel-row loop is unrolled
// (rows outside the input are skipped by well-predicted branches), so every tap index is a compile-time
// constant. Pixels are visited in order and each input column is loaded just before its first use,
// so live ranges stay short and nothing spills. Edge blocks may be partial: only the first `nstore`
// pixels are stored (rows narrower than W).
template <int K, int S, int W, Load L>
UIBNAS_AVX512 __attribute__((always_inline)) inline void dw_block(const TileArgs& a, const TileWeights<K>& tw,
                                                                  const RowCtx& r, sz ox, int nstore = W) {
  constexpr int kNx = (W - 1) * S + K;  // input columns of one input row touched by W outputs
  const sz ix = ox * S - a.pad;         // first of them (negative in the left padding)
  const sz C = a.C;
  // Edge: columns [lo, hi) of the block lie inside the row. Branches on them are identical for every
  // kernel row of the block and predict well.
  const sz lo = L == Load::Edge ? std::max<sz>(0, -ix) : 0;
  const sz hi = L == Load::Edge ? std::min<sz>(kNx, a.in_w - ix) : kNx;
  __m512 acc[W];
  {
    const __m512 bias = tw.bias();
#pragma GCC unroll 8
    for (int j = 0; j < W; ++j) acc[j] = bias;
  }

  const sz row_stride = a.in_w * C;
#pragma GCC unroll 8
  for (int ky = 0; ky < K; ++ky) {
    if (ky < r.ky0 || ky >= r.ky1) continue;
    const float* row = r.in + (ky - r.ky0) * row_stride;
    __m512 w[K];
#pragma GCC unroll 8
    for (int kx = 0; kx < K; ++kx) w[kx] = tw.tap(ky * K + kx);
    __m512 x[kNx];
#pragma GCC unroll 8
    for (int j = 0; j < W; ++j) {
      const int first = j == 0 ? 0 : std::max(j * S, (j - 1) * S + K);  // columns not loaded by pixel j-1
#pragma GCC unroll 8
      for (int i = first; i < j * S + K; ++i) {
        if constexpr (L == Load::Full)
          x[i] = _mm512_loadu_ps(row + (ix + i) * C);
        else if constexpr (L == Load::Tail)
          x[i] = _mm512_maskz_loadu_ps(a.mask, row + (ix + i) * C);  // never reads past the tensor
        else
          x[i] = i >= lo && i < hi ? _mm512_maskz_loadu_ps(a.mask, row + (ix + i) * C) : _mm512_setzero_ps();
      }
#pragma GCC unroll 8
      for (int kx = 0; kx < K; ++kx) acc[j] = _mm512_fmadd_ps(x[j * S + kx], w[kx], acc[j]);
    }
  }

  // One branch per block picks the epilogue.
  switch (a.act) {
    case Act::ReLU:
#pragma GCC unroll 8
      for (int j = 0; j < W; ++j) acc[j] = relu(acc[j]);
      break;
    case Act::ReLU6:
#pragma GCC unroll 8
      for (int j = 0; j < W; ++j) acc[j] = relu6(acc[j]);
      break;
    case Act::HardSwish:
#pragma GCC unroll 8
      for (int j = 0; j < W; ++j) acc[j] = hswish(acc[j]);
      break;
    default:
      break;
  }
  float* out = r.out + ox * C;
#pragma GCC unroll 8
  for (int j = 0; j < W; ++j) {
    if constexpr (L == Load::Full)
      _mm512_storeu_ps(out + j * C, acc[j]);
    else if constexpr (L == Load::Tail)
      _mm512_mask_storeu_ps(out + j * C, a.mask, acc[j]);
    else if (j < nstore)
      _mm512_mask_storeu_ps(out + j * C, a.mask, acc[j]);
  }
}

template <int K, int S, int W, bool Tail>
UIBNAS_AVX512 __attribute__((always_inline)) inline void dw_step(const TileArgs& a, const TileWeights<K>& tw,
                                                                 const RowCtx& r, sz ox) {
  if (ox >= a.ox_lo && ox + W <= a.ox_hi)
    dw_block<K, S, W, Tail ? Load::Tail : Load::Full>(a, tw, r, ox);
  else
    dw_block<K, S, W, Load::Edge>(a, tw, r, ox);
}

template <int K, int S, bool Tail>
UIBNAS_AVX512 void dw_rows_t(const TileArgs& args) {
  const TileArgs a = args;  // local copy: the output stores cannot alias it, so fields stay in registers
  const TileWeights<K> tw(a.wt);
  for (sz oy = a.oy_begin; oy < a.oy_end; ++oy) {
    const sz iy0 = oy * S - a.pad;
    const sz ky0 = std::max<sz>(0, -iy0), ky1 = std::max(ky0, std::min<sz>(K, a.in_h - iy0));
    // With no valid kernel row the input is never read; keep the pointer in bounds anyway.
    const RowCtx r{ky1 > ky0 ? a.in + (iy0 + ky0) * a.in_w * a.C : a.in, a.out + oy * a.out_w * a.C,
                   static_cast<int>(ky0), static_cast<int>(ky1)};
    if (K >= 5 && a.out_w < 8) {
      // Narrow row (7x7 maps): one partial block keeps 8 independent accumulator chains, which pays
      // for the wasted pixel with 25+ taps; for 3x3 the 4/2/1 split measured faster.
      dw_block<K, S, 8, Load::Edge>(a, tw, r, 0, static_cast<int>(a.out_w));
      continue;
    }
    sz ox = 0;
    for (; ox + 8 <= a.out_w; ox += 8) dw_step<K, S, 8, Tail>(a, tw, r, ox);
    if (ox + 4 <= a.out_w) dw_step<K, S, 4, Tail>(a, tw, r, ox), ox += 4;
    if (ox + 2 <= a.out_w) dw_step<K, S, 2, Tail>(a, tw, r, ox), ox += 2;
    if (ox < a.out_w) dw_step<K, S, 1, Tail>(a, tw, r, ox);
  }
}

template <int K, int S>
UIBNAS_AVX512 void dw_rows(const TileArgs& a) {
  if (a.mask == 0xFFFF)
    dw_rows_t<K, S, false>(a);
  else
    dw_rows_t<K, S, true>(a);
}

using RowsFn = void (*)(const TileArgs&);

template <int S>
RowsFn pick_rows_k(sz k) {
  switch (k) {
    case 1: return &dw_rows<1, S>;
    case 3: return &dw_rows<3, S>;
    case 5: return &dw_rows<5, S>;
    case 7: return &dw_rows<7, S>;
    default: return nullptr;
  }
}

RowsFn pick_rows(sz k, sz s) {
  if (s == 1) return pick_rows_k<1>(k);
  if (s == 2) return pick_rows_k<2>(k);
  return nullptr;
}

// Fallback for kernel sizes / strides without a specialised row kernel: one output pixel of one tile,
// taps clipped to the input in both directions.
struct PixelGeo {
  const float* in;  // input base already offset to channel c0
  sz in_h, in_w, C, K, S, P;
};

UIBNAS_AVX512 void dw_pixel(const PixelGeo& g, sz iy0, sz ky0, sz ky1, sz ox, const float* wt, float* out,
                            __mmask16 mask, Act act) {
  const sz ix0 = ox * g.S - g.P;
  const sz kx0 = std::max<sz>(0, -ix0), kx1 = std::min<sz>(g.K, g.in_w - ix0);
  __m512 acc = _mm512_loadu_ps(wt);
  for (sz ky = ky0; ky < ky1; ++ky) {
    const float* row = g.in + (iy0 + ky) * g.in_w * g.C;
    const float* wrow = wt + kTile * (1 + ky * g.K);
    for (sz kx = kx0; kx < kx1; ++kx)
      acc = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(mask, row + (ix0 + kx) * g.C), _mm512_loadu_ps(wrow + kTile * kx),
                            acc);
  }
  _mm512_mask_storeu_ps(out, mask, apply_act(acc, act));
}

}  // namespace

UIBNAS_AVX512 void f32_dwconv_16c__avx512f(const DwConvGeometry& g, const float* in, const float* packed, float* out,
                                           std::size_t oy_begin, std::size_t oy_end, Act act) {
  const sz K = static_cast<sz>(g.kernel), S = static_cast<sz>(g.stride), P = static_cast<sz>(g.pad);
  const sz IH = static_cast<sz>(g.in_h), IW = static_cast<sz>(g.in_w), OW = static_cast<sz>(g.out_w);
  const sz C = static_cast<sz>(g.channels);
  const sz tiles = (C + kTile - 1) / kTile;
  const sz tile_floats = kTile * (1 + K * K);
  const Act fused = in_register_act(act) ? act : Act::None;
  oy_end = std::min(oy_end, g.out_h);

  // Interior columns [ox_lo, ox_hi): every tap column lies in [0, IW).
  const sz ox_lo = std::min(OW, (P + S - 1) / S);
  const sz ox_hi = std::max(ox_lo, IW - K + P >= 0 ? std::min(OW, (IW - K + P) / S + 1) : sz{0});
  const RowsFn rows_fn = pick_rows(K, S);

  // Output rows go in bands; inside a band each channel tile sweeps all rows of the band. Consecutive
  // rows of one tile share K - S input rows (K * in_w cache lines, a few KiB), which then come from L1
  // instead of L2, while the band's input rows as a whole (about kBandBytes) stay in L2.
  constexpr sz kBandBytes = 128 * 1024;
  const sz in_row_bytes = IW * C * static_cast<sz>(sizeof(float));
  const sz band = std::max<sz>(1, kBandBytes / std::max<sz>(1, in_row_bytes * S));

  for (sz band_begin = static_cast<sz>(oy_begin); band_begin < static_cast<sz>(oy_end); band_begin += band) {
    const sz band_end = std::min(band_begin + band, static_cast<sz>(oy_end));
    for (sz t = 0; t < tiles; ++t) {
      const sz c0 = t * kTile;
      const __mmask16 mask =
          C - c0 < kTile ? static_cast<__mmask16>((1u << (C - c0)) - 1u) : static_cast<__mmask16>(0xFFFF);
      const float* wt = packed + t * tile_floats;
      if (rows_fn != nullptr) {
        rows_fn(TileArgs{in + c0, out + c0, wt, IH, IW, C, P, OW, ox_lo, ox_hi, band_begin, band_end, mask, fused});
        continue;
      }
      const PixelGeo pg{in + c0, IH, IW, C, K, S, P};
      for (sz oy = band_begin; oy < band_end; ++oy) {
        const sz iy0 = oy * S - P;
        const sz ky0 = std::max<sz>(0, -iy0), ky1 = std::max(ky0, std::min<sz>(K, IH - iy0));
        float* orow = out + oy * OW * C + c0;
        for (sz ox = 0; ox < OW; ++ox) dw_pixel(pg, iy0, ky0, ky1, ox, wt, orow + ox * C, mask, fused);
      }
    }
    if (!in_register_act(act))
      f32_activation_16x__avx512f(act, out + band_begin * OW * C,
                                  static_cast<std::size_t>((band_end - band_begin) * OW * C));
  }
}

}  // namespace uibnas::runtime::kernels::detail

#endif  // UIBNAS_KERNELS_X86
