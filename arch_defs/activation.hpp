// Activation functions as the architecture names them: the network default ("act"), per-block
// overrides (timm's nre/nr6/nhs/nsw tokens) and the squeeze-excite gates.
#pragma once
#include <optional>
#include <string_view>

namespace uibnas::arch_defs {

// SiLU is x * sigmoid(x); HardSigmoid is relu6(x + 3) / 6 (torch nn.Hardsigmoid). Sigmoid and
// HardSigmoid appear only as squeeze-excite gates.
enum class Activation { ReLU, ReLU6, GELU, HardSwish, SiLU, Sigmoid, HardSigmoid };

// "relu", "relu6", "gelu", "hard_swish", "silu", "sigmoid", "hard_sigmoid"
const char* activation_name(Activation a);
std::optional<Activation> activation_from_name(std::string_view name);

}  // namespace uibnas::arch_defs
