#include "reports/search_folder.hpp"

#include <filesystem>

#include "common/error.hpp"
#include "common/json_file.hpp"

namespace uibnas::reports {

namespace fs = std::filesystem;

namespace {

void read_summary(SearchFolder& s, const std::string& path) {
  const nlohmann::json j = common::read_json_file(path, "a search summary");
  try {
    for (const auto& o : j.at("objectives"))
      if (o.value("objective", true))
        s.objectives.push_back({o.at("label").get<std::string>(), o.value("unit", ""), o.value("direction", "min")});
    for (const auto& v : j.at("hypervolume").at("per_generation"))
      s.hypervolume.push_back(v.is_null() ? std::nullopt : std::optional<double>(v.get<double>()));
    s.options = j.value("options", nlohmann::json::object());
    s.table = j.value("table", nlohmann::json(nullptr));
  } catch (const nlohmann::json::exception& e) {
    throw common::InputError(path + ": not a search summary: " + e.what());
  }
}

void read_history(SearchFolder& s, const std::string& path) {
  s.history = read_csv_file(path);
  for (const char* column : {"generation", "encoding", "feasible"})
    if (s.history.column(column) < 0)
      throw common::InputError(path + ": not a search history (no column '" + std::string(column) + "')");
  for (const auto& o : s.objectives)
    if (s.history.column(o.label) < 0)
      throw common::InputError(path + ": lacks the column of objective '" + o.label + "' that search.json names");
}

}  // namespace

bool is_search_folder(const std::string& dir) {
  const fs::path d(dir);
  return fs::is_regular_file(d / "search.json") || fs::is_regular_file(d / "history.csv") ||
         fs::is_regular_file(d / "rediscover.json");
}

SearchFolder load_search_folder(const std::string& dir) {
  const fs::path d(dir);
  SearchFolder s;
  s.path = dir;
  const bool summary = fs::is_regular_file(d / "search.json"), history = fs::is_regular_file(d / "history.csv");
  if (summary != history)
    throw common::InputError(dir + ": incomplete search folder: " + (summary ? "search.json without history.csv"
                                                                            : "history.csv without search.json"));
  if (summary) {
    s.has_search = true;
    read_summary(s, (d / "search.json").string());
    read_history(s, (d / "history.csv").string());
    const fs::path front = d / "front.csv";
    if (fs::is_regular_file(front)) {
      const CsvTable f = read_csv_file(front.string());
      const int encoding = f.column("encoding");
      if (encoding < 0) throw common::InputError(front.string() + ": not a search front (no column 'encoding')");
      for (const auto& row : f.rows) s.front.insert(row[size_t(encoding)]);
    }
  }
  const fs::path rediscover = d / "rediscover.json";
  if (fs::is_regular_file(rediscover)) {
    nlohmann::json r = common::read_json_file(rediscover.string(), "a rediscovery report");
    if (!r.is_object() || !r.contains("model") || !r.contains("direct"))
      throw common::InputError(rediscover.string() + ": not a rediscovery report (no 'model' and 'direct')");
    s.rediscovery = std::move(r);
  }
  return s;
}

}  // namespace uibnas::reports
