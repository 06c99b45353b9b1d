#include "estimator/validation_report.hpp"

#include <cmath>
#include <cstdio>
#include <functional>
#include <set>
#include <sstream>

#include "common/atomic_file.hpp"
#include "common/error.hpp"

namespace uibnas::estimator {
namespace {

struct EstimatorColumn {
  const char* name;
  std::function<double(const NetworkEstimate&)> value;
};

const std::vector<EstimatorColumn>& estimator_columns() {
  static const std::vector<EstimatorColumn> columns = {
      {"lut", [](const NetworkEstimate& e) { return e.lut_ms; }},
      {"lut-parts-only", [](const NetworkEstimate& e) { return e.lut_parts_ms; }},
      {"roofline", [](const NetworkEstimate& e) { return e.roofline_ms; }},
      {"roofline-calibrated", [](const NetworkEstimate& e) { return e.calibrated_roofline_ms; }},
      {"macs", [](const NetworkEstimate& e) { return e.macs_ms; }},
  };
  return columns;
}

std::string fmt(const char* format, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

nlohmann::json agreement_json(const Agreement& a) {
  return {{"count", a.count},          {"rmse_ms", a.rmse_ms},     {"rmspe_percent", a.rmspe_percent},
          {"within_5", a.within_5},    {"within_10", a.within_10}, {"spearman", a.spearman},
          {"kendall", a.kendall},      {"mean_bias_percent", a.mean_bias_percent}};
}

std::string fit_text(const RidgePointFit& f) {
  return "RP " + fmt("%.1f", f.ridge_point) + " MACs/byte (FP32), " + fmt("%.1f", f.effective_gmacs()) +
         " GMAC/s effective, rms log error " + fmt("%.3f", f.rms_log_error) + "; Spearman roofline " +
         fmt("%.3f", f.spearman_roofline) + ", MACs " + fmt("%.3f", f.spearman_macs) + " (" +
         std::to_string(f.count) + " networks)";
}

}  // namespace

namespace {

// The groups a summary reports: all, sampled, each space in order of appearance, published.
std::vector<std::string> report_groups(const std::vector<ValidationRow>& rows) {
  std::vector<std::string> groups{"all", "sampled"};
  std::set<std::string> seen;
  for (const auto& row : rows)
    if (row.target.group != "published" && seen.insert(row.target.group).second) groups.push_back(row.target.group);
  groups.push_back("published");
  return groups;
}

bool in_group(const ValidationRow& row, const std::string& group) {
  return group == "all" || row.target.group == group || (group == "sampled" && row.target.group != "published");
}

}  // namespace

ValidationReport compare_estimators(const TableEstimators& est, const std::vector<ValidationTarget>& targets,
                                    const std::vector<latency::Measurement>& measured) {
  if (targets.size() != measured.size()) throw common::InputError("validation: targets and measurements differ in number");
  ValidationReport r;
  r.threads = est.lut().threads();
  r.statistic = est.lut().statistic();
  r.overhead = est.lut().overhead();
  r.table_fit = est.end_to_end_fit();
  r.calibration = est.calibration();
  r.roofline = est.roofline();
  std::vector<RooflineTerms> terms;
  std::vector<double> measured_ms;
  for (size_t i = 0; i < targets.size(); ++i) {
    ValidationRow row{targets[i], measured[i], statistic_of(measured[i], r.statistic),
                      est.estimate(arch_defs::build_network(targets[i].arch), targets[i].resolution, targets[i].name)};
    terms.push_back(roofline_terms(arch_defs::lower_network(arch_defs::build_network(targets[i].arch), targets[i].resolution)));
    measured_ms.push_back(row.measured_ms);
    r.rows.push_back(std::move(row));
  }
  if (terms.size() >= 3) r.measured_fit = fit_ridge_point(terms, measured_ms);

  for (const auto& column : estimator_columns())
    for (const auto& group : report_groups(r.rows)) {
      std::vector<double> m, e;
      for (const auto& row : r.rows) {
        const double v = column.value(row.estimate);
        if (in_group(row, group) && std::isfinite(v)) m.push_back(row.measured_ms), e.push_back(v);
      }
      if (m.size() >= 2) r.agreements.push_back({column.name, group, agreement(m, e)});
    }
  return r;
}

void add_measurement_ceilings(ValidationReport& r, const std::vector<std::vector<latency::Measurement>>& rounds) {
  if (rounds.size() != r.rows.size())
    throw common::InputError("measurement ceiling: rounds for " + std::to_string(rounds.size()) + " of " +
                             std::to_string(r.rows.size()) + " networks");
  r.ceilings.clear();
  for (const auto& group : report_groups(r.rows)) {
    std::vector<double> first, second;
    for (size_t i = 0; i < r.rows.size(); ++i) {
      if (!in_group(r.rows[i], group)) continue;
      if (const auto halves = split_round_measurements(rounds[i], r.statistic)) {
        first.push_back(halves->first);
        second.push_back(halves->second);
      }
    }
    if (first.size() >= 2) r.ceilings.push_back({group, measurement_ceiling(first, second)});
  }
}

std::string validation_csv(const ValidationReport& r) {
  std::ostringstream out;
  out << "name,group,resolution,parts,macs,weight_mb,measured_ms,measured_median_ms,measured_min_ms,measured_p10_ms,"
         "measured_p90_ms,repeats";
  for (const auto& c : estimator_columns()) out << "," << c.name << "_ms";
  out << "\n";
  auto num = [](double v) { return std::isfinite(v) ? fmt("%.6g", v) : std::string(); };
  for (const auto& row : r.rows) {
    const NetworkEstimate& e = row.estimate;
    out << row.target.name << "," << row.target.group << "," << row.target.resolution << "," << e.parts.size() << ","
        << fmt("%.0f", e.total_macs) << "," << num(e.weight_mb) << "," << num(row.measured_ms) << ","
        << num(row.measured.median_ms) << "," << num(row.measured.min_ms) << "," << num(row.measured.p10_ms) << ","
        << num(row.measured.p90_ms) << "," << row.measured.repeats;
    for (const auto& c : estimator_columns()) out << "," << num(c.value(e));
    out << "\n";
  }
  return out.str();
}

void write_validation_csv(const ValidationReport& r, const std::string& path) {
  common::write_file_atomically(path, validation_csv(r));
}

nlohmann::json validation_summary_json(const ValidationReport& r) {
  nlohmann::json j;
  j["table"] = r.table_path;
  j["hardware_name"] = r.hardware_name;
  j["threads"] = r.threads;
  j["statistic"] = statistic_name(r.statistic);
  j["architectures"] = r.rows.size();
  j["parts_timed"] = r.parts_timed;
  j["parts_added"] = r.parts_added;
  j["rounds"] = r.rounds;
  j["settle_rounds"] = r.settle_rounds;
  j["calibration_networks"] = r.calibration_networks;
  j["options"] = r.options;
  j["lut_overhead"] = r.overhead.to_json();
  j["roofline_fit_table_end_to_end"] = r.table_fit ? r.table_fit->to_json() : nlohmann::json(nullptr);
  j["roofline_fit_validation"] = r.measured_fit ? r.measured_fit->to_json() : nlohmann::json(nullptr);
  j["roofline_peaks"] = r.roofline ? nlohmann::json{{"peak_gmacs", r.roofline->peak_gmacs},
                                                    {"ridge_point", r.roofline->ridge_point}}
                                   : nlohmann::json(nullptr);
  j["roofline_calibrated"] = r.calibration ? nlohmann::json{{"ridge_point", r.calibration->ridge_point},
                                                            {"ms_per_gmac", r.calibration->ms_per_gmac}}
                                           : nlohmann::json(nullptr);
  nlohmann::json a = nlohmann::json::array();
  for (const auto& g : r.agreements) {
    nlohmann::json x = agreement_json(g.agreement);
    x["estimator"] = g.estimator;
    x["group"] = g.group;
    a.push_back(x);
  }
  j["agreement"] = a;
  nlohmann::json c = nlohmann::json::array();
  for (const auto& g : r.ceilings)
    c.push_back({{"group", g.group}, {"count", g.ceiling.count}, {"rmspe_percent", g.ceiling.rmspe_percent},
                 {"within_5", g.ceiling.within_5}, {"within_10", g.ceiling.within_10}, {"kendall", g.ceiling.kendall}});
  j["measurement_ceiling"] = c;
  j["steadiness"] = r.steadiness ? r.steadiness->to_json() : nlohmann::json(nullptr);
  return j;
}

namespace {

// The measurement's own agreement per group beside the lookup table's: an estimator is not judged
// better than the ceiling.
std::string ceiling_text(const ValidationReport& r) {
  if (r.ceilings.empty()) return "";
  std::string s = "measurement ceiling: each network's even rounds against its odd rounds, two independent measurements\n";
  char line[160];
  std::snprintf(line, sizeof line, "%-14s %5s %8s %7s %7s %8s   %s\n", "group", "n", "RMSPE %", "±5%", "±10%", "Kendall",
                "lut ±10%");
  s += line;
  for (const auto& g : r.ceilings) {
    const MeasurementCeiling& c = g.ceiling;
    std::string lut = "-";
    for (const auto& a : r.agreements)
      if (a.estimator == "lut" && a.group == g.group) lut = fmt("%.1f%%", 100 * a.agreement.within_10);
    std::snprintf(line, sizeof line, "%-14s %5d %8.2f %6.1f%% %6.1f%% %8.4f   %s\n", g.group.c_str(), c.count,
                  c.rmspe_percent, 100 * c.within_5, 100 * c.within_10, c.kendall, lut.c_str());
    s += line;
  }
  return s + "\n";
}

}  // namespace

std::string validation_summary_text(const ValidationReport& r) {
  int published = 0;
  for (const auto& row : r.rows) published += row.target.group == "published";
  std::string s = "validation on " + r.hardware_name + ", " + std::to_string(r.threads) + " thread" +
                  (r.threads == 1 ? "" : "s") + ", statistic " + statistic_name(r.statistic) + ": " +
                  std::to_string(r.rows.size()) + " architectures (" + std::to_string(r.rows.size() - published) +
                  " sampled, " + std::to_string(published) + " published)\n" + std::to_string(r.parts_timed) +
                  " parts timed alone in " + std::to_string(r.rounds) + " rounds, up to " + std::to_string(r.settle_rounds) +
                  " more to settle (" + std::to_string(r.parts_added) +
                  " new to the table); " + std::to_string(r.calibration_networks) +
                  " calibration networks measured into its end-to-end runs\n";
  s += "lookup-table overhead: " + r.overhead.model.describe() + " (fitted on " + std::to_string(r.overhead.count) +
       (r.calibration_networks > 0 ? " calibration networks" : " end-to-end runs of --table, against its own entries") + "; leave-one-out RMSPE " + fmt("%.1f", r.overhead.loo_rmspe) + "%)\n\n";
  char line[256];
  std::snprintf(line, sizeof line, "%-20s %-14s %5s %9s %8s %7s %7s %9s %8s %8s\n", "estimator", "group", "n",
                "RMSE ms", "RMSPE %", "±5%", "±10%", "Spearman", "Kendall", "bias %");
  s += line;
  for (const auto& g : r.agreements) {
    const Agreement& a = g.agreement;
    std::snprintf(line, sizeof line, "%-20s %-14s %5d %9.3f %8.2f %6.1f%% %6.1f%% %9.4f %8.4f %+8.2f\n",
                  g.estimator.c_str(), g.group.c_str(), a.count, a.rmse_ms, a.rmspe_percent, 100 * a.within_5,
                  100 * a.within_10, a.spearman, a.kendall, a.mean_bias_percent);
    s += line;
  }
  s += "\n";
  s += ceiling_text(r);
  if (r.roofline)
    s += "roofline peaks (fingerprint): " + fmt("%.1f", r.roofline->peak_gmacs) + " GMAC/s, RP " +
         fmt("%.1f", r.roofline->ridge_point) + " MACs/byte\n";
  if (r.table_fit) s += "roofline fitted on the table's end-to-end runs: " + fit_text(*r.table_fit) + "\n";
  if (r.measured_fit) s += "roofline fitted on this validation's measurements: " + fit_text(*r.measured_fit) + "\n";
  if (r.steadiness) s += r.steadiness->describe() + "\n";
  return s;
}

}  // namespace uibnas::estimator
