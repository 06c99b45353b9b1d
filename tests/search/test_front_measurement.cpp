// --measure-front: which front members are timed, how the error is computed and how the front files
// carry the measurements; and the whole option on the tiny space with a table this machine profiled.
#include <catch2/catch.hpp>

#include <filesystem>
#include <sstream>

#include "../cli/run_binary.hpp"
#include "common/json_file.hpp"
#include "search/front_measurement.hpp"
#include "search_test_support.hpp"

namespace fs = std::filesystem;
using namespace uibnas;
using namespace uibnas::search;

namespace {

Evaluation with_latency(double ms) {
  Evaluation e;
  e.metrics = {ms};
  e.minimised = {ms};
  return e;
}

std::string slurp_file(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::vector<std::string>> csv_rows(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> cells;
    std::stringstream ss(line);
    for (std::string cell; std::getline(ss, cell, ',');) cells.push_back(cell);
    if (!line.empty() && line.back() == ',') cells.push_back("");
    rows.push_back(cells);
  }
  return rows;
}

}  // namespace

TEST_CASE("estimate error is estimate over measured minus one, in percent", "[search][measure]") {
  CHECK(estimate_error_pct(1.1, 1.0) == Approx(10));
  CHECK(estimate_error_pct(0.9, 1.2) == Approx(-25));
  CHECK(estimate_error_pct(2.0, 2.0) == 0);
}

TEST_CASE("front members are chosen evenly along the front by latency", "[search][measure]") {
  const History history = {with_latency(5), with_latency(1), with_latency(3), with_latency(2), with_latency(4)};
  const std::vector<int> front = {0, 1, 2, 3, 4};  // by latency: 1, 3, 2, 4, 0
  CHECK(members_along_front(history, front, 0, 3) == std::vector<int>{1, 2, 0});
  CHECK(members_along_front(history, front, 0, 2) == std::vector<int>{1, 0});
  CHECK(members_along_front(history, front, 0, 1) == std::vector<int>{2});
  CHECK(members_along_front(history, front, 0, 5) == std::vector<int>{1, 3, 2, 4, 0});
  CHECK(members_along_front(history, front, 0, 9) == std::vector<int>{1, 3, 2, 4, 0});
  CHECK(members_along_front(history, {3, 4}, 0, 1) == std::vector<int>{3});
}

TEST_CASE("the front CSV gains measured_ms and estimate_error_pct, empty where not measured", "[search][measure]") {
  const std::string csv = "encoding,latency,blocks\ntiny:a,2,x y\ntiny:b,3,z\n";
  MeasuredMember b;
  b.encoding = "tiny:b";
  b.estimate_ms = 3;
  b.measured_ms = 2.5;
  CHECK(front_csv_with_measurements(csv, {b}) ==
        "encoding,latency,blocks,measured_ms,estimate_error_pct\ntiny:a,2,x y,,\ntiny:b,3,z,2.5,20\n");
  const nlohmann::json front = nlohmann::json::parse(R"([{"encoding": "tiny:a"}, {"encoding": "tiny:b"}])");
  const nlohmann::json with = front_json_with_measurements(front, {b});
  CHECK(with[0]["measured_ms"].is_null());
  CHECK(with[0]["estimate_error_pct"].is_null());
  CHECK(with[1]["measured_ms"] == 2.5);
  CHECK(with[1]["estimate_error_pct"].get<double>() == Approx(20));
}

TEST_CASE("search --measure-front times K members of the front on this machine", "[search][measure][cli]") {
  const std::string dir = uibnas::testing::unique_temp_path("measure_front");
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string space = search_test::tiny_space_file(), table = dir + "/table.json";
  REQUIRE(run_uibnas("profile --hardware test --space " + space + " --calibration 0 --repeat 2 --rounds 1 --settle 0 --warmup 1 "
                     "--no-progress --out " + table).status == 0);
  const std::string out = dir + "/search";
  const auto r = run_uibnas("search --space " + space + " --table " + table +
                            " --objectives latency,macs:max --strategy nsga2 --budget 100 --population 20 "
                            "--no-progress --measure-front 2 --out " + out);
  REQUIRE(r.status == 0);
  CHECK(r.out.find("Measured front members (2") != std::string::npos);
  const auto rows = csv_rows(slurp_file(fs::path(out) / "front.csv"));
  REQUIRE(rows.size() > 3);  // a front of more than two members
  CHECK(rows[0] == std::vector<std::string>{"encoding", "latency", "macs:max", "blocks", "measured_ms",
                                            "estimate_error_pct"});
  int measured = 0;
  for (size_t i = 1; i < rows.size(); ++i) {
    REQUIRE(rows[i].size() == 6);
    const bool ends = i == 1 || i + 1 == rows.size();  // the fastest and the slowest member
    CHECK(rows[i][4].empty() != ends);
    if (rows[i][4].empty()) continue;
    ++measured;
    const double estimate = std::stod(rows[i][1]), ms = std::stod(rows[i][4]);
    CHECK(ms > 0);
    CHECK(std::stod(rows[i][5]) == Approx((estimate / ms - 1) * 100).epsilon(1e-8));
  }
  CHECK(measured == 2);
  const nlohmann::json front = common::read_json_file((fs::path(out) / "front.json").string(), "front");
  CHECK(front.front()["measured_ms"].is_number());
  CHECK(front.back()["estimate_error_pct"].is_number());
}

TEST_CASE("search --measure-front without a table is one clear error", "[search][measure][cli]") {
  const std::string space = search_test::tiny_space_file(), out = uibnas::testing::unique_temp_path("measure_bad");
  const auto no_table = run_uibnas("search --space " + space + " --objectives params,macs:max --strategy nsga2 "
                                   "--budget 20 --population 10 --measure-front 2 --no-progress --out " + out);
  CHECK(no_table.status == 2);
  CHECK(no_table.err.find("--measure-front needs --table") != std::string::npos);
}
