#include "latency/slot_timing.hpp"

#include <map>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <random>

#include "common/error.hpp"
#include "common/stop_request.hpp"
#include "latency/measurement_statistic.hpp"
#include "latency/side_by_side.hpp"
#include "runtime/compiled_model.hpp"

namespace uibnas::latency {
namespace {

std::vector<float> random_input(const arch_defs::TensorShape& s, std::uint64_t seed) {
  std::vector<float> x(size_t(s.elements()));
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> normal;
  for (float& v : x) v = normal(rng);
  return x;
}

// Puts the caches in the state a part finds inside a network (l2_eviction_bytes).
class CacheState {
 public:
  explicit CacheState(long long evict_bytes) : evict_(size_t(std::max(0LL, evict_bytes)) / sizeof(float), 1.0f) {}
  void prepare() {
    float s = 0;
    for (size_t i = 0; i < evict_.size(); i += 16) s += (evict_[i] += 1.0f);
    sink_ = s;
  }

 private:
  std::vector<float> evict_;
  volatile float sink_ = 0;
};

// What a slot holds while it is timed: each thing compiled once, with its input.
struct CompiledPart {
  runtime::CompiledModel model;
  std::vector<float> input;
};

CompiledPart compile_part(const BlockSignature& s) {
  const StandalonePart p = standalone_part(s);
  const runtime::OperatorGraph graph(arch_defs::lower_network_part(p.net, p.ref.part, p.ref.block_index, p.ref.input));
  return {runtime::CompiledModel(graph, runtime::random_parameters(graph.ops(), 0), s.threads),
          random_input(p.ref.input, 1)};
}

struct CompiledNetwork {
  runtime::CompiledModel model;
  std::vector<float> input, logits;
};

CompiledNetwork compile_network(const arch_defs::Architecture& arch, int resolution, int threads) {
  const arch_defs::Network net = arch_defs::build_network(arch);
  const runtime::OperatorGraph graph(arch_defs::lower_network(net, resolution));
  return {runtime::CompiledModel(graph, runtime::random_parameters(graph.ops(), 0), threads),
          random_input(graph.ops().input, 1), std::vector<float>(size_t(net.num_classes))};
}

// Per step of `model`: its network part (0 the stem, 1 + i block i, blocks + 1 the head), from the
// lowered block of the step's operator; -1 for the input's layout change (step 0).
std::vector<int> step_parts(const runtime::CompiledModel& model, int blocks) {
  const arch_defs::OperatorList& ops = model.ops();
  std::map<std::string, int> block_of;
  for (const arch_defs::Operator& op : ops.ops) block_of[op.name] = op.block;
  std::vector<int> parts;
  for (size_t s = 0; s < model.steps().size(); ++s) {
    const auto b = block_of.find(model.steps()[s].name);
    parts.push_back(s == 0 || b == block_of.end() ? -1 : std::min(b->second, blocks + 1));
  }
  return parts;
}

}  // namespace

long long l2_eviction_bytes(const HardwareInfo& hardware) { return 2 * std::max(hardware.l2_bytes, 1LL << 20); }

SlotTiming time_slot(const std::vector<BlockSignature>& parts, const ProfileTarget* network, const SlotProtocol& p) {
  std::vector<CompiledPart> compiled;
  compiled.reserve(parts.size());
  for (const auto& s : parts) {
    common::throw_if_stop_requested();
    compiled.push_back(compile_part(s));
  }
  std::optional<CompiledNetwork> net;
  if (network != nullptr) net.emplace(compile_network(network->arch, network->resolution, p.threads));
  CacheState cache(p.evict_bytes);
  std::vector<SideBySideItem> items;
  // A stop request is honoured before each run, outside the timed region: a slot of large networks
  // takes many seconds, too long to wait for its end.
  for (const auto& c : compiled)
    items.push_back({p.part_repeat,
                     [&cache, &c] {
                       common::throw_if_stop_requested();
                       cache.prepare();
                       c.model.load_input(c.input.data());
                       c.model.wake_threads();  // as inside a network: the helpers are awake
                     },
                     [&c] { c.model.execute(); }, {}});
  if (net)
    items.push_back({p.network_repeat, common::throw_if_stop_requested,
                     [&n = *net] { n.model.run(n.input.data(), n.logits.data()); }, {}});
  SlotTiming out;
  std::vector<double> step_ms;
  const bool stepped = net && p.stepped_network;
  if (stepped) {
    out.step_part = step_parts(net->model, int(arch_defs::build_network(network->arch).blocks.size()));
    items.push_back({p.network_repeat, common::throw_if_stop_requested,
                     [&n = *net, &step_ms] { n.model.run(n.input.data(), n.logits.data(), nullptr, &step_ms); },
                     [&out, &step_ms] { out.step_ms.push_back(step_ms); }});
  }
  std::vector<std::vector<double>> ms = time_side_by_side(items, p.warmup, p.burst);
  for (size_t i = 0; i < parts.size(); ++i) out.parts.push_back(measurement_of_runs(ms[i]));
  if (stepped) {
    out.stepped_runs = std::move(ms.back());
    ms.pop_back();
  }
  if (net) out.network_runs = std::move(ms.back());
  return out;
}

PartProtocol part_protocol(const LatencyTable& table, const std::string& source) {
  PartProtocol p;
  try {
    p.warmup = table.protocol.at("warmup").get<int>();
    p.repeat = table.protocol.at("repeats").get<int>();
  } catch (const nlohmann::json::exception&) {
    throw common::InputError(source + ": /protocol has no warmup and repeats to time parts with");
  }
  p.evict_bytes = l2_eviction_bytes(table.hardware);
  return p;
}

}  // namespace uibnas::latency
