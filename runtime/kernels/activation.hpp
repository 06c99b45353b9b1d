// Activation kinds every kernel epilogue understands.
#pragma once
#include <cstdint>

namespace uibnas::runtime::kernels {

enum class Act : std::uint8_t { None, ReLU, ReLU6, GELU, HardSwish };

}  // namespace uibnas::runtime::kernels
