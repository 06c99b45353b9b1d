// Hand-edited inputs of `uibnas estimate` and `uibnas validate` that used to crash the binary or be
// accepted silently: each ends in exit status 2 and one `error:` line naming the file.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "../cli/run_binary.hpp"
#include "common/error.hpp"
#include "estimator/measured_file.hpp"
#include "latency/latency_table.hpp"
#include "tests/support/test_data.hpp"

using namespace uibnas;
namespace fs = std::filesystem;

namespace {

std::string temp(const std::string& name) { return uibnas::testing::unique_temp_path("limits_" + name); }

void check_one_error_line(const BinaryResult& r, const std::string& expected) {
  CHECK(r.status == 2);
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  CHECK_THAT(r.err, Catch::StartsWith("error: ") && Catch::Contains(expected));
}

// A one-entry table at 1 thread whose entry has `field` set to `value`.
void write_table(const std::string& path, const char* field, int value) {
  latency::LatencyTable t;
  t.hardware_name = "hand";
  t.hardware.peaks = {{1, 50.0, 10.0}};
  latency::BlockSignature s;
  s.kind = "cn";
  s.in_c = s.out_c = 16;
  s.kernel = 3;
  s.in_h = s.in_w = 8;
  t.entries[s.key()] = {s, {0.1, 0.1, 0.1, 0.1, 3}};
  nlohmann::json j = latency::table_to_json(t);
  j["entries"][0]["block"][field] = value;
  std::ofstream(path) << j.dump();
}

}  // namespace

TEST_CASE("estimate refuses a table entry with a zero stride or size instead of crashing", "[cli][errors]") {
  const std::string table = temp("zero.json");
  for (const char* field : {"stride", "in_c", "in_h"}) {
    write_table(table, field, 0);
    INFO(field);
    check_one_error_line(run_uibnas("estimate conv_small --table " + table),
                         table + ": /entries/0: signature 'cn in=");
  }
  fs::remove(table);
}

TEST_CASE("estimate refuses a table nested too deep or with a non-string schema", "[cli][errors]") {
  const std::string table = temp("deep.json");
  std::ofstream(table) << "{\"schema\": \"uibnas-latency-table\", \"protocol\": " << std::string(1000000, '[')
                       << std::string(1000000, ']') << "}";
  check_one_error_line(run_uibnas("estimate conv_small --table " + table), table + ": corrupt latency table: file nests deeper than 64 levels at /protocol");
  std::ofstream(table) << R"({"schema": 1, "version": 1})";
  check_one_error_line(run_uibnas("estimate conv_small --table " + table), table + ": not a uibnas latency table");
  fs::remove(table);
}

TEST_CASE("validate's measured.json refuses negative repeats and p90 below p10", "[validation][errors]") {
  const std::string path = temp("measured.json");
  const nlohmann::json latency = {{"median_ms", 1.0}, {"p10_ms", 0.9}, {"p90_ms", 1.2}, {"min_ms", 0.8}, {"repeats", 5}};
  auto write = [&](const nlohmann::json& l) {
    std::ofstream(path) << nlohmann::json{{"threads", 1},
                                          {"networks", {{{"name", "conv_small"}, {"resolution", 224}, {"latency", l}}}}}
                               .dump();
  };
  write(latency);
  CHECK(estimator::load_measured(path, 1).networks.at("conv_small@224").repeats == 5);
  nlohmann::json bad = latency;
  bad["repeats"] = -5;
  write(bad);
  CHECK_THROWS_WITH(estimator::load_measured(path, 1), Catch::StartsWith(path + ": inconsistent measurement"));
  bad = latency;
  bad["p90_ms"] = 0.5;
  write(bad);
  CHECK_THROWS_WITH(estimator::load_measured(path, 1), Catch::StartsWith(path + ": inconsistent measurement"));
  std::ofstream(path) << R"({"threads": 1, "networks": [{"name": "x", "resolution": 224, "latency": )"
                      << std::string(100, '[') << std::string(100, ']') << "}]}";
  CHECK_THROWS_WITH(estimator::load_measured(path, 1), Catch::Contains(path + ": a validation measurement file nests deeper than 64 levels"));
  // Found by fuzz_measured: a thread count beyond uint64 parses as a double, and get<int>() on it was undefined.
  std::ofstream(path) << R"({"threads": 92233720368547758072, "networks": []})";
  CHECK_THROWS_WITH(estimator::load_measured(path, 1), Catch::StartsWith(path + ": /threads: expected an integer"));
  std::ofstream(path) << R"({"threads": 1, "networks": [{"name": "x", "resolution": 2.5, "latency": {}}]})";
  CHECK_THROWS_WITH(estimator::load_measured(path, 1), Catch::StartsWith(path + ": /networks/resolution: expected an integer"));
  fs::remove(path);
}
