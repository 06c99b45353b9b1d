// Axis scales: a data interval mapped linearly (or logarithmically) onto a pixel interval, with
// "nice" tick values (1, 2, 5 x 10^k steps; on a log axis the decades and their 2s and 5s).
#pragma once
#include <string>
#include <vector>

namespace uibnas::reports {

struct Scale {
  double domain_lo = 0, domain_hi = 1;  // data values
  double range_lo = 0, range_hi = 1;    // pixels (range_hi < range_lo for a y axis)
  bool log = false;

  double map(double v) const;
  std::vector<double> ticks(int target = 6) const;
};

// A linear scale whose domain is widened to nice tick values around [lo, hi] (a point interval
// gets some room).
Scale linear_scale(double lo, double hi, double range_lo, double range_hi, int target_ticks = 6);
// A log10 scale over [lo, hi] (both > 0), widened by a few percent so no point sits on the frame.
Scale log_scale(double lo, double hi, double range_lo, double range_hi);

// Nice values covering [lo, hi] in about `target` steps of 1, 2 or 5 x 10^k.
std::vector<double> nice_ticks(double lo, double hi, int target);
// The decades within [lo, hi] when there are at least 3; else 1, 2, 5 x 10^k when there are at least
// 4; else every 1..9 x 10^k.
std::vector<double> log_ticks(double lo, double hi);

// A short label: "0.5", "12", "1.5k", "3.2M", "1.1G".
std::string tick_label(double v);

}  // namespace uibnas::reports
