// The ridge-point sweep (from rank results): for every model, the ridge points (MACs/byte) at which
// it is Pareto-optimal, as bars on a 0..500 axis, with the machine's fitted ridge point and the
// paper's phones marked.
#pragma once
#include "reports/figure.hpp"
#include "reports/ridge_point_sweep.hpp"

namespace uibnas::reports {

// `model_order`: the models top to bottom (those of the sweep it lacks follow in the sweep's order).
Figure ridge_sweep_figure(const RidgePointSweep& sweep, const std::vector<std::string>& model_order,
                          const std::string& id);

}  // namespace uibnas::reports
