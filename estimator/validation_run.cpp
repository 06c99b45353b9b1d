#include "estimator/validation_run.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <set>

#include "arch_defs/error.hpp"
#include "latency/progress.hpp"
#include "latency/hardware.hpp"
#include "latency/signature.hpp"

namespace uibnas::estimator {
namespace {

namespace fs = std::filesystem;

constexpr double kProbeSeconds = 0.02;  // FMA probe before each network's slot: ~1% of a validation's time
// The slot-state check compares one slot's parts with their entries over many slots (the smallest
// minimum of many, for --statistic min), so it allows twice the rounds' tolerance.
constexpr double kStateToleranceFactor = 2;

nlohmann::json measurement_json(const latency::Measurement& m) {
  return {{"median_ms", m.median_ms}, {"p10_ms", m.p10_ms}, {"p90_ms", m.p90_ms}, {"min_ms", m.min_ms},
          {"repeats", m.repeats}};
}

std::string measured_key(const std::string& name, int resolution) { return name + "@" + std::to_string(resolution); }

// Per round of a network: its slot's parts summed over the network's part uses, each part's median
// and each part's minimum in that slot (for the slot-state check, steadiness.hpp).
struct SlotParts {
  std::vector<double> median_ms, min_ms;
  const std::vector<double>& of(Statistic s) const { return s == Statistic::Min ? min_ms : median_ms; }
};

// out_dir/measured.json: every end-to-end measurement of the runs made into this folder, by network,
// with each network's rounds and their slots' parts, and the FMA probes of the last run that measured
// (see steadiness.hpp).
struct MeasuredFile {
  std::map<std::string, latency::Measurement> networks;
  std::map<std::string, std::vector<latency::Measurement>> rounds;
  std::map<std::string, SlotParts> slot_parts;
  std::vector<double> probe_gmacs;
};

latency::Measurement measurement_from_json(const nlohmann::json& l) {
  return {l.at("median_ms").get<double>(), l.at("p10_ms").get<double>(), l.at("p90_ms").get<double>(),
          l.at("min_ms").get<double>(), l.at("repeats").get<int>()};
}

MeasuredFile load_measured(const std::string& path, int threads) {
  MeasuredFile out;
  if (!fs::exists(path)) return out;
  try {
    const nlohmann::json j = nlohmann::json::parse(std::ifstream(path));
    if (j.at("threads").get<int>() != threads)
      throw InputError(path + ": /threads is " + std::to_string(j.at("threads").get<int>()) + ", the table's " +
                       std::to_string(threads));
    for (const auto& n : j.at("networks")) {
      const std::string key = measured_key(n.at("name").get<std::string>(), n.at("resolution").get<int>());
      out.networks[key] = measurement_from_json(n.at("latency"));
      if (n.contains("rounds"))
        for (const auto& r : n.at("rounds")) out.rounds[key].push_back(measurement_from_json(r));
      if (n.contains("slot_parts_median_ms"))
        out.slot_parts[key] = {n.at("slot_parts_median_ms").get<std::vector<double>>(),
                               n.at("slot_parts_min_ms").get<std::vector<double>>()};
    }
    if (j.contains("fma_probe_gmacs")) out.probe_gmacs = j.at("fma_probe_gmacs").get<std::vector<double>>();
  } catch (const nlohmann::json::exception& e) {
    throw InputError(path + ": " + e.what());
  }
  return out;
}

void save_measured(const std::string& path, int threads, const MeasuredFile& file,
                   const std::vector<ValidationTarget>& targets) {
  const auto& all = file.networks;
  auto entry = [&](const std::string& key, nlohmann::json n) {
    n["latency"] = measurement_json(all.at(key));
    if (auto r = file.rounds.find(key); r != file.rounds.end()) {
      n["rounds"] = nlohmann::json::array();
      for (const auto& m : r->second) n["rounds"].push_back(measurement_json(m));
    }
    if (auto p = file.slot_parts.find(key); p != file.slot_parts.end()) {
      n["slot_parts_median_ms"] = p->second.median_ms;
      n["slot_parts_min_ms"] = p->second.min_ms;
    }
    return n;
  };
  nlohmann::json networks = nlohmann::json::array();
  std::set<std::string> written;
  for (const auto& t : targets) {
    const std::string key = measured_key(t.name, t.resolution);
    if (written.insert(key).second)
      networks.push_back(entry(key, {{"name", t.name}, {"group", t.group}, {"resolution", t.resolution}}));
  }
  for (const auto& [key, m] : all)  // earlier runs' networks that this run did not touch
    if (!written.count(key)) {
      const auto at = key.rfind('@');
      networks.push_back(entry(key, {{"name", key.substr(0, at)}, {"group", ""}, {"resolution", std::stoi(key.substr(at + 1))}}));
    }
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp);
    out << nlohmann::json{{"threads", threads}, {"fma_probe_gmacs", file.probe_gmacs}, {"networks", networks}}.dump(1)
        << "\n";
    if (!out) throw InputError(tmp + ": write failed");
  }
  fs::rename(tmp, path);
}

}  // namespace

ValidationReport run_validation(const ValidationOptions& o) {
  std::vector<ValidationTarget> targets = validation_targets(o.spaces, o.samples, o.seed, o.models);
  std::vector<ValidationTarget> calibration =
      validation_targets(o.spaces, o.calibration, o.seed + kCalibrationSeedOffset, {});
  {
    std::set<std::string> validated;
    for (const auto& t : targets) validated.insert(t.name);
    std::erase_if(calibration, [&](const ValidationTarget& c) { return validated.count(c.name) > 0; });
  }
  if (targets.size() < 2) throw InputError("validation needs at least two networks");

  // The table grows in out_dir/table.json; what an earlier run put there is kept (same hardware, threads),
  // even where --table's entry rests on more repeats: it is what this folder's networks were timed with,
  // and --reuse must score them against the entries their run had.
  fs::create_directories(o.out_dir);
  const std::string work_table = (fs::path(o.out_dir) / "table.json").string();
  latency::LatencyTable table = latency::load_table(o.table_path);
  if (fs::exists(work_table) && !fs::equivalent(work_table, o.table_path))
    table = latency::merge_tables(latency::load_table(work_table), table, false, latency::MergeConflict::keep_first);
  latency::save_table(table, work_table);

  std::vector<ValidationTarget> everything = targets;
  everything.insert(everything.end(), calibration.begin(), calibration.end());
  const int threads = table.threads;
  const PartProtocol protocol = part_protocol(table, o.table_path);

  // Rounds over the networks. In its slot, all of a network's distinct parts are timed side by side
  // with the network (latency::time_slot), so a network and its parts sample the same seconds of the
  // machine and its changes of speed move both; a part shared by several networks is timed in each of
  // their slots. Every entry combines all its slots; every network its rounds. With reuse, networks
  // in measured.json (and their parts) are taken as they are.
  const std::string measured_path = (fs::path(o.out_dir) / "measured.json").string();
  MeasuredFile file = load_measured(measured_path, threads);
  auto& measured = file.networks;
  std::vector<ValidationTarget> to_measure;
  for (const auto& t : everything)
    if (!o.reuse_measurements || !measured.count(measured_key(t.name, t.resolution))) to_measure.push_back(t);
  int parts_timed = 0, parts_added = 0;
  if (!to_measure.empty()) {
    EndToEndOptions e2e = o.end_to_end;
    e2e.threads = threads;
    std::vector<std::vector<latency::BlockSignature>> parts_of;  // each network's distinct parts
    std::vector<std::vector<size_t>> uses_of;  // each part use of the network, as an index into parts_of
    std::vector<double> work;  // for the progress bar: MACs of the timed runs, plus compiling
    for (const auto& t : to_measure) {
      const Network net = build_network(t.arch);
      auto& parts = parts_of.emplace_back();
      auto& uses = uses_of.emplace_back();
      std::map<std::string, size_t> index;
      for (const auto& p : latency::network_parts(net, t.resolution, threads)) {
        const auto [it, fresh] = index.emplace(p.signature.key(), parts.size());
        if (fresh) parts.push_back(p.signature);
        uses.push_back(it->second);
      }
      work.push_back(double(network_params_macs(net, t.resolution).macs) * (e2e.repeat + 1) + 1e7);
    }
    std::map<std::string, std::vector<latency::Measurement>> part_rounds;
    for (const auto& parts : parts_of)
      for (const auto& s : parts)
        if (!part_rounds.count(s.key())) {
          part_rounds[s.key()];
          ++parts_timed;
          parts_added += table.find(s.key()) == nullptr;
        }
    // Σ over a network's part uses of a statistic: of one slot's timings, or of the entries.
    auto parts_sum = [&](size_t i, Statistic statistic, auto&& measurement_of) {
      double ms = 0;
      for (size_t u : uses_of[i]) ms += statistic_of(measurement_of(u), statistic);
      return ms;
    };
    std::vector<SlotParts> slot_parts(to_measure.size());  // per network, per round
    file.probe_gmacs.clear();  // this run's machine, not an earlier one's
    // Each pass visits its networks in its own seeded order, so that where a network falls (early or
    // late, before or after a burst of load) is not tied to what it is: calibration and validation
    // networks see the same machine on average. Settling passes revisit, with their parts, the networks
    // whose two best rounds (the chosen statistic) disagree or whose best round's slot ran its parts
    // slower than their entries (settled_in_normal_state): a network measured only in slowed stretches.
    std::optional<latency::ProgressBar> bar;
    latency::RoundHooks hooks;
    hooks.arrange = [&](std::vector<size_t>& items, int pass) {
      std::mt19937_64 shuffle_rng(o.seed * 7919 + std::uint64_t(pass));
      std::shuffle(items.begin(), items.end(), shuffle_rng);
    };
    hooks.settled = [&](size_t i, const std::vector<latency::Measurement>& rounds) {
      const double entries_ms = parts_sum(i, o.statistic, [&](size_t u) {
        return latency::combine_rounds(part_rounds.at(parts_of[i][u].key()));
      });
      return settled_in_normal_state(rounds, slot_parts[i].of(o.statistic), entries_ms, o.statistic,
                                     e2e.plan.settle_percent, kStateToleranceFactor * e2e.plan.settle_percent);
    };
    hooks.begin_pass = [&](int pass, const std::vector<size_t>& items) {
      double pass_work = 0;
      for (size_t i : items) pass_work += work[i];
      const std::string label =
          pass < e2e.plan.rounds ? "validate t=" + std::to_string(threads) + " round " + std::to_string(pass + 1) + "/" +
                                       std::to_string(e2e.plan.rounds)
                                 : "settle " + std::to_string(pass - e2e.plan.rounds + 1) + "/" +
                                       std::to_string(e2e.plan.settle_rounds) + " (" + std::to_string(items.size()) +
                                       " networks)";
      bar.emplace(label, pass_work, e2e.progress);
    };
    hooks.measure = [&](size_t i) {
      file.probe_gmacs.push_back(latency::measure_fma_gmacs(threads, kProbeSeconds));
      const auto& parts = parts_of[i];
      const latency::SlotTiming timing = time_network_slot(to_measure[i], parts, protocol, e2e);
      for (size_t j = 0; j < parts.size(); ++j) part_rounds[parts[j].key()].push_back(timing.parts[j]);
      auto slot = [&](size_t u) { return timing.parts[u]; };
      slot_parts[i].median_ms.push_back(parts_sum(i, Statistic::Median, slot));
      slot_parts[i].min_ms.push_back(parts_sum(i, Statistic::Min, slot));
      const latency::Measurement m = summarize_runs(timing.network_runs);
      bar->advance(work[i], to_measure[i].name);
      return m;
    };
    hooks.end_pass = [&](int, const std::vector<std::vector<latency::Measurement>>& network_rounds) {
      bar->finish();
      // Checkpoint: entries and networks combined over their rounds so far.
      for (const auto& parts : parts_of)
        for (const auto& s : parts) table.entries[s.key()] = {s, latency::combine_rounds(part_rounds[s.key()])};
      for (size_t i = 0; i < to_measure.size(); ++i) {
        const std::string key = measured_key(to_measure[i].name, to_measure[i].resolution);
        measured[key] = latency::combine_rounds(network_rounds[i]);
        file.rounds[key] = network_rounds[i];
        file.slot_parts[key] = slot_parts[i];
      }
      latency::save_table(table, work_table);
      save_measured(measured_path, threads, file, everything);
    };
    latency::measure_in_rounds(to_measure.size(), e2e.plan, hooks);
  }
  for (const auto& t : everything)
    for (const auto& p : latency::network_parts(build_network(t.arch), t.resolution, threads))
      if (!table.find(p.signature.key()))
        throw InputError(work_table + ": lacks '" + p.signature.key() + "' of " + t.name +
                         " (measured.json has the network but the table not its parts: run without --reuse)");

  // Calibration runs join the table's end-to-end measurements, as `uibnas profile` stores its models'.
  for (const auto& c : calibration) {
    latency::EndToEnd e{c.name, c.resolution, measured.at(measured_key(c.name, c.resolution)), {}};
    for (const auto& p : latency::network_parts(build_network(c.arch), c.resolution, threads))
      e.parts.push_back(p.signature.key());
    std::erase_if(table.end_to_end,
                  [&](const latency::EndToEnd& x) { return x.model == c.name && x.resolution == c.resolution; });
    table.end_to_end.push_back(std::move(e));
  }
  if (!calibration.empty()) latency::save_table(table, work_table);

  // The fits (the lookup table's overhead, the calibrated roofline's scale) see only the calibration
  // networks when there are any: they were timed in this run side by side with their parts, while the
  // table's earlier end-to-end runs (e.g. the published variants from `profile`) were timed with
  // entries this run has since replaced, and are validated here besides.
  latency::LatencyTable fit_table = table;
  if (!calibration.empty())
    std::erase_if(fit_table.end_to_end, [&](const latency::EndToEnd& e) {
      return std::none_of(calibration.begin(), calibration.end(), [&](const ValidationTarget& c) {
        return c.name == e.model && c.resolution == e.resolution;
      });
    });
  EstimatorOptions eo;
  eo.statistic = o.statistic;
  const TableEstimators estimators(fit_table, work_table, eo);
  std::vector<latency::Measurement> results;
  for (const auto& t : targets) results.push_back(measured.at(measured_key(t.name, t.resolution)));
  ValidationReport report = compare_estimators(estimators, targets, results);
  report.table_path = work_table;
  report.hardware_name = table.hardware_name;
  report.parts_timed = parts_timed;
  report.parts_added = parts_added;
  report.rounds = o.end_to_end.plan.rounds;
  report.settle_rounds = o.end_to_end.plan.settle_rounds;
  report.calibration_networks = int(calibration.size());
  std::vector<std::vector<latency::Measurement>> target_rounds;
  std::vector<double> best_round_slowdowns;  // of the networks whose slots measured.json recorded
  for (const auto& t : targets) {
    const std::string key = measured_key(t.name, t.resolution);
    const auto r = file.rounds.find(key);
    if (r == file.rounds.end()) continue;
    target_rounds.push_back(r->second);
    const auto p = file.slot_parts.find(key);
    if (p == file.slot_parts.end() || p->second.of(o.statistic).size() != r->second.size()) continue;
    double entries_ms = 0;
    bool complete = true;
    for (const auto& part : latency::network_parts(build_network(t.arch), t.resolution, threads)) {
      const latency::TableEntry* e = table.find(part.signature.key());
      if (!e) {
        complete = false;  // a part this folder's table lacks: no slot state to judge
        break;
      }
      entries_ms += statistic_of(e->latency, o.statistic);
    }
    if (!complete) continue;
    best_round_slowdowns.push_back(
        best_round_slowdown_percent(r->second, p->second.of(o.statistic), entries_ms, o.statistic));
  }
  const latency::ThreadPeaks* peak = table.hardware.at(threads);
  report.steadiness = summarize_steadiness(file.probe_gmacs, target_rounds, o.statistic, peak ? peak->gmacs : 0,
                                          o.end_to_end.plan.settle_percent, best_round_slowdowns,
                                          kStateToleranceFactor * o.end_to_end.plan.settle_percent);
  return report;
}

}  // namespace uibnas::estimator
