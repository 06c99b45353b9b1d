#include "latency/progress.hpp"

#include <algorithm>
#include <cstdio>

namespace uibnas::latency {

std::string format_duration(double seconds) {
  const long s = long(seconds + 0.5);
  char buf[32];
  if (s >= 3600) std::snprintf(buf, sizeof buf, "%ldh%02ldm", s / 3600, (s / 60) % 60);
  else if (s >= 60) std::snprintf(buf, sizeof buf, "%ldm%02lds", s / 60, s % 60);
  else std::snprintf(buf, sizeof buf, "%lds", s);
  return buf;
}

ProgressBar::ProgressBar(std::string label, double total_work, bool enabled)
    : label_(std::move(label)), total_(std::max(total_work, 1e-9)), enabled_(enabled),
      start_(std::chrono::steady_clock::now()), last_draw_(start_) {}

void ProgressBar::advance(double work, const std::string& item) {
  done_ += work;
  ++items_;
  item_ = item;
  draw(false);
}

void ProgressBar::finish() {
  draw(true);
  if (enabled_) std::fprintf(stderr, "\n");
}

void ProgressBar::draw(bool force) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (!force && now - last_draw_ < std::chrono::milliseconds(200)) return;
  last_draw_ = now;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double frac = std::clamp(done_ / total_, 0.0, 1.0);
  const int width = 30, filled = int(frac * width);
  std::string bar(filled, '=');
  if (filled < width) bar += '>' + std::string(width - filled - 1, ' ');
  const std::string eta = frac > 0.001 ? format_duration(elapsed / frac * (1 - frac)) : "?";
  std::string item = item_.size() > 48 ? item_.substr(0, 45) + "..." : item_;
  std::fprintf(stderr, "\r%s [%s] %3.0f%% %d done, %s elapsed, ETA %s  %-48s", label_.c_str(), bar.c_str(), 100 * frac,
               items_, format_duration(elapsed).c_str(), eta.c_str(), item.c_str());
  std::fflush(stderr);
}

}  // namespace uibnas::latency
