// A one-line progress bar with ETA on stderr, redrawn at most a few times a second.
#pragma once
#include <chrono>
#include <string>

namespace uibnas::latency {

class ProgressBar {
 public:
  // `total_work` in any unit (the profiler uses estimated cost); `enabled` false prints nothing.
  ProgressBar(std::string label, double total_work, bool enabled);
  void advance(double work, const std::string& item);
  void finish();

 private:
  void draw(bool force);
  std::string label_, item_;
  double total_, done_ = 0;
  int items_ = 0;
  bool enabled_;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

std::string format_duration(double seconds);  // "3m07s", "42s"

}  // namespace uibnas::latency
