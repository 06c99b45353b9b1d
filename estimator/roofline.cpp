#include "estimator/roofline.hpp"

#include <algorithm>

#include "common/error.hpp"

namespace uibnas::estimator {

RooflineTerms roofline_terms(const arch_defs::OperatorList& ops, double bytes_per_element) {
  RooflineTerms t;
  // Everything after the last block stage is the head part, as in the latency table (the global pool
  // on; an EfficientNet-style conv_head before the pool belongs to it too).
  int head_block = int(ops.blocks.size());
  for (size_t b = 0; b < ops.blocks.size(); ++b)
    if (ops.blocks[b].kind == "pool" || ops.blocks[b].kind == "head") {
      head_block = int(b);
      break;
    }
  t.parts = std::min(head_block + 1, int(ops.blocks.size()));
  const double scale = bytes_per_element / 4.0;  // operator costs are counted in FP32 bytes
  for (const arch_defs::Operator& op : ops.ops) {
    const double macs = double(op.cost.macs);
    const double bytes =
        scale * double(op.cost.weight_bytes + (op.folds_into_producer ? 0 : op.cost.activation_bytes));
    if (macs == 0 && bytes == 0) continue;
    t.macs.push_back(macs);
    t.bytes.push_back(bytes);
    t.part.push_back(std::min(op.block, head_block));
    t.total_macs += macs;
    t.total_bytes += bytes;
  }
  return t;
}

double mac_equivalents(const RooflineTerms& t, double ridge_point) {
  double sum = 0;
  for (size_t i = 0; i < t.macs.size(); ++i) sum += std::max(t.macs[i], ridge_point * t.bytes[i]);
  return sum;
}

std::vector<double> part_mac_equivalents(const RooflineTerms& t, double ridge_point) {
  std::vector<double> parts(size_t(t.parts), 0.0);
  for (size_t i = 0; i < t.macs.size(); ++i) parts[size_t(t.part[i])] += std::max(t.macs[i], ridge_point * t.bytes[i]);
  return parts;
}

Roofline fingerprint_roofline(const latency::HardwareInfo& hw, int threads, const std::string& source) {
  const latency::ThreadPeaks* p = hw.at(threads);
  if (!p || p->gmacs <= 0 || p->bandwidth_gbs <= 0)
    throw common::InputError(source + ": /hardware/peaks has no FMA peak and bandwidth for " + std::to_string(threads) +
                     " thread(s), so the roofline has no peaks (give --rp and rely on the calibrated roofline)");
  return {p->gmacs, p->ridge_point()};
}

}  // namespace uibnas::estimator
