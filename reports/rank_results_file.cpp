#include "reports/rank_results_file.hpp"

#include "common/error.hpp"

namespace uibnas::reports {

namespace {

using nlohmann::json;

RankedModel ranked_model(const json& m) {
  RankedModel r;
  r.name = m.at("name").get<std::string>();
  r.family = m.value("family", "other");
  r.top1 = m.at("top1").get<double>();
  r.latency_ms = m.at("latency_ms").get<double>();
  r.latency_source = m.value("latency_source", "");
  r.resolution = m.value("resolution", 0);
  r.macs = m.value("macs", 0.0);
  r.params = m.value("params", 0.0);
  r.pareto = m.at("pareto").get<bool>();
  const json& d = m.value("dominated_by", json(nullptr));
  if (!d.is_null())
    r.dominated_by = Domination{d.at("model").get<std::string>(), d.value("latency_pct", 0.0), d.value("top1_delta", 0.0)};
  return r;
}

RidgePointSweep sweep_from_json(const json& s) {
  RidgePointSweep out;
  out.from = s.at("from").get<double>();
  out.to = s.at("to").get<double>();
  out.step = s.value("step", 1.0);
  for (const json& p : s.at("points"))
    out.points.emplace_back(p.at("ridge_point").get<double>(), p.at("pareto").get<std::vector<std::string>>());
  for (const auto& [model, intervals] : s.at("ranges").items()) {
    std::vector<std::pair<double, double>> list;
    for (const json& i : intervals) list.emplace_back(i.at(0).get<double>(), i.at(1).get<double>());
    out.ranges.emplace_back(model, list);
  }
  for (const json& m : s.value("marks", json::array()))
    out.marks.push_back({m.at("label").get<std::string>(), m.at("ridge_point").get<double>()});
  return out;
}

}  // namespace

RankResults rank_results_from_json(const json& j, const std::string& source) {
  if (j.value("schema", "") != kRankSchema)
    throw common::InputError(source + ": not rank results (schema is not \"" + kRankSchema + "\")");
  RankResults r;
  r.path = source;
  try {
    r.command = j.value("command", "");
    r.estimator = j.value("estimator", "");
    for (const json& t : j.at("tables")) {
      RankedTable table;
      table.table = t.at("table").get<std::string>();
      table.hardware = t.at("hardware").get<std::string>();
      table.threads = t.at("threads").get<int>();
      if (t.contains("ridge_point") && !t["ridge_point"].is_null()) table.ridge_point = t["ridge_point"].get<double>();
      for (const json& m : t.at("models")) table.models.push_back(ranked_model(m));
      r.tables.push_back(std::move(table));
    }
    if (j.contains("rp_sweep") && !j["rp_sweep"].is_null()) r.sweep = sweep_from_json(j["rp_sweep"]);
  } catch (const json::exception& e) {
    throw common::InputError(source + ": corrupt rank results: " + e.what());
  }
  return r;
}

}  // namespace uibnas::reports
