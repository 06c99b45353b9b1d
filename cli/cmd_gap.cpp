// uibnas gap --table T (--space FILE... --samples N | --models LIST): where a network's time goes beside
// its parts timed alone (estimator/gap_decomposition.hpp), measured in slots on this machine.
#include <cstdio>
#include <iostream>
#include <thread>

#include "arch_defs/catalogue.hpp"
#include "arch_defs/operators.hpp"
#include "cli/command.hpp"
#include "cli/cpu_list_option.hpp"
#include "cli/model_selection.hpp"
#include "common/atomic_file.hpp"
#include "common/error.hpp"
#include "common/statistics.hpp"
#include "estimator/gap_decomposition.hpp"
#include "estimator/lookup_table_estimator.hpp"
#include "estimator/validation.hpp"
#include "latency/slot_timing.hpp"
#include "latency/signature.hpp"

namespace uibnas::cli {
namespace {

namespace po = boost::program_options;
using namespace uibnas::estimator;

constexpr const char* kUsage =
    "usage: uibnas gap --table T (--space FILE... --samples N | --models LIST) [--seed S] [--repeat R]\n"
    "                  [--rounds K] [--json FILE] [--cpus LIST]\n\n"
    "Takes apart the difference between each network's end-to-end time and the sum of its parts timed\n"
    "alone: in each of K slots a network's distinct parts (the table's protocol), the network as\n"
    "`uibnas run` runs it, and the network with a timer after every step are timed side by side. Prints\n"
    "per network: the parts alone, their difference in context, steps outside the parts, the timers' own\n"
    "cost and what running without per-step barriers saves; then the per-part and per-network terms\n"
    "fitted over all networks (networks within and beyond the last-level cache apart).";

struct GapArgs {
  std::string table_path, models, json_path, cpus;
  std::vector<std::string> spaces;
  int samples = 0, repeat = 10, rounds = 3;
  std::uint64_t seed = 0;
};

// Median over the timed stepped runs of the steps of each part use, and of the steps outside all parts.
void in_context_times(const latency::SlotTiming& t, size_t part_count, std::vector<double>& part_ms, double& outside_ms) {
  std::vector<std::vector<double>> per_part(part_count);
  std::vector<double> outside;
  for (const std::vector<double>& run : t.step_ms) {
    std::vector<double> sum(part_count, 0.0);
    double out = 0;
    for (size_t s = 0; s < run.size(); ++s) (t.step_part[s] < 0 ? out : sum[size_t(t.step_part[s])]) += run[s];
    for (size_t p = 0; p < part_count; ++p) per_part[p].push_back(sum[p]);
    outside.push_back(out);
  }
  part_ms.clear();
  for (auto& v : per_part) part_ms.push_back(common::median(v));
  outside_ms = common::median(outside);
}

// One network over `rounds` slots: the medians of each slot's timings, then the median over slots.
GapObservation observe(const ValidationTarget& target, const latency::SlotProtocol& protocol, int rounds) {
  const arch_defs::Network net = arch_defs::build_network(target.arch);
  const auto parts = latency::network_parts(net, target.resolution, protocol.threads);
  std::vector<latency::BlockSignature> signatures;
  for (const auto& p : parts) signatures.push_back(p.signature);
  const latency::ProfileTarget profile_target{target.arch, target.resolution};
  std::vector<std::vector<double>> alone(parts.size()), context(parts.size());
  std::vector<double> network, stepped, outside;
  for (int r = 0; r < rounds; ++r) {
    const latency::SlotTiming t = latency::time_slot(signatures, &profile_target, protocol);
    std::vector<double> part_ms;
    double outside_ms = 0;
    in_context_times(t, parts.size(), part_ms, outside_ms);
    for (size_t p = 0; p < parts.size(); ++p) {
      alone[p].push_back(t.parts[p].median_ms);
      context[p].push_back(part_ms[p]);
    }
    network.push_back(common::median(t.network_runs));
    stepped.push_back(common::median(t.stepped_runs));
    outside.push_back(outside_ms);
  }
  GapObservation o;
  o.name = target.name;
  o.resolution = target.resolution;
  o.weight_mb = 4e-6 * double(arch_defs::network_params_macs(net, target.resolution).params);
  o.network_ms = common::median(network);
  o.stepped_ms = common::median(stepped);
  o.outside_ms = common::median(outside);
  for (size_t p = 0; p < parts.size(); ++p)
    o.parts.push_back({common::median(alone[p]), common::median(context[p]), part_weight_mb(parts[p].signature)});
  return o;
}

void print_observation(const GapObservation& o) {
  const GapComponents c = decompose_gap(o);
  std::printf("%-34.34s %5d %7.1f %4zu %9.3f %9.3f %+8.3f %8.3f %+8.3f %+8.3f %+7.1f%%\n", o.name.c_str(), o.resolution,
              o.weight_mb, o.parts.size(), o.network_ms, c.alone_ms, c.in_context_ms, c.outside_ms, c.step_timing_ms,
              c.overlap_ms, 100 * (o.network_ms - c.alone_ms) / c.alone_ms);
}

void print_term(const char* what, const LinearTerm& t, const char* per) {
  if (t.count == 0) return;
  std::printf("  %-44s %+.4f ms %+.4f ms/%s  (%d points)\n", what, t.intercept, t.slope, per, t.count);
}

}  // namespace

int run_gap(const Args& args) {
  GapArgs a;
  po::options_description opts("options");
  opts.add_options()
      ("table", po::value(&a.table_path)->required(), "latency table of this machine: its protocol and threads")
      ("space", po::value(&a.spaces)->composing(), "search space file to sample candidates from (repeatable)")
      ("samples,n", po::value(&a.samples)->default_value(0), "candidates per space")
      ("models,m", po::value(&a.models), "built-in models: 'all' or a comma-separated list")
      ("seed", po::value(&a.seed)->default_value(0), "sampling seed (one generator per space)")
      ("repeat", po::value(&a.repeat)->default_value(10), "runs of each network (plain and stepped) per slot")
      ("rounds", po::value(&a.rounds)->default_value(3), "slots per network; each figure is the median over them")
      ("json", po::value(&a.json_path), "also write every network's decomposition and the fit to this file");
  add_cpu_list_option(opts, a.cpus);
  po::variables_map vm;
  if (!parse_command_line(args, kUsage, opts, {}, vm)) return 0;
  if (a.spaces.empty() && a.models.empty()) throw common::InputError("give --space FILE --samples N, or --models LIST");
  if (!a.spaces.empty() && a.samples < 1) throw common::InputError("--space needs --samples N with N >= 1");
  if (a.repeat < 1 || a.rounds < 1) throw common::InputError("--repeat and --rounds must be at least 1");
  check_at_most("--repeat", a.repeat, kMaxRuns);
  check_at_most("--rounds", a.rounds, 1000);
  check_at_most("--samples", a.samples, 100000);
  const std::vector<int> cpus = given_cpu_list(a.cpus, vm);
  if (!cpus.empty()) pin_process_to_cpus(cpus);

  const latency::LatencyTable table = latency::load_table(a.table_path);
  const latency::PartProtocol parts = latency::part_protocol(table, a.table_path);
  latency::SlotProtocol protocol{table.threads, parts.warmup, parts.repeat, a.repeat, parts.evict_bytes};
  protocol.stepped_network = true;
  const auto targets = validation_targets(a.spaces, a.samples, a.seed, listed_models(a.models));
  const double cache_mb = table.hardware.l3_bytes > 0 ? double(table.hardware.l3_bytes) / 1e6 : 32.0;

  std::printf("gap on %s, %d thread%s: medians over %d slots (ms); last-level cache %.1f MB\n",
              table.hardware_name.c_str(), table.threads, table.threads == 1 ? "" : "s", a.rounds, cache_mb);
  std::printf("%-34s %5s %7s %4s %9s %9s %8s %8s %8s %8s %8s\n", "network", "px", "W MB", "parts", "network", "alone",
              "context", "outside", "timers", "overlap", "gap");
  std::vector<GapObservation> observations;
  for (const auto& t : targets) {
    observations.push_back(observe(t, protocol, a.rounds));
    print_observation(observations.back());
    std::fflush(stdout);
  }
  const GapModel model = fit_gap_model(observations, cache_mb);
  std::printf("\nfitted over %zu networks:\n", observations.size());
  print_term("per part in context, networks within cache:", model.part_in_cache, "MB");
  print_term("per part in context, networks beyond cache:", model.part_out_cache, "MB");
  print_term("per network (outside + timers + overlap):", model.network, "part");
  if (!a.json_path.empty()) {
    nlohmann::json j{{"hardware_name", table.hardware_name}, {"threads", table.threads}, {"rounds", a.rounds},
                     {"repeat", a.repeat}, {"model", model.to_json()}, {"networks", nlohmann::json::array()}};
    for (const auto& o : observations) {
      const GapComponents c = decompose_gap(o);
      j["networks"].push_back({{"name", o.name}, {"resolution", o.resolution}, {"weight_mb", o.weight_mb},
                               {"parts", o.parts.size()}, {"network_ms", o.network_ms}, {"alone_ms", c.alone_ms},
                               {"in_context_ms", c.in_context_ms}, {"outside_ms", c.outside_ms},
                               {"step_timing_ms", c.step_timing_ms}, {"overlap_ms", c.overlap_ms}});
    }
    common::write_file_atomically(a.json_path, j.dump(1) + "\n");
  }
  return 0;
}

}  // namespace uibnas::cli
