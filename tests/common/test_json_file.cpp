// The one JSON reader: nesting-depth limit, out-of-range numbers and parse errors, each naming the file.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include "common/error.hpp"
#include "common/json_file.hpp"
#include "tests/support/test_data.hpp"

using namespace uibnas;
namespace fs = std::filesystem;

namespace {

std::string write_temp(const std::string& name, const std::string& text) {
  const std::string p = uibnas::testing::unique_temp_path("json_" + name);
  std::ofstream(p, std::ios::binary) << text;
  return p;
}

std::string nested_arrays(int levels) { return std::string(levels, '[') + std::string(levels, ']'); }

std::string repeated(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

}  // namespace

TEST_CASE("JSON files nest at most 64 levels, the error names the file and where", "[json]") {
  REQUIRE(common::kMaxJsonDepth == 64);
  const std::string ok = write_temp("ok.json", "{\"a\": " + nested_arrays(63) + "}");  // 1 + 63 levels
  CHECK(common::read_json_file(ok, "a test file")["a"].dump() == nested_arrays(63));

  const std::string deep = write_temp("deep.json", "{\"x\": [1, 2], \"a\": " + nested_arrays(1000000) + "}");
  CHECK_THROWS_MATCHES(common::read_json_file(deep, "a test file"), common::InputError,
                       Catch::Message(deep + ": a test file nests deeper than 64 levels at /a" + repeated("/0", 63)));
  CHECK_THROWS_MATCHES(common::parse_json_text(nested_arrays(65), "--arg", "a list"), common::InputError,
                       Catch::Message("--arg: a list nests deeper than 64 levels at " + repeated("/0", 64)));
  fs::remove(ok);
  fs::remove(deep);
}

TEST_CASE("numbers that overflow a double are refused with their JSON path", "[json]") {
  const std::string p = write_temp("inf.json", R"({"a": [1.5, {"b": 2, "c": -1e400}]})");
  CHECK_THROWS_MATCHES(common::read_json_file(p, "a test file"), common::InputError,
                       Catch::Message(p + ": /a/1/c: number out of range (it does not fit a double)"));
  CHECK(common::parse_json_text("[1e300, -2.5e-320]", "text", "t")[0].get<double>() == 1e300);
  fs::remove(p);
}

TEST_CASE("unreadable and malformed JSON files name the file", "[json]") {
  const std::string p = write_temp("bad.json", "{\"a\": [1, }");
  CHECK_THROWS_WITH(common::read_json_file(p, "a test file"), Catch::StartsWith(p + ": a test file is not valid JSON ("));
  fs::remove(p);
  CHECK_THROWS_WITH(common::read_json_file(p, "a test file"), p + ": cannot open file");
}

TEST_CASE("json_int takes integers in int's range only", "[json]") {
  using uibnas::common::json_int;
  CHECK(json_int(nlohmann::json(7), "x") == 7);
  CHECK(json_int(nlohmann::json(-2147483648LL), "x") == -2147483648LL);
  CHECK(json_int(nlohmann::json(3.0), "x") == 3);
  for (const nlohmann::json& bad : {nlohmann::json(2147483648LL), nlohmann::json(18446744073709551615ULL),
                                    nlohmann::json(9.2e19), nlohmann::json(2.5), nlohmann::json("7"), nlohmann::json()})
    CHECK_THROWS_WITH(json_int(bad, "f.json: /n"), Catch::StartsWith("f.json: /n: expected an integer"));
}
