#include "search/checkpoint.hpp"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>

#include "common/error.hpp"
#include "searchspace/encoding.hpp"

namespace uibnas::search {

namespace {

nlohmann::json number_or_null(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }
double number_from(const nlohmann::json& j) {
  return j.is_null() ? std::numeric_limits<double>::quiet_NaN() : j.get<double>();
}

}  // namespace

nlohmann::json checkpoint_to_json(const SearchState& state, const SearchProblem& problem, const nlohmann::json& options) {
  nlohmann::json history = nlohmann::json::array();
  for (const Evaluation& e : state.history) {
    nlohmann::json metrics = nlohmann::json::array();
    for (double v : e.metrics) metrics.push_back(number_or_null(v));
    history.push_back({e.generation, searchspace::encode(problem.space(), e.choices), metrics});
  }
  nlohmann::json hv = nlohmann::json::array();
  for (double v : state.hypervolume) hv.push_back(number_or_null(v));
  return {{"format", kCheckpointFormat},
          {"version", kCheckpointVersion},
          {"options", options},
          {"generations", state.generations},
          {"elapsed_s", state.elapsed_s},
          {"bounds", {{"lo", state.bounds.lo}, {"hi", state.bounds.hi}}},
          {"hypervolume", hv},
          {"strategy", state.strategy},
          {"history", history}};
}

SearchState checkpoint_from_json(const nlohmann::json& j, const SearchProblem& problem, const nlohmann::json& options,
                                 const std::string& path) {
  if (j.value("format", "") != kCheckpointFormat || j.value("version", 0) != kCheckpointVersion)
    throw common::InputError(path + ": not a uibnas search checkpoint (version " + std::to_string(kCheckpointVersion) + ")");
  if (j.at("options") != options) {
    std::string differ;
    for (const auto& [key, value] : options.items())
      if (!j.at("options").contains(key) || j.at("options").at(key) != value)
        differ += (differ.empty() ? "" : ", ") + key + " " + j.at("options").value(key, nlohmann::json()).dump() + " there";
    throw common::InputError(path + ": cannot resume: the checkpoint is of a search with other options (" + differ + ")");
  }
  SearchState s;
  try {
    s.generations = j.at("generations").get<int>();
    s.elapsed_s = j.at("elapsed_s").get<double>();
    s.bounds.lo = j.at("bounds").at("lo").get<std::vector<double>>();
    s.bounds.hi = j.at("bounds").at("hi").get<std::vector<double>>();
    for (const auto& v : j.at("hypervolume")) s.hypervolume.push_back(number_from(v));
    s.strategy = j.at("strategy");
    for (const auto& row : j.at("history")) {
      Evaluation e;
      e.generation = row.at(0).get<int>();
      e.choices = problem.space().canonical(searchspace::decode(problem.space(), row.at(1).get<std::string>()));
      for (const auto& v : row.at(2)) e.metrics.push_back(number_from(v));
      if (int(e.metrics.size()) != problem.metric_count()) throw common::InputError("a history row has the wrong size");
      problem.score(e);
      s.history.push_back(std::move(e));
    }
    if (s.strategy.contains("population"))
      for (int i : s.strategy.at("population"))
        if (i < 0 || i >= int(s.history.size())) throw common::InputError("a population member is not in the history");
  } catch (const nlohmann::json::exception& e) {
    throw common::InputError(path + ": corrupt checkpoint (" + e.what() + ")");
  } catch (const common::InputError& e) {
    throw common::InputError(path + ": corrupt checkpoint (" + e.what() + ")");
  }
  return s;
}

}  // namespace uibnas::search
