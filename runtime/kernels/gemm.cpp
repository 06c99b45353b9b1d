// Weight packing, the tiling driver shared by every microkernel, and the entry point.
#include "runtime/kernels/gemm.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "runtime/kernels/gemm_ukernels.hpp"
#include "runtime/kernels/isa.hpp"

#if UIBNAS_KERNELS_X86
#include <immintrin.h>
#endif

#include "runtime/kernels/kernel_config.hpp"

namespace uibnas::runtime::kernels {

namespace {

constexpr size_t kNR = kGemmNR;

// When the weights do not fit in L2, A is walked in row chunks of about this many bytes (of one
// k block) that stay in L2 while the weights stream past once per chunk.
constexpr size_t kRowChunkBytes = 512 * 1024;

// K block of the large-weights path: kc x 32 floats of a panel (32 KiB at 256) stay in L1.
constexpr size_t kMaxKBlock = 256;

// Packed weights up to this size are assumed to stay in L2 across row blocks.
constexpr size_t kWeightsInL2Bytes = 1024 * 1024;

[[noreturn]] void contract(const std::string& what) {
  throw std::invalid_argument("gemm: " + what);
}

}  // namespace

size_t gemm_nr() { return kNR; }

size_t gemm_packed_size(size_t n, size_t k) { return (n + kNR - 1) / kNR * kNR * (k + 1); }

namespace {

// dst[c * kNR + r] = src[r * k + c] for r, c < 4: a 4x4 block of the panel transpose. SSE is in
// every x86-64, so this needs no run-time dispatch; elsewhere the scalar loop serves.
inline void transpose_4x4(const float* src, size_t k, float* dst) {
#if UIBNAS_KERNELS_X86
  __m128 r0 = _mm_loadu_ps(src), r1 = _mm_loadu_ps(src + k), r2 = _mm_loadu_ps(src + 2 * k),
         r3 = _mm_loadu_ps(src + 3 * k);
  _MM_TRANSPOSE4_PS(r0, r1, r2, r3);
  _mm_storeu_ps(dst, r0);
  _mm_storeu_ps(dst + kNR, r1);
  _mm_storeu_ps(dst + 2 * kNR, r2);
  _mm_storeu_ps(dst + 3 * kNR, r3);
#else
  for (size_t r = 0; r < 4; ++r)
    for (size_t c = 0; c < 4; ++c) dst[c * kNR + r] = src[r * k + c];
#endif
}

}  // namespace

void pack_gemm_weights(size_t n, size_t k, const float* w, const float* bias, float* packed) {
  // A panel is the transpose of kNR weight rows, done in 4x4 blocks over kPackKBlock columns at a
  // time so that the panel side of a block (kPackKBlock x kNR floats) stays in L1.
  constexpr size_t kPackKBlock = 16;
  const size_t panels = (n + kNR - 1) / kNR;
  for (size_t p = 0; p < panels; ++p) {
    float* dst = packed + p * kNR * (k + 1);
    const float* rows = w + p * kNR * k;
    const size_t live = std::min(kNR, n - p * kNR);
    for (size_t j = 0; j < kNR; ++j) dst[j] = (j < live && bias != nullptr) ? bias[p * kNR + j] : 0.0f;
    float* panel = dst + kNR;
    for (size_t k0 = 0; k0 < k; k0 += kPackKBlock) {
      const size_t k1 = std::min(k, k0 + kPackKBlock), k4 = k0 + (k1 - k0) / 4 * 4;
      const size_t live4 = live / 4 * 4;
      for (size_t j = 0; j < live4; j += 4)
        for (size_t kk = k0; kk < k4; kk += 4) transpose_4x4(rows + j * k + kk, k, panel + kk * kNR + j);
      for (size_t j = 0; j < live; ++j)  // what the 4x4 blocks leave: the last rows and columns
        for (size_t kk = (j < live4 ? k4 : k0); kk < k1; ++kk) panel[kk * kNR + j] = rows[j * k + kk];
      for (size_t j = live; j < kNR; ++j)
        for (size_t kk = k0; kk < k1; ++kk) panel[kk * kNR + j] = 0.0f;
    }
  }
}

float apply_act_scalar(Act act, float x) {
  switch (act) {
    case Act::None:
      return x;
    case Act::ReLU:
      return std::max(x, 0.0f);
    case Act::ReLU6:
      return std::min(std::max(x, 0.0f), 6.0f);
    case Act::GELU:
      return 0.5f * x * (1.0f + std::erf(x * 0.70710678118654752f));
    case Act::HardSwish:
      return x * std::min(std::max(x + 3.0f, 0.0f), 6.0f) / 6.0f;
    case Act::SiLU:
      return silu_f32(x);
    case Act::Sigmoid:
      return sigmoid_f32(x);
    case Act::HardSigmoid:
      return hard_sigmoid_f32(x);
  }
  return x;
}

namespace {

// One gemm_with call over a validated, non-empty output: the tile and row-block helpers, and the
// two ways of walking the weights. Weights usually arrive cold from memory (a network's weights do
// not stay cached from one run to the next), so in both the sweep that first touches a block of
// weights prefetches the next block while it computes, spread over the tiles that share the block.
struct GemmSweep {
  const GemmUkernel& uk;
  size_t m, k;
  const float* a;
  size_t lda;
  const float* packed;
  float* c;
  size_t ldc;
  const GemmEpilogue& ep;
  size_t n_begin, n_end;
  size_t panel_floats = kNR * (k + 1);
  size_t j_last = (n_end - 1) / kNR * kNR;  // first column of the last panel

  // Runs one MR x 32 tile over k rows [k0, k0 + kc) of the panel holding column j0.
  void run_tile(size_t i, size_t mr, size_t j0, size_t k0, size_t kc, unsigned flags, const float* pf,
                size_t pf_lines) const {
    const size_t nc = std::min(kNR, n_end - j0);
    const float* w = packed + (j0 / kNR) * panel_floats + kNR * k0;
    const float* res = ep.residual != nullptr ? ep.residual + i * ep.ldr + j0 : nullptr;
    uk.fn(mr, nc, kc, a + i * lda + k0, lda, w, c + i * ldc + j0, ldc, res, ep.ldr, ep.act, pf, std::min(pf_lines, 2 * kc),
          flags);
  }

  // Calls body(i, mr, index, count) for balanced row blocks covering [i0, i0 + rows): e.g. 49
  // rows with MR=12 -> 10,10,10,10,9 rather than 12,12,12,12,1, since a 1-row tile runs far below
  // the FMA rate.
  template <class Body>
  void for_row_blocks(size_t i0, size_t rows, Body&& body) const {
    const size_t blocks = (rows + uk.mr - 1) / uk.mr;
    const size_t base = rows / blocks;
    const size_t extra = rows % blocks;
    for (size_t b = 0, i = i0; b < blocks; ++b) {
      const size_t mr = base + (b < extra ? 1 : 0);
      body(i, mr, b, blocks);
      i += mr;
    }
  }

  bool weights_fit_l2() const {
    return (n_end - n_begin + kNR - 1) / kNR * panel_floats * sizeof(float) <= kWeightsInL2Bytes;
  }

  // The weights stay in L2: keep one MR-row slice of A in L1 and stream the panels past it.
  void run_weights_in_l2() const {
    const size_t lines = (panel_floats + 15) / 16;  // cache lines of one panel
    for_row_blocks(0, m, [&](size_t i, size_t mr, size_t b, size_t) {
      for (size_t j0 = n_begin; j0 < n_end; j0 += kNR) {
        const float* next = (b == 0 && j0 != j_last) ? packed + (j0 / kNR + 1) * panel_floats : nullptr;
        run_tile(i, mr, j0, 0, k, 0, next, lines);
      }
    });
  }

  // Large weights: split K into blocks of at most kc rows, so that a block of one panel (kc x 32)
  // stays in L1 while every row tile of a chunk of A uses it, and stream the weights past A once
  // per row chunk: for each k block, each panel. Partial sums wait in C (exact: they are stored
  // and reloaded as the same floats), and the epilogue runs with the last k block. K blocking
  // needs C to be written before the residual is read, so it is off when they overlap.
  void run_streamed_weights() const {
    const bool aliased = ep.residual != nullptr && ep.residual < c + m * ldc && c < ep.residual + m * ep.ldr;
    // One row tile has nothing to share a k block with: it just streams whole panels.
    const size_t kblocks = aliased || m <= uk.mr ? 1 : std::max<size_t>(1, (k + kMaxKBlock / 2) / kMaxKBlock);
    const size_t kc = (k + kblocks - 1) / kblocks;
    const size_t row_bytes = std::max<size_t>(kc, 1) * sizeof(float);
    size_t chunk = m;
    if (m * row_bytes > 2 * kRowChunkBytes) chunk = std::max(uk.mr, kRowChunkBytes / row_bytes / uk.mr * uk.mr);
    for (size_t i0 = 0; i0 < m; i0 += chunk)
      for (size_t kb = 0; kb < kblocks; ++kb) run_k_block(i0, std::min(chunk, m - i0), kb, kblocks, kc);
  }

  // Rows [i0, i0 + rows) over k block kb of every panel.
  void run_k_block(size_t i0, size_t rows, size_t kb, size_t kblocks, size_t kc) const {
    const size_t k0 = kb * kc, kn = std::min(kc, k - k0);
    const unsigned flags = (kb > 0 ? kTileAccumulate : 0u) | (kb + 1 < kblocks ? kTilePartial : 0u);
    for (size_t j0 = n_begin; j0 < n_end; j0 += kNR) {
      // Next weights this sweep needs: the same k block of the next panel, else the next k block
      // of the first panel.
      const float* next = nullptr;
      size_t next_rows = 0;
      if (j0 != j_last) {
        next = packed + (j0 / kNR + 1) * panel_floats + kNR * k0;
        next_rows = kn + 1;
      } else if (kb + 1 < kblocks) {
        next = packed + (n_begin / kNR) * panel_floats + kNR * (k0 + kc);
        next_rows = std::min(kc, k - k0 - kc) + 1;
      }
      const size_t lines = (next_rows * kNR + 15) / 16;
      for_row_blocks(i0, rows, [&](size_t i, size_t mr, size_t b, size_t blocks) {
        const size_t l0 = lines * b / blocks, l1 = lines * (b + 1) / blocks;
        run_tile(i, mr, j0, k0, kn, flags, next == nullptr ? nullptr : next + 16 * l0, l1 - l0);
      });
    }
  }
};

}  // namespace

void gemm_with(const GemmUkernel& uk, size_t m, size_t n, size_t k, const float* a, size_t lda,
               const float* packed, float* c, size_t ldc, const GemmEpilogue& ep, size_t n_begin,
               size_t n_end) {
  if (n_begin % kNR != 0)
    contract("n_begin " + std::to_string(n_begin) + " is not a multiple of " + std::to_string(kNR));
  if (n_begin > n_end || n_end > n)
    contract("column range [" + std::to_string(n_begin) + ", " + std::to_string(n_end) +
             ") outside n = " + std::to_string(n));
  if (m > 1 && lda < k) contract("lda < k");
  if (m > 1 && ldc < n_end) contract("ldc < n_end");
  if (m > 1 && ep.residual != nullptr && ep.ldr < n_end) contract("ldr < n_end");
  if (m == 0 || n_begin == n_end) return;
  const GemmSweep sweep{uk, m, k, a, lda, packed, c, ldc, ep, n_begin, n_end};
  if (sweep.weights_fit_l2()) sweep.run_weights_in_l2();
  else sweep.run_streamed_weights();
}

void gemm(size_t m, size_t n, size_t k, const float* a, size_t lda, const float* packed, float* c,
          size_t ldc, const GemmEpilogue& ep, size_t n_begin, size_t n_end) {
  gemm_with(kernel_configs().gemm, m, n, k, a, lda, packed, c, ldc, ep, n_begin, n_end);
}

}  // namespace uibnas::runtime::kernels
