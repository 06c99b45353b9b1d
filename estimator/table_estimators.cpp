#include "estimator/table_estimators.hpp"

#include <cmath>

#include "common/error.hpp"

namespace uibnas::estimator {
namespace {

RooflineTerms part_terms(const latency::BlockSignature& s) {
  const latency::StandalonePart p = latency::standalone_part(s);
  return roofline_terms(arch_defs::lower_network_part(p.net, p.ref.part, p.ref.block_index, p.ref.input));
}

// A network's terms as the concatenation of its parts' (each part lowered alone has the same operators).
RooflineTerms concatenate(const std::vector<RooflineTerms>& parts) {
  RooflineTerms t;
  for (const RooflineTerms& p : parts) {
    t.macs.insert(t.macs.end(), p.macs.begin(), p.macs.end());
    t.bytes.insert(t.bytes.end(), p.bytes.begin(), p.bytes.end());
    for (size_t i = 0; i < p.macs.size(); ++i) t.part.push_back(t.parts);
    ++t.parts;
    t.total_macs += p.total_macs;
    t.total_bytes += p.total_bytes;
  }
  return t;
}

nlohmann::json number_or_null(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

}  // namespace

nlohmann::json NetworkEstimate::to_json() const {
  nlohmann::json ps = nlohmann::json::array();
  for (const auto& p : parts)
    ps.push_back({{"name", p.name},
                  {"kind", p.kind},
                  {"signature", p.signature},
                  {"lut_ms", number_or_null(p.lut_ms)},
                  {"from_roofline", p.from_roofline},
                  {"macs", p.macs},
                  {"bytes", p.bytes},
                  {"roofline_ms", number_or_null(p.roofline_ms)},
                  {"calibrated_roofline_ms", number_or_null(p.calibrated_ms)}});
  return {{"model", name},
          {"resolution", resolution},
          {"threads", threads},
          {"macs", total_macs},
          {"bytes", total_bytes},
          {"weight_mb", weight_mb},
          {"lut_ms", number_or_null(lut_ms)},
          {"lut_parts_ms", lut_parts_ms},
          {"lut_overhead_ms", lut_overhead_ms},
          {"missing_parts", missing},
          {"roofline_ms", number_or_null(roofline_ms)},
          {"calibrated_roofline_ms", number_or_null(calibrated_roofline_ms)},
          {"macs_ms", number_or_null(macs_ms)},
          {"parts", ps}};
}

TableEstimators::TableEstimators(const latency::LatencyTable& table, const std::string& source,
                                 const EstimatorOptions& options)
    : table_(table), source_(source), options_(options), lut_(table, options.statistic, source) {
  if (options.ridge_point && !(*options.ridge_point >= 0 && *options.ridge_point <= 1e6))
    throw common::InputError("--rp must be a ridge point in MACs/byte, 0 or more, got " + std::to_string(*options.ridge_point));
  if (const latency::ThreadPeaks* p = table.hardware.at(table.threads); p && p->gmacs > 0 && p->bandwidth_gbs > 0) {
    roofline_ = fingerprint_roofline(table.hardware, table.threads, source);
    if (options.ridge_point) roofline_->ridge_point = *options.ridge_point;
  }
  for (const auto& e : table.end_to_end) {
    std::vector<RooflineTerms> parts;
    for (const auto& key : e.parts)
      if (const latency::TableEntry* t = table.find(key)) parts.push_back(part_terms(t->signature));
    const double m = statistic_of(e.latency, options.statistic);
    if (parts.size() != e.parts.size() || !(m > 0)) continue;
    end_to_end_terms_.push_back(concatenate(parts));
    end_to_end_ms_.push_back(m);
  }
  if (end_to_end_ms_.size() >= 3) {
    end_to_end_fit_ = fit_ridge_point(end_to_end_terms_, end_to_end_ms_);
    calibration_ = options.ridge_point ? scale_at_ridge_point(end_to_end_terms_, end_to_end_ms_, *options.ridge_point)
                                       : ScaleAtRidgePoint{end_to_end_fit_->ridge_point, end_to_end_fit_->ms_per_gmac,
                                                           end_to_end_fit_->rms_log_error,
                                                           end_to_end_fit_->spearman_roofline};
  }
}

std::vector<RooflineTerms> TableEstimators::entry_terms() const {
  std::vector<RooflineTerms> terms;
  for (int i = 0; i < lut_.size(); ++i) terms.push_back(part_terms(table_.find(lut_.entry_key(i))->signature));
  return terms;
}

const RidgePointFit& TableEstimators::block_fit() const {
  if (!block_fit_) {
    if (lut_.size() < 3)
      throw common::InputError(source_ + ": fewer than 3 block entries, too few to fit a roofline for missing parts");
    std::vector<double> measured;
    for (int i = 0; i < lut_.size(); ++i) measured.push_back(lut_.entry_ms(i));
    block_fit_ = fit_ridge_point(entry_terms(), measured);
  }
  return *block_fit_;
}

NetworkEstimate TableEstimators::estimate(const arch_defs::Network& net, int resolution, const std::string& name) const {
  NetworkEstimate e;
  e.name = name;
  e.resolution = resolution;
  e.threads = lut_.threads();
  const arch_defs::OperatorList ops = arch_defs::lower_network(net, resolution);
  const RooflineTerms terms = roofline_terms(ops);
  const std::vector<latency::SignedPart> parts = latency::network_parts(net, resolution, lut_.threads());
  if (int(parts.size()) != terms.parts)
    throw std::logic_error("network parts and lowered blocks disagree for " + name);
  e.total_macs = terms.total_macs;
  e.total_bytes = terms.total_bytes;
  e.weight_mb = double(ops.total.weight_bytes) / 1e6;

  std::vector<double> part_macs(parts.size(), 0.0), part_bytes(parts.size(), 0.0);
  for (size_t i = 0; i < terms.macs.size(); ++i) {
    part_macs[size_t(terms.part[i])] += terms.macs[i];
    part_bytes[size_t(terms.part[i])] += terms.bytes[i];
  }
  const std::vector<double> peak_eq = roofline_ ? part_mac_equivalents(terms, roofline_->ridge_point) : std::vector<double>();
  const std::vector<double> calibrated_eq =
      calibration_ ? part_mac_equivalents(terms, calibration_->ridge_point) : std::vector<double>();

  std::vector<std::string> missing;
  for (size_t p = 0; p < parts.size(); ++p) {
    PartEstimate pe;
    const latency::SignedPart& sp = parts[p];
    pe.kind = sp.signature.kind;
    pe.name = sp.ref.part == arch_defs::NetworkPart::Stem ? "conv_stem"
            : sp.ref.part == arch_defs::NetworkPart::Head ? "head"
                                               : net.blocks[size_t(sp.ref.block_index)].name;
    pe.signature = sp.signature.key();
    pe.macs = part_macs[p];
    pe.bytes = part_bytes[p];
    if (roofline_) pe.roofline_ms = roofline_->milliseconds(peak_eq[p]);
    if (calibration_) pe.calibrated_ms = calibration_->ms_per_gmac * calibrated_eq[p] / 1e9;
    const int entry = lut_.find(sp.signature);
    if (entry >= 0) {
      pe.lut_ms = lut_.entry_ms(entry);
    } else {
      ++e.missing;
      missing.push_back(pe.name + " '" + pe.signature + "'");
    }
    e.parts.push_back(std::move(pe));
  }
  if (!missing.empty() && !options_.allow_missing) {
    std::string list;
    for (size_t i = 0; i < missing.size() && i < 5; ++i) list += (i ? "; " : "") + missing[i];
    if (missing.size() > 5) list += "; and " + std::to_string(missing.size() - 5) + " more";
    throw common::InputError(source_ + ": no entry for " + std::to_string(missing.size()) + " of the " +
                     std::to_string(parts.size()) + " parts of " + name + " at " + std::to_string(resolution) +
                     " px: " + list + " (profile them, or pass --allow-missing for a roofline estimate)");
  }
  if (!missing.empty()) {
    const RidgePointFit& fit = block_fit();
    const std::vector<double> eq = part_mac_equivalents(terms, fit.ridge_point);
    for (size_t p = 0; p < e.parts.size(); ++p)
      if (!std::isfinite(e.parts[p].lut_ms)) {
        e.parts[p].lut_ms = fit.ms_per_gmac * eq[p] / 1e9;
        e.parts[p].from_roofline = true;
      }
  }
  for (const auto& p : e.parts) e.lut_parts_ms += p.lut_ms;
  e.lut_overhead_ms = lut_.overhead().model(e.lut_parts_ms, int(e.parts.size()), e.weight_mb);
  e.lut_ms = e.lut_parts_ms + e.lut_overhead_ms;
  if (roofline_) e.roofline_ms = roofline_->milliseconds(terms);
  if (calibration_) e.calibrated_roofline_ms = calibration_->ms_per_gmac * mac_equivalents(terms, calibration_->ridge_point) / 1e9;
  if (end_to_end_fit_) e.macs_ms = end_to_end_fit_->macs_ms_per_gmac * terms.total_macs / 1e9;
  return e;
}

}  // namespace uibnas::estimator
