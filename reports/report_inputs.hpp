// What `uibnas report` is given, recognised by content: a latency table, rank results, a validation
// folder, a search folder, or a folder that holds any of them (scanned a few levels deep).
#pragma once
#include <string>
#include <vector>

#include "latency/latency_table.hpp"
#include "reports/rank.hpp"
#include "reports/search_folder.hpp"
#include "reports/validation_folder.hpp"

namespace uibnas::reports {

struct LoadedTable {
  std::string path;
  latency::LatencyTable table;
};

struct RankInput {  // rank results (uibnas rank --json) and the file they were read from
  std::string path;
  RankResult result;
};

struct ReportInputs {
  std::vector<LoadedTable> tables;
  std::vector<RankInput> ranks;
  std::vector<ValidationFolder> validations;
  std::vector<SearchFolder> searches;
  std::vector<std::string> described;  // one line per input: its kind and path
};

// Throws InputError for a path that does not exist, a file of unknown kind, a corrupt input, a set
// of paths that holds nothing to report, and a validation folder made with none of the given tables.
ReportInputs gather_inputs(const std::vector<std::string>& paths);

}  // namespace uibnas::reports
