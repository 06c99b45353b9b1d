#include "latency/profiler.hpp"

#include <chrono>
#include <csignal>
#include <cstdint>
#include <filesystem>
#include <random>
#include <set>

#include "arch_defs/error.hpp"
#include "latency/progress.hpp"
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
          {"statistics", "per round: median, p10, p90 (linear interpolation), min over repeats; an entry: the median "
                         "of its rounds' medians (p10s, p90s), the smallest min. Every entry is timed in `rounds` "
                         "passes; one whose two best round medians differ by more than settle_percent is timed "
                         "again, in up to settle_rounds more passes"},
          {"cache_state", "before each timed run: a buffer of 2x L2 is touched (weights leave L2 as they do between "
                          "their uses in a network), then the input is rewritten (hot, as just produced)"},
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

std::vector<double> time_network_runs(const Architecture& arch, int resolution, int threads, int warmup, int repeat) {
  const Network net = build_network(arch);
  const runtime::OperatorGraph graph(lower_network(net, resolution));
  const runtime::CompiledModel model(graph, runtime::random_parameters(graph.ops(), 0), threads);
  const std::vector<float> input = random_input(graph.ops().input, 1);
  std::vector<float> logits(size_t(net.num_classes));
  for (int w = 0; w < warmup; ++w) model.run(input.data(), logits.data());
  std::vector<double> ms;
  for (int r = 0; r < repeat; ++r) {
    const auto t0 = Clock::now();
    model.run(input.data(), logits.data());
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
  }
  return ms;
}

Measurement time_signature(const BlockSignature& s, int warmup, int repeat, long long evict_bytes) {
  const StandalonePart p = standalone_part(s);
  const runtime::OperatorGraph graph(lower_network_part(p.net, p.ref.part, p.ref.block_index, p.ref.input));
  const runtime::CompiledModel model(graph, runtime::random_parameters(graph.ops(), 0), s.threads);
  const std::vector<float> input = random_input(p.ref.input, 1);
  CacheState cache(evict_bytes);
  model.load_input(input.data());
  for (int i = 0; i < warmup; ++i) model.execute();
  std::vector<double> ms;
  for (int i = 0; i < repeat; ++i) {
    cache.prepare();
    model.load_input(input.data());
    const auto t0 = Clock::now();
    model.execute();
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
  }
  return to_measurement(ms);
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
  // Every pass times every part and then every network, and settling passes the unsettled ones of both:
  // a network's rounds are a whole pass of parts apart, not seconds, so that one slowed stretch of the
  // machine does not hold all of them.
  const size_t parts = pending.size();
  std::vector<std::vector<Measurement>> so_far(parts + e2e_pending.size());
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
  bool settling = false;  // settling passes are past the bar's total: they name their items only
  RoundHooks hooks;
  hooks.begin_pass = [&](int pass, const std::vector<size_t>&) { settling = pass >= o.plan.rounds; };
  hooks.measure = [&](size_t item) {
    interrupted();
    const bool part = item < parts;
    const ProfileTarget* t = part ? nullptr : e2e_pending[item - parts];
    const Measurement m =
        part ? time_signature(pending[item], o.warmup, o.repeat, evict)
             : to_measurement(time_network_runs(t->arch, t->resolution, o.threads, o.warmup, o.repeat));
    so_far[item].push_back(m);
    store(item, combine_rounds(so_far[item]));
    const std::string name = part ? pending[item].key() : t->arch.name + " end to end";
    bar.advance(settling ? 0 : (part ? costs[item] : e2e_costs[item - parts]), settling ? "settling " + name : name);
    checkpoint(false);
    return m;
  };
  measure_in_rounds(so_far.size(), o.plan, hooks);
  checkpoint(true);
  bar.finish();
  std::signal(SIGINT, old_int);
  std::signal(SIGTERM, old_term);
  return table;
}

}  // namespace uibnas::latency
