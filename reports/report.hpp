// `uibnas report`: the sections built from whatever inputs were given (a missing one is skipped
// with a note), the page written as one self-contained HTML file and every figure's and table's
// data as CSV in <stem>_files/ beside it.
#pragma once
#include <string>
#include <vector>

#include "reports/figure.hpp"
#include "reports/report_inputs.hpp"

namespace uibnas::reports {

std::vector<Section> report_sections(const ReportInputs& inputs);

struct ReportRequest {
  std::vector<std::string> inputs;  // files and folders
  std::string output;               // the HTML file
  std::string command_line;         // shown in the page
};

struct WrittenReport {
  std::string html_path, csv_folder;
  int figures = 0, tables = 0, skipped = 0;
  std::size_t html_bytes = 0;
};

// Throws InputError for bad inputs (see gather_inputs) and an output that cannot be written.
WrittenReport write_report(const ReportRequest& request);

}  // namespace uibnas::reports
