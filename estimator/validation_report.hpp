// The comparison of every estimator with the measured latencies of a validation set, per group
// (all, sampled candidates, each space, published variants), and its outputs: a CSV with one row per
// architecture, a JSON summary and a text table.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "estimator/measurement_ceiling.hpp"
#include "estimator/metrics.hpp"
#include "estimator/table_estimators.hpp"
#include "estimator/validation.hpp"
#include "latency/steadiness.hpp"

namespace uibnas::estimator {

struct ValidationRow {
  ValidationTarget target;
  latency::Measurement measured;
  double measured_ms = 0;  // the chosen statistic of `measured`
  NetworkEstimate estimate;
};

struct GroupAgreement {
  std::string estimator;  // lut, lut-parts-only, roofline, roofline-calibrated, macs
  std::string group;      // all, sampled, <space id>, published
  Agreement agreement;
};

struct GroupCeiling {
  std::string group;
  MeasurementCeiling ceiling;
};

struct ValidationReport {
  std::string table_path, hardware_name;
  int threads = 1;
  Statistic statistic = Statistic::Median;
  int parts_timed = 0;           // distinct parts this run timed (in every round)
  int parts_added = 0;           // of which new to the table
  int rounds = 0;
  int settle_rounds = 0;         // at most this many more rounds for networks not yet settled
  int calibration_networks = 0;  // candidates measured end to end into the table for the overhead fit
  std::vector<ValidationRow> rows;
  std::vector<GroupAgreement> agreements;
  std::vector<GroupCeiling> ceilings;  // per group with at least two networks measured in two rounds or more
  OverheadFit overhead;
  std::optional<RidgePointFit> table_fit;     // roofline fitted on the table's end-to-end measurements
  std::optional<RidgePointFit> measured_fit;  // roofline fitted on this validation's measurements
  std::optional<ScaleAtRidgePoint> calibration;
  std::optional<Roofline> roofline;
  std::optional<latency::Steadiness> steadiness;       // set by run_validation from its rounds and FMA probes
  nlohmann::json options;  // how the run was made (seed, spaces, repeats, ...)
};

// Estimates every target with `estimators` (which must cover all their parts) and compares.
ValidationReport compare_estimators(const TableEstimators& estimators, const std::vector<ValidationTarget>& targets,
                                    const std::vector<latency::Measurement>& measured);

// Sets report.ceilings from each row's rounds (`rounds[i]` belongs to report.rows[i]; a row with fewer
// than two rounds is left out of the ceiling).
void add_measurement_ceilings(ValidationReport& report, const std::vector<std::vector<latency::Measurement>>& rounds);

std::string validation_csv(const ValidationReport& report);
// Replaces `path` with validation_csv(report) as common::write_file_atomically does.
void write_validation_csv(const ValidationReport& report, const std::string& path);
nlohmann::json validation_summary_json(const ValidationReport& report);
std::string validation_summary_text(const ValidationReport& report);

}  // namespace uibnas::estimator
