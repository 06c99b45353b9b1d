// The data of a figure or table as CSV (RFC 4180 quoting), and a reader for the CSV files that
// uibnas writes (history.csv, validation.csv).
#pragma once
#include <string>
#include <vector>

namespace uibnas::reports {

struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;

  std::string text() const;
  // The index of a header column, or -1.
  int column(const std::string& name) const;
};

// A number for a CSV cell: 6 significant digits, empty for NaN.
std::string csv_number(double v);

// Parses CSV text with a header line; quoted fields may hold commas, quotes ("") and newlines.
// Throws InputError naming `source` when a row has another number of fields than the header.
CsvTable parse_csv(const std::string& text, const std::string& source);
// parse_csv of a file's content; throws InputError "PATH: cannot open file".
CsvTable read_csv_file(const std::string& path);

}  // namespace uibnas::reports
