// NEON depthwise convolution over the 16-channel packed tiles of dwconv.hpp. Loop order: output rows,
// then channel tiles, then the tile's four 4-channel groups (one q-register each), then pixels; the
// four groups of a tile read the same cache lines back to back, so those come from L1.
// A row is covered by blocks of up to 8 output pixels whose accumulators stay in registers; every input
// vector of an input row is loaded once and feeds all outputs of the block that use it. Blocks touching
// the left/right padding substitute zeros for the columns outside the row, and rows clip their ky
// range, so padding never needs a padded copy of the input. The last group of a channel tail loads and
// stores only its valid lanes. Kernel sizes 1/3/5/7 with stride 1/2 are specialised; anything else
// takes a per-pixel fallback.
#include "runtime/kernels/dwconv.hpp"

#if UIBNAS_KERNELS_NEON
#include <algorithm>
#include <cstddef>

#include "runtime/kernels/activation_neon.hpp"
#include "runtime/kernels/elementwise.hpp"
#include "runtime/kernels/lanes_neon.hpp"

namespace uibnas::runtime::kernels::detail {
namespace {

using sz = std::ptrdiff_t;
constexpr sz kTile = 16;  // channels per packed tile (dwconv.hpp)

// Activations cheap enough to apply in registers before the store; the others (GELU, SiLU and the
// gates, which need exp or erf) by a row pass of the activation kernel.
bool in_register_act(Act act) { return act == Act::None || act == Act::ReLU || act == Act::ReLU6 || act == Act::HardSwish; }

inline float32x4_t apply_act(float32x4_t v, Act act) {
  switch (act) {
    case Act::ReLU: return activate4<Act::ReLU>(v);
    case Act::ReLU6: return activate4<Act::ReLU6>(v);
    case Act::HardSwish: return activate4<Act::HardSwish>(v);
    default: return v;
  }
}

// One 4-channel group of one tile over one output row.
struct GroupRow {
  const float* in;   // input row iy0 + ky0, column 0, first channel of the group
  float* out;        // output row, column 0, first channel of the group
  const float* wt;   // packed tile plus the group's lane offset: bias at wt, tap t at wt + 16 * (1 + t)
  sz in_w, C, pad;
  int ky0, ky1;      // valid kernel rows
  std::size_t lanes; // valid channels of the group, 1..4
  Act act;           // only the register-applied ones (in_register_act)
};

// How a block loads its inputs: all four lanes of every column; or only the valid lanes, with zeros
// for columns in the left/right padding.
enum class Load { Full, Edge };

// W output pixels starting at column ox, accumulators in registers. The kernel-row loop is unrolled
// (rows outside the input are skipped by well-predicted branches), so every tap index is a compile-time
// constant. Each input column is loaded just before its first use, which keeps live ranges short.
// Edge blocks may be partial: only the first `nstore` pixels are stored (rows narrower than W).
template <int K, int S, int W, Load L>
inline __attribute__((always_inline)) void dw_block(const GroupRow& a, sz ox, int nstore = W) {
  constexpr int kNx = (W - 1) * S + K;  // input columns of one input row touched by W outputs
  const sz ix = ox * S - a.pad;         // first of them (negative in the left padding)
  const sz C = a.C;
  const sz lo = L == Load::Edge ? std::max<sz>(0, -ix) : 0;
  const sz hi = L == Load::Edge ? std::min<sz>(kNx, a.in_w - ix) : kNx;
  float32x4_t acc[W];
  {
    const float32x4_t bias = vld1q_f32(a.wt);
#pragma GCC unroll 8
    for (int j = 0; j < W; ++j) acc[j] = bias;
  }
  const sz row_stride = a.in_w * C;
#pragma GCC unroll 8
  for (int ky = 0; ky < K; ++ky) {
    if (ky < a.ky0 || ky >= a.ky1) continue;
    const float* row = a.in + (ky - a.ky0) * row_stride;
    float32x4_t w[K];
#pragma GCC unroll 8
    for (int kx = 0; kx < K; ++kx) w[kx] = vld1q_f32(a.wt + kTile * (1 + ky * K + kx));
    float32x4_t x[kNx];
#pragma GCC unroll 8
    for (int j = 0; j < W; ++j) {
      const int first = j == 0 ? 0 : std::max(j * S, (j - 1) * S + K);  // columns not loaded by pixel j-1
#pragma GCC unroll 8
      for (int i = first; i < j * S + K; ++i) {
        if constexpr (L == Load::Full)
          x[i] = vld1q_f32(row + (ix + i) * C);
        else
          x[i] = i >= lo && i < hi ? load_lanes(row + (ix + i) * C, a.lanes) : vdupq_n_f32(0.0f);
      }
#pragma GCC unroll 8
      for (int kx = 0; kx < K; ++kx) acc[j] = vfmaq_f32(acc[j], x[j * S + kx], w[kx]);
    }
  }
  // One branch per block picks the epilogue.
  switch (a.act) {
    case Act::ReLU:
#pragma GCC unroll 8
      for (int j = 0; j < W; ++j) acc[j] = activate4<Act::ReLU>(acc[j]);
      break;
    case Act::ReLU6:
#pragma GCC unroll 8
      for (int j = 0; j < W; ++j) acc[j] = activate4<Act::ReLU6>(acc[j]);
      break;
    case Act::HardSwish:
#pragma GCC unroll 8
      for (int j = 0; j < W; ++j) acc[j] = activate4<Act::HardSwish>(acc[j]);
      break;
    default:
      break;
  }
  float* out = a.out + ox * C;
#pragma GCC unroll 8
  for (int j = 0; j < W; ++j) {
    if constexpr (L == Load::Full)
      vst1q_f32(out + j * C, acc[j]);
    else if (j < nstore)
      store_lanes(out + j * C, acc[j], a.lanes);
  }
}

// Output columns [ox_lo, ox_hi) have every tap column inside the input row.
struct Interior {
  sz out_w, ox_lo, ox_hi;
};

template <int K, int S, int W>
inline __attribute__((always_inline)) void dw_step(const GroupRow& a, const Interior& cols, sz ox) {
  if (a.lanes == 4 && ox >= cols.ox_lo && ox + W <= cols.ox_hi)
    dw_block<K, S, W, Load::Full>(a, ox);
  else
    dw_block<K, S, W, Load::Edge>(a, ox);
}

template <int K, int S>
void dw_row(const GroupRow& a, const Interior& cols) {
  if (K >= 5 && cols.out_w < 8) {
    // Narrow row (7x7 maps): one partial block keeps 8 independent accumulator chains, which pays
    // for the wasted pixels with 25+ taps each.
    dw_block<K, S, 8, Load::Edge>(a, 0, static_cast<int>(cols.out_w));
    return;
  }
  sz ox = 0;
  for (; ox + 8 <= cols.out_w; ox += 8) dw_step<K, S, 8>(a, cols, ox);
  if (ox + 4 <= cols.out_w) dw_step<K, S, 4>(a, cols, ox), ox += 4;
  if (ox + 2 <= cols.out_w) dw_step<K, S, 2>(a, cols, ox), ox += 2;
  if (ox < cols.out_w) dw_step<K, S, 1>(a, cols, ox);
}

using RowFn = void (*)(const GroupRow&, const Interior&);

template <int S>
RowFn pick_row_k(sz k) {
  switch (k) {
    case 1: return &dw_row<1, S>;
    case 3: return &dw_row<3, S>;
    case 5: return &dw_row<5, S>;
    case 7: return &dw_row<7, S>;
    default: return nullptr;
  }
}

RowFn pick_row(sz k, sz s) {
  if (s == 1) return pick_row_k<1>(k);
  if (s == 2) return pick_row_k<2>(k);
  return nullptr;
}

// Fallback for kernel sizes / strides without a specialised row kernel: one output pixel of one
// group, taps clipped to the input in both directions.
void dw_pixel(const GroupRow& a, sz K, sz S, sz ox) {
  const sz ix0 = ox * S - a.pad;
  const sz kx0 = std::max<sz>(0, -ix0), kx1 = std::min<sz>(K, a.in_w - ix0);
  float32x4_t acc = vld1q_f32(a.wt);
  for (sz ky = a.ky0; ky < a.ky1; ++ky) {
    const float* row = a.in + (ky - a.ky0) * a.in_w * a.C;
    const float* wrow = a.wt + kTile * (1 + ky * K);
    for (sz kx = kx0; kx < kx1; ++kx)
      acc = vfmaq_f32(acc, load_lanes(row + (ix0 + kx) * a.C, a.lanes), vld1q_f32(wrow + kTile * kx));
  }
  store_lanes(a.out + ox * a.C, apply_act(acc, a.act), a.lanes);
}

}  // namespace

void f32_dwconv_16c__neonfma(const DwConvGeometry& g, const float* in, const float* packed, float* out,
                             std::size_t oy_begin, std::size_t oy_end, Act act) {
  const sz K = static_cast<sz>(g.kernel), S = static_cast<sz>(g.stride), P = static_cast<sz>(g.pad);
  const sz IH = static_cast<sz>(g.in_h), IW = static_cast<sz>(g.in_w), OW = static_cast<sz>(g.out_w);
  const sz C = static_cast<sz>(g.channels);
  const sz tile_floats = kTile * (1 + K * K);
  const Act fused = in_register_act(act) ? act : Act::None;
  oy_end = std::min(oy_end, g.out_h);
  const sz ox_lo = std::min(OW, (P + S - 1) / S);
  const Interior cols{OW, ox_lo, std::max(ox_lo, IW - K + P >= 0 ? std::min(OW, (IW - K + P) / S + 1) : sz{0})};
  const RowFn row_fn = pick_row(K, S);

  for (sz oy = static_cast<sz>(oy_begin); oy < static_cast<sz>(oy_end); ++oy) {
    const sz iy0 = oy * S - P;
    const sz ky0 = std::max<sz>(0, -iy0), ky1 = std::max(ky0, std::min<sz>(K, IH - iy0));
    // With no valid kernel row the input is never read; keep the pointer in bounds anyway.
    const float* irow = ky1 > ky0 ? in + (iy0 + ky0) * IW * C : in;
    float* orow = out + oy * OW * C;
    for (sz c = 0; c < C; c += 4) {
      const GroupRow a{irow + c, orow + c, packed + (c / kTile) * tile_floats + c % kTile, IW, C, P,
                       static_cast<int>(ky0), static_cast<int>(ky1), static_cast<std::size_t>(std::min<sz>(4, C - c)),
                       fused};
      if (row_fn != nullptr) {
        row_fn(a, cols);
      } else {
        for (sz ox = 0; ox < OW; ++ox) dw_pixel(a, K, S, ox);
      }
    }
    if (!in_register_act(act)) f32_activation_16x__neonfma(act, orow, static_cast<std::size_t>(OW * C));
  }
}

}  // namespace uibnas::runtime::kernels::detail

#endif  // UIBNAS_KERNELS_NEON
