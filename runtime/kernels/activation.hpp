// Activation kinds every kernel epilogue understands, and the scalar forms of the exp-based ones
// that the portable kernels share.
#pragma once
#include <cmath>
#include <cstdint>

namespace uibnas::runtime::kernels {

// HardSigmoid is relu6(x + 3) / 6 and SiLU x * sigmoid(x), as torch defines them; Sigmoid and
// HardSigmoid are the squeeze-excite gates.
enum class Act : std::uint8_t { None, ReLU, ReLU6, GELU, HardSwish, SiLU, Sigmoid, HardSigmoid };

inline float sigmoid_f32(float x) { return 1.0f / (1.0f + std::exp(-x)); }
inline float silu_f32(float x) { return x * sigmoid_f32(x); }
// Comparisons written so that NaN propagates like PyTorch.
inline float hard_sigmoid_f32(float x) {
  const float t = x + 3.0f;
  return (t < 0.0f ? 0.0f : (t > 6.0f ? 6.0f : t)) / 6.0f;
}

}  // namespace uibnas::runtime::kernels
