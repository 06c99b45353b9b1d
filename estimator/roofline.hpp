// The MNv4 paper's roofline (Eq. 1): per operator max(MACs / PeakMACs, bytes / PeakBandwidth), summed.
// Written as MAC-equivalents, Σ max(MACs, RP · bytes) with RP = PeakMACs / PeakBandwidth, so that a
// ridge-point sweep reuses one pass over the operators and only a time scale depends on the peaks.
//
// Bytes convention (the paper leaves it open): per operator, its weight bytes plus its activation
// bytes (every input read and the output written), except that BN, activation and layer scale which
// fold into the conv producing their input move no activation bytes (the runtime fuses them; their
// few per-channel parameters still count). Residual adds, pools and attention are operators of their
// own. Counts are FP32 (4 bytes per element); `bytes_per_element` rescales them (1 = the paper's INT8).
// RP = 0 is "latency proportional to MACs".
#pragma once
#include <string>
#include <vector>

#include "arch_defs/operators.hpp"
#include "latency/hardware.hpp"

namespace uibnas::estimator {

// The operators of a lowered network (or part) reduced to what the roofline needs.
struct RooflineTerms {
  std::vector<double> macs, bytes;  // one per operator that does any work
  std::vector<int> part;            // network part of each: 0 stem, 1.. blocks, last = head (pool + conv_head + classifier)
  int parts = 0;
  double total_macs = 0, total_bytes = 0;
};

RooflineTerms roofline_terms(const arch_defs::OperatorList& ops, double bytes_per_element = 4);

// Σ max(MACs, RP · bytes) over the operators.
double mac_equivalents(const RooflineTerms& t, double ridge_point);
// The same per network part.
std::vector<double> part_mac_equivalents(const RooflineTerms& t, double ridge_point);

// Peaks as time: latency_ms = mac_equivalents(terms, ridge_point) / (peak_gmacs · 1e6).
struct Roofline {
  double peak_gmacs = 0;   // PeakMACs in GMAC/s
  double ridge_point = 0;  // MACs per byte; 0 = unlimited bandwidth
  double bandwidth_gbs() const { return ridge_point > 0 ? peak_gmacs / ridge_point : 0; }
  double milliseconds(double mac_equivalents) const { return mac_equivalents / (peak_gmacs * 1e6); }
  double milliseconds(const RooflineTerms& t) const { return milliseconds(mac_equivalents(t, ridge_point)); }
};

// The peaks a table's fingerprint measured at `threads` (FMA GMAC/s and read bandwidth). Throws
// InputError naming `source` when the fingerprint has no usable peaks for that thread count.
Roofline fingerprint_roofline(const latency::HardwareInfo& hw, int threads, const std::string& source);

}  // namespace uibnas::estimator
