// The validation section (from a `uibnas validate --out` folder): the lookup-table estimate against
// the measured latency of every architecture with the ±10% band, the agreement metrics of every
// estimator, and how steady the machine was.
#pragma once
#include "reports/figure.hpp"
#include "reports/validation_folder.hpp"

namespace uibnas::reports {

// Adds the folder's scatter, metrics table and notes to `section`; `suffix` makes the ids unique.
void add_validation(Section& section, const ValidationFolder& folder, const std::string& suffix);

}  // namespace uibnas::reports
