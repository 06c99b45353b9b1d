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
