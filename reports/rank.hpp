// `uibnas rank`: the known models with a published top-1 on each latency table, whether each is on
// the top-1 × latency Pareto front, and which model beats it when not; optionally the MNv4 paper's
// Fig. 2 argument, the front as the ridge point sweeps 0..500 MACs/byte (reports/ridge_point_sweep.hpp).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "arch_defs/architecture.hpp"
#include "latency/latency_table.hpp"
#include "reports/ridge_point_sweep.hpp"
#include "reports/top1_front.hpp"

namespace uibnas::reports {

// Where a model's latency comes from (--estimator). `measured` takes the table's end-to-end run of the
// model and falls back to `lut`; `lut` sums the table's entries plus the fitted overhead and falls back
// to `roofline` for a model with parts the table lacks; `roofline` is the roofline calibrated on the
// table's end-to-end runs (Σ max(MACs, RP·bytes) at the fitted RP, times the fitted scale).
enum class RankLatency { Measured, Lut, Roofline };
const char* rank_latency_name(RankLatency how);  // "measured", "lut", "roofline"
std::optional<RankLatency> parse_rank_latency(const std::string& name);

struct RankedModel {
  std::string name, family;
  double top1 = 0;
  int resolution = 0;
  double latency_ms = 0;
  RankLatency latency_source = RankLatency::Measured;  // what this latency actually is
  long long macs = 0, params = 0;
  std::optional<Domination> dominated_by;  // nullopt: on the front
  bool on_front() const { return !dominated_by; }
};

struct TableRanking {
  std::string table, hardware;
  int threads = 1;
  std::optional<double> ridge_point;  // MACs/byte (FP32 bytes), fitted on the table's end-to-end runs
  std::vector<RankedModel> models;
};

// Every model must have a published top-1 (arch_defs::published_top1). Throws InputError naming the
// table when a model can only be estimated by the calibrated roofline and the table has fewer than 3
// end-to-end runs to calibrate it.
TableRanking rank_on_table(const latency::LatencyTable& table, const std::string& path,
                           const std::vector<arch_defs::Architecture>& models, RankLatency how);

struct RankResult {
  std::string command;
  RankLatency estimator = RankLatency::Measured;
  std::vector<TableRanking> tables;
  std::optional<RidgePointSweep> sweep;
  nlohmann::json to_json() const;  // schema "uibnas.rank/1", documented in docs/reports.md
};

inline constexpr const char* kRankSchema = "uibnas.rank/1";

// The inverse of to_json; throws InputError naming `source` for a document that is not rank results
// or does not follow the schema.
RankResult rank_result_from_json(const nlohmann::json& j, const std::string& source);

// One CSV row per (table, model); the sweep's CSV has one row per (ridge point, model).
std::string ranking_csv(const RankResult& result);
std::string sweep_csv(const RidgePointSweep& sweep);

}  // namespace uibnas::reports
