#include "reports/rediscovery_table.hpp"

#include "reports/options_text.hpp"

namespace uibnas::reports {

namespace {

using nlohmann::json;

std::string text_of(const json& j) {
  if (j.is_null()) return "";
  if (j.is_string()) return j.get<std::string>();
  if (j.is_boolean()) return j.get<bool>() ? "yes" : "no";
  if (j.is_number()) return csv_number(j.get<double>());
  return j.dump();
}

std::string percentiles(const json& band) {
  std::string out;
  const json by_objective = band.value("percentile", json::object());
  for (const auto& [label, value] : by_objective.items())
    out += (out.empty() ? "" : "; ") + label + " " + text_of(value);
  return out;
}

std::vector<std::string> stage_row(const std::string& name, const json& r) {
  if (r.contains("skipped")) return {name, "", "", "", "", "", "", "", "", "skipped: " + text_of(r["skipped"])};
  const json variant = r.value("variant", json::object()), band = r.value("band", json::object());
  const json dominated_by = r.value("dominated_by", json(nullptr));
  return {name,
          text_of(r.value("space", json(nullptr))),
          text_of(variant.value("in_space", json(nullptr))),
          text_of(r.value("evaluations", json(nullptr))),
          text_of(r.value("front_size", json(nullptr))),
          text_of(r.value("dominated", json(nullptr))),
          dominated_by.is_object() ? text_of(dominated_by.value("encoding", json(nullptr))) : "",
          text_of(band.value("candidates", json(nullptr))),
          percentiles(band),
          r.contains("best") ? text_of(r["best"].value("encoding", json(nullptr))) : ""};
}

}  // namespace

void add_rediscovery(Section& section, const json& r, const std::string& path, const std::string& suffix) {
  section.notes.push_back(path + "/rediscover.json: where " + text_of(r.value("model", json(nullptr))) +
                          " stands; T0 = " + text_of(r.value("t0_ms", json(nullptr))) + " ms on " +
                          text_of(r.value("table", json(nullptr))) + "; settings " +
                          options_text(r.value("settings", json::object())));
  CsvTable t;
  t.header = {"search", "space", "variant_in_space", "evaluations", "front_size", "front_dominates_variant",
              "dominated_by", "peers_within_2_percent", "variant_percentile", "best_by_reward"};
  if (r.contains("direct")) t.rows.push_back(stage_row("direct", r["direct"]));
  const json two = r.value("two_stage", json::object());
  if (two.contains("skipped")) t.rows.push_back(stage_row("two-stage", two));
  if (two.contains("stage1")) t.rows.push_back(stage_row("stage 1", two["stage1"]));
  if (two.contains("stage2")) t.rows.push_back(stage_row("stage 2", two["stage2"]));
  section.tables.push_back({"rediscovery-" + suffix, "Rediscovery of " + text_of(r.value("model", json(nullptr))), t});
}

}  // namespace uibnas::reports
