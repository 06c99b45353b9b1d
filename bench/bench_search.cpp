// Search throughput. Two measurements:
//   evaluations  LUT latency + params + MACs of sampled candidates (distinct, so the cache does not
//                help), on one and two threads; target >= 100,000 candidates/s on one thread
//   evolution    50,000 evaluations of regularized evolution end to end (P 100, S 25, reward over
//                MACs:max and latency); target < 2 s
// The table is made here from the space's parts (values do not change the work).
// Run from the repository root: build/bench/bench_search [-n CANDIDATES] [SPACE.json]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "latency/space_signatures.hpp"
#include "search/search_run.hpp"

using namespace uibnas;
using namespace uibnas::search;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

latency::LatencyTable synthetic_table(const searchspace::SearchSpace& space) {
  latency::LatencyTable table;
  table.hardware_name = "bench";
  for (const auto& s : latency::space_signatures(space, 1)) {
    const double ms = 0.01 + 1e-8 * double(s.in_h * s.in_w) * double(s.in_c + s.out_c + s.mid_c);
    table.entries[s.key()] = {s, {ms, ms, ms, ms, 1}};
  }
  return table;
}

double evaluations_per_second(const SearchProblem& problem, const std::vector<searchspace::Choices>& batch, int threads) {
  Evaluator evaluator(problem, threads);
  const auto t0 = Clock::now();
  const size_t chunk = 1000;
  for (size_t i = 0; i < batch.size(); i += chunk) {
    const std::vector<searchspace::Choices> part(batch.begin() + long(i), batch.begin() + long(std::min(batch.size(), i + chunk)));
    evaluator.evaluate(part, 0);
  }
  return double(batch.size()) / seconds_since(t0);
}

}  // namespace

int main(int argc, char** argv) {
  int n = 20000;
  std::string space_file = "searchspace/spaces/conv-m.json";
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "-n" && i + 1 < argc) n = std::max(1, std::atoi(argv[++i]));
    else space_file = a;
  }
  const searchspace::SearchSpace space = searchspace::load_search_space(space_file);
  const latency::LatencyTable table = synthetic_table(space);
  const estimator::TableEstimators estimators(table, "bench", {});
  const ObjectiveContext context{&space, &estimators, LatencyModel::LookupTable, 0};
  const SearchProblem costs(space, {"latency", "params", "macs"}, {}, context, std::nullopt);

  searchspace::Rng rng(2024);
  std::vector<searchspace::Choices> batch;
  for (int i = 0; i < n; ++i) batch.push_back(searchspace::sample(space, rng));
  const double one = evaluations_per_second(costs, batch, 1), two = evaluations_per_second(costs, batch, 2);

  const SearchProblem rewarded(space, {"macs:max", "latency"}, {}, context, Reward{RewardKind::Abs, 5.0, -0.1});
  SearchRun run(rewarded, {{"evolution", 100, 25}, 50000, 1, 1});
  const auto t0 = Clock::now();
  run.run([](const GenerationReport&) { return true; });
  const double evolution_s = seconds_since(t0);

  std::printf("space %s, table of %zu entries, %d distinct sampled candidates\n\n", space.id().c_str(),
              table.entries.size(), n);
  std::printf("LUT latency + params + MACs: %10.0f candidates/s on 1 thread, %10.0f on 2 (target >= 100,000 on 1: %s)\n",
              one, two, one >= 1e5 ? "met" : "NOT met");
  std::printf("evolution, 50,000 evaluations: %.2f s end to end, %lld computed (the rest from the cache) (target < 2 s: %s)\n",
              evolution_s, run.computed(), evolution_s < 2 ? "met" : "NOT met");
  return 0;
}
