// The rediscovery summary (rediscover.json of `uibnas search --rediscover`): per search (direct,
// the two-stage search's stages), whether the published variant is in the space, whether the front
// dominates it, its percentile among its latency peers, and the best candidate.
#pragma once
#include <nlohmann/json.hpp>

#include "reports/figure.hpp"

namespace uibnas::reports {

void add_rediscovery(Section& section, const nlohmann::json& rediscovery, const std::string& path,
                     const std::string& suffix);

}  // namespace uibnas::reports
