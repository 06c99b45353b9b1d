// What a search leaves in its folder: history.csv (every evaluated candidate), front.csv and
// front.json (the feasible Pareto front, sorted by the first objective), search.json. Numbers are printed with 10
// significant digits, so equal searches give byte-identical files.
#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "search/search_run.hpp"

namespace uibnas::search {

// The metric columns: objective labels ("macs:max"), then constraint-only metrics ("latency").
std::vector<std::string> metric_labels(const SearchProblem& problem);

// Header: generation,encoding,<metrics>,[reward,]violation,feasible
std::string history_csv(const SearchProblem& problem, const History& history);

// The front's history indices sorted by the first minimised objective, then by index.
std::vector<int> sorted_front(const History& history, std::vector<int> front);

// Header: encoding,<objectives>,blocks (the candidate's block strings, space-separated).
std::string front_csv(const SearchProblem& problem, const History& history, const std::vector<int>& front);
nlohmann::json front_json(const SearchProblem& problem, const History& history, const std::vector<int>& front);

std::string format_value(double v);  // 10 significant digits; "nan" for NaN

// search.json: the options and table as given, the objectives, hypervolume per generation with its
// bounds and reference point, counts and times.
nlohmann::json search_summary(const SearchRun& run, const nlohmann::json& options, const nlohmann::json& table,
                              double wall_s);
// history.csv, front.csv, front.json and search.json (`summary`) in `dir`, each written atomically.
void write_outputs(const SearchRun& run, const std::string& dir, const nlohmann::json& summary);

}  // namespace uibnas::search
