#include "estimator/lookup_table_estimator.hpp"

#include "common/error.hpp"

namespace uibnas::estimator {

double part_weight_mb(const latency::BlockSignature& s) {
  const latency::StandalonePart p = latency::standalone_part(s);
  return double(arch_defs::lower_network_part(p.net, p.ref.part, p.ref.block_index, p.ref.input).total.weight_bytes) / 1e6;
}

LookupTableEstimator::LookupTableEstimator(const latency::LatencyTable& table, Statistic statistic,
                                           const std::string& source)
    : threads_(table.threads), statistic_(statistic), source_(source) {
  std::vector<PackedSignature> packed;
  for (const auto& [key, entry] : table.entries) {
    const double ms = statistic_of(entry.latency, statistic);
    if (!(ms > 0)) throw common::InputError(source + ": /entries: '" + key + "' has no positive " + statistic_name(statistic));
    try {
      packed.push_back(pack(entry.signature));
      entries_.push_back({ms, part_weight_mb(entry.signature)});
    } catch (const common::InputError& e) {
      throw common::InputError(source + ": /entries: '" + key + "': " + e.what());
    }
    keys_.push_back(key);
  }
  index_ = SignatureIndex(packed);

  std::vector<NetworkFeatures> features;
  std::vector<double> measured;
  for (const auto& e : table.end_to_end) {
    NetworkFeatures f;
    bool complete = true;
    for (const auto& key : e.parts) {
      const latency::TableEntry* t = table.find(key);
      if (!t) {
        complete = false;
        break;
      }
      const int i = index_.find(pack(t->signature));
      f.parts_ms += entries_[size_t(i)].ms;
      f.weight_mb += entries_[size_t(i)].weight_mb;
      ++f.parts;
    }
    const double m = statistic_of(e.latency, statistic);
    if (!complete || !(m > 0)) continue;
    features.push_back(f);
    measured.push_back(m);
    end_to_end_.push_back({e.model, e.resolution, f, m});
  }
  overhead_ = fit_overhead(features, measured);
}

int LookupTableEstimator::find(const latency::BlockSignature& s) const { return index_.find(pack(s)); }

void LookupTableEstimator::prepare(const arch_defs::Network& net, int resolution, PreparedCandidate& out) const {
  packed_network_parts(net, resolution, threads_, out.scratch);
  out.entries.resize(out.scratch.size());
  out.missing = 0;
  for (size_t i = 0; i < out.scratch.size(); ++i) {
    out.entries[i] = index_.find(out.scratch[i]);
    out.missing += out.entries[i] < 0;
  }
}

}  // namespace uibnas::estimator
