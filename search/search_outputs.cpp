#include "search/search_outputs.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "arch_defs/block_spec.hpp"
#include "searchspace/decode.hpp"
#include "searchspace/encoding.hpp"

namespace uibnas::search {

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

}  // namespace uibnas::search
