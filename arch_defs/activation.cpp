#include "arch_defs/activation.hpp"

namespace uibnas::arch_defs {

namespace {
constexpr Activation kAll[] = {Activation::ReLU, Activation::ReLU6, Activation::GELU, Activation::HardSwish,
                               Activation::SiLU, Activation::Sigmoid, Activation::HardSigmoid};
}  // namespace

const char* activation_name(Activation a) {
  switch (a) {
    case Activation::ReLU: return "relu";
    case Activation::ReLU6: return "relu6";
    case Activation::GELU: return "gelu";
    case Activation::HardSwish: return "hard_swish";
    case Activation::SiLU: return "silu";
    case Activation::Sigmoid: return "sigmoid";
    case Activation::HardSigmoid: return "hard_sigmoid";
  }
  return "?";
}

std::optional<Activation> activation_from_name(std::string_view name) {
  for (Activation a : kAll)
    if (name == activation_name(a)) return a;
  return std::nullopt;
}

}  // namespace uibnas::arch_defs
