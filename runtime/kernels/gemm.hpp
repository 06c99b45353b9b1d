// FP32 GEMM with a fused epilogue: the workhorse behind 1x1 convolutions, dense convolutions
// (via im2col, see conv2d.hpp) and the classifier. Weights are packed once at load time into
// column panels; gemm() then runs the best microkernel this CPU supports (AVX-512 or a portable
// fallback, see gemm_ukernels.hpp). Pure functions over caller-owned memory: no allocation, no
// threading; callers split work across threads by rows (offset a/c/residual) or by column panels
// (n_begin/n_end).
#pragma once
#include <cstddef>

#include "runtime/kernels/activation.hpp"

namespace uibnas::runtime::kernels {

using std::size_t;

struct GemmEpilogue {
  Act act = Act::None;              // applied to acc + bias
  const float* residual = nullptr;  // if set, added AFTER the activation: c = act(acc+bias) + residual[i*ldr + j]
  size_t ldr = 0;                   // may alias c exactly (residual == c, ldr == ldc): each value is read before it is written
};

// Column panel width of the packed weight layout (32). Both microkernels share it, so packed
// weights do not depend on which one runs.
size_t gemm_nr();

// Floats needed by pack_gemm_weights: ceil(n / nr) panels of nr * (k + 1) floats. Align the
// buffer to 64 bytes for best speed (not required).
size_t gemm_packed_size(size_t n, size_t k);

// w: [n][k] row-major (PyTorch conv OI layout for 1x1); bias: n floats or nullptr (= 0).
// Layout per panel of nr output columns: nr biases, then k rows of nr weights (K contiguous
// within the panel); columns past n are zero.
void pack_gemm_weights(size_t n, size_t k, const float* w, const float* bias, float* packed);

// C[i][j] = epilogue(sum_k A[i][k]*W[j][k] + bias[j]) for i in [0,m), j in [n_begin, n_end).
// n_begin must be a multiple of gemm_nr() (n_end may be n). A rows have stride lda, C rows
// stride ldc. Throws std::invalid_argument on a violated contract.
void gemm(size_t m, size_t n, size_t k, const float* a, size_t lda, const float* packed, float* c,
          size_t ldc, const GemmEpilogue& ep, size_t n_begin, size_t n_end);

// Scalar elementwise activation for one value (reference / tails): GELU is the exact erf form
// 0.5 x (1 + erf(x / sqrt 2)); HardSwish is x * relu6(x + 3) / 6.
float apply_act_scalar(Act act, float x);

}  // namespace uibnas::runtime::kernels
