// Latency tables: parse, index every entry and fit the overhead (the estimator's constructor), then
// estimate a published network; the JSON written back reads as a table with the same keys.
#include "arch_defs/catalogue.hpp"
#include "arch_defs/network.hpp"
#include "common/json_file.hpp"
#include "estimator/lookup_table_estimator.hpp"
#include "fuzz/fuzz_support.hpp"
#include "latency/latency_table.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace uibnas;
  static const arch_defs::Network network = arch_defs::build_network(arch_defs::published_architectures().front());
  fuzz::refusals_are_fine([&] {
    const auto j = common::parse_json_text(fuzz::as_text(data, size), "fuzz.json", "a latency table");
    const latency::LatencyTable table = latency::table_from_json(j, "fuzz.json");
    const latency::LatencyTable again = latency::table_from_json(latency::table_to_json(table), "again");
    fuzz::expect(again.entries.size() == table.entries.size(), "table JSON round trip keeps every entry");
    const estimator::LookupTableEstimator estimator(table, estimator::Statistic::Median, "fuzz.json");
    estimator::PreparedCandidate candidate;
    estimator.prepare(network, network.default_resolution, candidate);
    estimator.estimate(candidate);
  });
  return 0;
}
