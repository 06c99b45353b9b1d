#include "estimator/validation.hpp"

#include <algorithm>
#include <chrono>
#include <random>

#include "arch_defs/error.hpp"
#include "estimator/metrics.hpp"
#include "latency/profiler.hpp"
#include "runtime/compiled_model.hpp"
#include "runtime/timing.hpp"
#include "searchspace/decode.hpp"
#include "searchspace/encoding.hpp"
#include "searchspace/sampling.hpp"

namespace uibnas::estimator {

std::vector<ValidationTarget> validation_targets(const std::vector<std::string>& space_files, int samples,
                                                 std::uint64_t seed, const std::vector<Architecture>& models) {
  if (samples < 0) throw InputError("--samples must not be negative");
  std::vector<ValidationTarget> targets;
  for (const std::string& file : space_files) {
    const space::SearchSpace sp = space::load_search_space(file);
    space::Rng rng(seed);
    for (int i = 0; i < samples; ++i) {
      const space::Choices c = space::sample(sp, rng);
      Architecture a = space::to_architecture(sp, c);
      targets.push_back({a.name, sp.id(), a, a.input_size});
    }
  }
  for (const Architecture& a : models) targets.push_back({a.name, "published", a, a.input_size});
  return targets;
}

PartProtocol part_protocol(const latency::LatencyTable& table, const std::string& source) {
  PartProtocol p;
  try {
    p.warmup = table.protocol.at("warmup").get<int>();
    p.repeat = table.protocol.at("repeats").get<int>();
  } catch (const nlohmann::json::exception&) {
    throw InputError(source + ": /protocol has no warmup and repeats to time parts with");
  }
  p.evict_bytes = 2 * std::max(table.hardware.l2_bytes, 1LL << 20);  // as latency::profile evicts
  return p;
}

latency::SlotTiming time_network_slot(const ValidationTarget& target, const std::vector<latency::BlockSignature>& parts,
                                      const PartProtocol& p, const EndToEndOptions& o) {
  if (o.repeat < 1 || o.warmup < 0) throw InputError("end-to-end timing needs repeat >= 1 and warmup >= 0");
  const latency::ProfileTarget network{target.arch, target.resolution};
  return latency::time_slot(parts, &network, {o.threads, std::max(p.warmup, o.warmup), p.repeat, o.repeat, p.evict_bytes});
}

latency::Measurement summarize_runs(const std::vector<double>& ms) {
  const runtime::LatencyStats st = runtime::summarize_latency(ms);
  return {st.median, st.p10, st.p90, st.min, st.repeats};
}

}  // namespace uibnas::estimator
