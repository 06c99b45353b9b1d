#include "latency/side_by_side.hpp"

#include <algorithm>
#include <chrono>

#include "common/error.hpp"

namespace uibnas::latency {

std::vector<std::vector<double>> time_side_by_side(const std::vector<SideBySideItem>& items, int warmup, int burst) {
  if (warmup < 0 || burst < 1) throw common::InputError("side-by-side timing needs warmup >= 0 and burst >= 1");
  long long iterations = 0;
  for (const auto& item : items) {
    if (item.repeat < 1 || !item.run) throw common::InputError("side-by-side timing needs repeat >= 1 and something to run");
    iterations = std::max<long long>(iterations, (item.repeat + burst - 1) / burst);
  }
  auto run_untimed = [](const SideBySideItem& item) {
    if (item.prepare) item.prepare();
    item.run();
  };
  for (const auto& item : items)
    for (int w = 0; w < warmup; ++w) run_untimed(item);
  std::vector<std::vector<double>> ms(items.size());
  for (long long j = 0; j < iterations; ++j)
    for (size_t i = 0; i < items.size(); ++i) {
      const SideBySideItem& item = items[i];
      const long long turns = (item.repeat + burst - 1) / burst;
      if ((j + 1) * turns / iterations == j * turns / iterations) continue;
      run_untimed(item);
      const int timed = std::min<int>(burst, item.repeat - int(ms[i].size()));
      for (int r = 0; r < timed; ++r) {
        if (item.prepare) item.prepare();
        const auto t0 = std::chrono::steady_clock::now();
        item.run();
        ms[i].push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
        if (item.after_timed) item.after_timed();
      }
    }
  return ms;
}

}  // namespace uibnas::latency
