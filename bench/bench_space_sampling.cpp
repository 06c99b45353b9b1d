// Sampling throughput: N candidates per space, each drawn, decoded to an architecture, expanded with
// build_network and costed (params + MACs at its resolution), on one thread. The target is 100,000
// candidates in under 2 s. For scale it also times the full lower_network on a few thousand.
// Run from the repository root: build/bench/bench_space_sampling [-n N] [SPACE.json ...]
// (default: every searchspace/spaces/*.json).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "arch_defs/operators.hpp"
#include "searchspace/decode.hpp"
#include "searchspace/sampling.hpp"

using namespace uibnas;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

struct Totals {
  double seconds = 0;
  double mean_params = 0, mean_macs = 0;
};

template <typename Cost>
Totals run(const searchspace::SearchSpace& sp, int n, Cost cost) {
  searchspace::Rng rng(2024);
  double params = 0, macs = 0;
  const auto t0 = Clock::now();
  for (int i = 0; i < n; ++i) {
    const arch_defs::Architecture arch = searchspace::to_architecture(sp, searchspace::sample(sp, rng), "candidate");
    const arch_defs::ParamsMacs pm = cost(arch_defs::build_network(arch), arch.input_size);
    params += double(pm.params);
    macs += double(pm.macs);
  }
  return {seconds_since(t0), params / n, macs / n};
}

}  // namespace

int main(int argc, char** argv) {
  int n = 100000;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "-n" && i + 1 < argc) n = std::max(1, std::atoi(argv[++i]));
    else files.push_back(a);
  }
  if (files.empty()) {
    for (const auto& e : std::filesystem::directory_iterator("searchspace/spaces"))
      if (e.path().extension() == ".json") files.push_back(e.path().string());
    std::sort(files.begin(), files.end());
  }
  const int n_full = std::min(n, 2000);
  std::printf("%-16s %10s %10s %11s %12s %14s %14s\n", "space", "samples", "seconds", "us/sample", "mean params",
              "mean MACs", "lower us/smp");
  double worst = 0;
  for (const auto& f : files) {
    const searchspace::SearchSpace sp = searchspace::load_search_space(f);
    const Totals fast = run(sp, n, [](const arch_defs::Network& net, int res) { return arch_defs::network_params_macs(net, res); });
    const Totals full = run(sp, n_full, [](const arch_defs::Network& net, int res) {
      const arch_defs::OperatorList ops = arch_defs::lower_network(net, res);
      return arch_defs::ParamsMacs{ops.total.params, ops.total.macs};
    });
    worst = std::max(worst, fast.seconds);
    std::printf("%-16s %10d %10.3f %11.2f %12.0f %14.0f %14.2f\n", sp.id().c_str(), n, fast.seconds,
                fast.seconds / n * 1e6, fast.mean_params, fast.mean_macs, full.seconds / n_full * 1e6);
  }
  std::printf("\nslowest space: %d candidates sampled and costed in %.3f s on one thread (target: 100000 in < 2 s)\n",
              n, worst);
  return 0;
}
