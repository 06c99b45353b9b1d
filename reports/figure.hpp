// What the report is made of: sections holding figures (an SVG and the CSV of the data it draws),
// tables and notes.
#pragma once
#include <cctype>
#include <string>
#include <vector>

#include "reports/csv_table.hpp"

namespace uibnas::reports {

struct Figure {
  std::string id;       // the CSV's file stem and the SVG's id: "tradeoff-xeon-vm-2vcpu-t1"
  std::string title;
  std::string caption;  // what is drawn and how to read it
  std::string svg;
  CsvTable data;        // one row per data point the SVG draws
};

struct Table {
  std::string id;       // written as CSV too, under this stem
  std::string title;
  CsvTable data;
};

struct Section {
  std::string id, title;
  std::vector<std::string> notes;    // sources, command lines
  std::vector<std::string> skipped;  // what could not be drawn, and why
  std::vector<Figure> figures;
  std::vector<Table> tables;
};

// The short name of a model in figures: "mobilenetv4_conv_medium" -> "MNv4 conv_medium",
// "mobilenetv3_large_100" -> "MNv3 large_100"; other names as they are. CSVs keep the full name.
inline std::string model_label(const std::string& name) {
  const std::string prefix = "mobilenetv";
  if (name.rfind(prefix, 0) != 0 || name.size() < prefix.size() + 2 || name[prefix.size() + 1] != '_') return name;
  return "MNv" + name.substr(prefix.size(), 1) + " " + name.substr(prefix.size() + 2);
}

// A name usable in a file name and an id: letters, digits, '-', '.', the rest replaced by '-'.
inline std::string slug(const std::string& text) {
  std::string out;
  for (char c : text) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.') ? c : '-';
  return out;
}

}  // namespace uibnas::reports
