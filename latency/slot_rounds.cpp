#include "latency/slot_rounds.hpp"

#include <chrono>

#include "common/error.hpp"
#include "common/stop_request.hpp"
#include "latency/measurement_statistic.hpp"

namespace uibnas::latency {
namespace {

using Clock = std::chrono::steady_clock;

void check_schedule(const SlotSchedule& schedule) {
  for (const Slot& slot : schedule.slots) {
    for (size_t p : slot.parts)
      if (p >= schedule.parts.size()) throw common::InputError("slot schedule: part index out of range");
    if (slot.network >= int(schedule.networks.size()))
      throw common::InputError("slot schedule: network index out of range");
  }
}

}  // namespace

SlotTimer slot_timer(const SlotProtocol& protocol) {
  return [protocol](const std::vector<BlockSignature>& parts, const ProfileTarget* network) {
    return time_slot(parts, network, protocol);
  };
}

bool slot_rounds_agree(const Slot& slot, const SlotRecord& record, double percent) {
  for (size_t p : slot.parts)
    if (!round_medians_agree(record.part_rounds[p], percent)) return false;
  return slot.network < 0 || round_medians_agree(record.network_rounds[size_t(slot.network)], percent);
}

SlotRecord measure_slots_in_rounds(const SlotSchedule& schedule, const RoundPlan& plan, const SlotTimer& timer,
                                   const SlotRoundHooks& hooks) {
  check_schedule(schedule);
  SlotRecord record{std::vector<std::vector<Measurement>>(schedule.parts.size()),
                    std::vector<std::vector<Measurement>>(schedule.networks.size())};
  auto last_checkpoint = Clock::now();
  auto checkpoint = [&] {
    if (hooks.checkpoint) hooks.checkpoint(record);
    last_checkpoint = Clock::now();
  };
  bool settling = false;
  RoundHooks rounds;
  rounds.arrange = hooks.arrange;
  rounds.begin_pass = [&](int pass, const std::vector<size_t>& slots) {
    settling = pass >= plan.rounds;
    if (hooks.begin_pass) hooks.begin_pass(pass, slots);
  };
  rounds.settled = [&](size_t k, const std::vector<Measurement>&) {
    return hooks.settled ? hooks.settled(k, record)
                         : slot_rounds_agree(schedule.slots[k], record, plan.settle_percent);
  };
  rounds.measure = [&](size_t k) {
    common::throw_if_stop_requested();
    if (hooks.before_slot) hooks.before_slot(k, record);
    const Slot& slot = schedule.slots[k];
    std::vector<BlockSignature> parts;
    for (size_t p : slot.parts) parts.push_back(schedule.parts[p]);
    const ProfileTarget* network = slot.network >= 0 ? &schedule.networks[size_t(slot.network)] : nullptr;
    const SlotTiming timing = timer(parts, network);
    if (timing.parts.size() != parts.size() || (network != nullptr) == timing.network_runs.empty())
      throw common::InputError("slot timing: the timer returned other things than the slot holds");
    for (size_t j = 0; j < parts.size(); ++j) record.part_rounds[slot.parts[j]].push_back(timing.parts[j]);
    Measurement network_round;
    if (network != nullptr) {
      network_round = measurement_of_runs(timing.network_runs);
      record.network_rounds[size_t(slot.network)].push_back(network_round);
    }
    if (hooks.after_slot) hooks.after_slot(k, timing, settling);
    if (std::chrono::duration<double>(Clock::now() - last_checkpoint).count() >= hooks.checkpoint_seconds) checkpoint();
    return network_round;
  };
  rounds.end_pass = [&](int pass, const std::vector<std::vector<Measurement>>&) {
    if (hooks.end_pass) hooks.end_pass(pass, record);
    checkpoint();
  };
  try {
    measure_in_rounds(schedule.slots.size(), plan, rounds);
  } catch (const common::Interrupted&) {
    checkpoint();  // the slots timed so far; the one interrupted is timed again on resuming
    throw;
  }
  return record;
}

}  // namespace uibnas::latency
