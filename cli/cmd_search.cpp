// uibnas search: random search, regularized evolution or NSGA-II over a search space, with latency
// from a table (or the roofline), params, MACs and predicted accuracy as objectives; checkpoints and
// --resume; history, Pareto front and a summary in the output folder.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/command.hpp"
#include "cli/thread_option.hpp"
#include "common/error.hpp"
#include "common/file_lock.hpp"
#include "common/input_file.hpp"
#include "common/json_file.hpp"
#include "common/stop_request.hpp"
#include "latency/space_signatures.hpp"
#include "search/checkpoint.hpp"
#include "search/front_measurement.hpp"
#include "search/predictor.hpp"
#include "search/rediscovery_run.hpp"
#include "search/search_outputs.hpp"
#include "searchspace/encoding.hpp"

namespace uibnas::cli {
namespace {

namespace po = boost::program_options;
namespace fs = std::filesystem;
using namespace uibnas::search;
using Clock = std::chrono::steady_clock;

constexpr const char* kUsage =
    "usage: uibnas search --space S --objectives O1[,O2[,O3]] --out DIR [--table T] [--strategy random|evolution|nsga2]\n"
    "                     [--budget N] [--population P] [--sample S] [--seed S] [--threads N]\n"
    "                     [--latency lut|roofline|macs] [--rp R] [--reward abs|mnas|mnas_hard --target-latency MS --beta B]\n"
    "                     [--max-latency MS] [--max-params N] [--max-macs N] [--resume] [--allow-missing] [--no-progress]\n"
    "                     [--proxy-data gaussian|DIR]\n"
    "                     [--measure-front K]\n"
    "       uibnas search --rediscover MODEL --space S --table T --out DIR [--objectives latency,Q] [--budget N] ...\n\n"
    "Searches the space for candidates that optimise the objectives (NAME[:min|max]; costs are minimised and\n"
    "qualities maximised by default): latency (from --table, or --latency roofline --rp R, or --latency macs),\n"
    "params, macs, naswot, zen and meco (training-free proxies at initialisation, on --proxy-data; evidence of\n"
    "trainability, not accuracy), predictor:FILE.csv (ridge regression on a CSV of architecture-or-encoding,top1) and published\n"
    "(timm top-1 of built-in variants). Constraints make candidates infeasible, never drop them. Writes\n"
    "DIR/history.csv, front.csv, front.json and search.json; DIR/checkpoint.json lets --resume continue a killed\n"
    "search to exactly the front the uninterrupted search gives. Results do not depend on --threads.\n"
    "--measure-front K times K front members end to end with the table's protocol and adds measured_ms and\n"
    "estimate_error_pct to the front. --rediscover MODEL searches around MODEL's latency on the table and reports\n"
    "where MODEL stands (DIR/rediscover.json, rediscover.txt), directly and with the paper's two-stage search.";

struct SearchOptions {
  std::string space_file, table_path, objectives, out, strategy = "evolution", latency = "lut", reward;
  std::string proxy_data = "gaussian";
  long long budget = 1000;
  int population = 100, sample = 25, threads = 1;
  std::uint64_t seed = 1;
  double rp = 0, target_latency = 0, beta = -0.10, checkpoint_seconds = 5;
  double max_latency = 0, max_params = 0, max_macs = 0;
  bool resume = false, allow_missing = false, progress = true;
  int measure_front = 0;
  std::string rediscover;
};

std::string file_hash(const std::string& path) {
  std::uint64_t h = 1469598103934665603ULL;  // FNV-1a 64
  for (char ch : common::read_input_file(path, "a latency table")) h = (h ^ std::uint64_t(std::uint8_t(ch))) * 1099511628211ULL;
  char buf[24];
  std::snprintf(buf, sizeof buf, "%016llx", (unsigned long long)h);
  return buf;
}

bool uses_table_latency(const SearchOptions& o) {
  const std::vector<std::string> objectives = split_list(o.objectives, "--objectives");
  const bool latency_objective = std::any_of(objectives.begin(), objectives.end(), [](const std::string& s) {
    return parse_objective_spec(s).name == "latency";
  });
  return o.latency == "lut" && (latency_objective || o.max_latency > 0);
}

// Every part the space can produce must be in the table, unless --allow-missing.
void check_table_covers_space(const searchspace::SearchSpace& space, const latency::LatencyTable& table,
                              const SearchOptions& o) {
  const std::vector<latency::BlockSignature> parts = latency::space_signatures(space, table.threads);
  int missing = 0;
  std::string example;
  for (const auto& s : parts)
    if (!table.find(s.key())) {
      if (missing++ == 0) example = s.key();
    }
  if (missing > 0 && !o.allow_missing)
    throw common::InputError(o.table_path + " lacks " + std::to_string(missing) + " of the " + std::to_string(parts.size()) +
                             " parts space '" + space.id() + "' can produce (e.g. '" + example +
                             "'): profile them (uibnas profile --space) or pass --allow-missing");
}

void prepare_out_dir(const SearchOptions& o) {
  std::error_code ec;
  fs::create_directories(o.out, ec);
  const std::string probe = (fs::path(o.out) / ".write-test").string();
  std::ofstream test(probe);
  if (ec || !test) throw common::InputError(o.out + ": cannot create or write the output folder");
  test.close();
  fs::remove(probe, ec);
  if (!o.resume && fs::exists(fs::path(o.out) / "checkpoint.json"))
    throw common::InputError(o.out + " holds a search: pass --resume to continue it, or choose another --out");
}

// The options that define the search; a checkpoint only resumes a search with the same ones.
nlohmann::json defining_options(const SearchOptions& o, const searchspace::SearchSpace& space,
                                const std::string& table_hash, const SearchProblem& problem) {
  nlohmann::json j = {{"space", space.id()},
                      {"space_cardinality", space.cardinality().to_string()},
                      {"table_hash", table_hash},
                      {"objectives", problem.objective_labels()},
                      {"latency", o.latency},
                      {"rp", o.rp},
                      {"strategy", o.strategy},
                      {"population", o.population},
                      {"sample", o.sample},
                      {"seed", o.seed},
                      {"allow_missing", o.allow_missing}};
  const ProxySettings proxy;  // the fixed defaults of search/proxy.hpp
  j["proxy"] = {{"data", o.proxy_data}, {"batch", proxy.batch}, {"resolution", proxy.resolution},
                {"repeats", proxy.repeats}, {"seed", proxy.seed}};
  nlohmann::json constraints = nlohmann::json::object();
  for (const Constraint& c : problem.constraints()) constraints[c.metric] = c.limit;
  j["constraints"] = constraints;
  if (problem.reward())
    j["reward"] = {{"kind", reward_kind_name(problem.reward()->reward.kind)},
                   {"target_latency", problem.reward()->reward.target_latency},
                   {"beta", problem.reward()->reward.beta}};
  return j;
}

std::string seconds_text(double s) {
  char buf[32];
  if (s >= 3600) std::snprintf(buf, sizeof buf, "%.1fh", s / 3600);
  else if (s >= 60) std::snprintf(buf, sizeof buf, "%.1fm", s / 60);
  else std::snprintf(buf, sizeof buf, "%.1fs", s);
  return buf;
}

void print_progress(const GenerationReport& r, const SearchProblem& problem) {
  const std::string best = r.best ? format_value(*r.best) : "none feasible";
  const std::string what = problem.reward() ? "reward" : problem.metric(0).label();
  std::fprintf(stderr, "gen %d  evals %lld/%lld  best %s %s  front %d  hv %s  ETA %s\n", r.generation, r.evaluations,
               r.budget, what.c_str(), best.c_str(), r.front_size, format_value(r.hypervolume).c_str(),
               seconds_text(r.eta_s).c_str());
}

nlohmann::json table_summary(const SearchOptions& o, const latency::LatencyTable* table, const std::string& hash) {
  if (table == nullptr) return nullptr;
  return {{"path", o.table_path},
          {"hash_fnv1a64", hash},
          {"hardware_name", table->hardware_name},
          {"cpu_model", table->hardware.cpu_model},
          {"kernel_isa", table->hardware.kernel_isa},
          {"threads", table->threads},
          {"entries", table->entries.size()}};
}

void print_front(const SearchRun& run) {
  const SearchProblem& problem = run.problem();
  const History& history = run.state().history;
  const std::vector<int> front = sorted_front(history, run.front());
  std::printf("Pareto front: %zu feasible candidate(s) of %zu evaluated\n", front.size(), history.size());
  std::printf("%-28s", "encoding");
  for (const std::string& l : problem.objective_labels()) std::printf(" %16s", l.c_str());
  std::printf("\n");
  const size_t shown = std::min<size_t>(front.size(), 30);
  for (size_t k = 0; k < shown; ++k) {
    const Evaluation& e = history[size_t(front[k])];
    std::printf("%-28s", searchspace::encode(problem.space(), e.choices).c_str());
    for (int i = 0; i < problem.objective_count(); ++i) std::printf(" %16s", format_value(e.metrics[size_t(i)]).c_str());
    std::printf("\n");
  }
  if (front.size() > shown) std::printf("... %zu more in front.csv\n", front.size() - shown);
}

void add_options(po::options_description& opts, SearchOptions& o) {
  opts.add_options()
      ("space", po::value(&o.space_file)->required(), "search space file (searchspace/spaces/*.json)")
      ("objectives", po::value(&o.objectives), "comma-separated NAME[:ARG][:min|max]: latency, params, macs, naswot, zen, meco, predictor:FILE.csv, published")
      ("out", po::value(&o.out)->required(), "output folder (history.csv, front.csv, front.json, search.json, checkpoint.json)")
      ("table", po::value(&o.table_path), "latency table (uibnas profile) for the lut latency")
      ("strategy", po::value(&o.strategy)->default_value("evolution"), "random, evolution or nsga2")
      ("budget", po::value(&o.budget)->default_value(1000), "candidates to evaluate (repeats included)")
      ("population", po::value(&o.population)->default_value(100), "P: population, and candidates per generation")
      ("sample", po::value(&o.sample)->default_value(25), "S: regularized evolution's tournament size (at most P)")
      ("seed", po::value(&o.seed)->default_value(1), "random seed")
      ("latency", po::value(&o.latency)->default_value("lut"), "latency model: lut (the table), roofline (Eq. 1 at --rp), macs")
      ("rp", po::value(&o.rp)->default_value(0), "ridge point in MACs/byte for --latency roofline")
      ("reward", po::value(&o.reward), "TuNAS reward for random/evolution over quality and latency: abs, mnas, mnas_hard")
      ("target-latency", po::value(&o.target_latency), "T0 of the reward, in the latency's unit (ms with a table)")
      ("beta", po::value(&o.beta)->default_value(-0.10), "β of the reward")
      ("max-latency", po::value(&o.max_latency), "constraint: latency at most this (ms with a table)")
      ("max-params", po::value(&o.max_params), "constraint: parameters at most this")
      ("max-macs", po::value(&o.max_macs), "constraint: MACs at most this")
      ("proxy-data", po::value(&o.proxy_data)->default_value("gaussian"),
       "minibatch of the proxies (naswot, zen, meco): gaussian (seeded N(0,1) pixels) or a folder of PPM/PGM images")
      ("checkpoint-seconds", po::value(&o.checkpoint_seconds)->default_value(5), "seconds between checkpoints (0: every generation)")
      ("resume", "continue the search checkpointed in --out (a new search when there is none)")
      ("allow-missing", "accept a table lacking parts of the space (the roofline fitted on its entries fills them)")
      ("no-progress", "no progress line per generation on stderr")
      ("measure-front", po::value(&o.measure_front), "K: time K front members end to end (table's protocol) beside their estimates")
      ("rediscover", po::value(&o.rediscover), "MODEL: search around a built-in variant's latency and report where it stands");
}

std::vector<std::pair<std::string, double>> constraint_list(const SearchOptions& o) {
  std::vector<std::pair<std::string, double>> c;
  if (o.max_latency != 0) c.emplace_back("latency", o.max_latency);
  if (o.max_params != 0) c.emplace_back("params", o.max_params);
  if (o.max_macs != 0) c.emplace_back("macs", o.max_macs);
  return c;
}

void report_predictors(const SearchProblem& problem) {
  for (int i = 0; i < problem.metric_count(); ++i)
    if (const auto* p = dynamic_cast<const PredictorObjective*>(problem.metric(i).objective.get()))
      std::printf("%s: ridge regression on %d rows, leave-one-out RMSE %.3f, MAE %.3f (top-1 points)\n",
                  p->name().c_str(), p->fit().rows, p->fit().loo_rmse, p->fit().loo_mae);
  std::fflush(stdout);  // before the progress lines on stderr
}

int search_main(const SearchOptions& o) {
  const auto t0 = Clock::now();
  if (o.budget <= 0) throw common::InputError("--budget must be at least 1");
  if (o.objectives.empty()) throw common::InputError("give --objectives (e.g. latency,macs:max)");
  const searchspace::SearchSpace space = searchspace::load_search_space(o.space_file);
  std::optional<latency::LatencyTable> table;
  std::optional<estimator::TableEstimators> estimators;
  std::string hash;
  if (!o.table_path.empty()) {
    table = latency::load_table(o.table_path);
    hash = file_hash(o.table_path);
    estimator::EstimatorOptions eo;
    eo.allow_missing = o.allow_missing;
    estimators.emplace(*table, o.table_path, eo);
    if (uses_table_latency(o)) check_table_covers_space(space, *table, o);
  }
  ObjectiveContext context{&space, estimators ? &*estimators : nullptr, parse_latency_model(o.latency), o.rp, {}};
  context.proxy.data = o.proxy_data;
  std::optional<Reward> reward;
  if (!o.reward.empty()) reward = Reward{parse_reward_kind(o.reward), o.target_latency, o.beta};
  const SearchProblem problem(space, split_list(o.objectives, "--objectives"), constraint_list(o), context, reward);
  report_predictors(problem);
  const FrontMeasurementRequest measurement{o.measure_front, table ? &*table : nullptr, o.table_path, o.out,
                                            o.latency == "lut", o.progress};
  if (o.measure_front != 0) check_front_measurement(problem, measurement);
  prepare_out_dir(o);
  const common::FileLock lock = common::lock_output_folder(o.out);  // until the outputs are written
  const nlohmann::json options = defining_options(o, space, hash, problem);
  SearchSettings settings{{o.strategy, o.population, o.sample}, o.budget, o.seed, o.threads};
  SearchRun run(problem, settings);
  const std::string checkpoint = (fs::path(o.out) / "checkpoint.json").string();
  if (o.resume && fs::exists(checkpoint))
    run.resume(checkpoint_from_json(common::read_json_file(checkpoint, "a search checkpoint"), problem, options, checkpoint));
  auto last_checkpoint = Clock::now();
  auto save = [&] { write_file_atomically(checkpoint, checkpoint_to_json(run.state(), problem, options).dump() + "\n"); };
  {
    const common::StopRequest stop_request;  // checked between generations: each takes moments
    run.run([&](const GenerationReport& r) {
      if (o.progress) print_progress(r, problem);
      if (common::stop_requested()) {
        save();
        throw common::Interrupted("interrupted: " + std::to_string(run.state().history.size()) + " candidates saved to " +
                                  checkpoint + "; continue with --resume");
      }
      if (std::chrono::duration<double>(Clock::now() - last_checkpoint).count() >= o.checkpoint_seconds) {
        save();
        last_checkpoint = Clock::now();
      }
      return true;
    });
    save();
  }
  nlohmann::json summary_options = options;
  summary_options["budget"] = o.budget;
  summary_options["threads"] = o.threads;
  const double wall = std::chrono::duration<double>(Clock::now() - t0).count();
  write_outputs(run, o.out, search_summary(run, summary_options, table_summary(o, table ? &*table : nullptr, hash), wall));
  print_front(run);
  if (o.measure_front != 0) measure_front(run, measurement);
  return 0;
}

}  // namespace

int run_search(const Args& args) {
  SearchOptions o;
  po::options_description opts("options");
  add_options(opts, o);
  add_thread_options(opts, o.threads, 1, "evaluation threads (the result does not depend on them)");
  po::variables_map vm;
  if (!parse_command_line(args, kUsage, opts, {}, vm)) return 0;
  check_thread_options(o.threads, vm);
  check_at_most("--budget", o.budget, 10000000);  // every evaluation stays in the history
  check_at_most("--population", o.population, 100000);
  check_at_most("--measure-front", o.measure_front, 1000);
  o.resume = vm.count("resume") > 0;
  o.allow_missing = vm.count("allow-missing") > 0;
  o.progress = vm.count("no-progress") == 0;
  if (vm["sample"].defaulted()) o.sample = std::min(o.sample, o.population);
  if (!o.rediscover.empty()) {
    const std::optional<double> beta = vm["beta"].defaulted() ? std::nullopt : std::optional<double>(o.beta);
    ProxySettings proxy;
    proxy.data = o.proxy_data;
    run_rediscovery({o.rediscover, o.space_file, o.table_path, o.out, split_list(o.objectives, "--objectives"), o.reward.empty() ? "abs" : o.reward,
                     beta, {{o.strategy, o.population, o.sample}, o.budget, o.seed, o.threads}, o.progress, proxy, o.resume});
    return 0;
  }
  return search_main(o);
}

}  // namespace uibnas::cli
