#include "search/cost_objectives.hpp"

#include <cmath>

#include "common/error.hpp"
#include "estimator/roofline.hpp"

namespace uibnas::search {

LatencyModel parse_latency_model(const std::string& text) {
  if (text == "lut") return LatencyModel::LookupTable;
  if (text == "roofline") return LatencyModel::Roofline;
  if (text == "macs") return LatencyModel::Macs;
  throw common::InputError("--latency must be lut, roofline or macs, got '" + text + "'");
}

const char* latency_model_name(LatencyModel m) {
  switch (m) {
    case LatencyModel::LookupTable: return "lut";
    case LatencyModel::Roofline: return "roofline";
    case LatencyModel::Macs: return "macs";
  }
  return "?";
}

LatencyObjective::LatencyObjective(LatencyModel model, const estimator::TableEstimators* table, double ridge_point)
    : model_(model), table_(table), ridge_point_(model == LatencyModel::Macs ? 0 : ridge_point) {
  if (model == LatencyModel::LookupTable && table == nullptr)
    throw common::InputError("latency from the lookup table needs --table (or --latency roofline|macs)");
  if (model != LatencyModel::LookupTable && table != nullptr && table->roofline())
    peak_gmacs_ = table->roofline()->peak_gmacs;
}

std::string LatencyObjective::unit() const {
  return model_ == LatencyModel::LookupTable || peak_gmacs_ ? "ms" : "M MAC-equivalents";
}

double LatencyObjective::value(const Candidate& c) const {
  if (model_ == LatencyModel::LookupTable) {
    // One scratch per thread: prepare() reuses its storage, so the hot path does not allocate.
    thread_local estimator::PreparedCandidate prepared;
    const estimator::LookupTableEstimator& lut = table_->lut();
    lut.prepare(c.network(), c.resolution(), prepared);
    const double ms = lut.estimate(prepared);
    if (!std::isnan(ms)) return ms;
    // estimate() throws the error naming the missing parts unless they may be filled in.
    return table_->estimate(c.network(), c.resolution(), c.architecture().name).lut_ms;
  }
  const estimator::RooflineTerms terms =
      estimator::roofline_terms(arch_defs::lower_network(c.network(), c.resolution()));
  const double mac_equivalents = estimator::mac_equivalents(terms, ridge_point_);
  return peak_gmacs_ ? mac_equivalents / (*peak_gmacs_ * 1e6) : mac_equivalents / 1e6;
}

}  // namespace uibnas::search
