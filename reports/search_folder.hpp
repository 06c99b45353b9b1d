// Reading a folder that `uibnas search --out` wrote (docs/search.md): every evaluated candidate
// (history.csv), the front (front.csv), the summary with the hypervolume per generation
// (search.json), and rediscover.json when the folder holds a --rediscover run.
#pragma once
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "reports/csv_table.hpp"

namespace uibnas::reports {

struct SearchMetric {
  std::string label, unit, direction;  // "macs:max", "MACs", "max"
};

struct SearchFolder {
  std::string path;
  bool has_search = false;              // history.csv and search.json
  CsvTable history;                     // generation, encoding, metrics..., violation, feasible
  std::vector<SearchMetric> objectives; // the objectives (not constraint-only metrics)
  std::vector<std::optional<double>> hypervolume;  // per generation; none where undefined
  std::set<std::string> front;          // encodings of front.csv
  nlohmann::json options, table;        // search.json's
  std::optional<nlohmann::json> rediscovery;
};

// True for a folder holding search.json, history.csv or rediscover.json.
bool is_search_folder(const std::string& dir);

// Throws InputError naming the file for a corrupt or incomplete folder (history.csv without
// search.json, or the other way round).
SearchFolder load_search_folder(const std::string& dir);

}  // namespace uibnas::reports
