#include "reports/rank.hpp"

#include <algorithm>
#include <cmath>

#include "arch_defs/catalogue.hpp"
#include "arch_defs/network.hpp"
#include "arch_defs/operators.hpp"
#include "common/error.hpp"
#include "estimator/table_estimators.hpp"
#include "reports/csv_table.hpp"

namespace uibnas::reports {
namespace {

// The latency `how` asks for, or the documented fallback, and what it turned out to be.
std::pair<double, RankLatency> model_latency(const estimator::TableEstimators& est, const latency::LatencyTable& table,
                                             const std::string& path, const arch_defs::Architecture& arch,
                                             RankLatency how) {
  if (how == RankLatency::Measured)
    if (const latency::EndToEnd* run = table.find_end_to_end(arch.name, arch.input_size))
      return {run->latency.median_ms, RankLatency::Measured};
  const estimator::NetworkEstimate e = est.estimate(arch_defs::build_network(arch), arch.input_size, arch.name);
  if (how != RankLatency::Roofline && e.missing == 0) return {e.lut_ms, RankLatency::Lut};
  if (!std::isfinite(e.calibrated_roofline_ms))
    throw common::InputError(path + ": " + arch.name + " " +
                             (how == RankLatency::Roofline ? "needs the calibrated roofline"
                                                           : "has " + std::to_string(e.missing) + " parts the table lacks") +
                             ", and the table has fewer than 3 end-to-end runs to calibrate the roofline with "
                             "(profile the model into the table: uibnas profile --models " + arch.name + " --resume)");
  return {e.calibrated_roofline_ms, RankLatency::Roofline};
}

}  // namespace

const char* rank_latency_name(RankLatency how) {
  switch (how) {
    case RankLatency::Measured: return "measured";
    case RankLatency::Lut: return "lut";
    case RankLatency::Roofline: return "roofline";
  }
  return "?";
}

std::optional<RankLatency> parse_rank_latency(const std::string& name) {
  for (RankLatency how : {RankLatency::Measured, RankLatency::Lut, RankLatency::Roofline})
    if (name == rank_latency_name(how)) return how;
  return std::nullopt;
}

TableRanking rank_on_table(const latency::LatencyTable& table, const std::string& path,
                           const std::vector<arch_defs::Architecture>& models, RankLatency how) {
  estimator::EstimatorOptions options;
  options.allow_missing = true;  // model_latency decides what a missing part means
  const estimator::TableEstimators est(table, path, options);
  TableRanking r{path, table.hardware_name, table.threads, std::nullopt, {}};
  if (est.end_to_end_fit()) r.ridge_point = est.end_to_end_fit()->ridge_point;
  std::vector<ModelPoint> points;
  for (const arch_defs::Architecture& arch : models) {
    const std::optional<double> top1 = arch_defs::published_top1(arch);
    if (!top1) throw common::InputError(arch.name + " has no published top-1 at " + std::to_string(arch.input_size) +
                                        " px to rank it by");
    RankedModel m;
    m.name = arch.name;
    m.family = arch.family;
    m.top1 = *top1;
    m.resolution = arch.input_size;
    std::tie(m.latency_ms, m.latency_source) = model_latency(est, table, path, arch, how);
    const arch_defs::OperatorList ops = arch_defs::lower_network(arch_defs::build_network(arch), arch.input_size);
    m.macs = ops.total.macs;
    m.params = ops.total.params;
    points.push_back({m.name, m.latency_ms, m.top1});
    r.models.push_back(std::move(m));
  }
  const std::vector<std::optional<Domination>> dominated = top1_latency_front(points);
  for (std::size_t i = 0; i < r.models.size(); ++i) r.models[i].dominated_by = dominated[i];
  return r;
}

nlohmann::json RankResult::to_json() const {
  nlohmann::json tables_json = nlohmann::json::array();
  for (const TableRanking& t : tables) {
    nlohmann::json models = nlohmann::json::array();
    for (const RankedModel& m : t.models) {
      nlohmann::json d = nullptr;
      if (m.dominated_by)
        d = {{"model", m.dominated_by->model}, {"latency_pct", m.dominated_by->latency_pct},
             {"top1_delta", m.dominated_by->top1_delta}};
      models.push_back({{"name", m.name}, {"family", m.family}, {"top1", m.top1}, {"resolution", m.resolution},
                        {"latency_ms", m.latency_ms}, {"latency_source", rank_latency_name(m.latency_source)},
                        {"macs", m.macs}, {"params", m.params}, {"pareto", !m.dominated_by}, {"dominated_by", d}});
    }
    tables_json.push_back({{"table", t.table}, {"hardware", t.hardware}, {"threads", t.threads},
                           {"ridge_point", t.ridge_point ? nlohmann::json(*t.ridge_point) : nlohmann::json(nullptr)},
                           {"models", models}});
  }
  nlohmann::json sweep_json = nullptr;
  if (sweep) {
    nlohmann::json points = nlohmann::json::array(), marks = nlohmann::json::array();
    for (std::size_t i = 0; i < sweep->ridge_points.size(); ++i)
      points.push_back({{"ridge_point", sweep->ridge_points[i]}, {"pareto", sweep->pareto[i]}});
    for (const SweepMark& m : sweep->marks) marks.push_back({{"label", m.label}, {"ridge_point", m.ridge_point}});
    nlohmann::json ranges = nlohmann::json::object();
    for (const auto& [model, rs] : sweep->ranges) {
      ranges[model] = nlohmann::json::array();
      for (const auto& [lo, hi] : rs) ranges[model].push_back({lo, hi});
    }
    sweep_json = {{"from", sweep->from}, {"to", sweep->to}, {"step", sweep->step}, {"bytes_per_element", 1},
                  {"points", points}, {"ranges", ranges}, {"marks", marks}};
  }
  return {{"schema", kRankSchema}, {"command", command}, {"estimator", rank_latency_name(estimator)},
          {"tables", tables_json}, {"rp_sweep", sweep_json}};
}

namespace {

using nlohmann::json;

RankedModel ranked_model_from_json(const json& m) {
  RankedModel r;
  r.name = m.at("name").get<std::string>();
  r.family = m.value("family", "other");
  r.top1 = m.at("top1").get<double>();
  r.latency_ms = m.at("latency_ms").get<double>();
  const std::optional<RankLatency> source = parse_rank_latency(m.value("latency_source", "measured"));
  if (!source) throw common::InputError("unknown latency_source of " + r.name);
  r.latency_source = *source;
  r.resolution = m.value("resolution", 0);
  r.macs = m.value("macs", 0LL);
  r.params = m.value("params", 0LL);
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
  for (const json& p : s.at("points")) {
    out.ridge_points.push_back(p.at("ridge_point").get<double>());
    out.pareto.push_back(p.at("pareto").get<std::vector<std::string>>());
  }
  for (const auto& [model, intervals] : s.at("ranges").items())
    for (const json& i : intervals) out.ranges[model].emplace_back(i.at(0).get<double>(), i.at(1).get<double>());
  for (const json& m : s.value("marks", json::array()))
    out.marks.push_back({m.at("label").get<std::string>(), m.at("ridge_point").get<double>()});
  return out;
}

}  // namespace

RankResult rank_result_from_json(const json& j, const std::string& source) {
  if (!j.is_object() || j.value("schema", "") != kRankSchema)
    throw common::InputError(source + ": not rank results (schema is not \"" + kRankSchema + "\")");
  RankResult r;
  try {
    r.command = j.value("command", "");
    const std::optional<RankLatency> estimator = parse_rank_latency(j.value("estimator", "measured"));
    if (!estimator) throw common::InputError("unknown estimator");
    r.estimator = *estimator;
    for (const json& t : j.at("tables")) {
      TableRanking table;
      table.table = t.at("table").get<std::string>();
      table.hardware = t.at("hardware").get<std::string>();
      table.threads = t.at("threads").get<int>();
      if (t.contains("ridge_point") && !t["ridge_point"].is_null()) table.ridge_point = t["ridge_point"].get<double>();
      for (const json& m : t.at("models")) table.models.push_back(ranked_model_from_json(m));
      r.tables.push_back(std::move(table));
    }
    if (j.contains("rp_sweep") && !j["rp_sweep"].is_null()) r.sweep = sweep_from_json(j["rp_sweep"]);
  } catch (const json::exception& e) {
    throw common::InputError(source + ": corrupt rank results: " + e.what());
  } catch (const common::InputError& e) {
    throw common::InputError(source + ": corrupt rank results: " + e.what());
  }
  return r;
}

std::string ranking_csv(const RankResult& result) {
  CsvTable csv;
  csv.header = {"table", "hardware", "threads", "model", "family", "top1", "resolution", "latency_ms", "latency_source",
                "macs", "params", "pareto", "dominated_by", "dominator_latency_pct", "dominator_top1_delta"};
  for (const TableRanking& t : result.tables)
    for (const RankedModel& m : t.models) {
      const std::optional<Domination>& d = m.dominated_by;
      csv.rows.push_back({t.table, t.hardware, std::to_string(t.threads), m.name, m.family, csv_number(m.top1),
                          std::to_string(m.resolution), csv_number(m.latency_ms), rank_latency_name(m.latency_source),
                          std::to_string(m.macs), std::to_string(m.params), m.on_front() ? "true" : "false",
                          d ? d->model : "", d ? csv_number(d->latency_pct) : "", d ? csv_number(d->top1_delta) : ""});
    }
  return csv.text();
}

std::string sweep_csv(const RidgePointSweep& sweep) {
  CsvTable csv;
  csv.header = {"ridge_point", "model", "pareto"};
  for (std::size_t i = 0; i < sweep.ridge_points.size(); ++i)
    for (const auto& [model, ranges] : sweep.ranges) {
      const auto& front = sweep.pareto[i];
      const bool on = std::find(front.begin(), front.end(), model) != front.end();
      csv.rows.push_back({csv_number(sweep.ridge_points[i]), model, on ? "true" : "false"});
    }
  return csv.text();
}

}  // namespace uibnas::reports
