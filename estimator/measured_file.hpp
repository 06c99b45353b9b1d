// out_dir/measured.json of `uibnas validate`: every end-to-end measurement of the runs made into this
// folder, by network, with each network's rounds and their slots' parts, and the FMA probes of the
// last run that measured (see latency/steadiness.hpp).
#pragma once
#include <map>
#include <string>
#include <vector>

#include "estimator/validation.hpp"
#include "latency/network_rounds.hpp"

namespace uibnas::estimator {

struct MeasuredFile {
  std::map<std::string, latency::Measurement> networks;  // by measured_key
  std::map<std::string, std::vector<latency::Measurement>> rounds;
  std::map<std::string, latency::SlotParts> slot_parts;
  std::vector<double> probe_gmacs;
};

std::string measured_key(const std::string& name, int resolution);  // "name@resolution"

// An empty file when `path` does not exist; throws InputError naming it when it is corrupt or for
// another thread count.
MeasuredFile load_measured(const std::string& path, int threads);

// Writes `targets` first (with their groups), then the networks of earlier runs they do not name;
// atomically (a temporary file renamed over `path`).
void save_measured(const std::string& path, int threads, const MeasuredFile& file,
                   const std::vector<ValidationTarget>& targets);

}  // namespace uibnas::estimator
