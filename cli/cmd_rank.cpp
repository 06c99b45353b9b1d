// uibnas rank --table T [--table T2 ...]: the models with a published top-1 on each table's top-1 ×
// latency Pareto front, and with --rp-sweep the front as the roofline's ridge point sweeps.
#include <cmath>
#include <cstdio>
#include <iostream>

#include "arch_defs/catalogue.hpp"
#include "arch_defs/network.hpp"
#include "arch_defs/operators.hpp"
#include "cli/command.hpp"
#include "cli/model_selection.hpp"
#include "common/atomic_file.hpp"
#include "common/error.hpp"
#include "reports/rank.hpp"

namespace uibnas::cli {
namespace {

namespace po = boost::program_options;
using namespace uibnas::reports;

constexpr const char* kUsage =
    "usage: uibnas rank --table T [--table T2 ...] [--models all|LIST] [--estimator measured|lut|roofline]\n"
    "                   [--rp-sweep FROM:TO] [--rp-step S] [--json FILE|-] [--csv FILE|-]\n\n"
    "Ranks the known models with a published top-1 on each latency table (a hardware and thread count):\n"
    "latency (the table's end-to-end run where it has one, else estimated, and said which), MACs, params,\n"
    "whether each is on the top-1 x latency Pareto front, and if not which model dominates it and by how\n"
    "much. --rp-sweep adds the MNv4 paper's Fig. 2 argument: the Pareto-optimal models at each roofline\n"
    "ridge point (MACs/byte, 1 byte per element as the paper's INT8 fits), with each table's fitted ridge\n"
    "point and the paper's phone CPUs marked. --csv writes the ranking (and FILE_rp_sweep.csv beside it).";

std::pair<double, double> parse_range(const std::string& text) {
  const auto colon = text.find(':');
  try {
    if (colon == std::string::npos) throw std::invalid_argument(text);
    std::size_t used = 0;
    const double from = std::stod(text.substr(0, colon), &used);
    if (used != colon) throw std::invalid_argument(text);
    const std::string rest = text.substr(colon + 1);
    const double to = std::stod(rest, &used);
    if (used != rest.size()) throw std::invalid_argument(text);
    return {from, to};
  } catch (const std::exception&) {
    throw common::InputError("--rp-sweep: expected FROM:TO in MACs/byte (e.g. 0:500), got '" + text + "'");
  }
}

// Each model at its default resolution, bytes at 1 per element.
std::vector<SweepModel> sweep_models(const std::vector<arch_defs::Architecture>& models) {
  std::vector<SweepModel> out;
  for (const arch_defs::Architecture& arch : models) {
    const arch_defs::OperatorList ops = arch_defs::lower_network(arch_defs::build_network(arch), arch.input_size);
    out.push_back({arch.name, *arch_defs::published_top1(arch), estimator::roofline_terms(ops, 1.0)});
  }
  return out;
}

RidgePointSweep make_sweep(const std::vector<SweepModel>& sweep_models, const std::vector<TableRanking>& tables,
                           std::pair<double, double> range, double step) {
  RidgePointSweep sweep = sweep_ridge_points(sweep_models, range.first, range.second, step);
  sweep.marks = paper_ridge_point_marks();
  // The tables' ridge points are fitted with FP32 bytes: 4 bytes per element, so 4x in the sweep's units.
  for (const TableRanking& t : tables)
    if (t.ridge_point)
      sweep.marks.push_back({t.hardware + " " + std::to_string(t.threads) + "t (fitted, FP32)", 4.0 * *t.ridge_point});
  return sweep;
}

void print_table_ranking(const TableRanking& t) {
  std::printf("%s, %d thread%s (%s)", t.hardware.c_str(), t.threads, t.threads == 1 ? "" : "s", t.table.c_str());
  if (t.ridge_point) std::printf(", fitted ridge point %.1f MACs/byte (FP32 bytes)", *t.ridge_point);
  std::printf("\n%-30s %-13s %6s %5s %11s %-9s %8s %8s  %s\n", "model", "family", "top-1", "px", "latency ms", "source",
              "MACs", "params", "Pareto front");
  for (const RankedModel& m : t.models) {
    std::printf("%-30s %-13s %6.2f %5d %11.3f %-9s %8s %8s  ", m.name.c_str(), m.family.c_str(), m.top1, m.resolution,
                m.latency_ms, rank_latency_name(m.latency_source), human_count(m.macs).c_str(),
                human_count(m.params).c_str());
    if (!m.dominated_by) std::printf("yes\n");
    else
      std::printf("no: %s is %.1f%% %s and %+.2f top-1\n", m.dominated_by->model.c_str(),
                  std::abs(m.dominated_by->latency_pct), m.dominated_by->latency_pct <= 0 ? "faster" : "slower",
                  m.dominated_by->top1_delta);
  }
  std::printf("\n");
}

std::string range_text(const std::vector<std::pair<double, double>>& ranges) {
  if (ranges.empty()) return "never";
  std::string text;
  char b[64];
  for (const auto& [lo, hi] : ranges) {
    std::snprintf(b, sizeof b, "%s%g-%g", text.empty() ? "" : ", ", lo, hi);
    text += b;
  }
  return text;
}

void print_sweep(const RidgePointSweep& s, const std::vector<arch_defs::Architecture>& models) {
  std::printf("ridge-point sweep %g-%g MACs/byte (step %g, 1 byte per element as the paper's INT8 fits; roofline latency)\n",
              s.from, s.to, s.step);
  std::printf("%-30s Pareto-optimal at ridge points\n", "model");
  for (const arch_defs::Architecture& arch : models)
    std::printf("%-30s %s\n", arch.name.c_str(), range_text(s.ranges.at(arch.name)).c_str());
  std::printf("\n");
}

void print_marks(const RidgePointSweep& s, const std::vector<SweepModel>& models) {
  for (const SweepMark& m : s.marks) {
    std::string front;
    for (const std::string& name : pareto_at_ridge_point(models, m.ridge_point)) front += (front.empty() ? "" : ", ") + name;
    std::printf("front at %s (RP %.1f): %s\n", m.label.c_str(), m.ridge_point, front.c_str());
  }
}

void write_output(const std::string& path, const std::string& text) {
  if (path == "-") {
    std::cout << text;
    return;
  }
  common::write_file_atomically(path, text);
}

std::string sibling_path(const std::string& csv_path, const std::string& suffix) {
  const std::string stem = csv_path.size() > 4 && csv_path.ends_with(".csv") ? csv_path.substr(0, csv_path.size() - 4) : csv_path;
  return stem + suffix;
}

}  // namespace

int run_rank(const Args& args) {
  std::vector<std::string> tables;
  std::string models_list = "all", estimator = "measured", sweep_text, json_path, csv_path;
  double step = 1;
  po::options_description opts("options");
  opts.add_options()
      ("table,t", po::value(&tables)->composing(), "latency table (repeat for several)")
      ("models,m", po::value(&models_list), "comma-separated models or files, or 'all' (those with a published top-1)")
      ("estimator", po::value(&estimator), "measured (default: end-to-end runs, else lut), lut or roofline")
      ("rp-sweep", po::value(&sweep_text), "ridge-point range FROM:TO in MACs/byte, e.g. 0:500")
      ("rp-step", po::value(&step)->default_value(step), "step of the sweep")
      ("json", po::value(&json_path), "write the results as JSON to FILE (- for standard output)")
      ("csv", po::value(&csv_path), "write the ranking as CSV to FILE (- for standard output)");
  po::variables_map vm;
  if (!parse_command_line(args, kUsage, opts, {}, vm)) return 0;
  if (tables.empty()) throw common::InputError("rank needs at least one --table");
  const std::optional<RankLatency> how = parse_rank_latency(estimator);
  if (!how) throw common::InputError("--estimator must be measured, lut or roofline, got '" + estimator + "'");
  const std::vector<arch_defs::Architecture> models = ranked_models(models_list);

  RankResult result;
  result.estimator = *how;
  result.command = "uibnas rank";
  for (const std::string& a : args) result.command += " " + a;
  for (const std::string& path : tables)
    result.tables.push_back(rank_on_table(latency::load_table(path), path, models, *how));
  const std::vector<SweepModel> at_one_byte = vm.count("rp-sweep") ? sweep_models(models) : std::vector<SweepModel>();
  if (vm.count("rp-sweep")) result.sweep = make_sweep(at_one_byte, result.tables, parse_range(sweep_text), step);

  if (!json_path.empty()) write_output(json_path, result.to_json().dump(1) + "\n");
  if (!csv_path.empty()) {
    write_output(csv_path, ranking_csv(result));
    if (result.sweep) write_output(csv_path == "-" ? "-" : sibling_path(csv_path, "_rp_sweep.csv"), sweep_csv(*result.sweep));
  }
  if (json_path == "-" || csv_path == "-") return 0;
  for (const TableRanking& t : result.tables) print_table_ranking(t);
  if (result.sweep) {
    print_sweep(*result.sweep, models);
    print_marks(*result.sweep, at_one_byte);
  }
  return 0;
}

}  // namespace uibnas::cli
