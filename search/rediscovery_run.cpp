#include "search/rediscovery_run.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "arch_defs/catalogue.hpp"
#include "common/error.hpp"
#include "common/file_lock.hpp"
#include "common/input_file.hpp"
#include "common/json_file.hpp"
#include "common/stop_request.hpp"
#include "latency/space_signatures.hpp"
#include "search/checkpoint.hpp"
#include "search/rediscovery.hpp"
#include "search/search_outputs.hpp"
#include "searchspace/decode.hpp"
#include "searchspace/encoding.hpp"
#include "searchspace/locate.hpp"

namespace uibnas::search {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// What the three searches share.
struct Setup {
  const RediscoveryRequest& request;
  const arch_defs::Architecture& variant;
  const latency::LatencyTable& table;
  const estimator::TableEstimators& estimators;
  std::vector<std::string> objectives;
  double t0 = 0;  // the variant's lookup-table latency, ms
};

struct StageResult {
  json report;
  std::string text;
  searchspace::Choices best;  // the feasible candidate of highest reward
};

json number(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

std::string percent_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%+.1f%%", v);
  return buf;
}

// The variant's metrics: its decoded candidate's when it is in the space; otherwise computed from its
// own network where the metric allows it (latency, params, macs), NaN for the rest.
std::vector<double> variant_metrics(const SearchProblem& problem, const searchspace::Location& where, const Setup& s) {
  if (where.inside) return problem.measure(where.choices);
  const arch_defs::Network net = arch_defs::build_network(s.variant);
  const arch_defs::ParamsMacs pm = arch_defs::network_params_macs(net, s.variant.input_size);
  std::vector<double> values;
  for (int i = 0; i < problem.metric_count(); ++i) {
    const std::string name = problem.metric(i).objective->name();
    values.push_back(name == "latency" ? s.t0
                     : name == "macs"  ? double(pm.macs)
                     : name == "params" ? double(pm.params)
                                        : std::numeric_limits<double>::quiet_NaN());
  }
  return values;
}

// The parts of the space the table holds (the rest come from the roofline fitted on its entries).
json table_coverage(const searchspace::SearchSpace& space, const latency::LatencyTable& table) {
  const std::vector<latency::BlockSignature> parts = latency::space_signatures(space, table.threads);
  size_t held = 0;
  for (const auto& p : parts) held += table.find(p.key()) != nullptr;
  return {{"parts", parts.size()}, {"in_table", held}};
}

json metrics_json(const std::vector<std::string>& labels, const std::vector<double>& values) {
  json out = json::object();
  for (size_t k = 0; k < labels.size(); ++k) out[labels[k]] = number(values[k]);
  return out;
}

std::string metrics_text(const std::vector<std::string>& labels, const std::vector<double>& values) {
  std::string out;
  for (size_t k = 0; k < labels.size(); ++k) out += (k ? ", " : "") + labels[k] + " " + format_value(values[k]);
  return out;
}

json member_json(const SearchProblem& problem, const Evaluation& e) {
  std::vector<std::string> blocks;
  for (const auto& stage : searchspace::to_architecture(problem.space(), e.choices).stages)
    for (const auto& b : stage) blocks.push_back(arch_defs::to_block_string(b));
  return {{"encoding", searchspace::encode(problem.space(), e.choices)},
          {"metrics", metrics_json(problem.objective_labels(), e.metrics)},
          {"blocks", blocks}};
}

// Percentiles among the variant's peers within the latency band, one per objective.
json band_report(const SearchProblem& problem, const History& history, const std::vector<double>& variant,
                 double t0, std::string& text) {
  const int latency = problem.reward()->latency;
  const std::vector<int> band = latency_band(history, latency, t0, kRediscoveryBand);
  json percentiles = json::object();
  text += "  peers (distinct feasible candidates within ±" + format_value(kRediscoveryBand * 100) + "% of T0): " +
          std::to_string(band.size()) + "\n";
  for (int k = 0; k < problem.objective_count(); ++k) {
    std::vector<double> values;
    for (int i : band) values.push_back(history[size_t(i)].metrics[size_t(k)]);
    const double p = percentile_rank(values, variant[size_t(k)], problem.metric(k).direction);
    percentiles[problem.metric(k).label()] = number(p);
    text += "    percentile under " + problem.metric(k).label() + ": " +
            (std::isnan(p) ? std::string("n/a") : format_value(std::round(p * 10) / 10)) + "\n";
  }
  return {{"relative", kRediscoveryBand},
          {"lo_ms", t0 * (1 - kRediscoveryBand)},
          {"hi_ms", t0 * (1 + kRediscoveryBand)},
          {"candidates", band.size()},
          {"percentile", percentiles},
          {"percentile_rule", "percent of the peers the variant is better than (ties count half), per objective"}};
}

json domination_report(const SearchProblem& problem, const History& history, const std::vector<int>& front,
                       const std::vector<double>& variant, std::string& text) {
  std::vector<Direction> directions;
  for (int k = 0; k < problem.objective_count(); ++k) directions.push_back(problem.metric(k).direction);
  const std::vector<double> objectives(variant.begin(), variant.begin() + problem.objective_count());
  const std::optional<Domination> d = strongest_domination(history, front, objectives, directions);
  if (!d) {
    text += "  the front does not dominate it\n";
    return {{"dominated", false}, {"dominated_by", nullptr}};
  }
  const std::vector<std::string> labels = problem.objective_labels();
  json member = member_json(problem, history[size_t(d->member)]);
  json relative = json::object();
  std::string gains;
  for (size_t k = 0; k < labels.size(); ++k) {
    relative[labels[k]] = d->relative_pct[k];
    gains += (k ? ", " : "") + labels[k] + " " + percent_text(d->relative_pct[k]);
  }
  member["relative_pct"] = relative;
  member["gain_pct"] = d->gain_pct;
  text += "  dominated by " + member["encoding"].get<std::string>() + ": " + gains + "\n";
  return {{"dominated", true}, {"dominated_by", member}};
}

json closest_report(const SearchProblem& problem, const History& history, const std::vector<int>& front,
                    const searchspace::Location& where, std::string& text) {
  if (!where.inside) {
    text += "  closest front member: none (the variant is not in the space)\n";
    return nullptr;
  }
  const std::optional<ClosestMember> c = closest_member(history, front, where.choices);
  if (!c) return nullptr;
  const Evaluation& e = history[size_t(c->member)];
  json out = member_json(problem, e);
  out["hamming"] = c->decisions.size();
  json decisions = json::array();
  text += "  closest front member: " + out["encoding"].get<std::string>() + ", Hamming distance " +
          std::to_string(c->decisions.size()) + "\n";
  for (int d : c->decisions) {
    const searchspace::Decision& decision = problem.space().decisions()[size_t(d)];
    const std::string was = decision.labels[size_t(where.choices[size_t(d)])], is = decision.labels[size_t(e.choices[size_t(d)])];
    decisions.push_back({{"decision", decision.name}, {"variant", was}, {"member", is}});
    text += "    " + decision.name + ": " + was + " -> " + is + "\n";
  }
  json blocks = json::array();
  const arch_defs::Architecture member = searchspace::to_architecture(problem.space(), e.choices);
  // The variant decoded from its choices, so that both sides are one r1 block string per block.
  const arch_defs::Architecture variant = searchspace::to_architecture(problem.space(), where.choices);
  for (const BlockDifference& b : differing_blocks(variant, member)) {
    blocks.push_back({{"stage", b.stage}, {"block", b.block}, {"variant", b.first}, {"member", b.second}});
    text += "    stage " + std::to_string(b.stage) + " block " + std::to_string(b.block) + ": " +
            (b.first.empty() ? "-" : b.first) + " | " + (b.second.empty() ? "-" : b.second) + "\n";
  }
  out["differing_decisions"] = decisions;
  out["differing_blocks"] = blocks;
  return out;
}

int best_by_reward(const History& history) {
  int best = -1;
  for (int i = 0; i < int(history.size()); ++i)
    if (history[size_t(i)].feasible() && (best < 0 || history[size_t(i)].fitness < history[size_t(best)].fitness)) best = i;
  return best;
}

Reward scaled_reward(const Setup& s, double variant_quality) {
  const RewardKind kind = parse_reward_kind(s.request.reward);
  const double beta = s.request.beta.value_or(kRediscoveryBeta);
  // abs is linear in Q: scaling β by the variant's Q ranks candidates as Q/Qv + β·|T/T0 − 1| would.
  const bool scale = kind == RewardKind::Abs && std::isfinite(variant_quality) && variant_quality != 0;
  return Reward{kind, s.t0, scale ? beta * std::abs(variant_quality) : beta};
}

json stage_header(const std::string& name, const searchspace::SearchSpace& space, const searchspace::Location& where,
                  const SearchProblem& problem, const std::vector<double>& variant, const Setup& s, std::string& text) {
  const Reward& r = problem.reward()->reward;
  text += name + ": " + s.variant.name + " in space " + space.id() + "\n";
  text += where.inside ? "  in the space: " + searchspace::encode(space, where.choices) + "\n"
                       : "  NOT in the space: " + where.reason + " (its metrics are computed from its own network)\n";
  text += "  variant: " + metrics_text(problem.objective_labels(), variant) + "\n";
  const json coverage = table_coverage(space, s.table);
  text += "  table holds " + coverage["in_table"].dump() + " of the space's " + coverage["parts"].dump() +
          " parts; the roofline fitted on its entries estimates the rest\n";
  return {{"space", space.id()},
          {"space_cardinality", space.cardinality().to_string()},
          {"table_coverage", coverage},
          {"variant",
           {{"in_space", where.inside},
            {"reason", where.inside ? json(nullptr) : json(where.reason)},
            {"encoding", where.inside ? json(searchspace::encode(space, where.choices)) : json(nullptr)},
            {"metrics", metrics_json(problem.objective_labels(), variant)}}},
          {"reward", {{"kind", reward_kind_name(r.kind)}, {"target_latency_ms", r.target_latency}, {"beta", r.beta}}}};
}

// The search's own outputs (search_outputs.hpp), so that the folder is also a search folder.
void write_stage_outputs(const SearchRun& run, const searchspace::SearchSpace& space, const Setup& s, double wall_s) {
  const RediscoveryRequest& r = s.request;
  const json options = {{"rediscover", s.variant.name}, {"space", r.space_file}, {"space_id", space.id()},
                        {"objectives", s.objectives}, {"reward", r.reward}, {"strategy", r.settings.strategy.name},
                        {"budget", r.settings.budget}, {"population", r.settings.strategy.population},
                        {"sample", r.settings.strategy.sample}, {"seed", r.settings.seed}};
  const json table = {{"path", r.table_path}, {"hardware_name", s.table.hardware_name},
                      {"cpu_model", s.table.hardware.cpu_model}, {"threads", s.table.threads},
                      {"entries", s.table.entries.size()}};
  write_outputs(run, r.out_dir, search_summary(run, options, table, wall_s));
}

StageResult search_stage(const std::string& name, const searchspace::SearchSpace& space, const Setup& s,
                         bool write_search_outputs = false) {
  const searchspace::Location where = searchspace::locate(space, s.variant);
  const ObjectiveContext context{&space, &s.estimators, LatencyModel::LookupTable, 0, s.request.proxy};
  const SearchProblem plain(space, s.objectives, {}, context, std::nullopt);
  const std::vector<double> variant = variant_metrics(plain, where, s);
  const int quality = plain.metric(0).objective->name() == "latency" ? 1 : 0;
  const SearchProblem problem(space, s.objectives, {}, context, scaled_reward(s, variant.at(size_t(quality))));
  if (s.request.progress)
    std::fprintf(stderr, "rediscover: %s, %lld candidates of %s\n", name.c_str(), s.request.settings.budget,
                 space.id().c_str());
  SearchRun run(problem, s.request.settings);
  const auto start = std::chrono::steady_clock::now();
  run.run([](const GenerationReport&) {
    // A rediscovery has no checkpoint: it takes minutes at most, and its report is written at the end.
    if (common::stop_requested())
      throw common::Interrupted("interrupted: stopped before rediscover.json was written; run it again to start over");
    return true;
  });
  if (write_search_outputs)
    write_stage_outputs(run, space, s, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  const History& history = run.state().history;
  const std::vector<int> front = sorted_front(history, run.front());
  StageResult out;
  out.report = stage_header(name, space, where, problem, variant, s, out.text);
  out.report["evaluations"] = history.size();
  out.report["front_size"] = front.size();
  out.report["band"] = band_report(problem, history, variant, s.t0, out.text);
  out.text += "  front: " + std::to_string(front.size()) + " members of " + std::to_string(history.size()) + " evaluated\n";
  out.report.update(domination_report(problem, history, front, variant, out.text));
  out.report["closest_member"] = closest_report(problem, history, front, where, out.text);
  const int best = best_by_reward(history);
  if (best >= 0) {
    out.best = history[size_t(best)].choices;
    out.report["best"] = member_json(problem, history[size_t(best)]);
    out.report["best"]["reward"] = -history[size_t(best)].fitness;
    out.text += "  best by reward: " + out.report["best"]["encoding"].get<std::string>() + " (" +
                metrics_text(problem.objective_labels(), history[size_t(best)].metrics) + ")\n";
  }
  return out;
}

// The paper's two searches, the second seeded with the first's best widths and depths.
json two_stage(const Setup& s, std::string& text) {
  const fs::path folder = fs::path(s.request.space_file).parent_path();
  const fs::path first_file = folder / kFirstStageSpace, second_file = folder / kSecondStageSpace;
  if (!fs::exists(first_file) || !fs::exists(second_file)) {
    const std::string reason = std::string(kFirstStageSpace) + " and " + kSecondStageSpace + " are not beside --space";
    text += "two-stage search skipped: " + reason + "\n";
    return {{"skipped", reason}};
  }
  const searchspace::SearchSpace first = searchspace::load_search_space(first_file.string());
  StageResult one = search_stage("stage 1 (widths and depths)", first, s);
  text += one.text;
  if (one.best.empty()) return {{"stage1", one.report}, {"stage2", {{"skipped", "stage 1 found no feasible candidate"}}}};
  const searchspace::SearchSpace second(
      seeded_second_stage(searchspace::load_space_spec(second_file.string()), first, one.best));
  StageResult two = search_stage("stage 2 (depthwise convs, stage 1's best widths and depths)", second, s);
  two.report["seeded_from"] = searchspace::encode(first, one.best);
  text += two.text;
  return {{"stage1", one.report}, {"stage2", two.report}};
}

// With --resume: when DIR holds a finished rediscovery of the same request, prints it and says so.
bool show_finished(const std::string& dir, const json& request_json) {
  const fs::path json_path = fs::path(dir) / "rediscover.json", text_path = fs::path(dir) / "rediscover.txt";
  if (!fs::exists(json_path) || !fs::exists(text_path)) return false;
  const json done = common::read_json_file(json_path.string(), "a rediscovery report");
  for (const auto& [key, value] : request_json.items())
    if (!done.contains(key) || done[key] != value) return false;
  std::printf("%s(finished earlier with the same settings: %s)\n",
              common::read_input_file(text_path.string(), "a rediscovery report").c_str(), json_path.c_str());
  return true;
}

}  // namespace

void run_rediscovery(const RediscoveryRequest& request) {
  if (request.table_path.empty()) throw common::InputError("--rediscover needs --table: T0 is the variant's latency on it");
  if (request.out_dir.empty()) throw common::InputError("--rediscover needs --out DIR");
  if (request.settings.budget < 1) throw common::InputError("--budget must be at least 1");
  const arch_defs::Architecture variant = arch_defs::resolve_architecture(request.model);
  const latency::LatencyTable table = latency::load_table(request.table_path);
  estimator::EstimatorOptions eo;
  eo.allow_missing = true;  // the table holds the variants' parts; the roofline fills in the rest
  const estimator::TableEstimators estimators(table, request.table_path, eo);
  Setup s{request, variant, table, estimators, request.objectives, 0};
  if (s.objectives.empty()) s.objectives = {"latency", kRediscoveryQuality};
  s.t0 = estimators.estimate(arch_defs::build_network(variant), variant.input_size, variant.name).lut_ms;
  const searchspace::SearchSpace space = searchspace::load_search_space(request.space_file);
  fs::create_directories(request.out_dir);
  const common::FileLock lock = common::lock_output_folder(request.out_dir);  // until the outputs are written
  const common::StopRequest stop_request;

  const json request_json = {{"model", variant.name},
                             {"space", request.space_file},
                             {"table", request.table_path},
                             {"t0_ms", s.t0},
                             {"objectives", s.objectives},
                             {"beta_relative", request.beta.value_or(kRediscoveryBeta)},
                             {"settings",
                              {{"strategy", request.settings.strategy.name},
                               {"budget", request.settings.budget},
                               {"population", request.settings.strategy.population},
                               {"sample", request.settings.strategy.sample},
                               {"seed", request.settings.seed}}}};
  if (request.resume && show_finished(request.out_dir, request_json)) return;

  std::string text = "Rediscovering " + variant.name + ": T0 = " + format_value(s.t0) + " ms (lookup table " +
                     request.table_path + ", " + std::to_string(table.threads) + " thread(s))\n";
  StageResult direct = search_stage("direct search", space, s, true);
  text += direct.text;
  json report = request_json;
  report["direct"] = direct.report;
  report["two_stage"] = two_stage(s, text);
  write_file_atomically((fs::path(request.out_dir) / "rediscover.json").string(), report.dump(1) + "\n");
  write_file_atomically((fs::path(request.out_dir) / "rediscover.txt").string(), text);
  std::printf("%s", text.c_str());
}

}  // namespace uibnas::search
