// Reading a folder that `uibnas validate --out` wrote (docs/validation.md): the measured and
// estimated latency of every architecture (validation.csv), the agreement metrics (summary.json) and
// the machine-steadiness line (summary.txt).
#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "reports/csv_table.hpp"

namespace uibnas::reports {

struct ValidationPoint {
  std::string name, group;
  double measured_ms = 0, lut_ms = 0;
};

struct ValidationFolder {
  std::string path, table_path, hardware_name, statistic;
  int threads = 1;
  std::vector<ValidationPoint> points;
  nlohmann::json agreement;  // summary.json's per estimator and group metrics
  nlohmann::json options;    // how the run was made
  std::string steadiness;    // the "machine steadiness: ..." line, or empty
};

// True for a folder holding summary.json and validation.csv.
bool is_validation_folder(const std::string& dir);

// Throws InputError naming the file for a corrupt summary or CSV.
ValidationFolder load_validation_folder(const std::string& dir);

}  // namespace uibnas::reports
