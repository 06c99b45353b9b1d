// What a network's end-to-end time is made of beside its parts timed alone (the lookup table's
// entries). Each network is measured three ways in one slot (latency/slot_timing.hpp): its parts
// alone, the network as `uibnas run` runs it, and the network with per-step timing (a barrier and a
// timer after every step), whose steps add up, part by part, to the parts' time in context. Then
//
//   network = Σ alone                      the table's entries
//           + Σ (in context − alone)       per part use: fixed costs of timing a part alone (entering the
//                                          thread arena, waking helpers) and its weights' cache state
//           + outside                      steps outside every part (the input's layout change)
//           + step timing                  stepped run − Σ in context − outside: the timers' own cost
//           + overlap                      plain run − stepped run: what running steps without a
//                                          barrier after each saves (or costs)
//
// and over many networks the per-part differences are fitted as a + b·w (w: the part's weight MB, for
// parts of networks whose weights outgrow the last-level cache and of those that do not, separately),
// the rest per network as c + e·parts.
#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace uibnas::estimator {

struct PartUse {
  double alone_ms = 0;       // the part timed alone (the table's protocol)
  double in_context_ms = 0;  // its steps inside the stepped network run
  double weight_mb = 0;
};

struct GapObservation {
  std::string name;
  int resolution = 0;
  double weight_mb = 0;  // the network's FP32 weights
  double network_ms = 0;  // plain runs
  double stepped_ms = 0;  // runs with per-step timing
  double outside_ms = 0;  // steps outside every part, in the stepped runs
  std::vector<PartUse> parts;
};

// Sums to network_ms exactly (by construction).
struct GapComponents {
  double alone_ms = 0, in_context_ms = 0, outside_ms = 0, step_timing_ms = 0, overlap_ms = 0;
  double total() const { return alone_ms + in_context_ms + outside_ms + step_timing_ms + overlap_ms; }
};

GapComponents decompose_gap(const GapObservation& o);

struct LinearTerm {
  double intercept = 0, slope = 0;
  int count = 0;  // points fitted
};

struct GapModel {
  LinearTerm part_in_cache;   // in context − alone per part use vs its weight MB, networks within the cache
  LinearTerm part_out_cache;  // the same for networks whose weights exceed it
  LinearTerm network;         // outside + step timing + overlap per network vs its part count
  double cache_mb = 0;        // the last-level cache the networks were split at
  nlohmann::json to_json() const;
};

// Least squares over all networks; a group with fewer than two distinct x values gets a mean
// (slope 0). Throws InputError without observations or for a non-positive cache size.
GapModel fit_gap_model(const std::vector<GapObservation>& observations, double cache_mb);

}  // namespace uibnas::estimator
