// The page: polyglot XHTML (it parses as XML, so a strict parser catches an unclosed tag) with its
// CSS and a little sorting script inline, a Content-Security-Policy that forbids every external
// load, and the sections in order. Readable without JavaScript.
#pragma once
#include <string>
#include <vector>

#include "reports/figure.hpp"

namespace uibnas::reports {

struct PageHeader {
  std::string title;
  std::string generated_by;         // the command line of `uibnas report`
  std::vector<std::string> inputs;  // what was read, one line each
};

// `csv_folder` is the folder name the CSV links point into (relative to the page).
std::string html_page(const PageHeader& header, const std::vector<Section>& sections, const std::string& csv_folder);

// A table as XHTML, sortable by clicking a column header when scripts run.
std::string html_table(const CsvTable& table, const std::string& id);

}  // namespace uibnas::reports
