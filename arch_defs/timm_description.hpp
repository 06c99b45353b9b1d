// Reads an architecture from the reference description form that ../shared/reference/baselines.json
// (one entry of "models") and the tiny fixtures' *.arch.json use: timm's own vocabulary ("timm_class",
// "head": {"style", "head_hidden", ...}, "se": {"se_from_exp", "rd_formula", "act", "gate"},
// "timm_top1": a list of CSV rows), much of it prose for people. Only the fields that decide the
// network and its published figures are read; the rest (per-block tables, fixture notes) is ignored.
#pragma once
#include <string>

#include <nlohmann/json.hpp>

#include "arch_defs/architecture.hpp"

namespace uibnas::arch_defs {

// `source` prefixes every error. The name is "timm_name", else "name"; the published top-1 are the
// rows of the default pretrained tag.
Architecture architecture_from_timm_description(const nlohmann::json& j, const std::string& source);

}  // namespace uibnas::arch_defs
