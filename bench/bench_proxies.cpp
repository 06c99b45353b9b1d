// Time of one training-free proxy score (search/proxy.hpp) of a model at one thread, median of runs.
// Scores on one thread reuse the memory of the previous one (as in a search); the process's very
// first score, which faults its pages in, is printed on its own.
// usage: bench_proxies [MODEL] [RUNS] [BATCH] [RESOLUTION]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "arch_defs/catalogue.hpp"
#include "common/statistics.hpp"
#include "search/proxy.hpp"

int main(int argc, char** argv) {
  using namespace uibnas;
  const std::string model = argc > 1 ? argv[1] : "mobilenetv4_conv_medium";
  const int runs = argc > 2 ? std::atoi(argv[2]) : 9;
  search::ProxySettings settings;
  if (argc > 3) settings.batch = std::atoi(argv[3]);
  if (argc > 4) settings.resolution = std::atoi(argv[4]);
  const arch_defs::Architecture arch = arch_defs::resolve_architecture(model);
  const auto cold_start = std::chrono::steady_clock::now();
  search::proxy_score(search::proxy_kinds().front(), arch, settings);
  std::printf("first score of the process (%s): %.1f ms\n", search::proxy_name(search::proxy_kinds().front()),
              std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - cold_start).count());
  for (search::ProxyKind kind : search::proxy_kinds()) {
    std::vector<double> ms;
    for (int r = 0; r < runs; ++r) {
      settings.seed = std::uint64_t(r);
      const auto t0 = std::chrono::steady_clock::now();
      search::proxy_score(kind, arch, settings);
      ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
    std::printf("%-8s %s batch %d, %d px: median %.1f ms, min %.1f ms (%d runs)\n", search::proxy_name(kind),
                model.c_str(), settings.batch, settings.resolution, common::median(ms), common::minimum(ms), runs);
  }
}
