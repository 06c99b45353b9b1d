// Reading the JSON of `uibnas rank` (schema "uibnas.rank/1", described in docs/reports.md): per
// latency table, the models with their top-1 and latency, which of them are Pareto-optimal, and the
// ridge-point sweep.
#pragma once
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace uibnas::reports {

inline constexpr const char* kRankSchema = "uibnas.rank/1";

struct Domination {
  std::string model;
  double latency_pct = 0, top1_delta = 0;
};

struct RankedModel {
  std::string name, family, latency_source;
  double top1 = 0, latency_ms = 0, macs = 0, params = 0;
  int resolution = 0;
  bool pareto = false;
  std::optional<Domination> dominated_by;
};

struct RankedTable {
  std::string table, hardware;
  int threads = 1;
  std::optional<double> ridge_point;  // the machine's fitted one, MACs/byte
  std::vector<RankedModel> models;
};

struct SweepMark {
  std::string label;
  double ridge_point = 0;
};

struct RidgePointSweep {
  double from = 0, to = 0, step = 1;
  std::vector<std::pair<double, std::vector<std::string>>> points;  // ridge point -> Pareto-optimal models
  std::vector<std::pair<std::string, std::vector<std::pair<double, double>>>> ranges;  // model -> [lo, hi] intervals
  std::vector<SweepMark> marks;
};

struct RankResults {
  std::string path, command, estimator;
  std::vector<RankedTable> tables;
  std::optional<RidgePointSweep> sweep;
};

// Throws InputError naming `source` and what is wrong for a document that does not follow the schema.
RankResults rank_results_from_json(const nlohmann::json& j, const std::string& source);

}  // namespace uibnas::reports
