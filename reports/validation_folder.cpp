#include "reports/validation_folder.hpp"

#include <filesystem>
#include <sstream>

#include "common/error.hpp"
#include "common/input_file.hpp"
#include "common/json_file.hpp"

namespace uibnas::reports {

namespace fs = std::filesystem;

namespace {

double number_cell(const std::string& cell, const std::string& where) {
  try {
    size_t used = 0;
    const double v = std::stod(cell, &used);
    if (used == cell.size()) return v;
  } catch (const std::exception&) {
  }
  throw common::InputError(where + ": '" + cell + "' is not a number");
}

std::vector<ValidationPoint> read_points(const fs::path& csv_path) {
  const std::string source = csv_path.string();
  const CsvTable csv = read_csv_file(source);
  const int name = csv.column("name"), group = csv.column("group"), measured = csv.column("measured_ms"),
            lut = csv.column("lut_ms");
  if (name < 0 || group < 0 || measured < 0 || lut < 0)
    throw common::InputError(source + ": not a validation.csv (needs the columns name, group, measured_ms, lut_ms)");
  std::vector<ValidationPoint> points;
  for (size_t r = 0; r < csv.rows.size(); ++r) {
    const auto& row = csv.rows[r];
    const std::string where = source + ": row " + std::to_string(r + 2);
    points.push_back({row[size_t(name)], row[size_t(group)], number_cell(row[size_t(measured)], where),
                      number_cell(row[size_t(lut)], where)});
  }
  return points;
}

std::string steadiness_line(const fs::path& summary_txt) {
  if (!fs::exists(summary_txt)) return "";
  std::istringstream in(common::read_input_file(summary_txt.string(), "a validation summary"));
  for (std::string line; std::getline(in, line);)
    if (line.rfind("machine steadiness:", 0) == 0) return line;
  return "";
}

}  // namespace

bool is_validation_folder(const std::string& dir) {
  return fs::is_regular_file(fs::path(dir) / "summary.json") && fs::is_regular_file(fs::path(dir) / "validation.csv");
}

ValidationFolder load_validation_folder(const std::string& dir) {
  const fs::path d(dir);
  const std::string summary_path = (d / "summary.json").string();
  const nlohmann::json summary = common::read_json_file(summary_path, "a validation summary");
  ValidationFolder v;
  v.path = dir;
  try {
    v.table_path = summary.at("table").get<std::string>();
    v.hardware_name = summary.at("hardware_name").get<std::string>();
    v.threads = summary.at("threads").get<int>();
    v.statistic = summary.value("statistic", "median");
    v.agreement = summary.at("agreement");
    v.options = summary.value("options", nlohmann::json::object());
  } catch (const nlohmann::json::exception& e) {
    throw common::InputError(summary_path + ": not a validation summary: " + e.what());
  }
  v.points = read_points(d / "validation.csv");
  v.steadiness = steadiness_line(d / "summary.txt");
  return v;
}

}  // namespace uibnas::reports
