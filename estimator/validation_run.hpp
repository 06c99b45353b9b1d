// One `uibnas validate` run: which networks, the table grown in the output folder, the calibration
// networks whose end-to-end runs join the table (the overhead is fitted on them alone, or with none on
// the table's earlier end-to-end runs; never on the validation networks), rounds of part and end-to-end timings,
// and the comparison.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "estimator/validation_report.hpp"
#include "latency/network_rounds.hpp"

namespace uibnas::estimator {

struct ValidationOptions {
  std::string table_path;              // the user's table; read, never written
  std::string out_dir;                 // gets table.json (the grown table), measured.json, validation.csv, summary.*
  std::vector<std::string> spaces;
  int samples = 0;                     // validation candidates per space, drawn with `seed`
  int calibration = 0;                 // calibration candidates per space, drawn with seed + kCalibrationSeedOffset
  std::uint64_t seed = 0;
  std::vector<arch_defs::Architecture> models;    // published (or given) networks validated too
  latency::EndToEndOptions end_to_end;
  Statistic statistic = Statistic::Median;
  bool reuse_measurements = false;     // networks in out_dir/measured.json are not measured again
};

inline constexpr std::uint64_t kCalibrationSeedOffset = 1000003;

ValidationReport run_validation(const ValidationOptions& options);

}  // namespace uibnas::estimator
