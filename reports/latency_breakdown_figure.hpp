// Where each model's latency goes on one latency table: its lookup-table estimate split by block
// kind (stem, cn, er, uir, mqa, head) plus the per-network overhead, as stacked horizontal bars.
#pragma once
#include <string>
#include <vector>

#include "reports/figure.hpp"
#include "reports/report_inputs.hpp"

namespace uibnas::reports {

struct ModelAtResolution {
  std::string name;
  int resolution = 0;  // 0: the architecture's own
};

// Models the catalogue does not know are left out and named in `unknown`.
Figure latency_breakdown_figure(const LoadedTable& table, const std::vector<ModelAtResolution>& models,
                                const std::string& id, std::vector<std::string>& unknown);

}  // namespace uibnas::reports
