#include "latency/profiler.hpp"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>
#include <thread>
#include <utility>

#include "common/error.hpp"
#include "common/file_lock.hpp"
#include "common/stop_request.hpp"
#include "latency/progress.hpp"

namespace uibnas::latency {
namespace {

double part_cost(const BlockSignature& s) {
  const StandalonePart p = standalone_part(s);
  return double(arch_defs::lower_network_part(p.net, p.ref.part, p.ref.block_index, p.ref.input).total.macs) + 2e6;
}

double network_cost(const ProfileTarget& t) {
  return 2.0 * double(arch_defs::lower_network(arch_defs::build_network(t.arch), t.resolution).total.macs);
}

// The table to fill: o.out's when resuming (same hardware, threads and protocol), else a new one.
LatencyTable start_table(const ProfileOptions& o) {
  LatencyTable table;
  if (o.resume && std::filesystem::exists(o.out)) {
    table = load_table(o.out);
    if (table.threads != o.threads || table.hardware_name != o.hardware_name)
      throw common::InputError(o.out + ": cannot resume: the table is for '" + table.hardware_name + "' at " +
                       std::to_string(table.threads) + " threads, this run for '" + o.hardware_name + "' at " +
                       std::to_string(o.threads));
    if (table.protocol != measurement_protocol(o))
      throw common::InputError(o.out + ": cannot resume: the table was measured with another protocol (warm-up/repeats differ)");
    return table;
  }
  table.hardware_name = o.hardware_name;
  table.threads = o.threads;
  table.hardware = measure_hardware(o.threads, o.hw_seconds, o.sources);
  table.build = current_build();
  table.protocol = measurement_protocol(o);
  return table;
}

// What the table lacks: the parts (the targets', then `extra`), the networks, and their slots.
SlotSchedule pending_schedule(const std::vector<ProfileTarget>& targets, const std::vector<BlockSignature>& extra,
                              const LatencyTable& table, int threads) {
  SlotSchedule schedule;
  std::set<std::string> planned;
  auto plan = [&](const BlockSignature& s) {
    if (!table.find(s.key()) && planned.insert(s.key()).second) schedule.parts.push_back(s);
  };
  for (const auto& s : distinct_signatures(targets, threads)) plan(s);
  for (BlockSignature s : extra) {
    s.threads = threads;
    plan(s);
  }
  std::vector<const ProfileTarget*> networks;
  for (const auto& t : targets)
    if (!table.find_end_to_end(t.arch.name, t.resolution)) networks.push_back(&t);
  schedule.slots = profile_slots(targets, networks, schedule.parts, threads);
  for (const ProfileTarget* t : networks) schedule.networks.push_back(*t);
  return schedule;
}

// Keeps the table at what the slots measured so far: each entry its rounds combined. A network's
// end-to-end run joins the table with its first round (an interrupted run resumes past it).
class TableFiller {
 public:
  TableFiller(LatencyTable& table, const SlotSchedule& schedule, int threads)
      : table_(table), schedule_(schedule), threads_(threads), end_to_end_(schedule.networks.size(), SIZE_MAX) {}

  void fill(const SlotRecord& record) {
    for (size_t i = 0; i < schedule_.parts.size(); ++i)
      if (!record.part_rounds[i].empty())
        table_.entries[schedule_.parts[i].key()] = {schedule_.parts[i], combine_rounds(record.part_rounds[i])};
    for (size_t n = 0; n < schedule_.networks.size(); ++n)
      if (!record.network_rounds[n].empty()) end_to_end(n).latency = combine_rounds(record.network_rounds[n]);
  }

 private:
  // This run's entry for network n; it replaces one that a concurrent run saved first (merged in).
  EndToEnd& end_to_end(size_t n) {
    if (end_to_end_[n] == SIZE_MAX) {
      const ProfileTarget& t = schedule_.networks[n];
      EndToEnd e{t.arch.name, t.resolution, {}, {}};
      for (const auto& p : network_parts(arch_defs::build_network(t.arch), t.resolution, threads_))
        e.parts.push_back(p.signature.key());
      const EndToEnd* merged = table_.find_end_to_end(t.arch.name, t.resolution);
      end_to_end_[n] = merged != nullptr ? size_t(merged - table_.end_to_end.data()) : table_.end_to_end.size();
      if (merged != nullptr) table_.end_to_end[end_to_end_[n]] = std::move(e);
      else table_.end_to_end.push_back(std::move(e));
    }
    return table_.end_to_end[end_to_end_[n]];
  }

  LatencyTable& table_;
  const SlotSchedule& schedule_;
  int threads_;
  std::vector<size_t> end_to_end_;  // where each network's entry is, once timed
};

// Takes in what another process (a concurrent --resume) saved to `path`: its entries for keys this run
// has not, its end-to-end runs of other (model, resolution). Only appends, so the TableFiller's
// indices stay valid.
void take_in_saved(LatencyTable& table, const LatencyTable& saved, const std::string& path) {
  if (saved.hardware_name != table.hardware_name || saved.threads != table.threads || saved.protocol != table.protocol)
    throw common::InputError(path + ": replaced by a table of other hardware, threads or protocol while this run "
                             "profiled; not merging into it");
  for (const auto& [key, entry] : saved.entries) table.entries.emplace(key, entry);
  for (const EndToEnd& e : saved.end_to_end)
    if (!table.find_end_to_end(e.model, e.resolution)) table.end_to_end.push_back(e);
}

// Every save of a profile: under the table's lock, what is on disk merged in first (unless `merge` is
// false: the first save of a run that starts a new table), so that two runs filling one table both
// keep everything they measured.
void save_merged(LatencyTable& table, const std::string& path, bool merge) {
  const common::FileLock lock(common::lock_path_of_file(path), path, common::FileLock::Mode::wait);
  if (merge && std::filesystem::exists(path)) take_in_saved(table, load_table(path), path);
  save_table(table, path);
}

}  // namespace

nlohmann::json measurement_protocol(const ProfileOptions& o) {
  // One thread has no helpers to wake: its protocol is the same as before the wake-up was added, so
  // one-thread tables measured then still resume.
  std::string cache_state =
      "before each timed run of a part: a buffer of 2x L2 is touched (weights leave L2 as they do between their "
      "uses in a network), then the input is rewritten (hot, as just produced)";
  if (o.threads > 1)
    cache_state += ", then the runtime's helper threads are woken (inside a network they never sleep between steps)";
  nlohmann::json protocol = {{"timer", "std::chrono::steady_clock around one execution of the part's compiled steps"},
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
          {"cache_state", cache_state},
          {"weights", "deterministic random (seed 0); latency does not depend on values"},
          {"end_to_end", "uibnas run: NCHW input to logits, same repeats, no eviction"}};
  if (!o.cpus.empty()) protocol["cpus"] = o.cpus;
  if (o.cooldown_seconds > 0) protocol["cooldown_seconds"] = o.cooldown_seconds;
  return protocol;
}

void cool_down(double seconds) {
  using Clock = std::chrono::steady_clock;
  const Clock::time_point end = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  for (Clock::time_point now = Clock::now(); now < end; now = Clock::now()) {
    common::throw_if_stop_requested();
    std::this_thread::sleep_for(std::min<Clock::duration>(std::chrono::milliseconds(50), end - now));
  }
  common::throw_if_stop_requested();
}

std::vector<BlockSignature> distinct_signatures(const std::vector<ProfileTarget>& targets, int threads) {
  std::vector<BlockSignature> out;
  std::set<std::string> seen;
  for (const auto& t : targets)
    for (const auto& p : network_parts(arch_defs::build_network(t.arch), t.resolution, threads))
      if (seen.insert(p.signature.key()).second) out.push_back(p.signature);
  return out;
}

std::vector<Slot> profile_slots(const std::vector<ProfileTarget>& targets,
                                const std::vector<const ProfileTarget*>& networks,
                                const std::vector<BlockSignature>& parts, int threads) {
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < parts.size(); ++i) index.emplace(parts[i].key(), i);
  std::vector<bool> placed(parts.size(), false);
  std::vector<Slot> slots;
  for (const auto& t : targets) {
    Slot slot;
    for (const auto& p : network_parts(arch_defs::build_network(t.arch), t.resolution, threads))
      if (auto it = index.find(p.signature.key()); it != index.end() && !placed[it->second]) {
        placed[it->second] = true;
        slot.parts.push_back(it->second);
      }
    for (size_t n = 0; n < networks.size(); ++n)
      if (networks[n] == &t) slot.network = int(n);
    if (!slot.parts.empty() || slot.network >= 0) slots.push_back(std::move(slot));
  }
  Slot rest;
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
  const common::StopRequest stop_request;
  LatencyTable table;
  try {
    table = start_table(o);
  } catch (const common::Interrupted&) {  // in the hardware benchmarks, before anything was measured
    throw common::Interrupted("interrupted before the first measurement: " + o.out + " left as it was");
  }
  const SlotSchedule schedule = pending_schedule(targets, extra, table, o.threads);
  std::vector<double> part_costs, network_costs;
  double total = 0;
  for (const auto& s : schedule.parts) total += part_costs.emplace_back(part_cost(s));
  for (const auto& t : schedule.networks) total += network_costs.emplace_back(network_cost(t));
  total *= o.plan.rounds;  // settling passes run past the bar's end

  ProgressBar bar("profile " + o.hardware_name + " t=" + std::to_string(o.threads), total, o.progress);
  TableFiller filler(table, schedule, o.threads);
  save_merged(table, o.out, o.resume);
  SlotRoundHooks hooks;
  hooks.checkpoint_seconds = o.checkpoint_seconds;
  hooks.checkpoint = [&](const SlotRecord& record) {
    filler.fill(record);
    table.thermal_end = read_thermal_zones(o.sources.sys_root);
    save_merged(table, o.out, true);
  };
  // Settling passes are past the bar's total: they name their slots only.
  hooks.after_slot = [&](size_t k, const SlotTiming&, bool settling) {
    const Slot& slot = schedule.slots[k];
    double cost = slot.network >= 0 ? network_costs[size_t(slot.network)] : 0;
    for (size_t p : slot.parts) cost += part_costs[p];
    const std::string name = slot.network >= 0 ? schedule.networks[size_t(slot.network)].arch.name + " and its parts"
                                               : std::to_string(slot.parts.size()) + " parts";
    const std::string heat = hottest_reading_text(read_thermal_zones(o.sources.sys_root));
    bar.advance(settling ? 0 : cost, (settling ? "settling " + name : name) + (heat.empty() ? "" : ", " + heat));
  };
  bool first_slot = true;
  hooks.before_slot = [&](size_t, const SlotRecord&) {
    if (!std::exchange(first_slot, false) && o.cooldown_seconds > 0) cool_down(o.cooldown_seconds);
  };
  const SlotProtocol protocol{o.threads, o.warmup, o.repeat, o.repeat, l2_eviction_bytes(table.hardware)};
  try {
    measure_slots_in_rounds(schedule, o.plan, slot_timer(protocol), hooks);  // its last pass ends in a checkpoint
  } catch (const common::Interrupted&) {  // measure_slots_in_rounds saved what it had
    if (o.progress) std::fprintf(stderr, "\n");
    throw common::Interrupted("interrupted: " + std::to_string(table.entries.size()) + " entries saved to " + o.out +
                              "; continue with --resume");
  }
  bar.finish();
  return table;
}

}  // namespace uibnas::latency
