#include "reports/report_inputs.hpp"

#include <algorithm>
#include <filesystem>

#include "common/error.hpp"
#include "common/json_file.hpp"

namespace uibnas::reports {

namespace fs = std::filesystem;

namespace {

constexpr int kScanDepth = 3;
constexpr const char* kKinds =
    "a latency table (uibnas profile), rank results (uibnas rank --json), a validation folder (uibnas validate "
    "--out) or a search folder (uibnas search --out)";

// Adds a JSON file of a known kind; returns false for another kind.
bool add_json_file(ReportInputs& in, const std::string& path) {
  const nlohmann::json j = common::read_json_file(path, "a report input");
  const std::string schema = j.is_object() ? j.value("schema", "") : "";
  if (schema == latency::kTableSchema) {
    LoadedTable t{path, latency::load_table(path)};
    in.described.push_back("latency table " + path + " (" + t.table.hardware_name + ", " +
                           std::to_string(t.table.threads) + " thread(s))");
    in.tables.push_back(std::move(t));
    return true;
  }
  if (schema == kRankSchema) {
    in.ranks.push_back({path, rank_result_from_json(j, path)});
    in.described.push_back("rank results " + path);
    return true;
  }
  return false;
}

// Adds a validation or search folder; returns false for any other folder.
bool add_result_folder(ReportInputs& in, const std::string& dir) {
  if (is_validation_folder(dir)) {
    in.validations.push_back(load_validation_folder(dir));
    in.described.push_back("validation folder " + dir);
    return true;
  }
  if (is_search_folder(dir)) {
    in.searches.push_back(load_search_folder(dir));
    in.described.push_back("search folder " + dir);
    return true;
  }
  return false;
}

void scan_folder(ReportInputs& in, const fs::path& dir, int depth) {
  if (add_result_folder(in, dir.string())) return;
  std::vector<fs::path> entries;
  for (const auto& e : fs::directory_iterator(dir)) entries.push_back(e.path());
  std::sort(entries.begin(), entries.end());
  for (const fs::path& p : entries) {
    if (fs::is_directory(p) && depth < kScanDepth) scan_folder(in, p, depth + 1);
    else if (fs::is_regular_file(p) && p.extension() == ".json") add_json_file(in, p.string());
  }
}

void check_validations_match_tables(const ReportInputs& in) {
  if (in.tables.empty()) return;
  for (const auto& v : in.validations) {
    const bool match = std::any_of(in.tables.begin(), in.tables.end(), [&](const LoadedTable& t) {
      return t.table.hardware_name == v.hardware_name && t.table.threads == v.threads;
    });
    if (!match)
      throw common::InputError(v.path + ": a validation of table " + v.table_path + " (" + v.hardware_name + ", " +
                               std::to_string(v.threads) + " thread(s)), which matches none of the given latency tables");
  }
}

}  // namespace

ReportInputs gather_inputs(const std::vector<std::string>& paths) {
  if (paths.empty()) throw common::InputError("uibnas report: give at least one input (" + std::string(kKinds) + ")");
  ReportInputs in;
  for (const std::string& path : paths) {
    if (!fs::exists(path)) throw common::InputError(path + ": no such file or folder");
    if (fs::is_directory(path)) {
      const size_t before = in.described.size();
      scan_folder(in, path, 0);
      if (in.described.size() == before) throw common::InputError(path + ": holds nothing to report (" + kKinds + ")");
    } else if (!add_json_file(in, path)) {
      throw common::InputError(path + ": unknown kind of input (expected " + std::string(kKinds) + ")");
    }
  }
  check_validations_match_tables(in);
  return in;
}

}  // namespace uibnas::reports
