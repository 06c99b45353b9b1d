#include "latency/profiler.hpp"

#include <chrono>
#include <csignal>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <utility>

#include "arch_defs/error.hpp"
#include "latency/progress.hpp"
#include "latency/side_by_side.hpp"
#include "runtime/compiled_model.hpp"
#include "runtime/timing.hpp"

namespace uibnas::latency {
namespace {

using Clock = std::chrono::steady_clock;

volatile std::sig_atomic_t g_stop = 0;
void on_signal(int) { g_stop = 1; }

Measurement to_measurement(const std::vector<double>& ms) {
  const runtime::LatencyStats s = runtime::summarize_latency(ms);
  return {s.median, s.p10, s.p90, s.min, s.repeats};
}

std::vector<float> random_input(const TensorShape& s, std::uint64_t seed) {
  std::vector<float> x(size_t(s.elements()));
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> normal;
  for (float& v : x) v = normal(rng);
  return x;
}

// Inside a network, a part's input was just written by its producer (hot) while its weights were last
// used one inference ago (evicted from L2 by everything in between). Touching a buffer of twice the L2
// size before rewriting the input reproduces that state before every timed run.
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

double part_cost(const BlockSignature& s) {
  const StandalonePart p = standalone_part(s);
  return double(lower_network_part(p.net, p.ref.part, p.ref.block_index, p.ref.input).total.macs) + 2e6;
}

}  // namespace

nlohmann::json measurement_protocol(const ProfileOptions& o) {
  return {{"timer", "std::chrono::steady_clock around one execution of the part's compiled steps"},
          {"warmup", o.warmup},
          {"repeats", o.repeat},
          {"rounds", o.plan.rounds},
          {"settle_rounds", o.plan.settle_rounds},
          {"settle_percent", o.plan.settle_percent},
          {"burst", kSideBySideBurst},
          {"statistics", "per round: median, p10, p90 (linear interpolation), min over repeats; an entry: the median "
                         "of its rounds' medians (p10s, p90s), the smallest min. Every slot (a network with the parts "
                         "it is the first to use, or 16 other parts) is timed in `rounds` passes, side by side: its "
                         "parts and network take turns of `burst` timed runs, each turn led in by one untimed run. A "
                         "slot with an entry whose two best round medians differ by more than settle_percent is "
                         "timed again, in up to settle_rounds more passes"},
          {"cache_state", "before each timed run of a part: a buffer of 2x L2 is touched (weights leave L2 as they do "
                          "between their uses in a network), then the input is rewritten (hot, as just produced)"},
          {"weights", "deterministic random (seed 0); latency does not depend on values"},
          {"end_to_end", "uibnas run: NCHW input to logits, same repeats, no eviction"}};
}

std::vector<BlockSignature> distinct_signatures(const std::vector<ProfileTarget>& targets, int threads) {
  std::vector<BlockSignature> out;
  std::set<std::string> seen;
  for (const auto& t : targets)
    for (const auto& p : network_parts(build_network(t.arch), t.resolution, threads))
      if (seen.insert(p.signature.key()).second) out.push_back(p.signature);
  return out;
}

namespace {

// What a slot holds while it is timed: each thing compiled once, with its input.
struct CompiledPart {
  runtime::CompiledModel model;
  std::vector<float> input;
};

CompiledPart compile_part(const BlockSignature& s) {
  const StandalonePart p = standalone_part(s);
  const runtime::OperatorGraph graph(lower_network_part(p.net, p.ref.part, p.ref.block_index, p.ref.input));
  return {runtime::CompiledModel(graph, runtime::random_parameters(graph.ops(), 0), s.threads),
          random_input(p.ref.input, 1)};
}

struct CompiledNetwork {
  runtime::CompiledModel model;
  std::vector<float> input, logits;
};

CompiledNetwork compile_network(const Architecture& arch, int resolution, int threads) {
  const Network net = build_network(arch);
  const runtime::OperatorGraph graph(lower_network(net, resolution));
  return {runtime::CompiledModel(graph, runtime::random_parameters(graph.ops(), 0), threads),
          random_input(graph.ops().input, 1), std::vector<float>(size_t(net.num_classes))};
}

}  // namespace

SlotTiming time_slot(const std::vector<BlockSignature>& parts, const ProfileTarget* network, const SlotProtocol& p) {
  std::vector<CompiledPart> compiled;
  compiled.reserve(parts.size());
  for (const auto& s : parts) compiled.push_back(compile_part(s));
  std::optional<CompiledNetwork> net;
  if (network != nullptr) net.emplace(compile_network(network->arch, network->resolution, p.threads));
  CacheState cache(p.evict_bytes);
  std::vector<SideBySideItem> items;
  for (const auto& c : compiled)
    items.push_back({p.part_repeat, [&cache, &c] { cache.prepare(); c.model.load_input(c.input.data()); },
                     [&c] { c.model.execute(); }});
  if (net) items.push_back({p.network_repeat, nullptr, [&n = *net] { n.model.run(n.input.data(), n.logits.data()); }});
  std::vector<std::vector<double>> ms = time_side_by_side(items, p.warmup, p.burst);
  SlotTiming out;
  for (size_t i = 0; i < parts.size(); ++i) out.parts.push_back(to_measurement(ms[i]));
  if (net) out.network_runs = std::move(ms.back());
  return out;
}

std::vector<ProfileSlot> profile_slots(const std::vector<ProfileTarget>& targets,
                                       const std::vector<const ProfileTarget*>& networks,
                                       const std::vector<BlockSignature>& parts, int threads) {
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < parts.size(); ++i) index.emplace(parts[i].key(), i);
  std::vector<bool> placed(parts.size(), false);
  std::vector<ProfileSlot> slots;
  for (const auto& t : targets) {
    ProfileSlot slot;
    for (const auto& p : network_parts(build_network(t.arch), t.resolution, threads))
      if (auto it = index.find(p.signature.key()); it != index.end() && !placed[it->second]) {
        placed[it->second] = true;
        slot.parts.push_back(it->second);
      }
    for (size_t n = 0; n < networks.size(); ++n)
      if (networks[n] == &t) slot.network = int(n);
    if (!slot.parts.empty() || slot.network >= 0) slots.push_back(std::move(slot));
  }
  ProfileSlot rest;
  for (size_t i = 0; i < parts.size(); ++i)
    if (!placed[i]) {
      rest.parts.push_back(i);
      if (rest.parts.size() == kPartsPerSlot) slots.push_back(std::exchange(rest, {}));
    }
  if (!rest.parts.empty()) slots.push_back(std::move(rest));
  return slots;
}

LatencyTable profile(const std::vector<ProfileTarget>& targets, const std::vector<BlockSignature>& extra,
                     const ProfileOptions& o) {
  namespace fs = std::filesystem;
  LatencyTable table;
  if (o.resume && fs::exists(o.out)) {
    table = load_table(o.out);
    if (table.threads != o.threads || table.hardware_name != o.hardware_name)
      throw InputError(o.out + ": cannot resume: the table is for '" + table.hardware_name + "' at " +
                       std::to_string(table.threads) + " threads, this run for '" + o.hardware_name + "' at " +
                       std::to_string(o.threads));
    if (table.protocol != measurement_protocol(o))
      throw InputError(o.out + ": cannot resume: the table was measured with another protocol (warm-up/repeats differ)");
  } else {
    table.hardware_name = o.hardware_name;
    table.threads = o.threads;
    table.hardware = measure_hardware(o.threads, o.hw_seconds);
    table.build = current_build();
    table.protocol = measurement_protocol(o);
  }

  std::vector<BlockSignature> pending;
  std::set<std::string> planned;
  auto plan = [&](const BlockSignature& s) {
    if (!table.find(s.key()) && planned.insert(s.key()).second) pending.push_back(s);
  };
  for (const auto& s : distinct_signatures(targets, o.threads)) plan(s);
  for (BlockSignature s : extra) {
    s.threads = o.threads;
    plan(s);
  }
  std::vector<const ProfileTarget*> e2e_pending;
  for (const auto& t : targets)
    if (!table.find_end_to_end(t.arch.name, t.resolution)) e2e_pending.push_back(&t);

  double total = 0;
  std::vector<double> costs;
  for (const auto& s : pending) costs.push_back(part_cost(s));
  for (double c : costs) total += c;
  std::vector<double> e2e_costs;
  for (const auto* t : e2e_pending) e2e_costs.push_back(2.0 * lower_network(build_network(t->arch), t->resolution).total.macs);
  for (double c : e2e_costs) total += c;
  total *= o.plan.rounds;  // settling passes run past the bar's end

  g_stop = 0;
  auto old_int = std::signal(SIGINT, on_signal);
  auto old_term = std::signal(SIGTERM, on_signal);
  ProgressBar bar("profile " + o.hardware_name + " t=" + std::to_string(o.threads), total, o.progress);
  auto last_save = Clock::now();
  auto checkpoint = [&](bool force) {
    if (force || std::chrono::duration<double>(Clock::now() - last_save).count() >= o.checkpoint_seconds) {
      save_table(table, o.out);
      last_save = Clock::now();
    }
  };
  auto interrupted = [&] {
    if (!g_stop) return false;
    save_table(table, o.out);
    std::signal(SIGINT, old_int);
    std::signal(SIGTERM, old_term);
    if (o.progress) std::fprintf(stderr, "\n");
    throw InputError("interrupted; " + std::to_string(table.entries.size()) + " entries saved to " + o.out +
                     " (continue with --resume)");
  };
  const long long evict = 2 * std::max(table.hardware.l2_bytes, 1LL << 20);
  checkpoint(true);
  const size_t parts = pending.size();
  const std::vector<ProfileSlot> slots = profile_slots(targets, e2e_pending, pending, o.threads);
  std::vector<std::vector<Measurement>> so_far(parts + e2e_pending.size());  // items: parts, then networks
  std::vector<size_t> e2e_slot(e2e_pending.size(), SIZE_MAX);  // where each network's entry is, once timed
  auto store = [&](size_t item, const Measurement& m) {
    if (item < parts) {
      table.entries[pending[item].key()] = {pending[item], m};
      return;
    }
    const size_t n = item - parts;
    if (e2e_slot[n] == SIZE_MAX) {  // first round: the entry appears (an interrupted run resumes past it)
      const ProfileTarget& t = *e2e_pending[n];
      EndToEnd e{t.arch.name, t.resolution, m, {}};
      for (const auto& p : network_parts(build_network(t.arch), t.resolution, o.threads))
        e.parts.push_back(p.signature.key());
      e2e_slot[n] = table.end_to_end.size();
      table.end_to_end.push_back(std::move(e));
    }
    table.end_to_end[e2e_slot[n]].latency = m;
  };
  auto items_of = [&](const ProfileSlot& slot) {
    std::vector<size_t> items = slot.parts;
    if (slot.network >= 0) items.push_back(parts + size_t(slot.network));
    return items;
  };
  bool settling = false;  // settling passes are past the bar's total: they name their slots only
  RoundHooks hooks;
  hooks.begin_pass = [&](int pass, const std::vector<size_t>&) { settling = pass >= o.plan.rounds; };
  // A slot is settled when every item in it is: its two best round medians agree.
  hooks.settled = [&](size_t k, const std::vector<Measurement>&) {
    for (size_t item : items_of(slots[k]))
      if (!round_medians_agree(so_far[item], o.plan.settle_percent)) return false;
    return true;
  };
  hooks.measure = [&](size_t k) {
    interrupted();
    const ProfileSlot& slot = slots[k];
    std::vector<BlockSignature> signatures;
    for (size_t i : slot.parts) signatures.push_back(pending[i]);
    const ProfileTarget* network = slot.network >= 0 ? e2e_pending[size_t(slot.network)] : nullptr;
    const SlotTiming timing = time_slot(signatures, network, {o.threads, o.warmup, o.repeat, o.repeat, evict});
    std::vector<Measurement> got = timing.parts;
    if (network != nullptr) got.push_back(to_measurement(timing.network_runs));
    const std::vector<size_t> items = items_of(slot);
    double cost = 0;
    for (size_t j = 0; j < items.size(); ++j) {
      so_far[items[j]].push_back(got[j]);
      store(items[j], combine_rounds(so_far[items[j]]));
      cost += items[j] < parts ? costs[items[j]] : e2e_costs[items[j] - parts];
    }
    const std::string name = network != nullptr ? network->arch.name + " and its parts"
                                                : std::to_string(slot.parts.size()) + " parts";
    bar.advance(settling ? 0 : cost, settling ? "settling " + name : name);
    checkpoint(false);
    return got.back();
  };
  measure_in_rounds(slots.size(), o.plan, hooks);
  checkpoint(true);
  bar.finish();
  std::signal(SIGINT, old_int);
  std::signal(SIGTERM, old_term);
  return table;
}

}  // namespace uibnas::latency
