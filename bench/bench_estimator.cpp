// Lookup-table estimator throughput on one thread. The target: at least 1,000,000 estimates per second,
// so that a search is never waiting on it. Four levels, from the search's hot path outwards:
//   prepared   estimate() on a candidate already resolved into entry indices (sum + overhead)
//   network    prepare() + estimate() from an expanded Network (shape walk, packed keys, hash lookups)
//   choices    a choice vector decoded, expanded by build_network, prepared and estimated
//   breakdown  TableEstimators::estimate (lowering, text keys, per-part roofline): what `uibnas estimate` does
// The table is made here: every part of the candidates gets a latency (values do not change the work),
// and the overhead is the cache+proportional form, the costliest to evaluate.
// Run from the repository root: build/bench/bench_estimator [-n CANDIDATES] [-s SECONDS] [SPACE.json]
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "estimator/table_estimators.hpp"
#include "searchspace/decode.hpp"
#include "searchspace/sampling.hpp"

using namespace uibnas;
using namespace uibnas::estimator;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// Runs `body(i)` over i = 0.. cycling through `n` items until `seconds` have passed; returns calls per second.
template <typename Body>
double rate(int n, double seconds, Body body) {
  long long calls = 0;
  const auto t0 = Clock::now();
  double elapsed = 0;
  do {
    for (int i = 0; i < n; ++i) body(i);
    calls += n;
    elapsed = seconds_since(t0);
  } while (elapsed < seconds);
  return double(calls) / elapsed;
}

volatile double g_sink = 0;

}  // namespace

int main(int argc, char** argv) {
  int n = 2000;
  double seconds = 1.0;
  std::string space_file = "searchspace/spaces/hybrid-l.json";
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "-n" && i + 1 < argc) n = std::max(1, std::atoi(argv[++i]));
    else if (a == "-s" && i + 1 < argc) seconds = std::atof(argv[++i]);
    else space_file = a;
  }
  const searchspace::SearchSpace sp = searchspace::load_search_space(space_file);
  searchspace::Rng rng(2024);
  std::vector<searchspace::Choices> choices;
  std::vector<arch_defs::Network> nets;
  std::vector<int> resolutions;
  latency::LatencyTable table;
  table.hardware_name = "bench";
  table.threads = 1;
  for (int i = 0; i < n; ++i) {
    choices.push_back(searchspace::sample(sp, rng));
    const arch_defs::Architecture a = searchspace::to_architecture(sp, choices.back());
    nets.push_back(arch_defs::build_network(a));
    resolutions.push_back(a.input_size);
    for (const auto& p : latency::network_parts(nets.back(), a.input_size, 1))
      if (!table.entries.count(p.signature.key())) {
        const double ms = 0.01 * double(table.entries.size() % 97 + 1);
        table.entries[p.signature.key()] = {p.signature, {ms, ms, ms, ms, 1}};
      }
  }
  TableEstimators est(table, "bench", {});
  LookupTableEstimator lut = est.lut();
  OverheadFit overhead;
  overhead.model = {"cache+proportional", 0.3, 0, 0.05, 0.15, 16, 90};
  lut.set_overhead(overhead);

  std::vector<PreparedCandidate> prepared(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) lut.prepare(nets[size_t(i)], resolutions[size_t(i)], prepared[size_t(i)]);
  double parts = 0;
  for (const auto& p : prepared) parts += double(p.entries.size());

  const double r_prepared = rate(n, seconds, [&](int i) { g_sink = g_sink + lut.estimate(prepared[size_t(i)]); });
  PreparedCandidate scratch;
  const double r_network = rate(n, seconds, [&](int i) {
    lut.prepare(nets[size_t(i)], resolutions[size_t(i)], scratch);
    g_sink = g_sink + lut.estimate(scratch);
  });
  std::vector<PackedSignature> walked;
  const double r_walk = rate(n, seconds, [&](int i) {
    packed_network_parts(nets[size_t(i)], resolutions[size_t(i)], 1, walked);
    g_sink = g_sink + double(walked.size());
  });
  const double r_choices = rate(n, seconds, [&](int i) {
    const arch_defs::Architecture a = searchspace::to_architecture(sp, choices[size_t(i)], "c");
    lut.prepare(arch_defs::build_network(a), a.input_size, scratch);
    g_sink = g_sink + lut.estimate(scratch);
  });
  const int n_slow = std::min(n, 200);
  const double r_breakdown = rate(n_slow, seconds, [&](int i) {
    g_sink = g_sink + est.estimate(nets[size_t(i)], resolutions[size_t(i)], "c").lut_ms;
  });

  std::printf("space %s: %d candidates, %.1f parts each on average, table of %d entries, 1 thread\n\n", sp.id().c_str(),
              n, parts / n, lut.size());
  std::printf("%-12s %16s %12s\n", "level", "estimates/s", "ns each");
  const struct {
    const char* name;
    double r;
  } rows[] = {{"prepared", r_prepared}, {"network", r_network}, {"walk only", r_walk}, {"choices", r_choices}, {"breakdown", r_breakdown}};
  for (const auto& row : rows) std::printf("%-12s %16.0f %12.1f\n", row.name, row.r, 1e9 / row.r);
  std::printf("\nprepared-candidate estimates: %.1f M/s (target >= 1 M/s: %s); from a Network: %.2f M/s\n",
              r_prepared / 1e6, r_prepared >= 1e6 ? "met" : "NOT met", r_network / 1e6);
  return r_prepared >= 1e6 ? 0 : 1;
}
