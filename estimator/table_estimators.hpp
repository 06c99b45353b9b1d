// Every estimator one latency table supports, and the per-part breakdown of one network:
// - lookup table: Σ entries + the fitted per-network overhead; a part missing from the table is an
//   error naming it, or with allow_missing a roofline estimate (fitted on the table's block entries),
//   flagged in the breakdown;
// - roofline: Eq. 1 with the peaks of the table's fingerprint, or PeakMACs with a given ridge point;
// - calibrated roofline: scale · Σ max(MACs, RP · bytes), RP given or fitted, the scale fitted on the
//   table's end-to-end measurements (the absolute peaks of a register-only FMA loop are far from what
//   networks reach);
// - MACs: scale · MACs (RP = 0), the scale fitted the same way.
#pragma once
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "estimator/lookup_table_estimator.hpp"
#include "estimator/ridge_point_fit.hpp"
#include "estimator/roofline.hpp"

namespace uibnas::estimator {

struct EstimatorOptions {
  Statistic statistic = Statistic::Median;
  std::optional<double> ridge_point;  // MACs/byte; default: the fingerprint's (roofline) / the fitted one (calibrated)
  bool allow_missing = false;
};

inline constexpr double kNotAvailable = std::numeric_limits<double>::quiet_NaN();

struct PartEstimate {
  std::string name;       // conv_stem, blocks.S.I, head
  std::string kind;       // stem, cn, er, uir, mqa, head
  std::string signature;  // the table key
  double lut_ms = kNotAvailable;
  bool from_roofline = false;  // not in the table: lut_ms is the block-fitted roofline's
  double macs = 0, bytes = 0;
  double roofline_ms = kNotAvailable;    // with the peaks
  double calibrated_ms = kNotAvailable;  // the calibrated roofline's share
};

struct NetworkEstimate {
  std::string name;
  int resolution = 0, threads = 1;
  std::vector<PartEstimate> parts;
  int missing = 0;
  double lut_parts_ms = 0, lut_overhead_ms = 0, lut_ms = kNotAvailable;
  double roofline_ms = kNotAvailable;
  double calibrated_roofline_ms = kNotAvailable;
  double macs_ms = kNotAvailable;
  double total_macs = 0, total_bytes = 0, weight_mb = 0;
  nlohmann::json to_json() const;
};

class TableEstimators {
 public:
  // Throws InputError (naming `source`) for a table the lookup-table estimator cannot index.
  TableEstimators(const latency::LatencyTable& table, const std::string& source, const EstimatorOptions& options);

  const LookupTableEstimator& lut() const { return lut_; }
  // Replaces the lookup table's overhead (fitted on this table's end-to-end runs) by one fitted elsewhere.
  void use_overhead(const OverheadFit& fit) { lut_.set_overhead(fit); }
  const EstimatorOptions& options() const { return options_; }
  // Eq. 1 with the fingerprint's peaks (ridge point replaced by options.ridge_point); nullopt without peaks.
  const std::optional<Roofline>& roofline() const { return roofline_; }
  // Fitted on the table's end-to-end measurements; nullopt with fewer than 3.
  const std::optional<RidgePointFit>& end_to_end_fit() const { return end_to_end_fit_; }
  // The calibrated roofline's ridge point and scale (options.ridge_point or the fitted RP).
  const std::optional<ScaleAtRidgePoint>& calibration() const { return calibration_; }
  // Fitted on the table's block entries (each part alone), computed on first use.
  const RidgePointFit& block_fit() const;

  // Throws InputError listing the missing parts unless options.allow_missing.
  NetworkEstimate estimate(const arch_defs::Network& net, int resolution, const std::string& name) const;

  // The roofline terms of every table entry, in LookupTableEstimator index order.
  std::vector<RooflineTerms> entry_terms() const;
  // The table's end-to-end runs the fits use: each network's terms (its parts' concatenated) and latency.
  const std::vector<RooflineTerms>& end_to_end_terms() const { return end_to_end_terms_; }
  const std::vector<double>& end_to_end_ms() const { return end_to_end_ms_; }

 private:
  latency::LatencyTable table_;
  std::string source_;
  EstimatorOptions options_;
  LookupTableEstimator lut_;
  std::optional<Roofline> roofline_;
  std::vector<RooflineTerms> end_to_end_terms_;
  std::vector<double> end_to_end_ms_;
  std::optional<RidgePointFit> end_to_end_fit_;
  std::optional<ScaleAtRidgePoint> calibration_;
  mutable std::optional<RidgePointFit> block_fit_;
};

}  // namespace uibnas::estimator
