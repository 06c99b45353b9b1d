// Where the numbers come from: each latency table's hardware fingerprint, build and measurement
// protocol, the build of this report, and the command line (or options) recorded by each input.
#pragma once
#include "reports/figure.hpp"
#include "reports/report_inputs.hpp"

namespace uibnas::reports {

Section provenance_section(const ReportInputs& inputs);

}  // namespace uibnas::reports
