#include "reports/scale.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace uibnas::reports {

double Scale::map(double v) const {
  double t;
  if (log) {
    const double lo = std::log10(domain_lo), hi = std::log10(domain_hi);
    t = (std::log10(std::max(v, domain_lo * 1e-6)) - lo) / (hi - lo);
  } else {
    t = (v - domain_lo) / (domain_hi - domain_lo);
  }
  return range_lo + t * (range_hi - range_lo);
}

std::vector<double> Scale::ticks(int target) const {
  return log ? log_ticks(domain_lo, domain_hi) : nice_ticks(domain_lo, domain_hi, target);
}

namespace {

double nice_step(double span, int target) {
  const double raw = span / std::max(target, 1);
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0})
    if (raw <= m * magnitude) return m * magnitude;
  return 10 * magnitude;
}

}  // namespace

std::vector<double> nice_ticks(double lo, double hi, int target) {
  if (!(hi > lo)) return {lo};
  const double step = nice_step(hi - lo, target);
  std::vector<double> out;
  // Tick values are multiples of the step, rounded so that 0.1 * 3 prints as 0.3.
  for (double k = std::ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; k += 1) out.push_back(k * step);
  return out;
}

std::vector<double> log_ticks(double lo, double hi) {
  std::vector<double> decades, all;
  if (!(lo > 0) || !(hi > lo)) return {lo};
  for (int e = int(std::floor(std::log10(lo))); e <= int(std::ceil(std::log10(hi))); ++e)
    for (double m : {1.0, 2.0, 5.0}) {
      const double v = m * std::pow(10.0, e);
      if (v < lo * (1 - 1e-9) || v > hi * (1 + 1e-9)) continue;
      all.push_back(v);
      if (m == 1.0) decades.push_back(v);
    }
  if (decades.size() >= 3) return decades;
  if (all.size() >= 4) return all;
  std::vector<double> every;  // a narrow range: every integer multiple of its decade
  for (int e = int(std::floor(std::log10(lo))); e <= int(std::ceil(std::log10(hi))); ++e)
    for (int m = 1; m <= 9; ++m) {
      const double v = m * std::pow(10.0, e);
      if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) every.push_back(v);
    }
  return every.size() > all.size() ? every : all;
}

Scale linear_scale(double lo, double hi, double range_lo, double range_hi, int target_ticks) {
  if (!(hi > lo)) {
    const double pad = lo == 0 ? 1 : std::abs(lo) * 0.1;
    lo -= pad;
    hi += pad;
  }
  const double step = nice_step(hi - lo, target_ticks);
  return Scale{std::floor(lo / step) * step, std::ceil(hi / step) * step, range_lo, range_hi, false};
}

Scale log_scale(double lo, double hi, double range_lo, double range_hi) {
  if (!(lo > 0)) lo = hi > 0 ? hi / 10 : 1;
  if (!(hi > lo)) hi = lo * 10;
  const double pad = std::pow(hi / lo, 0.04);
  return Scale{lo / pad, hi * pad, range_lo, range_hi, true};
}

std::string tick_label(double v) {
  const double a = std::abs(v);
  char buf[32];
  const char* suffix = "";
  double shown = v;
  if (a >= 1e9) shown = v / 1e9, suffix = "G";
  else if (a >= 1e6) shown = v / 1e6, suffix = "M";
  else if (a >= 1e4) shown = v / 1e3, suffix = "k";
  std::snprintf(buf, sizeof buf, "%.3g%s", std::abs(shown) < 1e-12 ? 0.0 : shown, suffix);
  return buf;
}

}  // namespace uibnas::reports
