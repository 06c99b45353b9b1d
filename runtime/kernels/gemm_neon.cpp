// NEON GEMM microkernel: MR x 32 tile of the shared 32-column panel, computed as two 16-column
// halves. A half holds MR x 4 accumulators (24 at MR = 6), 4 weight vectors and the A element of
// the row in hand (a by-element FMLA operand) in the 32 vector registers. The epilogue (bias from the panel, activation,
// residual) is applied to the registers before the store; partial column tiles go through a
// 16-float buffer so nothing outside [0, nc) is read or written.
#include "runtime/kernels/gemm_ukernels.hpp"

#if UIBNAS_KERNELS_NEON
#include <cstring>

#include "runtime/kernels/activation_neon.hpp"

namespace uibnas::runtime::kernels {
namespace {

constexpr size_t kMR = 6;
constexpr size_t kNR = kGemmNR;
constexpr size_t kHalf = 16;

// Loads columns [0, n) of a 16-column row segment (n <= 16); the rest reads as zero.
inline void load16(const float* p, size_t n, float32x4_t (&v)[4]) {
  if (n == kHalf) {
    for (size_t q = 0; q < 4; ++q) v[q] = vld1q_f32(p + 4 * q);
    return;
  }
  float buf[kHalf] = {};
  std::memcpy(buf, p, n * sizeof(float));
  for (size_t q = 0; q < 4; ++q) v[q] = vld1q_f32(buf + 4 * q);
}

inline void store16(float* p, size_t n, const float32x4_t (&v)[4]) {
  if (n == kHalf) {
    for (size_t q = 0; q < 4; ++q) vst1q_f32(p + 4 * q, v[q]);
    return;
  }
  float buf[kHalf];
  for (size_t q = 0; q < 4; ++q) vst1q_f32(buf + 4 * q, v[q]);
  std::memcpy(p, buf, n * sizeof(float));
}

struct TileArgs {
  size_t nc, nseg, seg_len;
  const float* const* aseg;  // row r of segment s: aseg[s * kMR + r]
  const float* w;
  float* c;
  size_t ldc;
  const float* res;
  size_t ldr;
  unsigned flags;
};

// Columns [h, h + n) of the tile (h = 0 or 16, n <= 16).
template <size_t MR, Act A>
void half_tile(const TileArgs& t, size_t h, size_t n) {
  float32x4_t acc[MR][4];
  for (size_t r = 0; r < MR; ++r) {
    if (t.flags & kTileAccumulate) load16(t.c + r * t.ldc + h, n, acc[r]);
    else
      for (size_t q = 0; q < 4; ++q) acc[r][q] = vld1q_f32(t.w + h + 4 * q);  // the bias row
  }
  const float* wk = t.w + kNR + h;
  for (size_t seg = 0; seg < t.nseg; ++seg) {
    const float* rows[MR];
    for (size_t r = 0; r < MR; ++r) rows[r] = t.aseg[seg * kMR + r];
    for (size_t kk = 0; kk < t.seg_len; ++kk, wk += kNR) {
      const float32x4_t b0 = vld1q_f32(wk), b1 = vld1q_f32(wk + 4), b2 = vld1q_f32(wk + 8), b3 = vld1q_f32(wk + 12);
      for (size_t r = 0; r < MR; ++r) {
        const float av = rows[r][kk];
        acc[r][0] = vfmaq_n_f32(acc[r][0], b0, av);
        acc[r][1] = vfmaq_n_f32(acc[r][1], b1, av);
        acc[r][2] = vfmaq_n_f32(acc[r][2], b2, av);
        acc[r][3] = vfmaq_n_f32(acc[r][3], b3, av);
      }
    }
  }
  for (size_t r = 0; r < MR; ++r) {
    if (!(t.flags & kTilePartial)) {
      for (size_t q = 0; q < 4; ++q) acc[r][q] = detail::activate4<A>(acc[r][q]);
      if (t.res != nullptr) {  // read before the store: the residual may alias C
        float32x4_t rv[4];
        load16(t.res + r * t.ldr + h, n, rv);
        for (size_t q = 0; q < 4; ++q) acc[r][q] = vaddq_f32(acc[r][q], rv[q]);
      }
    }
    store16(t.c + r * t.ldc + h, n, acc[r]);
  }
}

template <size_t MR>
void tile(const TileArgs& t, Act act) {
  const Act a = (t.flags & kTilePartial) ? Act::None : act;
  detail::with_activation(a, [&]<Act A>() {
    half_tile<MR, A>(t, 0, t.nc < kHalf ? t.nc : kHalf);
    if (t.nc > kHalf) half_tile<MR, A>(t, kHalf, t.nc - kHalf);
  });
}

void dispatch(size_t mr, const TileArgs& t, Act act) {
  switch (mr) {
    case 1: return tile<1>(t, act);
    case 2: return tile<2>(t, act);
    case 3: return tile<3>(t, act);
    case 4: return tile<4>(t, act);
    case 5: return tile<5>(t, act);
    default: return tile<kMR>(t, act);
  }
}

}  // namespace

void f32_gemm_6x32__neonfma(size_t mr, size_t nc, size_t k, const float* a, size_t lda, const float* w, float* c,
                            size_t ldc, const float* residual, size_t ldr, Act act, const float* /*pf*/,
                            size_t /*pf_lines*/, unsigned flags) {
  const float* rows[kMR] = {};
  for (size_t r = 0; r < mr; ++r) rows[r] = a + r * lda;
  dispatch(mr, {nc, 1, k, rows, w, c, ldc, residual, ldr, flags}, act);
}

void f32_igemm_6x32__neonfma(size_t mr, size_t nc, size_t nseg, size_t seg_len, const float* const* a,
                             const float* w, float* c, size_t ldc, const float* residual, size_t ldr, Act act) {
  dispatch(mr, {nc, nseg, seg_len, a, w, c, ldc, residual, ldr, 0}, act);
}

const GemmUkernel& gemm_ukernel_neonfma() {
  static const GemmUkernel uk{"f32_gemm_6x32__neonfma", kMR, &f32_gemm_6x32__neonfma, &f32_igemm_6x32__neonfma};
  return uk;
}

}  // namespace uibnas::runtime::kernels
#endif
