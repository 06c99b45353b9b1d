// The lookup-table estimator: a network's latency is the sum of its parts' table entries plus a
// per-network overhead fitted on the table's end-to-end measurements (estimator/overhead_model.hpp).
//
// Built for search: the table is turned once into flat arrays and a packed-signature index, a
// candidate is resolved once into entry indices (prepare: shape arithmetic, no lowering, no strings),
// and estimate() on a prepared candidate is a sum over a few dozen doubles.
#pragma once
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "estimator/overhead_model.hpp"
#include "estimator/part_walk.hpp"
#include "estimator/signature_index.hpp"
#include "latency/latency_table.hpp"
#include "latency/measurement_statistic.hpp"

namespace uibnas::estimator {

// Which statistic of an entry (and of an end-to-end measurement) stands for its latency.
using latency::parse_statistic;
using latency::Statistic;
using latency::statistic_name;
using latency::statistic_of;

struct PreparedCandidate {
  std::vector<int> entries;  // one per part (stem, blocks, head): an entry index, or -1 when the table lacks it
  int missing = 0;
  std::vector<PackedSignature> scratch;  // reused by prepare()
};

class LookupTableEstimator {
 public:
  // Indexes every entry of `table` and fits the overhead on its end-to-end measurements (those whose
  // parts are all in the table). `source` names the table in errors.
  LookupTableEstimator(const latency::LatencyTable& table, Statistic statistic, const std::string& source);

  int threads() const { return threads_; }
  Statistic statistic() const { return statistic_; }
  const std::string& source() const { return source_; }
  int size() const { return int(entries_.size()); }

  int find(const PackedSignature& s) const { return index_.find(s); }
  int find(const latency::BlockSignature& s) const;
  double entry_ms(int i) const { return entries_[size_t(i)].ms; }
  double entry_weight_mb(int i) const { return entries_[size_t(i)].weight_mb; }
  const std::string& entry_key(int i) const { return keys_[size_t(i)]; }

  // Resolves the parts of `net` at `resolution` (at the table's thread count) into entry indices,
  // reusing `out`'s storage. Throws InputError when a feature map would vanish.
  void prepare(const arch_defs::Network& net, int resolution, PreparedCandidate& out) const;

  // Σ entries + overhead; NaN when a part is missing (the hot path never throws or allocates).
  double estimate(const PreparedCandidate& c) const {
    double ms = 0, weight_mb = 0;
    for (int i : c.entries) {
      if (i < 0) return std::numeric_limits<double>::quiet_NaN();
      ms += entries_[size_t(i)].ms;
      weight_mb += entries_[size_t(i)].weight_mb;
    }
    return ms + overhead_.model(ms, int(c.entries.size()), weight_mb);
  }

  const OverheadFit& overhead() const { return overhead_; }
  void set_overhead(const OverheadFit& fit) { overhead_ = fit; }

  // The table's end-to-end measurements the overhead was fitted on, as features and latencies.
  struct EndToEndSample {
    std::string model;
    int resolution = 0;
    NetworkFeatures features;
    double measured_ms = 0;
  };
  const std::vector<EndToEndSample>& end_to_end() const { return end_to_end_; }

 private:
  struct Entry {
    double ms = 0;
    double weight_mb = 0;  // FP32 weights of the part, for the overhead's cache term
  };
  int threads_ = 1;
  Statistic statistic_ = Statistic::Median;
  std::string source_;
  std::vector<Entry> entries_;
  std::vector<std::string> keys_;
  SignatureIndex index_;
  OverheadFit overhead_;
  std::vector<EndToEndSample> end_to_end_;
};

// FP32 weight megabytes of the part a signature describes (lowered alone).
double part_weight_mb(const latency::BlockSignature& s);

}  // namespace uibnas::estimator
