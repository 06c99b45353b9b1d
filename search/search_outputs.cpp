#include "search/search_outputs.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <filesystem>

#include "arch_defs/block_spec.hpp"
#include "search/checkpoint.hpp"
#include "search/hypervolume.hpp"
#include "search/predictor.hpp"
#include "searchspace/decode.hpp"
#include "searchspace/encoding.hpp"

namespace uibnas::search {

using nlohmann::json;
namespace fs = std::filesystem;

std::string format_value(double v) {
  if (std::isnan(v)) return "nan";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

std::vector<std::string> metric_labels(const SearchProblem& problem) {
  std::vector<std::string> labels = problem.objective_labels();
  for (int i = problem.objective_count(); i < problem.metric_count(); ++i)
    labels.push_back(problem.metric(i).objective->name());
  return labels;
}

std::string history_csv(const SearchProblem& problem, const History& history) {
  std::string out = "generation,encoding";
  for (const std::string& l : metric_labels(problem)) out += "," + l;
  out += problem.reward() ? ",reward,violation,feasible\n" : ",violation,feasible\n";
  for (const Evaluation& e : history) {
    out += std::to_string(e.generation) + "," + searchspace::encode(problem.space(), e.choices);
    for (double v : e.metrics) out += "," + format_value(v);
    if (problem.reward()) out += "," + format_value(-e.fitness);
    out += "," + format_value(e.violation) + (e.feasible() ? ",1\n" : ",0\n");
  }
  return out;
}

std::vector<int> sorted_front(const History& history, std::vector<int> front) {
  std::sort(front.begin(), front.end(), [&](int a, int b) {
    const double va = history[size_t(a)].minimised[0], vb = history[size_t(b)].minimised[0];
    return va != vb ? va < vb : a < b;
  });
  return front;
}

namespace {

std::vector<std::string> block_strings(const SearchProblem& problem, const Evaluation& e) {
  std::vector<std::string> blocks;
  const arch_defs::Architecture arch = searchspace::to_architecture(problem.space(), e.choices);
  for (const auto& stage : arch.stages)
    for (const arch_defs::BlockSpec& b : stage) blocks.push_back(arch_defs::to_block_string(b));
  return blocks;
}

}  // namespace

std::string front_csv(const SearchProblem& problem, const History& history, const std::vector<int>& front) {
  std::string out = "encoding";
  for (const std::string& l : problem.objective_labels()) out += "," + l;
  out += ",blocks\n";
  for (int i : sorted_front(history, front)) {
    const Evaluation& e = history[size_t(i)];
    out += searchspace::encode(problem.space(), e.choices);
    for (int k = 0; k < problem.objective_count(); ++k) out += "," + format_value(e.metrics[size_t(k)]);
    std::string blocks;
    for (const std::string& b : block_strings(problem, e)) blocks += (blocks.empty() ? "" : " ") + b;
    out += "," + blocks + "\n";
  }
  return out;
}

nlohmann::json front_json(const SearchProblem& problem, const History& history, const std::vector<int>& front) {
  nlohmann::json out = nlohmann::json::array();
  const std::vector<std::string> labels = problem.objective_labels();
  for (int i : sorted_front(history, front)) {
    const Evaluation& e = history[size_t(i)];
    nlohmann::json objectives = nlohmann::json::object();
    for (int k = 0; k < problem.objective_count(); ++k) objectives[labels[size_t(k)]] = e.metrics[size_t(k)];
    out.push_back({{"encoding", searchspace::encode(problem.space(), e.choices)},
                   {"generation", e.generation},
                   {"objectives", objectives},
                   {"blocks", block_strings(problem, e)}});
  }
  return out;
}

json search_summary(const SearchRun& run, const json& options, const json& table,
                              double wall_s) {
  const SearchProblem& problem = run.problem();
  const SearchState& state = run.state();
  json objectives = json::array();
  for (int i = 0; i < problem.metric_count(); ++i) {
    const ChosenObjective& m = problem.metric(i);
    json o = {{"label", m.label()}, {"unit", m.objective->unit()}, {"direction", direction_name(m.direction)},
                        {"objective", i < problem.objective_count()}};
    if (const auto* p = dynamic_cast<const PredictorObjective*>(m.objective.get()))
      o["predictor"] = {{"rows", p->fit().rows}, {"loo_rmse", p->fit().loo_rmse}, {"loo_mae", p->fit().loo_mae},
                        {"features", feature_names()}};
    objectives.push_back(o);
  }
  json hv = json::array();
  for (double v : state.hypervolume) hv.push_back(std::isfinite(v) ? json(v) : json(nullptr));
  const double evaluations = double(state.history.size());
  return {{"options", options},
          {"table", table},
          {"objectives", objectives},
          {"generations", state.generations},
          {"evaluations", state.history.size()},
          {"computed", run.computed()},
          {"front_size", run.front().size()},
          {"hypervolume",
           {{"per_generation", hv},
            {"bounds", {{"lo", state.bounds.lo}, {"hi", state.bounds.hi}}},
            {"bounds_rule", "min and max of each minimised objective over generation 0's feasible candidates (all "
                            "of them when none is feasible); maximised objectives are negated"},
            {"reference_point", std::vector<double>(size_t(problem.objective_count()), kReferencePoint)}}},
          {"search_time_s", state.elapsed_s},
          {"wall_time_s", wall_s},
          {"evaluations_per_s", state.elapsed_s > 0 ? evaluations / state.elapsed_s : 0.0}};
}

void write_outputs(const SearchRun& run, const std::string& dir, const json& summary) {
  const SearchProblem& problem = run.problem();
  const History& history = run.state().history;
  const fs::path d(dir);
  write_file_atomically((d / "history.csv").string(), history_csv(problem, history));
  write_file_atomically((d / "front.csv").string(), front_csv(problem, history, run.front()));
  write_file_atomically((d / "front.json").string(), front_json(problem, history, run.front()).dump(1) + "\n");
  write_file_atomically((d / "search.json").string(), summary.dump(1) + "\n");
}

}  // namespace uibnas::search
