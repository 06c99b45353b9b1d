#include "estimator/validation_run.hpp"

#include <algorithm>
#include <filesystem>
#include <set>

#include "common/error.hpp"
#include "common/stop_request.hpp"
#include "estimator/measured_file.hpp"

namespace uibnas::estimator {
namespace {

namespace fs = std::filesystem;

// The networks validated, and the calibration candidates (drawn with another seed) that are not
// among them.
std::pair<std::vector<ValidationTarget>, std::vector<ValidationTarget>> choose_networks(const ValidationOptions& o) {
  std::vector<ValidationTarget> targets = validation_targets(o.spaces, o.samples, o.seed, o.models);
  std::vector<ValidationTarget> calibration =
      validation_targets(o.spaces, o.calibration, o.seed + kCalibrationSeedOffset, {});
  std::set<std::string> validated;
  for (const auto& t : targets) validated.insert(t.name);
  std::erase_if(calibration, [&](const ValidationTarget& c) { return validated.count(c.name) > 0; });
  if (targets.size() < 2) throw common::InputError("validation needs at least two networks");
  return {std::move(targets), std::move(calibration)};
}

// The table grows in out_dir/table.json; what an earlier run put there is kept (same hardware, threads),
// even where --table's entry rests on more repeats: it is what this folder's networks were timed with,
// and --reuse must score them against the entries their run had.
latency::LatencyTable open_work_table(const ValidationOptions& o, const latency::LatencyTable& given,
                                      const std::string& work_table) {
  fs::create_directories(o.out_dir);
  latency::LatencyTable table = given;
  if (fs::exists(work_table) && !fs::equivalent(work_table, o.table_path))
    table = latency::merge_tables(latency::load_table(work_table), table, false, latency::MergeConflict::keep_first);
  latency::save_table(table, work_table);
  return table;
}

struct FolderPaths {
  std::string table, measured;
};

// Measures the networks `everything` names that measured.json lacks (all of them without reuse), each
// side by side with all its parts (latency::measure_networks_in_rounds); after every pass, the parts'
// entries join the table and the networks measured.json. Returns the distinct parts timed and how many
// of them were new to the table.
std::pair<int, int> measure_into_folder(const ValidationOptions& o, const std::vector<ValidationTarget>& everything,
                                        latency::LatencyTable& table, MeasuredFile& file, const FolderPaths& paths) {
  std::vector<ValidationTarget> to_measure;
  for (const auto& t : everything)
    if (!o.reuse_measurements || !file.networks.count(measured_key(t.name, t.resolution))) to_measure.push_back(t);
  if (to_measure.empty()) return {0, 0};
  latency::NetworkRoundsOptions ro{o.end_to_end, latency::part_protocol(table, o.table_path), o.statistic, o.seed};
  ro.end_to_end.threads = table.threads;
  std::vector<latency::ProfileTarget> networks;
  for (const auto& t : to_measure) networks.push_back({t.arch, t.resolution});
  std::set<std::string> parts_timed;
  int parts_added = 0;
  for (const auto& t : networks)
    for (const auto& p : latency::network_parts(arch_defs::build_network(t.arch), t.resolution, table.threads))
      if (parts_timed.insert(p.signature.key()).second) parts_added += table.find(p.signature.key()) == nullptr;
  // A checkpoint taken mid-pass (a stop request) holds only what is whole: the parts timed at least
  // once, the networks through all their rounds (so --reuse never takes up a half-measured one).
  auto checkpoint = [&](const latency::NetworkRounds& m) {
    const auto& parts = m.schedule.parts;
    for (size_t p = 0; p < parts.size(); ++p)
      if (!m.record.part_rounds[p].empty())
        table.entries[parts[p].key()] = {parts[p], latency::combine_rounds(m.record.part_rounds[p])};
    for (size_t i = 0; i < to_measure.size(); ++i) {
      if (int(m.record.network_rounds[i].size()) < o.end_to_end.plan.rounds) continue;
      const std::string key = measured_key(to_measure[i].name, to_measure[i].resolution);
      file.networks[key] = latency::combine_rounds(m.record.network_rounds[i]);
      file.rounds[key] = m.record.network_rounds[i];
      file.slot_parts[key] = m.slot_parts[i];
    }
    file.probe_gmacs = m.probe_gmacs;  // this run's machine, not an earlier one's
    std::vector<ValidationTarget> saved;
    for (const auto& t : everything)
      if (file.networks.count(measured_key(t.name, t.resolution))) saved.push_back(t);
    latency::save_table(table, paths.table);
    save_measured(paths.measured, table.threads, file, saved);
  };
  const common::StopRequest stop_request;  // only while measuring: what follows takes moments
  try {
    latency::measure_networks_in_rounds(networks, ro, checkpoint);
  } catch (const common::Interrupted&) {  // the last checkpoint is saved
    throw common::Interrupted("interrupted: " + std::to_string(file.networks.size()) + " networks saved to " +
                              paths.measured + "; continue with --reuse");
  }
  return {int(parts_timed.size()), parts_added};
}

void check_table_covers(const latency::LatencyTable& table, const std::vector<ValidationTarget>& everything,
                        const std::string& work_table) {
  for (const auto& t : everything)
    for (const auto& p : latency::network_parts(arch_defs::build_network(t.arch), t.resolution, table.threads))
      if (!table.find(p.signature.key()))
        throw common::InputError(work_table + ": lacks '" + p.signature.key() + "' of " + t.name +
                         " (measured.json has the network but the table not its parts: run without --reuse)");
}

// Calibration runs join the table's end-to-end measurements, as `uibnas profile` stores its models'.
void add_calibration_runs(latency::LatencyTable& table, const std::vector<ValidationTarget>& calibration,
                          const MeasuredFile& file) {
  for (const auto& c : calibration) {
    latency::EndToEnd e{c.name, c.resolution, file.networks.at(measured_key(c.name, c.resolution)), {}};
    for (const auto& p : latency::network_parts(arch_defs::build_network(c.arch), c.resolution, table.threads))
      e.parts.push_back(p.signature.key());
    std::erase_if(table.end_to_end,
                  [&](const latency::EndToEnd& x) { return x.model == c.name && x.resolution == c.resolution; });
    table.end_to_end.push_back(std::move(e));
  }
}

// The fits (the lookup table's overhead, the calibrated roofline's scale) see only the calibration
// networks when there are any: they were timed in this run side by side with their parts, while the
// table's earlier end-to-end runs (e.g. the published variants from `profile`) were timed with
// entries this run has since replaced, and are validated here besides.
latency::LatencyTable fit_table(const latency::LatencyTable& table, const std::vector<ValidationTarget>& calibration) {
  latency::LatencyTable fit = table;
  if (!calibration.empty())
    std::erase_if(fit.end_to_end, [&](const latency::EndToEnd& e) {
      return std::none_of(calibration.begin(), calibration.end(), [&](const ValidationTarget& c) {
        return c.name == e.model && c.resolution == e.resolution;
      });
    });
  return fit;
}

// Without calibration networks, the overhead is fitted on --table as profiled: its end-to-end runs
// against the entries timed with them (side by side, in one state of the machine). Against the
// entries this run timed again, those runs would mix two states of the machine, and a fraction of
// parts measured in another hour is not what the network costs beyond its parts.
OverheadFit overhead_as_profiled(const latency::LatencyTable& given, const std::string& source,
                                 latency::Statistic statistic) {
  return LookupTableEstimator(given, statistic, source).overhead();
}

// The machine's steadiness over the validated networks' rounds (latency/steadiness.hpp), and for
// those whose slots measured.json recorded, their best round's slot state.
std::optional<latency::Steadiness> validation_steadiness(const ValidationOptions& o,
                                                         const std::vector<ValidationTarget>& targets,
                                                         const latency::LatencyTable& table, const MeasuredFile& file) {
  std::vector<std::vector<latency::Measurement>> target_rounds;
  std::vector<double> best_round_slowdowns;
  for (const auto& t : targets) {
    const std::string key = measured_key(t.name, t.resolution);
    const auto r = file.rounds.find(key);
    if (r == file.rounds.end()) continue;
    target_rounds.push_back(r->second);
    const auto p = file.slot_parts.find(key);
    if (p == file.slot_parts.end() || p->second.of(o.statistic).size() != r->second.size()) continue;
    double entries_ms = 0;
    bool complete = true;
    for (const auto& part : latency::network_parts(arch_defs::build_network(t.arch), t.resolution, table.threads)) {
      const latency::TableEntry* e = table.find(part.signature.key());
      if (!e) {
        complete = false;  // a part this folder's table lacks: no slot state to judge
        break;
      }
      entries_ms += statistic_of(e->latency, o.statistic);
    }
    if (!complete) continue;
    best_round_slowdowns.push_back(
        latency::best_round_slowdown_percent(r->second, p->second.of(o.statistic), entries_ms, o.statistic));
  }
  const latency::ThreadPeaks* peak = table.hardware.at(table.threads);
  const double settle_percent = o.end_to_end.plan.settle_percent;
  return latency::summarize_steadiness(file.probe_gmacs, target_rounds, o.statistic, peak ? peak->gmacs : 0,
                                       settle_percent, best_round_slowdowns,
                                       latency::kStateToleranceFactor * settle_percent);
}

}  // namespace

ValidationReport run_validation(const ValidationOptions& o) {
  const auto [targets, calibration] = choose_networks(o);
  const FolderPaths paths{(fs::path(o.out_dir) / "table.json").string(),
                          (fs::path(o.out_dir) / "measured.json").string()};
  const latency::LatencyTable given = latency::load_table(o.table_path);
  latency::LatencyTable table = open_work_table(o, given, paths.table);
  std::vector<ValidationTarget> everything = targets;
  everything.insert(everything.end(), calibration.begin(), calibration.end());
  MeasuredFile file = load_measured(paths.measured, table.threads);
  const auto [parts_timed, parts_added] = measure_into_folder(o, everything, table, file, paths);
  check_table_covers(table, everything, paths.table);
  add_calibration_runs(table, calibration, file);
  if (!calibration.empty()) latency::save_table(table, paths.table);

  EstimatorOptions eo;
  eo.statistic = o.statistic;
  TableEstimators estimators(fit_table(table, calibration), paths.table, eo);
  if (calibration.empty()) estimators.use_overhead(overhead_as_profiled(given, o.table_path, o.statistic));
  std::vector<latency::Measurement> results;
  for (const auto& t : targets) results.push_back(file.networks.at(measured_key(t.name, t.resolution)));
  ValidationReport report = compare_estimators(estimators, targets, results);
  report.table_path = paths.table;
  report.hardware_name = table.hardware_name;
  report.parts_timed = parts_timed;
  report.parts_added = parts_added;
  report.rounds = o.end_to_end.plan.rounds;
  report.settle_rounds = o.end_to_end.plan.settle_rounds;
  report.calibration_networks = int(calibration.size());
  report.steadiness = validation_steadiness(o, targets, table, file);
  std::vector<std::vector<latency::Measurement>> target_rounds;
  for (const auto& t : targets) {
    const auto r = file.rounds.find(measured_key(t.name, t.resolution));
    target_rounds.push_back(r == file.rounds.end() ? std::vector<latency::Measurement>{} : r->second);
  }
  add_measurement_ceilings(report, target_rounds);
  return report;
}

}  // namespace uibnas::estimator
