// The options an input records (search.json's, summary.json's), as one readable line:
// "budget=600, objectives=latency macs:max, seed=1".
#pragma once
#include <string>

#include <nlohmann/json.hpp>

namespace uibnas::reports {

std::string options_text(const nlohmann::json& options);

}  // namespace uibnas::reports
