// uibnas validate --table T (--space FILE --samples N | --models all): measures networks end to end on
// this machine and compares every estimator with the measurements (RMSE, RMSPE, ±5%/±10%, Spearman, Kendall).
#include <filesystem>
#include <iostream>
#include <sstream>
#include <thread>

#include "arch_defs/catalogue.hpp"
#include "common/atomic_file.hpp"
#include "common/error.hpp"
#include "common/file_lock.hpp"
#include "cli/command.hpp"
#include "cli/cpu_list_option.hpp"
#include "cli/model_selection.hpp"
#include "cli/round_options.hpp"
#include "estimator/validation_run.hpp"

namespace uibnas::cli {
namespace {

namespace po = boost::program_options;
namespace fs = std::filesystem;
using namespace uibnas::estimator;

constexpr const char* kUsage =
    "usage: uibnas validate --table T (--space FILE... --samples N | --models all) [--seed S]\n"
    "                       [--calibration M] [--out DIR] [--repeat R] [--rounds K]\n"
    "                       [--settle E] [--settle-percent P] [--statistic median|min] [--reuse] [--cpus LIST]\n\n"
    "Samples N candidates of each space (plus the published variants) and measures them in K\n"
    "rounds, each in its own seeded order: in its slot, a network and all its parts (the table's\n"
    "protocol) are timed side by side, in turns of 5 runs; entries are the median of all their\n"
    "slots, networks of their rounds. A network is measured again with its parts, in up to E more\n"
    "rounds, while its two best rounds differ by more than P% (the machine was slowed in one) or\n"
    "its best round's parts ran more than 2P% slower than their entries (slowed in all). M calibration\n"
    "candidates per space (drawn with seed S+1000003) are measured the same way and stored as the\n"
    "table's end-to-end runs: the lookup table's overhead and the calibrated roofline are fitted on\n"
    "those alone (with M = 0 on the table's earlier runs), never on the validated networks.\n"
    "Writes DIR/table.json (after every round),\n"
    "DIR/measured.json, DIR/validation.csv (one row per architecture), DIR/summary.json and .txt.";

struct ValidateArgs {
  std::string table_path, models, out_dir, statistic = "median", cpus;
  std::vector<std::string> spaces;
  int samples = 0, calibration = 0;
  std::uint64_t seed = 0;
  latency::EndToEndOptions e2e;
};

po::options_description validate_options(ValidateArgs& a) {
  po::options_description opts("options");
  opts.add_options()
      ("table", po::value(&a.table_path)->required(), "latency table of this machine (uibnas profile)")
      ("space", po::value(&a.spaces)->composing(), "search space file to sample candidates from (repeatable)")
      ("samples,n", po::value(&a.samples)->default_value(0), "candidates per space")
      ("calibration", po::value(&a.calibration)->default_value(0),
       "more candidates per space (another seed) measured end to end into the table, for the overhead fit")
      ("models,m", po::value(&a.models), "published variants too: 'all' or a comma-separated list")
      ("seed", po::value(&a.seed)->default_value(0), "sampling seed (one generator per space)")
      ("out,o", po::value(&a.out_dir), "output folder (default: validation-HARDWARE-tN)")
      ("repeat", po::value(&a.e2e.repeat)->default_value(10), "end-to-end runs per network per round");
  add_round_options(opts, a.e2e.plan,
                    {"passes over all networks and their parts", "at most this many more rounds for networks not settled yet",
                     "two rounds agree when their statistics differ by at most this (percent)"});
  opts.add_options()
      ("warmup", po::value(&a.e2e.warmup)->default_value(3), "untimed runs before each network's timed runs")
      ("statistic", po::value(&a.statistic)->default_value("median"), "median or min, of entries and of end-to-end runs")
      ("reuse", "reuse end-to-end results of an earlier run from DIR/measured.json; measure only the rest")
      ("no-progress", "no progress bars on stderr");
  add_cpu_list_option(opts, a.cpus);
  return opts;
}

// Each sampled network is measured end to end: more than this is weeks of machine time.
constexpr long long kMaxValidationNetworks = 100000;

void check_validate_args(const ValidateArgs& a) {
  if (a.spaces.empty() && a.models.empty()) throw common::InputError("give --space FILE --samples N, or --models all, or both");
  if (!a.spaces.empty() && a.samples < 1) throw common::InputError("--space needs --samples N with N >= 1");
  if (a.spaces.empty() && (a.samples > 0 || a.calibration > 0))
    throw common::InputError("--samples and --calibration need --space FILE");
  if (a.calibration < 0) throw common::InputError("--calibration must not be negative");
  if (a.e2e.repeat < 1) throw common::InputError("--repeat must be at least 1, got " + std::to_string(a.e2e.repeat));
  check_round_options(a.e2e.plan);
  if (a.e2e.warmup < 0) throw common::InputError("--warmup must not be negative");
  check_at_most("--repeat", a.e2e.repeat, kMaxRuns);
  check_at_most("--warmup", a.e2e.warmup, kMaxRuns);
  check_at_most("--samples", a.samples, kMaxValidationNetworks);
  check_at_most("--calibration", a.calibration, kMaxValidationNetworks);
}

void write_outputs(const ValidationReport& report, const std::string& out_dir) {
  write_validation_csv(report, (fs::path(out_dir) / "validation.csv").string());
  common::write_file_atomically((fs::path(out_dir) / "summary.json").string(), validation_summary_json(report).dump(1) + "\n");
  const std::string text = validation_summary_text(report);
  common::write_file_atomically((fs::path(out_dir) / "summary.txt").string(), text);
  std::cout << text << "wrote " << out_dir << "/validation.csv, summary.json, summary.txt, table.json\n";
}

}  // namespace

int run_validate(const Args& args) {
  ValidateArgs a;
  po::options_description opts = validate_options(a);
  po::variables_map vm;
  if (!parse_command_line(args, kUsage, opts, {}, vm)) return 0;
  check_validate_args(a);
  a.e2e.progress = vm.count("no-progress") == 0;

  ValidationOptions vo;
  vo.table_path = a.table_path;
  vo.spaces = a.spaces;
  vo.samples = a.samples;
  vo.calibration = a.calibration;
  vo.seed = a.seed;
  vo.end_to_end = a.e2e;
  vo.statistic = parse_statistic(a.statistic);
  vo.reuse_measurements = vm.count("reuse") > 0;
  vo.models = listed_models(a.models);
  const latency::LatencyTable given = latency::load_table(a.table_path);
  if (a.out_dir.empty()) a.out_dir = "validation-" + given.hardware_name + "-t" + std::to_string(given.threads);
  if (given.threads > int(std::thread::hardware_concurrency()))
    std::cerr << "warning: the table is for " << given.threads << " threads, more than the "
              << std::thread::hardware_concurrency() << " CPUs here\n";
  const std::vector<int> cpus = given_cpu_list(a.cpus, vm);
  if (!cpus.empty()) {  // the threads are the table's: a mismatch warns, as above
    if (given.threads > int(cpus.size()))
      std::cerr << "warning: the table is for " << given.threads << " threads, more than the " << cpus.size()
                << " CPUs of --cpus " << format_cpu_list(cpus) << "\n";
    pin_process_to_cpus(cpus);
  }
  vo.out_dir = a.out_dir;
  const common::FileLock lock = common::lock_output_folder(a.out_dir);  // until the outputs are written

  ValidationReport report = run_validation(vo);
  const latency::EndToEndOptions& e2e = a.e2e;
  report.options = {{"table", a.table_path}, {"spaces", a.spaces},          {"samples_per_space", a.samples},
                    {"calibration_per_space", a.calibration},             {"seed", a.seed},
                    {"calibration_seed", a.seed + kCalibrationSeedOffset}, {"models", a.models},
                    {"repeat", e2e.repeat}, {"rounds", e2e.plan.rounds},     {"warmup", e2e.warmup},
                    {"settle", e2e.plan.settle_rounds}, {"settle_percent", e2e.plan.settle_percent},
                    {"statistic", a.statistic}, {"reused_measurements", vo.reuse_measurements}};
  if (!cpus.empty()) report.options["cpus"] = cpus;
  write_outputs(report, a.out_dir);
  return 0;
}

}  // namespace uibnas::cli
