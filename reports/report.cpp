#include "reports/report.hpp"

#include <algorithm>
#include <filesystem>
#include <set>

#include "common/atomic_file.hpp"
#include "common/error.hpp"
#include "reports/html_page.hpp"
#include "reports/latency_breakdown_figure.hpp"
#include "reports/provenance_section.hpp"
#include "reports/ridge_sweep_figure.hpp"
#include "reports/search_section.hpp"
#include "reports/tradeoff_figure.hpp"
#include "reports/validation_section.hpp"

namespace uibnas::reports {

namespace fs = std::filesystem;

namespace {

std::string table_suffix(const std::string& hardware, int threads) { return slug(hardware) + "-t" + std::to_string(threads); }

// Ids name CSV files: a second input with the same name gets "-2", and so on.
class IdSet {
 public:
  std::string unique(const std::string& id) {
    std::string candidate = id;
    for (int n = 2; !taken_.insert(candidate).second; ++n) candidate = id + "-" + std::to_string(n);
    return candidate;
  }

 private:
  std::set<std::string> taken_;
};

Section tradeoff_section(const ReportInputs& in, IdSet& ids) {
  Section s{"tradeoff", "Top-1 vs latency per latency table", {}, {}, {}, {}};
  for (const auto& r : in.ranks) {
    s.notes.push_back(r.path + ": " + r.result.command + " (estimator " + rank_latency_name(r.result.estimator) + ")");
    for (const auto& t : r.result.tables) {
      if (t.models.empty()) s.skipped.push_back(r.path + ": no model ranked on " + t.table);
      else s.figures.push_back(tradeoff_figure(t, ids.unique("tradeoff-" + table_suffix(t.hardware, t.threads))));
    }
  }
  if (in.ranks.empty()) s.skipped.push_back("no rank results given (uibnas rank --json): no top-1 vs latency figure");
  return s;
}

Section sweep_section(const ReportInputs& in, IdSet& ids) {
  Section s{"ridge-point-sweep", "Ridge-point sweep", {}, {}, {}, {}};
  for (const auto& r : in.ranks) {
    if (!r.result.sweep) {
      s.skipped.push_back(r.path + ": rank results without rp_sweep (uibnas rank --rp-sweep)");
      continue;
    }
    std::vector<const RankedModel*> models;
    if (!r.result.tables.empty())
      for (const auto& m : r.result.tables.front().models) models.push_back(&m);
    std::stable_sort(models.begin(), models.end(), [](auto* a, auto* b) { return a->latency_ms < b->latency_ms; });
    std::vector<std::string> order;
    for (auto* m : models) order.push_back(m->name);
    s.figures.push_back(ridge_sweep_figure(*r.result.sweep, order, ids.unique("ridge-point-sweep")));
  }
  if (in.ranks.empty()) s.skipped.push_back("no rank results given: no ridge-point sweep");
  return s;
}

// The models of the rank results on this table, or else the networks the table measured end to end.
std::vector<ModelAtResolution> breakdown_models(const ReportInputs& in, const LoadedTable& t) {
  std::vector<ModelAtResolution> models;
  for (const auto& r : in.ranks)
    for (const auto& rt : r.result.tables)
      if (rt.hardware == t.table.hardware_name && rt.threads == t.table.threads)
        for (const auto& m : rt.models) models.push_back({m.name, m.resolution});
  if (models.empty())
    for (const auto& e : t.table.end_to_end) models.push_back({e.model, e.resolution});
  return models;
}

Section breakdown_section(const ReportInputs& in, IdSet& ids) {
  Section s{"latency-breakdown", "Where the latency goes", {}, {}, {}, {}};
  for (const auto& t : in.tables) {
    const std::vector<ModelAtResolution> models = breakdown_models(in, t);
    if (models.empty()) {
      s.skipped.push_back(t.path + ": no ranked model and no end-to-end run to break down");
      continue;
    }
    std::vector<std::string> unknown;
    Figure f = latency_breakdown_figure(t, models, ids.unique("latency-breakdown-" +
                                                              table_suffix(t.table.hardware_name, t.table.threads)), unknown);
    if (!unknown.empty()) {
      std::string names;
      for (const auto& u : unknown) names += (names.empty() ? "" : ", ") + u;
      s.skipped.push_back(t.path + ": not in this build's catalogue, so not broken down: " + names);
    }
    if (!f.data.rows.empty()) s.figures.push_back(std::move(f));
  }
  if (in.tables.empty()) s.skipped.push_back("no latency table given: no breakdown by block kind");
  return s;
}

Section validation_section(const ReportInputs& in, IdSet& ids) {
  Section s{"validation", "Validation: estimated vs measured", {}, {}, {}, {}};
  for (const auto& v : in.validations) add_validation(s, v, ids.unique(table_suffix(v.hardware_name, v.threads)));
  if (in.validations.empty()) s.skipped.push_back("no validation folder given (uibnas validate --out DIR)");
  return s;
}

Section search_section(const ReportInputs& in, IdSet& ids) {
  Section s{"search", "Search", {}, {}, {}, {}};
  for (const auto& f : in.searches) add_search(s, f, ids.unique(slug(fs::path(f.path).lexically_normal().filename().string())));
  if (in.searches.empty()) s.skipped.push_back("no search folder given (uibnas search --out DIR)");
  return s;
}

void write_text(const fs::path& path, const std::string& text) { common::write_file_atomically(path.string(), text); }

}  // namespace

std::vector<Section> report_sections(const ReportInputs& in) {
  IdSet ids;
  return {tradeoff_section(in, ids), sweep_section(in, ids),      breakdown_section(in, ids),
          validation_section(in, ids), search_section(in, ids), provenance_section(in)};
}

WrittenReport write_report(const ReportRequest& request) {
  if (request.output.empty()) throw common::InputError("uibnas report: give the output file (-o report.html)");
  const ReportInputs inputs = gather_inputs(request.inputs);
  const std::vector<Section> sections = report_sections(inputs);
  const fs::path html(request.output);
  const std::string folder_name = html.stem().string() + "_files";
  const fs::path folder = html.parent_path() / folder_name;
  std::error_code ec;
  fs::create_directories(folder, ec);
  if (ec) throw common::InputError(folder.string() + ": cannot create the CSV folder (" + ec.message() + ")");
  WrittenReport w{html.string(), folder.string(), 0, 0, 0, 0};
  for (const auto& s : sections) {
    for (const auto& f : s.figures) write_text(folder / (f.id + ".csv"), f.data.text());
    for (const auto& t : s.tables) write_text(folder / (t.id + ".csv"), t.data.text());
    w.figures += int(s.figures.size());
    w.tables += int(s.tables.size());
    w.skipped += int(s.skipped.size());
  }
  const std::string page = html_page({"uibnas report", request.command_line, inputs.described}, sections, folder_name);
  write_text(html, page);
  w.html_bytes = page.size();
  return w;
}

}  // namespace uibnas::reports
