// uibnas profile: fill a per-hardware latency table by timing network parts and whole networks.
#include <filesystem>
#include <iostream>
#include <set>
#include <sstream>
#include <thread>

#include "arch_defs/catalogue.hpp"
#include "common/error.hpp"
#include "cli/command.hpp"
#include "cli/cpu_list_option.hpp"
#include "cli/model_selection.hpp"
#include "cli/round_options.hpp"
#include "cli/thread_option.hpp"
#include "estimator/validation.hpp"
#include "latency/profiler.hpp"
#include "latency/progress.hpp"
#include "latency/space_signatures.hpp"

namespace uibnas::cli {

namespace {

// --start-from: a table of the same CPU becomes --out (under this run's hardware name), so the run
// measures only what it lacks; a table of another CPU is not used.
void start_from(const std::string& path, const latency::ProfileOptions& o) {
  latency::LatencyTable table = latency::load_table(path);
  const latency::HardwareInfo here = latency::describe_cpu();
  std::string difference = latency::cpu_difference(table.hardware, here);
  if (difference.empty() && table.threads != o.threads)
    difference = std::to_string(table.threads) + " vs " + std::to_string(o.threads) + " threads";
  if (!difference.empty()) {
    std::cerr << path << " was measured on another CPU (" << difference << " here): profiling from scratch\n";
    return;
  }
  std::cerr << "starting from " << path << " (same CPU): measuring only what it lacks\n";
  table.hardware_name = o.hardware_name;
  latency::save_table(table, o.out);
}

// The counts and waits that drive how long profiling takes.
void check_counts(const latency::ProfileOptions& o, const boost::program_options::variables_map& vm) {
  check_thread_options(o.threads, vm);
  if (o.repeat < 1) throw common::InputError("--repeat must be at least 1, got " + std::to_string(o.repeat));
  if (o.warmup < 0) throw common::InputError("--warmup must not be negative");
  check_at_most("--repeat", o.repeat, kMaxRuns);
  check_at_most("--warmup", o.warmup, kMaxRuns);
  check_round_options(o.plan);
  if (!(o.cooldown_seconds >= 0 && o.cooldown_seconds <= 3600)) {
    std::ostringstream given;
    given << o.cooldown_seconds;
    throw common::InputError("--cooldown-seconds must be in [0, 3600], got " + given.str());
  }
}

// Every part signature of the space, counted before any is measured: stops at `max_signatures`.
std::vector<latency::BlockSignature> space_parts(const std::string& space_file, int threads, std::size_t max_signatures) {
  if (max_signatures < 1 || max_signatures > latency::kMaxSpaceSignatures)
    throw common::InputError("--max-signatures must be in [1, " + std::to_string(latency::kMaxSpaceSignatures) + "], got " +
                             std::to_string(max_signatures));
  const searchspace::SearchSpace space = searchspace::load_search_space(space_file);
  std::vector<latency::BlockSignature> parts;
  try {
    parts = latency::space_signatures(space, threads, max_signatures);
  } catch (const common::InputError& e) {
    throw common::InputError(common::with_context(space_file, std::string(e.what()) + " (--max-signatures " +
                                                               std::to_string(max_signatures) + "); profile a smaller space"));
  }
  std::cerr << space_file << ": " << parts.size() << " part signatures\n";
  return parts;
}

// The distinct part signatures of all the spaces together (spaces of one size class share most).
std::vector<latency::BlockSignature> spaces_parts(const std::vector<std::string>& space_files, int threads,
                                                  std::size_t max_signatures) {
  std::vector<latency::BlockSignature> all;
  std::set<std::string> keys;
  for (const std::string& file : space_files)
    for (auto& s : space_parts(file, threads, max_signatures))
      if (keys.insert(s.key()).second) all.push_back(std::move(s));
  if (all.size() > max_signatures)
    throw common::InputError("the " + std::to_string(space_files.size()) + " spaces yield " + std::to_string(all.size()) +
                             " distinct part signatures together (--max-signatures " + std::to_string(max_signatures) +
                             "); profile fewer spaces");
  if (space_files.size() > 1) std::cerr << all.size() << " distinct part signatures to profile\n";
  return all;
}

// Candidates of the space timed end to end into the table: the lookup table's overhead (network
// beyond its parts) is fitted on a table's end-to-end runs, and a table of a space alone has none.
constexpr int kDefaultCalibration = 4;
constexpr std::uint64_t kProfileCalibrationSeedBase = 2000003;

std::vector<latency::ProfileTarget> calibration_candidates(const std::string& space_file, int count, std::uint64_t seed) {
  std::vector<latency::ProfileTarget> out;
  for (const auto& t : estimator::validation_targets({space_file}, count, kProfileCalibrationSeedBase + seed, {}))
    out.push_back({t.arch, t.resolution});
  return out;
}

// The table written (named after the hardware by default), and whether it continues one: --resume, or
// --start-from when the output does not exist yet.
void choose_output(latency::ProfileOptions& o, const boost::program_options::variables_map& vm,
                   const std::string& start_table) {
  if (o.hardware_name.empty() || o.hardware_name.find_first_of("/ \t") != std::string::npos)
    throw common::InputError("--hardware must be a non-empty name without spaces or '/'");
  if (o.out.empty()) o.out = o.hardware_name + "-t" + std::to_string(o.threads) + ".json";
  o.resume = vm.count("resume") > 0;
  o.progress = vm.count("no-progress") == 0;
  if (std::filesystem::exists(o.out) && !o.resume && !vm.count("overwrite"))
    throw common::InputError(o.out + " exists: pass --resume to continue it or --overwrite to start again");
  if (!start_table.empty() && !std::filesystem::exists(o.out)) {
    start_from(start_table, o);
    o.resume = true;
  }
}

}  // namespace

int run_profile(const Args& args) {
  namespace po = boost::program_options;
  latency::ProfileOptions o;
  std::string models, start_table, cpus;
  std::vector<std::string> space_files;
  std::size_t max_signatures = 0;
  int calibration = 0;
  std::uint64_t calibration_seed = 0;
  po::options_description opts("options");
  add_thread_options(opts, o.threads, 1, "threads the runtime uses");
  add_cpu_list_option(opts, cpus);
  opts.add_options()
      ("hardware", po::value(&o.hardware_name)->required(), "a name for this device, e.g. laptop-i7-1185g7")
      ("models,m", po::value(&models), "comma-separated models or architecture files; 'all' stands for the built-in networks")
      ("space", po::value(&space_files)->composing(),
       "also every block choice at every position of this search space (repeatable)")
      ("max-signatures", po::value(&max_signatures)->default_value(latency::kDefaultProfileSignatures),
       "refuse spaces that yield more part signatures than this together (at most 1000000)")
      ("calibration", po::value(&calibration)->default_value(kDefaultCalibration),
       "with --space: this many candidates of each space timed end to end too, so that the lookup table's overhead "
       "is fitted from this table alone")
      ("calibration-seed", po::value(&calibration_seed)->default_value(0),
       "which calibration candidates (drawn with seed 2000003 + this, apart from validate's seeds)")
      ("repeat,r", po::value(&o.repeat)->default_value(20), "timed runs per entry")
      ("warmup", po::value(&o.warmup)->default_value(3), "untimed runs per entry");
  add_round_options(opts, o.plan,
                    {"passes over every part and every network",
                     "at most this many more passes over entries whose two best round medians still disagree",
                     "two rounds agree when their medians differ by at most this (percent)"});
  opts.add_options()
      ("out,o", po::value(&o.out), "table file (default: HARDWARE-tN.json)")
      ("resume", "continue the table in --out, measuring only what it lacks")
      ("overwrite", "replace an existing --out instead of refusing")
      ("start-from", po::value(&start_table),
       "when --out does not exist: start from this table if it was measured on this kind of CPU at these threads")
      ("checkpoint-seconds", po::value(&o.checkpoint_seconds)->default_value(5.0), "save the table at least this often")
      ("cooldown-seconds", po::value(&o.cooldown_seconds)->default_value(0.0), "wait between slots (a phone cools down)")
      ("no-progress", "no progress bar on stderr");
  po::variables_map vm;
  if (!parse_command_line(args,
                          "usage: uibnas profile --hardware NAME [--threads N] (--models LIST|all | --space FILE... [--calibration C])\n"
                          "                      [--repeat R] [--rounds K] [--settle E] [--out FILE] [--resume | --start-from T]\n"
                          "                      [--cpus LIST] [--cooldown-seconds S]\n\n"
                          "Times every distinct block (stem, blocks, head; signature in docs/latency-tables.md) alone, and\n"
                          "every given model end to end (and, with --space, C calibration candidates of it), and\n"
                          "writes a latency table. Each model is timed side by side\n"
                          "with the parts it is the first to use (they take turns of 5 runs, so all see the same\n"
                          "seconds of the machine), other parts 16 at a time; every slot in K rounds of R runs each.\n"
                          "A slot with an entry whose two best rounds disagree (the machine was slowed in one) is timed\n"
                          "again in up to E more rounds. Killed runs continue with --resume.",
                          opts, {}, vm))
    return 0;
  if (models.empty() && space_files.empty()) throw common::InputError("give --models LIST|all or --space FILE (or both)");
  if (calibration < 0) throw common::InputError("--calibration must not be negative");
  check_at_most("--calibration", calibration, 1000);
  check_counts(o, vm);
  o.cpus = apply_cpu_list_option(cpus, o.threads, vm);
  choose_output(o, vm, start_table);
  if (o.threads > int(std::thread::hardware_concurrency()))
    std::cerr << "warning: --threads " << o.threads << " is more than the " << std::thread::hardware_concurrency()
              << " CPUs here\n";

  std::vector<latency::ProfileTarget> targets;
  if (!models.empty())
    for (auto& a : listed_models(models)) targets.push_back({a, a.input_size});
  const std::vector<latency::BlockSignature> extra = spaces_parts(space_files, o.threads, max_signatures);
  for (const std::string& space_file : space_files)
    for (const auto& c : calibration_candidates(space_file, calibration, calibration_seed)) targets.push_back(c);

  const auto t0 = std::chrono::steady_clock::now();
  const latency::LatencyTable table = latency::profile(targets, extra, o);
  std::cerr << "wrote " << o.out << ": " << table.entries.size() << " entries, " << table.end_to_end.size()
            << " end-to-end measurements in "
            << latency::format_duration(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count())
            << "\n";
  return 0;
}

}  // namespace uibnas::cli
