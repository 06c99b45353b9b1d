// profile --space times calibration candidates of the space end to end (so a table of a space alone
// fits its overhead), and gap takes networks apart into components that add up to their time.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>

#include "../search/search_test_support.hpp"
#include "common/json_file.hpp"
#include "latency/latency_table.hpp"
#include "run_binary.hpp"
#include "tests/support/test_data.hpp"

namespace fs = std::filesystem;

TEST_CASE("profile --space times C calibration candidates of the space end to end", "[cli][profile][gap]") {
  const std::string dir = uibnas::testing::unique_temp_path("profile_calibration");
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string space = search_test::tiny_space_file();
  const std::string common = " --hardware test --space " + space + " --repeat 2 --rounds 1 --settle 0 --warmup 1 --no-progress";
  REQUIRE(run_uibnas("profile" + common + " --calibration 3 --out " + dir + "/three.json").status == 0);
  const auto three = uibnas::latency::load_table(dir + "/three.json");
  REQUIRE(three.end_to_end.size() == 3);
  for (const auto& e : three.end_to_end) {
    CHECK(e.latency.median_ms > 0);
    CHECK(e.model.find(':') != std::string::npos);  // a candidate's encoding, "space:code"
  }
  // The same seed draws the same candidates; --calibration 0 draws none.
  REQUIRE(run_uibnas("profile" + common + " --calibration 3 --out " + dir + "/again.json").status == 0);
  const auto again = uibnas::latency::load_table(dir + "/again.json");
  REQUIRE(again.end_to_end.size() == 3);
  for (size_t i = 0; i < 3; ++i) CHECK(again.end_to_end[i].model == three.end_to_end[i].model);
  REQUIRE(run_uibnas("profile" + common + " --calibration 0 --out " + dir + "/none.json").status == 0);
  CHECK(uibnas::latency::load_table(dir + "/none.json").end_to_end.empty());
  const auto bad = run_uibnas("profile" + common + " --calibration -1 --out " + dir + "/bad.json");
  CHECK(bad.status == 2);
  CHECK(bad.err.find("--calibration") != std::string::npos);

  // gap on two candidates of the space, with the table's protocol.
  const auto r = run_uibnas("gap --table " + dir + "/three.json --space " + space +
                            " --samples 2 --rounds 2 --repeat 3 --json " + dir + "/gap.json");
  REQUIRE(r.status == 0);
  CHECK(r.out.find("fitted over 2 networks") != std::string::npos);
  const auto j = uibnas::common::read_json_file(dir + "/gap.json", "gap output");
  REQUIRE(j["networks"].size() == 2);
  for (const auto& n : j["networks"]) {
    const double sum = n["alone_ms"].get<double>() + n["in_context_ms"].get<double>() + n["outside_ms"].get<double>() +
                       n["step_timing_ms"].get<double>() + n["overlap_ms"].get<double>();
    CHECK(sum == Approx(n["network_ms"].get<double>()).epsilon(1e-9));
    CHECK(n["alone_ms"].get<double>() > 0);
    CHECK(n["outside_ms"].get<double>() > 0);  // the input's layout change runs outside every part
  }
  CHECK(run_uibnas("gap --table " + dir + "/three.json").status == 2);  // neither --space nor --models
  fs::remove_all(dir);
}
