#include "latency/network_rounds.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <random>

#include "common/error.hpp"
#include "latency/hardware.hpp"
#include "latency/progress.hpp"
#include "latency/steadiness.hpp"

namespace uibnas::latency {
namespace {

constexpr double kProbeSeconds = 0.02;  // FMA probe before each network's slot: ~1% of a validation's time
constexpr double kCheckpointSeconds = 5;  // a kill loses at most this much finished work (and the slot in progress)

// One slot per network with its distinct parts (indices into the schedule's parts, shared across
// networks); `uses[i]`: each part use of network i, as a position in its slot.
SlotSchedule network_schedule(const std::vector<ProfileTarget>& networks, int threads,
                              std::vector<std::vector<size_t>>& uses) {
  SlotSchedule schedule;
  schedule.networks = networks;
  std::map<std::string, size_t> global;
  for (size_t n = 0; n < networks.size(); ++n) {
    Slot& slot = schedule.slots.emplace_back();
    slot.network = int(n);
    std::map<std::string, size_t> local;
    auto& network_uses = uses.emplace_back();
    for (const auto& p : network_parts(arch_defs::build_network(networks[n].arch), networks[n].resolution, threads)) {
      const std::string key = p.signature.key();
      const auto [at, fresh] = local.emplace(key, slot.parts.size());
      if (fresh) {
        const auto [g, new_part] = global.emplace(key, schedule.parts.size());
        if (new_part) schedule.parts.push_back(p.signature);
        slot.parts.push_back(g->second);
      }
      network_uses.push_back(at->second);
    }
  }
  return schedule;
}

// For the progress bar: MACs of a network's timed runs, plus compiling.
double network_work(const ProfileTarget& t, int repeat) {
  return double(arch_defs::network_params_macs(arch_defs::build_network(t.arch), t.resolution).macs) * (repeat + 1) + 1e7;
}

std::string pass_label(int pass, const EndToEndOptions& e2e, size_t networks) {
  if (pass < e2e.plan.rounds)
    return "validate t=" + std::to_string(e2e.threads) + " round " + std::to_string(pass + 1) + "/" +
           std::to_string(e2e.plan.rounds);
  return "settle " + std::to_string(pass - e2e.plan.rounds + 1) + "/" + std::to_string(e2e.plan.settle_rounds) + " (" +
         std::to_string(networks) + " networks)";
}

}  // namespace

NetworkRounds measure_networks_in_rounds(const std::vector<ProfileTarget>& networks, const NetworkRoundsOptions& o,
                                         const std::function<void(const NetworkRounds&)>& checkpoint,
                                         SlotTimer timer) {
  const EndToEndOptions& e2e = o.end_to_end;
  if (e2e.repeat < 1 || e2e.warmup < 0) throw common::InputError("end-to-end timing needs repeat >= 1 and warmup >= 0");
  if (!timer)
    timer = slot_timer({e2e.threads, std::max(o.parts.warmup, e2e.warmup), o.parts.repeat, e2e.repeat,
                        o.parts.evict_bytes});
  NetworkRounds out;
  std::vector<std::vector<size_t>> uses;
  out.schedule = network_schedule(networks, e2e.threads, uses);
  out.slot_parts.resize(networks.size());
  std::vector<double> work;
  for (const auto& t : networks) work.push_back(network_work(t, e2e.repeat));
  // Σ over a network's part uses of a statistic: of its slot's timings, or of the entries so far.
  auto parts_sum = [&](size_t n, Statistic statistic, auto&& measurement_at) {
    double ms = 0;
    for (size_t u : uses[n]) ms += statistic_of(measurement_at(u), statistic);
    return ms;
  };
  std::optional<ProgressBar> bar;
  SlotRoundHooks hooks;
  // Each pass visits its networks in its own seeded order, so that where a network falls (early or
  // late, before or after a burst of load) is not tied to what it is: calibration and validation
  // networks see the same machine on average.
  hooks.arrange = [&](std::vector<size_t>& slots, int pass) {
    std::mt19937_64 shuffle_rng(o.seed * 7919 + std::uint64_t(pass));
    std::shuffle(slots.begin(), slots.end(), shuffle_rng);
  };
  // Settling revisits, with their parts, the networks whose two best rounds disagree or whose best
  // round's slot ran its parts slower than their entries: a network measured only in slowed stretches.
  hooks.settled = [&](size_t n, const SlotRecord& record) {
    const Slot& slot = out.schedule.slots[n];
    const double entries_ms = parts_sum(n, o.statistic, [&](size_t u) {
      return combine_rounds(record.part_rounds[slot.parts[u]]);
    });
    return settled_in_normal_state(record.network_rounds[n], out.slot_parts[n].of(o.statistic), entries_ms,
                                   o.statistic, e2e.plan.settle_percent,
                                   kStateToleranceFactor * e2e.plan.settle_percent);
  };
  hooks.begin_pass = [&](int pass, const std::vector<size_t>& slots) {
    double pass_work = 0;
    for (size_t n : slots) pass_work += work[n];
    bar.emplace(pass_label(pass, e2e, slots.size()), pass_work, e2e.progress);
  };
  hooks.before_slot = [&](size_t, const SlotRecord&) {
    out.probe_gmacs.push_back(measure_fma_gmacs(e2e.threads, kProbeSeconds));
  };
  hooks.after_slot = [&](size_t n, const SlotTiming& timing, bool) {
    auto in_slot = [&](size_t u) { return timing.parts[u]; };
    out.slot_parts[n].median_ms.push_back(parts_sum(n, Statistic::Median, in_slot));
    out.slot_parts[n].min_ms.push_back(parts_sum(n, Statistic::Min, in_slot));
    bar->advance(work[n], networks[n].arch.name);
  };
  hooks.end_pass = [&](int, const SlotRecord&) { bar->finish(); };
  hooks.checkpoint_seconds = kCheckpointSeconds;
  hooks.checkpoint = [&](const SlotRecord& record) {
    out.record = record;
    if (checkpoint) checkpoint(out);
  };
  out.record = measure_slots_in_rounds(out.schedule, e2e.plan, timer, hooks);
  return out;
}

}  // namespace uibnas::latency
