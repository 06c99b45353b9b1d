// profile --space times calibration candidates of the space end to end (so a table of a space alone
// fits its overhead), and gap takes networks apart into components that add up to their time.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "../search/search_test_support.hpp"
#include "common/json_file.hpp"
#include "latency/latency_table.hpp"
#include "latency/space_signatures.hpp"
#include "searchspace/search_space.hpp"
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

TEST_CASE("profile takes several spaces: their parts together, calibration candidates of each", "[cli][profile]") {
  const std::string dir = uibnas::testing::unique_temp_path("profile_spaces");
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string a = search_test::tiny_space_file();
  // The same space at a resolution the first lacks: none of its signatures is among the first's.
  std::string text = search_test::kTinySpace;
  text.replace(text.find("\"id\": \"tiny\""), 12, "\"id\": \"tiny-b\"");
  text.replace(text.find("[96, 128, 160, 192, 224]"), 24, "[256]");
  const std::string b = dir + "/tiny-b.json";
  std::ofstream(b) << text;
  const size_t parts_a = uibnas::latency::space_signatures(uibnas::searchspace::load_search_space(a), 1).size();
  const size_t parts_b = uibnas::latency::space_signatures(uibnas::searchspace::load_search_space(b), 1).size();
  REQUIRE(parts_b > 0);
  // `space info` tells a user the count before any profiling.
  CHECK(run_uibnas("space info " + a).out.find("parts        " + std::to_string(parts_a) + " distinct signatures") !=
        std::string::npos);

  const std::string common = " --hardware test --space " + a + " --space " + b +
                             " --repeat 1 --rounds 1 --settle 0 --warmup 0 --calibration 1 --no-progress";
  REQUIRE(run_uibnas("profile" + common + " --out " + dir + "/both.json").status == 0);
  const auto both = uibnas::latency::load_table(dir + "/both.json");
  CHECK(both.entries.size() == parts_a + parts_b);
  REQUIRE(both.end_to_end.size() == 2);
  CHECK(both.end_to_end[0].model.rfind("tiny:", 0) == 0);
  CHECK(both.end_to_end[1].model.rfind("tiny-b:", 0) == 0);

  // The limit holds for the spaces together, though each alone is within it.
  const auto over = run_uibnas("profile" + common + " --max-signatures " + std::to_string(std::max(parts_a, parts_b)) +
                               " --out " + dir + "/over.json");
  CHECK(over.status == 2);
  CHECK(over.err.find("the 2 spaces yield " + std::to_string(parts_a + parts_b)) != std::string::npos);
  CHECK_FALSE(fs::exists(dir + "/over.json"));
  fs::remove_all(dir);
}
