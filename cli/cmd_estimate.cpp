// uibnas estimate MODEL|ARCH|ENCODING --table T: latency per estimator and the per-part breakdown;
// uibnas estimate --table T --fit: the ridge point and scale that explain the table's measurements.
#include <cmath>
#include <cstdio>
#include <iostream>

#include "arch_defs/catalogue.hpp"
#include "common/error.hpp"
#include "cli/command.hpp"
#include "estimator/table_estimators.hpp"
#include "searchspace/decode.hpp"
#include "searchspace/encoding.hpp"

namespace uibnas::cli {
namespace {

namespace po = boost::program_options;
using namespace uibnas::estimator;

constexpr const char* kUsage =
    "usage: uibnas estimate MODEL|ARCH --table T [--estimator lut|roofline|macs|all] [--resolution N]\n"
    "                       [--rp R] [--statistic median|min] [--allow-missing] [--json]\n"
    "       uibnas estimate ENCODING --space FILE --table T [...]\n"
    "       uibnas estimate --table T --fit [--sweep] [--json]\n\n"
    "Estimates a network's latency from a latency table without running it: the lookup table (sum of the\n"
    "parts' entries + the per-network overhead fitted on the table's end-to-end runs), the roofline of the\n"
    "MNv4 paper's Eq. 1 with the fingerprint's peaks (or --rp), the same roofline calibrated on the table's\n"
    "end-to-end runs, and MACs. --fit prints the ridge point and scale that best explain the table.";

// The ridge points of the paper's Table 16 and the ends of its sweep.
const double kSweep[] = {0, 1, 10, 31.2, 39.7, 100, 347.3, 433.8, 500};

std::string ms(double v) {
  char b[32];
  if (!std::isfinite(v)) return "n/a";
  std::snprintf(b, sizeof b, "%.3f", v);
  return b;
}

void print_fit(const char* what, const RidgePointFit& f) {
  std::printf("%-24s RP %6.1f MACs/byte (FP32)  %7.1f GMAC/s effective  rms log error %.3f  Spearman roofline %.3f  "
              "MACs %.3f  (%d)\n",
              what, f.ridge_point, f.effective_gmacs(), f.rms_log_error, f.spearman_roofline, f.spearman_macs, f.count);
}

int run_fit(const TableEstimators& est, const latency::LatencyTable& table, bool sweep, bool json) {
  const auto& e2e = est.end_to_end_fit();
  const RidgePointFit& blocks = est.block_fit();
  nlohmann::json sweep_json = nlohmann::json::array();
  if (sweep && e2e)
    for (double rp : kSweep) {
      const ScaleAtRidgePoint s = scale_at_ridge_point(est.end_to_end_terms(), est.end_to_end_ms(), rp);
      sweep_json.push_back({{"ridge_point", rp}, {"ms_per_gmac", s.ms_per_gmac}, {"rms_log_error", s.rms_log_error},
                            {"spearman", s.spearman}});
    }
  const auto* peaks = table.hardware.at(table.threads);
  if (json) {
    nlohmann::json j = {{"hardware_name", table.hardware_name},
                        {"threads", table.threads},
                        {"statistic", statistic_name(est.lut().statistic())},
                        {"end_to_end_fit", e2e ? e2e->to_json() : nlohmann::json(nullptr)},
                        {"block_fit", blocks.to_json()},
                        {"fingerprint_ridge_point", peaks ? nlohmann::json(peaks->ridge_point()) : nlohmann::json(nullptr)},
                        {"lut_overhead", est.lut().overhead().to_json()}};
    if (sweep) j["sweep"] = sweep_json;
    std::cout << j.dump() << "\n";
    return 0;
  }
  std::printf("%s, %d thread(s), %s of each measurement; bytes are FP32 (4 per element)\n\n",
              table.hardware_name.c_str(), table.threads, statistic_name(est.lut().statistic()));
  if (e2e) print_fit("end-to-end runs", *e2e);
  else std::printf("end-to-end runs          fewer than 3 in the table: no fit\n");
  print_fit("block entries (alone)", blocks);
  if (peaks)
    std::printf("%-24s RP %6.1f MACs/byte (FMA peak %.1f GMAC/s / read bandwidth %.1f GB/s)\n", "fingerprint",
                peaks->ridge_point(), peaks->gmacs, peaks->bandwidth_gbs);
  std::printf("paper Table 16 (INT8)    Pixel 6 CPU 31.2, Samsung S23 CPU 39.7, Pixel 4 DSP 347.3, Pixel 8 EdgeTPU 433.8\n");
  std::printf("\nlookup-table overhead: %s (leave-one-out RMSPE %.1f%% on %d runs; parts alone %.1f%%)\n",
              est.lut().overhead().model.describe().c_str(), est.lut().overhead().loo_rmspe,
              est.lut().overhead().count, est.lut().overhead().rmspe_parts_only);
  if (sweep && e2e) {
    std::printf("\n%8s %12s %14s %9s\n", "RP", "ms/GMAC-eq", "rms log error", "Spearman");
    for (const auto& s : sweep_json)
      std::printf("%8.1f %12.4f %14.3f %9.3f\n", s["ridge_point"].get<double>(), s["ms_per_gmac"].get<double>(),
                  s["rms_log_error"].get<double>(), s["spearman"].get<double>());
  }
  return 0;
}

// Which estimators to show (--estimator).
struct Shown {
  bool lut, roofline, macs;
};

nlohmann::json estimate_json(const NetworkEstimate& e, const TableEstimators& est, const std::string& table_path,
                             const EstimatorOptions& options, Shown shown) {
  const bool lut = shown.lut, roof = shown.roofline, macs = shown.macs;
  nlohmann::json j = e.to_json();
  if (!lut) j.erase("lut_ms"), j.erase("lut_parts_ms"), j.erase("lut_overhead_ms");
  if (!roof) j.erase("roofline_ms"), j.erase("calibrated_roofline_ms");
  if (!macs) j.erase("macs_ms");
  j["table"] = table_path;
  j["statistic"] = statistic_name(options.statistic);
  if (est.roofline()) j["roofline"] = {{"peak_gmacs", est.roofline()->peak_gmacs}, {"ridge_point", est.roofline()->ridge_point}};
  if (est.calibration())
    j["calibrated_roofline"] = {{"ridge_point", est.calibration()->ridge_point},
                                {"ms_per_gmac", est.calibration()->ms_per_gmac}};
  j["lut_overhead"] = est.lut().overhead().model.to_json();
  return j;
}

void print_estimate(const NetworkEstimate& e, const TableEstimators& est, const latency::LatencyTable& table,
                    const EstimatorOptions& options, Shown shown) {
  const bool lut = shown.lut, roof = shown.roofline, macs = shown.macs;
  std::printf("%s @ %d px on %s (%d thread%s, %s of each entry)\n\n", e.name.c_str(), e.resolution,
              table.hardware_name.c_str(), e.threads, e.threads == 1 ? "" : "s", statistic_name(options.statistic));
  std::printf("%4s  %-12s %-5s", "#", "part", "kind");
  if (lut) std::printf(" %9s", "lut ms");
  if (roof) std::printf(" %12s %10s", "roofline ms", "calib. ms");
  std::printf(" %12s %12s  %s\n", "MACs", "bytes", "signature");
  bool flagged = false;
  for (size_t i = 0; i < e.parts.size(); ++i) {
    const PartEstimate& p = e.parts[i];
    std::printf("%4zu  %-12s %-5s", i, p.name.c_str(), p.kind.c_str());
    if (lut) std::printf(" %8s%s", ms(p.lut_ms).c_str(), p.from_roofline ? "*" : " ");
    if (roof) std::printf(" %12s %10s", ms(p.roofline_ms).c_str(), ms(p.calibrated_ms).c_str());
    std::printf(" %12.0f %12.0f  %s\n", p.macs, p.bytes, p.signature.c_str());
    flagged |= p.from_roofline;
  }
  std::printf("\n");
  if (lut) {
    std::printf("lookup table         %10s ms = %s ms parts + %s ms overhead (%s)\n", ms(e.lut_ms).c_str(),
                ms(e.lut_parts_ms).c_str(), ms(e.lut_overhead_ms).c_str(),
                est.lut().overhead().model.describe().c_str());
    if (flagged)
      std::printf("                     * %d part(s) not in the table: roofline fitted on its entries (RP %.1f)\n",
                  e.missing, est.block_fit().ridge_point);
  }
  if (roof) {
    if (est.roofline())
      std::printf("roofline             %10s ms   Eq. 1: %.1f GMAC/s, RP %.1f MACs/byte%s\n", ms(e.roofline_ms).c_str(),
                  est.roofline()->peak_gmacs, est.roofline()->ridge_point,
                  options.ridge_point ? " (given)" : " (fingerprint)");
    if (est.calibration())
      std::printf("roofline calibrated  %10s ms   RP %.1f%s, %.1f GMAC/s effective (scale fitted on %d end-to-end runs)\n",
                  ms(e.calibrated_roofline_ms).c_str(), est.calibration()->ridge_point,
                  options.ridge_point ? " (given)" : " (fitted)", 1e3 / est.calibration()->ms_per_gmac,
                  est.end_to_end_fit()->count);
  }
  if (macs)
    std::printf("MACs                 %10s ms   %.3f GMACs%s\n", ms(e.macs_ms).c_str(), e.total_macs / 1e9,
                est.end_to_end_fit() ? "" : " (no scale: the table has fewer than 3 end-to-end runs)");
}

}  // namespace

int run_estimate(const Args& args) {
  std::string model, table_path, space_file, which = "all", statistic = "median";
  int resolution = 0;
  double rp = 0;
  po::options_description opts("options");
  opts.add_options()
      ("model", po::value(&model), "built-in model, architecture JSON file, or a candidate encoding with --space")
      ("table", po::value(&table_path)->required(), "latency table (uibnas profile)")
      ("space", po::value(&space_file), "search space file the encoding belongs to")
      ("resolution,r", po::value(&resolution), "input size in pixels (default: the architecture's)")
      ("estimator,e", po::value(&which)->default_value("all"), "lut, roofline, macs or all")
      ("rp", po::value(&rp), "ridge point in MACs/byte (0..500 sweeps the paper's range; default: the fingerprint's)")
      ("statistic", po::value(&statistic)->default_value("median"), "which statistic of each measurement: median or min")
      ("allow-missing", "estimate parts missing from the table with the roofline fitted on its entries (flagged *)")
      ("fit", "print the ridge point and scale fitted on the table instead of estimating a model")
      ("sweep", "with --fit: the fit's error and Spearman at the paper's ridge points")
      ("json", "print one JSON object");
  po::positional_options_description pos;
  pos.add("model", 1);
  po::variables_map vm;
  if (!parse_command_line(args, kUsage, opts, pos, vm)) return 0;
  if (which != "lut" && which != "roofline" && which != "macs" && which != "all")
    throw common::InputError("--estimator must be lut, roofline, macs or all, got '" + which + "'");
  const bool fit = vm.count("fit") > 0, json = vm.count("json") > 0;
  if (fit == !model.empty()) throw common::InputError("give a MODEL to estimate, or --fit (not both)");
  if (vm.count("sweep") && !fit) throw common::InputError("--sweep goes with --fit");

  EstimatorOptions options;
  options.statistic = parse_statistic(statistic);
  if (vm.count("rp")) options.ridge_point = rp;
  // Only the lookup-table sum needs every part in the table; the roofline and MACs estimates do not.
  options.allow_missing = vm.count("allow-missing") > 0 || (which != "lut" && which != "all");
  const latency::LatencyTable table = latency::load_table(table_path);
  const TableEstimators est(table, table_path, options);
  if (fit) return run_fit(est, table, vm.count("sweep") > 0, json);

  arch_defs::Architecture arch;
  if (!space_file.empty()) {
    const searchspace::SearchSpace sp = searchspace::load_search_space(space_file);
    arch = searchspace::to_architecture(sp, searchspace::decode(sp, model));
  } else {
    arch = arch_defs::resolve_architecture(model);
  }
  if (!vm.count("resolution")) resolution = arch.input_size;
  const NetworkEstimate e = est.estimate(arch_defs::build_network(arch), resolution, arch.name);
  const bool lut = which == "lut" || which == "all", roof = which == "roofline" || which == "all",
             macs = which == "macs" || which == "all";
  if (json) {
    std::cout << estimate_json(e, est, table_path, options, {lut, roof, macs}).dump() << "\n";
    return 0;
  }

  print_estimate(e, est, table, options, {lut, roof, macs});
  return 0;
}

}  // namespace uibnas::cli
