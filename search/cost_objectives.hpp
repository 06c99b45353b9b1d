// The cost objectives: parameters, MACs and latency. Latency comes from one of three models:
// - lut: the lookup-table estimate of a latency table (Σ entries + fitted overhead), ms; a part missing
//   from the table is an error unless allow_missing, then the roofline fitted on the table's entries
//   stands in for it (as `uibnas estimate --allow-missing` does);
// - roofline: the MNv4 paper's Eq. 1 at a given ridge point, Σ max(MACs, RP·bytes); in ms with the peak
//   of a table's fingerprint, otherwise in millions of MAC-equivalents (no table needed);
// - macs: the roofline at RP = 0 (latency proportional to MACs), in the same units.
#pragma once
#include <memory>
#include <optional>
#include <string>

#include "estimator/table_estimators.hpp"
#include "search/objective.hpp"

namespace uibnas::search {

class ParamsObjective : public Objective {
 public:
  std::string name() const override { return "params"; }
  std::string unit() const override { return "params"; }
  Direction default_direction() const override { return Direction::Minimise; }
  double value(const Candidate& c) const override { return double(c.params_macs().params); }
};

class MacsObjective : public Objective {
 public:
  std::string name() const override { return "macs"; }
  std::string unit() const override { return "MACs"; }
  Direction default_direction() const override { return Direction::Minimise; }
  double value(const Candidate& c) const override { return double(c.params_macs().macs); }
};

enum class LatencyModel { LookupTable, Roofline, Macs };
LatencyModel parse_latency_model(const std::string& text);  // lut, roofline, macs; InputError otherwise
const char* latency_model_name(LatencyModel m);

class LatencyObjective : public Objective {
 public:
  // `table` is required for LookupTable and optional otherwise (its fingerprint's peak turns
  // MAC-equivalents into ms); it must outlive the objective.
  LatencyObjective(LatencyModel model, const estimator::TableEstimators* table, double ridge_point);
  std::string name() const override { return "latency"; }
  std::string unit() const override;
  Direction default_direction() const override { return Direction::Minimise; }
  double value(const Candidate& c) const override;

 private:
  LatencyModel model_;
  const estimator::TableEstimators* table_;
  double ridge_point_;
  std::optional<double> peak_gmacs_;  // roofline/macs in ms when known
};

}  // namespace uibnas::search
