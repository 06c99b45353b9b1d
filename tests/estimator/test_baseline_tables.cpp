// The baselines (MobileNet-V1/V2/V3, EfficientNet-B0) in latency tables: profiled part by part and end
// to end, estimated from their own table, and from a table that lacks them (roofline, --allow-missing).
#include <catch2/catch.hpp>

#include <filesystem>
#include <set>

#include <nlohmann/json.hpp>

#include "../cli/run_binary.hpp"
#include "arch_defs/catalogue.hpp"
#include "latency/latency_table.hpp"
#include "tests/support/test_data.hpp"

using namespace uibnas;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> part_keys(const std::string& model) {
  const arch_defs::Architecture a = arch_defs::resolve_architecture(model);
  std::vector<std::string> keys;
  for (const auto& p : latency::network_parts(arch_defs::build_network(a), a.input_size, 1)) keys.push_back(p.signature.key());
  return keys;
}

}  // namespace

TEST_CASE("a baseline profiles into its parts and an end-to-end run, and estimates from that table", "[cli][profile]") {
  const std::string table = uibnas::testing::unique_temp_path("mnv3_small_table.json");
  fs::remove(table);
  const BinaryResult r = run_uibnas("profile --hardware testbox --models mobilenetv3_small_100 --repeat 2 --warmup 0 "
                                    "--rounds 1 --settle 0 --no-progress --out " + table);
  INFO(r.err);
  REQUIRE(r.status == 0);
  const latency::LatencyTable t = latency::load_table(table);

  const std::vector<std::string> keys = part_keys("mobilenetv3_small_100");
  REQUIRE(keys.size() == 14);  // stem, 12 blocks (stages of 1 + 2 + 3 + 2 + 3 and the final cn), head
  const std::set<std::string> distinct(keys.begin(), keys.end());
  CHECK(t.entries.size() == distinct.size());
  double parts_ms = 0;
  for (const std::string& k : keys) {
    INFO(k);
    REQUIRE(t.find(k));
    CHECK(t.find(k)->latency.median_ms > 0);
    parts_ms += t.find(k)->latency.median_ms;
  }
  REQUIRE(t.end_to_end.size() == 1);
  CHECK(t.end_to_end[0].model == "mobilenetv3_small_100");
  CHECK(t.end_to_end[0].resolution == 224);
  CHECK(t.end_to_end[0].parts == keys);
  CHECK(t.end_to_end[0].latency.median_ms > 0);

  const BinaryResult e = run_uibnas("estimate mobilenetv3_small_100 --table " + table + " --json");
  INFO(e.err);
  REQUIRE(e.status == 0);
  const auto j = nlohmann::json::parse(e.out);
  CHECK(j["missing_parts"].get<int>() == 0);
  REQUIRE(j["parts"].size() == keys.size());
  for (const auto& p : j["parts"]) CHECK_FALSE(p["from_roofline"].get<bool>());
  CHECK(j["lut_parts_ms"].get<double>() == Approx(parts_ms).epsilon(1e-9));
  fs::remove(table);
}

TEST_CASE("a baseline estimates from a table without its parts: roofline, and --allow-missing", "[cli]") {
  // The shipped 1-thread table without any of mobilenetv3_large_100's parts (its MNv4 entries stay).
  latency::LatencyTable shipped = latency::load_table(std::string(UIBNAS_SOURCE_DIR) + "/latency/tables/xeon-vm-2vcpu-t1.json");
  for (const std::string& k : part_keys("mobilenetv3_large_100")) shipped.entries.erase(k);
  shipped.end_to_end.clear();
  const std::string table = uibnas::testing::unique_temp_path("without_mnv3_large.json");
  latency::save_table(shipped, table);

  const BinaryResult refused = run_uibnas("estimate mobilenetv3_large_100 --table " + table + " --json");
  CHECK(refused.status == 2);
  CHECK(refused.err.find("--allow-missing") != std::string::npos);

  const BinaryResult filled = run_uibnas("estimate mobilenetv3_large_100 --table " + table + " --allow-missing --json");
  INFO(filled.err);
  REQUIRE(filled.status == 0);
  const auto j = nlohmann::json::parse(filled.out);
  CHECK(j["missing_parts"].get<size_t>() == part_keys("mobilenetv3_large_100").size());
  for (const auto& p : j["parts"]) CHECK(p["from_roofline"].get<bool>());
  CHECK(j["lut_ms"].get<double>() > 0);
  // MACs as baselines-spec.md §3 publishes them for 224 px.
  CHECK(j["macs"].get<double>() == 216589760.0);

  const BinaryResult roofline =
      run_uibnas("estimate mobilenetv3_large_100 --table " + table + " --estimator roofline --json");
  INFO(roofline.err);
  REQUIRE(roofline.status == 0);
  const auto jr = nlohmann::json::parse(roofline.out);
  CHECK(jr["roofline_ms"].get<double>() > 0);
  CHECK(jr["macs"].get<double>() == 216589760.0);
  fs::remove(table);
}
