// Timing one slot: network parts, and at most one whole network, compiled once each and timed side by
// side (side_by_side.hpp), with the cache state each expects. Both `uibnas profile` and `uibnas
// validate` time every slot this way (slot_rounds.hpp runs slots in rounds).
#pragma once
#include <string>
#include <vector>

#include "arch_defs/architecture.hpp"
#include "latency/latency_table.hpp"

namespace uibnas::latency {

struct ProfileTarget {
  arch_defs::Architecture arch;
  int resolution = 0;
};

// Timed runs per turn when a slot is timed side by side: a turn costs one untimed lead-in run, and
// with five, one iteration of a conv_medium slot (a turn of each part and of the network) still
// takes well under a second, shorter than the machine's changes of speed.
constexpr int kSideBySideBurst = 5;

// Inside a network, a part's input was just written by its producer (hot) while its weights were last
// used one inference ago (evicted from L2 by everything in between). Touching a buffer of twice the L2
// size (at least 1 MiB of L2 where the fingerprint lacks it) before every timed run of a part
// reproduces that state: these are the bytes touched.
long long l2_eviction_bytes(const HardwareInfo& hardware);

// How a slot is timed: parts with the table's cache state (weights evicted from L2, input hot, the
// runtime's helper threads awake as between a network's steps) and
// `part_repeat` runs each; the network as `uibnas run` runs it, `network_repeat` runs.
struct SlotProtocol {
  int threads = 1;
  int warmup = 3;
  int part_repeat = 20;
  int network_repeat = 20;
  long long evict_bytes = 0;  // the buffer touched before each part's run (l2_eviction_bytes)
  int burst = kSideBySideBurst;  // timed runs per turn (side_by_side.hpp)
  // Also time the network with per-step timing (a barrier after every step, as `uibnas run --profile`),
  // `network_repeat` runs side by side with the rest: where inside the network its time goes.
  bool stepped_network = false;
};

struct SlotTiming {
  std::vector<Measurement> parts;    // one per part, in order
  std::vector<double> network_runs;  // ms per timed run; empty without a network
  // With stepped_network: the wall ms of each stepped run, each run's per-step ms, and per step the
  // network part it belongs to (0 the stem, 1 + i block i, blocks + 1 the head) or -1 (the input's
  // layout change, outside every part).
  std::vector<double> stepped_runs;
  std::vector<std::vector<double>> step_ms;
  std::vector<int> step_part;
};

// Times parts and (when not null) a network side by side (side_by_side.hpp): compiled once each, then
// they take turns of p.burst timed runs, each turn led in by an untimed run of the same thing, so that
// all of them see the same seconds of the machine and every timed run finds the caches as its own
// earlier run left them, as in a long run of repeats (the network: as `uibnas run` leaves them).
SlotTiming time_slot(const std::vector<BlockSignature>& parts, const ProfileTarget* network, const SlotProtocol& p);

// How a table times a part alone (its protocol's warm-up and repeats, and the L2 eviction), read from
// the table; throws InputError naming `source` without them.
struct PartProtocol {
  int warmup = 3, repeat = 20;
  long long evict_bytes = 0;
};
PartProtocol part_protocol(const LatencyTable& table, const std::string& source);

}  // namespace uibnas::latency
