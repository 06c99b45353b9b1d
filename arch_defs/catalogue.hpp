// The published MobileNet-V4 variants (arch_defs/models/*.json) and name-or-file resolution.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "arch_defs/architecture.hpp"

namespace uibnas::arch_defs {

// All built-in architectures, sorted by name.
const std::vector<Architecture>& published_architectures();

// timm's published ImageNet top-1 at the architecture's default input size, when it has one.
std::optional<double> published_top1(const Architecture& arch);

// A built-in name ("mobilenetv4_conv_small", or the short "conv_small"), or a path to an architecture
// JSON file. Throws InputError naming the closest known models when nothing matches.
Architecture resolve_architecture(const std::string& model_or_file);

}  // namespace uibnas::arch_defs
