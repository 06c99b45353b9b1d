// Timing several things side by side. This VM's speed flips between states a few seconds apart
// (measured: conv_medium at one thread 17 or 26 ms from one run of ten to the next, its parts alike,
// while a register-only FMA loop does not notice), so a part timed in one burst of repeats and a
// network in the next can each land in another state. Side by side, the things take turns, a short
// burst of runs each: all of them sample the same seconds of the machine, and their medians (or
// minima) come from the same mix of its states.
#pragma once
#include <functional>
#include <vector>

namespace uibnas::latency {

struct SideBySideItem {
  int repeat = 1;                 // timed runs
  std::function<void()> prepare;  // untimed, before every run (e.g. the cache state the run expects)
  std::function<void()> run;      // the work
  std::function<void()> after_timed;  // untimed, after every timed run (e.g. keep what the run recorded)
};

// Every item's timed runs (ms), in order. First each item runs `warmup` times untimed. Then the
// items take turns, in their order, over as many iterations as the most turns any item needs: in
// a turn an item runs once untimed (the lead-in: each timed run follows a run of the same item, as
// in a long run of repeats, not another item's work) and then up to `burst` timed runs. An item's
// ceil(repeat / burst) turns are spread evenly over the iterations. Every run is preceded by prepare.
std::vector<std::vector<double>> time_side_by_side(const std::vector<SideBySideItem>& items, int warmup, int burst);

}  // namespace uibnas::latency
