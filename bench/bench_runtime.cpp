// Whole-network runtime profile: per-kind time (pointwise, depthwise, dense conv, attention, other)
// and GMAC/s from the per-step timings of CompiledModel::run, medians over runs, plus the end-to-end
// latency for each thread count, measured alternately so that load from other processes hits every
// configuration alike. Random weights (numerics are the tests' business).
//
//   bench_runtime MODEL [--threads 1,2] [--runs 30] [--res N] [--steps K]
//
// --steps K also lists the K slowest steps of the first thread count.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "arch_defs/catalogue.hpp"
#include "common/statistics.hpp"
#include "runtime/compiled_model.hpp"

using namespace uibnas;

namespace {

// Per-step statistic: the median, or with UIBNAS_BENCH_MIN=1 the minimum (robust to preemption by
// other processes on a shared machine).
double step_stat(std::vector<double> v) {
  static const bool use_min = std::getenv("UIBNAS_BENCH_MIN") && std::string(std::getenv("UIBNAS_BENCH_MIN")) == "1";
  return use_min ? *std::min_element(v.begin(), v.end()) : common::median(std::move(v));
}

const char* kind_group(arch_defs::OpKind k) {
  switch (k) {
    case arch_defs::OpKind::PointwiseConv:
    case arch_defs::OpKind::Linear: return "pointwise";
    case arch_defs::OpKind::DepthwiseConv:
    case arch_defs::OpKind::BlurPool: return "depthwise";
    case arch_defs::OpKind::Conv: return "dense conv";
    case arch_defs::OpKind::Attention: return "attention";
    default: return "other";
  }
}

double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_utime.tv_sec + u.ru_stime.tv_sec + 1e-6 * (u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_runtime MODEL [--threads 1,2] [--runs 30] [--res N] [--steps K]\n");
    return 2;
  }
  std::string model = argv[1];
  std::vector<int> threads{1, 2};
  int runs = 30, res = 0, top = 0;
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--threads") {
      threads.clear();
      for (const char* p = argv[i + 1]; *p;) {
        threads.push_back(std::atoi(p));
        while (*p && *p != ',') ++p;
        if (*p) ++p;
      }
    } else if (a == "--runs") {
      runs = std::atoi(argv[i + 1]);
    } else if (a == "--res") {
      res = std::atoi(argv[i + 1]);
    } else if (a == "--steps") {
      top = std::atoi(argv[i + 1]);
    }
  }
  const arch_defs::Architecture arch = arch_defs::resolve_architecture(model);
  if (res == 0) res = arch.input_size;
  const arch_defs::Network net = arch_defs::build_network(arch);
  const runtime::OperatorGraph graph(arch_defs::lower_network(net, res));
  std::vector<std::unique_ptr<runtime::CompiledModel>> models;
  {
    const runtime::ParameterMap params = runtime::random_parameters(graph.ops(), 7);
    for (int t : threads) models.push_back(std::make_unique<runtime::CompiledModel>(graph, params, t));
  }
  std::vector<float> input(size_t(net.in_channels) * res * res), logits(size_t(net.num_classes));
  std::mt19937 rng(3);
  std::normal_distribution<float> normal;
  for (float& v : input) v = normal(rng);

  const size_t nm = models.size();
  std::vector<std::vector<double>> total(nm), cpu(nm);
  std::vector<std::vector<std::vector<double>>> per_step(nm);
  for (auto& m : models)
    for (int w = 0; w < 5; ++w) m->run(input.data(), logits.data());
  for (int r = 0; r < runs; ++r) {
    for (size_t i = 0; i < nm; ++i) {  // end-to-end without the profiling hooks
      const double c0 = cpu_seconds();
      const auto t0 = std::chrono::steady_clock::now();
      models[i]->run(input.data(), logits.data());
      total[i].push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
      cpu[i].push_back((cpu_seconds() - c0) * 1e3);
    }
    for (size_t i = 0; i < nm; ++i) {
      std::vector<double> ms;
      models[i]->run(input.data(), logits.data(), nullptr, &ms);
      per_step[i].push_back(std::move(ms));
    }
  }

  std::printf("%s @ %d, %d alternating runs, medians\n", arch.name.c_str(), res, runs);
  const char* groups[] = {"pointwise", "depthwise", "dense conv", "attention", "other"};
  std::vector<std::vector<double>> step_stats(nm);
  for (size_t i = 0; i < nm; ++i) {
    const auto& steps = models[i]->steps();
    std::map<std::string, double> ms, macs;
    std::vector<double> step_med(steps.size());
    double sum = 0;
    for (size_t s = 0; s < steps.size(); ++s) {
      std::vector<double> v;
      for (const auto& run : per_step[i]) v.push_back(run[s]);
      step_med[s] = step_stat(v);
      ms[kind_group(steps[s].kind)] += step_med[s];
      macs[kind_group(steps[s].kind)] += double(steps[s].macs);
      sum += step_med[s];
    }
    step_stats[i] = step_med;
    // Runs that had every thread on a CPU throughout (process CPU time >= 95% of threads x wall):
    // on a shared machine the others were preempted by someone else's work.
    std::vector<double> clean;
    for (size_t r = 0; r < total[i].size(); ++r)
      if (cpu[i][r] >= 0.95 * threads[i] * total[i][r]) clean.push_back(total[i][r]);
    std::printf("threads %d: end-to-end %.3f ms (min %.3f), cpu %.3f ms/run; sum of per-step stats %.3f ms; "
                "unpreempted runs %zu/%zu median %.3f ms\n",
                threads[i], common::median(total[i]), *std::min_element(total[i].begin(), total[i].end()), common::median(cpu[i]), sum,
                clean.size(), total[i].size(), clean.empty() ? 0.0 : common::median(clean));
    for (const char* g : groups)
      if (ms.count(g))
        std::printf("  %-10s %8.3f ms %6.1f%%  %7.1f MMAC  %6.1f GMAC/s\n", g, ms[g], 100 * ms[g] / sum, macs[g] * 1e-6,
                    ms[g] > 0 ? macs[g] / (ms[g] * 1e-3) * 1e-9 : 0.0);
    if (i == 0 && top > 0 && nm == 1) {
      std::vector<size_t> order(steps.size());
      for (size_t s = 0; s < order.size(); ++s) order[s] = s;
      std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return step_med[a] > step_med[b]; });
      for (int j = 0; j < top && j < int(order.size()); ++j) {
        const auto& st = steps[order[j]];
        std::printf("    %-32s %-10s %7.3f ms %7.1f MMAC %6.1f GMAC/s\n", st.name.c_str(), kind_group(st.kind),
                    step_med[order[j]], st.macs * 1e-6, st.macs / (step_med[order[j]] * 1e-3) * 1e-9);
      }
    }
  }
  if (nm == 2 && top > 0) {  // the slowest steps of the first configuration next to the second
    const auto& steps = models[0]->steps();
    std::vector<size_t> order(steps.size());
    for (size_t s = 0; s < order.size(); ++s) order[s] = s;
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return step_stats[0][a] > step_stats[0][b]; });
    std::printf("    %-32s %-10s %9s %9s %6s\n", "step", "kind", "ms", "ms", "ratio");
    for (int j = 0; j < top && j < int(order.size()); ++j) {
      const size_t s = order[j];
      std::printf("    %-32s %-10s %9.3f %9.3f %6.2f\n", steps[s].name.c_str(), kind_group(steps[s].kind), step_stats[0][s],
                  step_stats[1][s], step_stats[0][s] / std::max(1e-9, step_stats[1][s]));
    }
  }
  if (nm == 2)
    std::printf("speedup threads %d vs %d: %.2fx (median of per-run ratios)\n", threads[1], threads[0], [&] {
      std::vector<double> r;
      for (int k = 0; k < runs; ++k) r.push_back(total[0][k] / total[1][k]);
      return common::median(r);
    }());
  return 0;
}
