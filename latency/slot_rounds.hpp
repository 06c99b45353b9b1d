// Slots in rounds, with settling and checkpoints: the one measurement orchestrator of `uibnas profile`
// and `uibnas validate`. A slot is some parts and at most one network timed side by side
// (slot_timing.hpp); every slot is timed in plan.rounds passes, then the slots not yet settled in up to
// plan.settle_rounds more (rounds.hpp says why). What is measured and when it is settled or saved is
// the caller's: the orchestrator keeps every timing and calls the hooks.
#pragma once
#include <functional>
#include <limits>
#include <vector>

#include "latency/rounds.hpp"
#include "latency/slot_timing.hpp"

namespace uibnas::latency {

struct Slot {
  std::vector<size_t> parts;  // indices into SlotSchedule::parts
  int network = -1;           // index into SlotSchedule::networks; -1: none
};

struct SlotSchedule {
  std::vector<BlockSignature> parts;  // distinct; a part may be in several slots
  std::vector<ProfileTarget> networks;
  std::vector<Slot> slots;
};

// Every timing so far: a part's, one per slot timing that held it (in the order timed); a network's,
// one per round.
struct SlotRecord {
  std::vector<std::vector<Measurement>> part_rounds;
  std::vector<std::vector<Measurement>> network_rounds;
};

// Times a slot: its parts' signatures in order, its network (null: none). The real one is time_slot
// with a protocol (slot_timer); tests give a fake.
using SlotTimer = std::function<SlotTiming(const std::vector<BlockSignature>& parts, const ProfileTarget* network)>;
SlotTimer slot_timer(const SlotProtocol& protocol);

struct SlotRoundHooks {
  // Before a slot is timed (e.g. an FMA probe, or a stop on a signal after saving `record`).
  std::function<void(size_t slot, const SlotRecord& record)> before_slot;
  // After, with its timing; `settling`: the pass is past plan.rounds (e.g. progress).
  std::function<void(size_t slot, const SlotTiming& timing, bool settling)> after_slot;
  // Whether a slot's timings so far settle it; default: slot_rounds_agree with plan.settle_percent.
  std::function<bool(size_t slot, const SlotRecord& record)> settled;
  // Reorders a pass's slots (pass 0, 1, ...); default: index order.
  std::function<void(std::vector<size_t>& slots, int pass)> arrange;
  std::function<void(int pass, const std::vector<size_t>& slots)> begin_pass;
  std::function<void(int pass, const SlotRecord& record)> end_pass;
  // Saves what was measured: after every pass (after end_pass), and after a slot once
  // checkpoint_seconds have passed since the last checkpoint.
  std::function<void(const SlotRecord& record)> checkpoint;
  double checkpoint_seconds = std::numeric_limits<double>::infinity();
};

// True when every part of the slot and its network have two best round medians within `percent`
// (round_medians_agree).
bool slot_rounds_agree(const Slot& slot, const SlotRecord& record, double percent);

// Times every slot of `schedule` in plan's rounds with `timer`. A network's measurement of a round
// is measurement_of_runs of its runs.
// A stop request (common/stop_request.hpp) ends it with a last checkpoint and common::Interrupted.
SlotRecord measure_slots_in_rounds(const SlotSchedule& schedule, const RoundPlan& plan, const SlotTimer& timer,
                                   const SlotRoundHooks& hooks);

}  // namespace uibnas::latency
