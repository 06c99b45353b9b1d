// The search section (from a `uibnas search --out` folder): the evaluated cloud in latency x
// objective with the front and, when rediscover.json says which, the published variant marked; the
// hypervolume by generation; and the rediscovery summary.
#pragma once
#include "reports/figure.hpp"
#include "reports/search_folder.hpp"

namespace uibnas::reports {

// Adds the folder's figures, tables and notes to `section`; `suffix` makes the ids unique.
void add_search(Section& section, const SearchFolder& folder, const std::string& suffix);

}  // namespace uibnas::reports
