// Top-1 against latency on one latency table (from rank results): every model by family, the
// Pareto front as a staircase, a log latency axis, and labels placed so that none overlap.
#pragma once
#include "reports/figure.hpp"
#include "reports/rank.hpp"

namespace uibnas::reports {

Figure tradeoff_figure(const TableRanking& table, const std::string& id);

}  // namespace uibnas::reports
