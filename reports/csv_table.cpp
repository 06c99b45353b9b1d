#include "reports/csv_table.hpp"

#include <cmath>
#include <cstdio>
#include <sstream>

#include "common/error.hpp"
#include "common/input_file.hpp"

namespace uibnas::reports {

namespace {

std::string field(const std::string& v) {
  if (v.find_first_of(",\"\n\r") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

void append_row(std::string& out, const std::vector<std::string>& cells) {
  for (size_t i = 0; i < cells.size(); ++i) out += (i ? "," : "") + field(cells[i]);
  out += "\n";
}

}  // namespace

std::string CsvTable::text() const {
  std::string out;
  append_row(out, header);
  for (const auto& r : rows) append_row(out, r);
  return out;
}

int CsvTable::column(const std::string& name) const {
  for (size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return int(i);
  return -1;
}

std::string csv_number(double v) {
  if (!std::isfinite(v)) return "";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

CsvTable parse_csv(const std::string& text, const std::string& source) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string cell;
  bool quoted = false, any = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') cell += '"', ++i;
      else if (c == '"') quoted = false;
      else cell += c;
    } else if (c == '"') {
      quoted = any = true;
    } else if (c == ',') {
      record.push_back(cell), cell.clear(), any = true;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      if (any || !cell.empty()) record.push_back(cell);
      if (!record.empty()) records.push_back(record);
      record.clear(), cell.clear(), any = false;
    } else {
      cell += c, any = true;
    }
  }
  if (any || !cell.empty()) record.push_back(cell);
  if (!record.empty()) records.push_back(record);
  if (quoted) throw common::InputError(source + ": unterminated quoted field");
  if (records.empty()) throw common::InputError(source + ": empty CSV (no header line)");
  CsvTable t;
  t.header = records.front();
  for (size_t r = 1; r < records.size(); ++r) {
    if (records[r].size() != t.header.size())
      throw common::InputError(source + ": row " + std::to_string(r + 1) + " has " + std::to_string(records[r].size()) +
                               " fields, the header " + std::to_string(t.header.size()));
    t.rows.push_back(std::move(records[r]));
  }
  return t;
}

CsvTable read_csv_file(const std::string& path) {
  return parse_csv(common::read_input_file(path, "a CSV file"), path);
}

}  // namespace uibnas::reports
