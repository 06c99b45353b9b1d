// Hand-edited latency tables that used to crash or be misread: zero sizes, mistyped or wrapping
// header fields, numbers out of range. Each is refused with the table's path and where.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include "common/error.hpp"
#include "latency/latency_table.hpp"
#include "tests/support/test_data.hpp"

using namespace uibnas;
using namespace uibnas::latency;
namespace fs = std::filesystem;

namespace {

BlockSignature uir_signature() {
  BlockSignature s;
  s.kind = "uir";
  s.in_c = s.out_c = 32;
  s.mid_c = 128;
  s.kernel = 3;
  s.stride = 2;
  s.in_h = s.in_w = 14;
  return s;
}

nlohmann::json good_table() {
  LatencyTable t;
  t.hardware_name = "box";
  t.hardware.cpu_model = "Test CPU";
  t.hardware.peaks = {{1, 50.0, 10.0}};
  t.build = current_build();
  t.protocol = {{"repeats", 5}};
  const BlockSignature s = uir_signature();
  t.entries[s.key()] = {s, {0.5, 0.45, 0.6, 0.4, 20}};
  return table_to_json(t);
}

// Writes `text` as a table file and returns the message load_table throws (empty when it loads).
std::string load_error(const std::string& text) {
  const std::string p = uibnas::testing::unique_temp_path("limits_table.json");
  std::ofstream(p) << text;
  std::string message;
  try {
    load_table(p);
  } catch (const common::InputError& e) {
    message = e.what();
  }
  fs::remove(p);
  return message;
}

std::string table_path() { return uibnas::testing::unique_temp_path("limits_table.json"); }

}  // namespace

TEST_CASE("a table entry with a zero or negative size is refused naming the entry", "[table][errors]") {
  REQUIRE(load_error(good_table().dump()).empty());
  for (const char* field : {"stride", "in_c", "out_c", "in_h", "in_w", "kv_stride", "threads"}) {
    nlohmann::json j = good_table();
    j["entries"][0]["block"][field] = 0;
    INFO(field);
    CHECK_THAT(load_error(j.dump()), Catch::StartsWith(table_path() + ": /entries/0: signature '") &&
                                         Catch::EndsWith(std::string("': ") + field + " is 0, must be at least 1"));
  }
  nlohmann::json j = good_table();
  j["entries"][0]["block"]["kernel"] = -3;
  CHECK_THAT(load_error(j.dump()), Catch::Contains("/entries/0: signature 'uir in=32 out=32 mid=128 ") &&
                                       Catch::EndsWith("kernel is -3, must be at least 0"));
  j = good_table();
  j["entries"][0]["block"]["kind"] = "cn";
  j["entries"][0]["block"]["kernel"] = 0;
  CHECK_THAT(load_error(j.dump()), Catch::EndsWith("kernel is 0, must be at least 1"));
}

TEST_CASE("a table header of the wrong type or out of range is an input error", "[table][errors]") {
  nlohmann::json j = good_table();
  j["schema"] = 7;
  CHECK(load_error(j.dump()) == table_path() + ": not a uibnas latency table (\"schema\" is not \"uibnas-latency-table\")");
  j = good_table();
  j["version"] = 4294967297ULL;  // 2^32 + 1: read as an int it would be 1
  CHECK(load_error(j.dump()) == table_path() + ": /version: table version 4294967297 is not supported by this uibnas "
                                               "(it reads version 1)");
  j = good_table();
  j["version"] = 1.0;
  CHECK(load_error(j.dump()) == table_path() + ": /version: missing or not an integer");
  j = good_table();
  j["entries"][0]["latency"]["p10_ms"] = 12345.5;
  std::string text = j.dump();
  text.replace(text.find("12345.5"), 7, "1e400");
  CHECK(load_error(text) == table_path() + ": /entries/0/latency/p10_ms: number out of range (it does not fit a double)");
}

TEST_CASE("a measurement's repeats are a whole number from 1 and its statistics ordered", "[table][errors]") {
  const nlohmann::json good = {{"median_ms", 1.0}, {"p10_ms", 0.9}, {"p90_ms", 1.2}, {"min_ms", 0.8}, {"repeats", 7}};
  CHECK(measurement_from_json(good).repeats == 7);
  for (const nlohmann::json& repeats : {nlohmann::json(-3), nlohmann::json(0), nlohmann::json(4294967297ULL),
                                        nlohmann::json(-4294967295LL), nlohmann::json(2.5)}) {
    nlohmann::json m = good;
    m["repeats"] = repeats;
    INFO(m.dump());
    CHECK_THROWS_AS(measurement_from_json(m), std::invalid_argument);
  }
  nlohmann::json m = good;
  m["p90_ms"] = 0.5;  // below p10
  CHECK_THROWS_AS(measurement_from_json(m), std::invalid_argument);
  m = good;
  m["min_ms"] = -0.1;
  CHECK_THROWS_AS(measurement_from_json(m), std::invalid_argument);
}
