// The ridge point and time scale that best explain measured latencies with the roofline, as the MNv4
// paper fits its Table 16 (Pixel 6 CPU 31.2, S23 CPU 39.7 MACs/byte), with the Spearman correlation
// of the roofline and of plain MACs against the measurements.
//
// The fit minimises the squared error of log latency, Σ (ln measured − ln(scale · Σ max(MACs, RP·bytes)))²:
// relative errors, so a 1 ms network weighs as much as a 100 ms one. For a given RP the best scale is
// closed-form (the geometric mean of the ratios); RP is searched on a 0.1 MACs/byte grid from 0 to
// max_rp, then refined by golden section around the best grid point.
#pragma once
#include <vector>

#include <nlohmann/json.hpp>

#include "estimator/roofline.hpp"

namespace uibnas::estimator {

struct RidgePointFit {
  int count = 0;
  double ridge_point = 0;      // MACs/byte in the terms' bytes convention
  double ms_per_gmac = 0;      // latency_ms = ms_per_gmac · Σ max(MACs, RP·bytes) / 1e9
  double rms_log_error = 0;    // of the fit; 0.05 ≈ 5% typical error
  double spearman_roofline = 0, kendall_roofline = 0;  // fitted roofline vs measured
  double spearman_macs = 0, kendall_macs = 0;          // MACs vs measured (RP = 0)
  double macs_ms_per_gmac = 0;                         // the best scale at RP = 0
  double effective_gmacs() const { return ms_per_gmac > 0 ? 1e3 / ms_per_gmac : 0; }
  double milliseconds(const RooflineTerms& t) const { return ms_per_gmac * mac_equivalents(t, ridge_point) / 1e9; }
  nlohmann::json to_json() const;  // as `estimate --fit --json` and validate's summary.json print it
};

// Throws InputError with fewer than 3 networks or a non-positive measurement.
RidgePointFit fit_ridge_point(const std::vector<RooflineTerms>& networks, const std::vector<double>& measured_ms,
                              double max_rp = 500);

// The best scale and its rms log error at one ridge point (the inner step of the fit).
struct ScaleAtRidgePoint {
  double ridge_point = 0, ms_per_gmac = 0, rms_log_error = 0, spearman = 0;
};
ScaleAtRidgePoint scale_at_ridge_point(const std::vector<RooflineTerms>& networks,
                                       const std::vector<double>& measured_ms, double ridge_point);

}  // namespace uibnas::estimator
