// What a whole network costs beyond the sum of its parts timed alone, fitted on a table's end-to-end
// measurements. The model kept has one form whatever the networks, so that it does not change from
// run to run: with four networks or more "per-part+scale", c·parts + b·Σ entries, by relative least
// squares, refitted once without any network whose relative residual lies more than 3 robust
// standard deviations (and 5%) from the median (one measured in a slowed stretch); with fewer,
// "scale", b·Σ entries with b the median of measured / Σ entries − 1. Both terms are what `uibnas
// gap` measures (docs/results/gap.md): c, what a part timed alone pays that a part in a running
// network does not (entering the thread arena, handing work to a helper: negative at 2 threads), and
// b, the roughly uniform difference of cache and clock state between a part alone and in context.
//
// Richer least-squares forms of the residual measured − Σ entries are scored beside it by
// leave-one-out relative error (OverheadFit::considered), for comparison only:
//   constant            a                       (input layout change, logits copy)
//   scale               b·Σ entries
//   proportional        a + b·Σ entries
//   cache               a + k·W·miss(W)         (weights that miss the cache in the network)
//   cache+proportional  a + b·Σ entries + k·W·miss(W)
//   cache+per-part      a + c·parts + k·W·miss(W)
//   per-part+scale      c·parts + b·Σ entries   (the kept form, here without the robust refit)
// W is the network's weight megabytes; miss(W) ramps linearly from 0 at `cache_low_mb` to 1 at
// `cache_high_mb` (knots searched on a half-octave grid from 1 MB to 1 GB, refitted in every fold).
// Residuals are weighted by 1 / measured², i.e. relative errors.
#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace uibnas::estimator {

struct NetworkFeatures {
  double parts_ms = 0;   // Σ of the parts' table entries
  int parts = 0;
  double weight_mb = 0;  // FP32 weight bytes / 1e6
};

struct OverheadModel {
  std::string form = "none";
  double constant_ms = 0, per_part_ms = 0, proportional = 0, miss_ms_per_mb = 0;
  double cache_low_mb = 0, cache_high_mb = 0;

  double miss_fraction(double weight_mb) const {
    if (miss_ms_per_mb == 0) return 0;
    if (cache_high_mb <= cache_low_mb) return weight_mb >= cache_low_mb ? 1 : 0;
    const double m = (weight_mb - cache_low_mb) / (cache_high_mb - cache_low_mb);
    return m < 0 ? 0 : m > 1 ? 1 : m;
  }
  double operator()(double parts_ms, int parts, double weight_mb) const {
    return constant_ms + per_part_ms * parts + proportional * parts_ms +
           miss_ms_per_mb * weight_mb * miss_fraction(weight_mb);
  }
  double operator()(const NetworkFeatures& f) const { return (*this)(f.parts_ms, f.parts, f.weight_mb); }
  std::string describe() const;  // "cache: 0.12 ms + 0.151 ms/MB x W x miss(W), miss 0 at 16 MB .. 1 at 91 MB"
  nlohmann::json to_json() const;
};

struct OverheadFit {
  OverheadModel model;
  int count = 0;
  double rmspe_parts_only = 0;  // percent: Σ entries alone against the measurements
  double rmspe_fitted = 0;      // percent, in sample
  double loo_rmspe = 0;         // percent, leave-one-out (the kept model refitted without each network)
  struct Form {
    std::string form;
    double loo_rmspe = 0;
  };
  std::vector<Form> considered;  // least-squares forms with enough networks, in the order above: comparison only
  nlohmann::json to_json() const;
};

// With no networks the model is "none", else the kept form above. Throws InputError for mismatched
// lengths or a non-positive measurement.
OverheadFit fit_overhead(const std::vector<NetworkFeatures>& networks, const std::vector<double>& measured_ms);

// One named form fitted on all networks (for tests and reports); throws InputError for an unknown form
// or too few networks.
OverheadModel fit_overhead_form(const std::string& form, const std::vector<NetworkFeatures>& networks,
                                const std::vector<double>& measured_ms);

}  // namespace uibnas::estimator
