// The top-1 × latency front on hand-made points, the ridge-point sweep on networks whose crossing
// point is worked out by hand, and `uibnas rank` on the shipped tables against the tables' own runs.
#include <catch2/catch.hpp>

#include <fstream>
#include <map>

#include <nlohmann/json.hpp>

#include "reports/ridge_point_sweep.hpp"
#include "reports/top1_front.hpp"
#include "tests/cli/run_binary.hpp"

using namespace uibnas;
using nlohmann::json;

TEST_CASE("the top-1 x latency front names the fastest dominating model", "[reports][rank]") {
  const std::vector<reports::ModelPoint> points = {
      {"x", 10, 70}, {"y", 8, 72}, {"z", 5, 71}, {"w", 12, 69}, {"z_twin", 5, 71}, {"slow_best", 20, 80}};
  const auto d = reports::top1_latency_front(points);
  REQUIRE(d.size() == points.size());
  // x is beaten by y (8 ms, +2) and z (5 ms, +1): z is the faster.
  REQUIRE(d[0]);
  CHECK(d[0]->model == "z");
  CHECK(d[0]->latency_pct == Approx(-50.0));
  CHECK(d[0]->top1_delta == Approx(1.0));
  CHECK_FALSE(d[1]);  // y: nothing both faster and as accurate
  CHECK_FALSE(d[2]);  // z and its twin do not dominate each other
  REQUIRE(d[3]);
  CHECK(d[3]->model == "z");
  CHECK(d[3]->latency_pct == Approx(100.0 * (5.0 / 12.0 - 1.0)));
  CHECK(d[3]->top1_delta == Approx(2.0));
  CHECK_FALSE(d[4]);
  CHECK_FALSE(d[5]);
}

namespace {

reports::SweepModel one_op(const std::string& name, double top1, double macs, double bytes) {
  estimator::RooflineTerms t;
  t.macs = {macs};
  t.bytes = {bytes};
  t.part = {0};
  t.parts = 1;
  t.total_macs = macs;
  t.total_bytes = bytes;
  return {name, top1, t};
}

}  // namespace

TEST_CASE("the ridge-point sweep finds where a model leaves the front", "[reports][rank]") {
  // a: max(100, 10 RP), b: max(50, 40 RP). b is faster while 40 RP < 100 (RP < 2.5); at 2.5 both take
  // 100 and a, more accurate, dominates b; beyond, b is slower and worse. c is the most accurate.
  const std::vector<reports::SweepModel> models = {one_op("a", 80, 100, 10), one_op("b", 75, 50, 40),
                                                   one_op("c", 85, 300, 1)};
  const reports::RidgePointSweep s = reports::sweep_ridge_points(models, 0, 5, 0.5);
  REQUIRE(s.ridge_points.size() == 11);
  CHECK(s.ridge_points.back() == Approx(5.0));
  using Ranges = std::vector<std::pair<double, double>>;
  CHECK(s.ranges.at("a") == Ranges{{0.0, 5.0}});
  CHECK(s.ranges.at("b") == Ranges{{0.0, 2.0}});
  CHECK(s.ranges.at("c") == Ranges{{0.0, 5.0}});
  CHECK(reports::pareto_at_ridge_point(models, 2.4) == std::vector<std::string>{"a", "b", "c"});
  CHECK(reports::pareto_at_ridge_point(models, 2.5) == std::vector<std::string>{"a", "c"});
  CHECK_THROWS(reports::sweep_ridge_points(models, 5, 0, 1));
  CHECK_THROWS(reports::sweep_ridge_points(models, 0, 5, 0));
}

namespace {

json load(const std::string& path) {
  std::ifstream in(path);
  return json::parse(in);
}

// The table's own end-to-end medians by model.
std::map<std::string, double> end_to_end_medians(const json& table) {
  std::map<std::string, double> ms;
  for (const json& run : table["end_to_end"]) ms[run["model"].get<std::string>()] = run["latency"]["median_ms"].get<double>();
  return ms;
}

}  // namespace

TEST_CASE("uibnas rank takes each model's latency from the table's end-to-end run", "[reports][rank][cli]") {
  const std::string table = std::string(UIBNAS_SOURCE_DIR) + "/latency/tables/xeon-vm-2vcpu-t1.json";
  const auto r = run_uibnas("rank --table " + table + " --models conv_small,conv_medium,conv_blur_medium --json -");
  REQUIRE(r.status == 0);
  const json j = json::parse(r.out);
  CHECK(j["schema"] == "uibnas.rank/1");
  const std::map<std::string, double> measured = end_to_end_medians(load(table));
  REQUIRE(j["tables"].size() == 1);
  std::map<std::string, json> by_name;
  for (const json& m : j["tables"][0]["models"]) {
    by_name[m["name"].get<std::string>()] = m;
    CHECK(m["latency_source"] == "measured");
    CHECK(m["latency_ms"].get<double>() == Approx(measured.at(m["name"].get<std::string>())));
  }
  REQUIRE(by_name.size() == 3);
  CHECK(by_name["mobilenetv4_conv_small"]["params"] == 3774024);  // timm's count
  // conv_medium (79.93 at 256 px) against conv_blur_medium (79.44 at 224 px): decided by the two runs.
  const double medium = measured.at("mobilenetv4_conv_medium"), blur = measured.at("mobilenetv4_conv_blur_medium");
  if (medium <= blur) {
    CHECK(by_name["mobilenetv4_conv_blur_medium"]["dominated_by"]["model"] == "mobilenetv4_conv_medium");
    CHECK(by_name["mobilenetv4_conv_blur_medium"]["dominated_by"]["latency_pct"].get<double>() ==
          Approx(100.0 * (medium / blur - 1.0)));
  } else {
    CHECK(by_name["mobilenetv4_conv_blur_medium"]["pareto"] == true);
  }
  CHECK(by_name["mobilenetv4_conv_small"]["pareto"] == true);  // the fastest is always on the front
}

TEST_CASE("uibnas rank --rp-sweep marks the paper's phones and the table's fitted ridge point", "[reports][rank][cli]") {
  const std::string table = std::string(UIBNAS_SOURCE_DIR) + "/latency/tables/xeon-vm-2vcpu-t1.json";
  const auto r = run_uibnas("rank --table " + table + " --rp-sweep 0:100 --rp-step 10 --json -");
  REQUIRE(r.status == 0);
  const json j = json::parse(r.out);
  const json& sweep = j["rp_sweep"];
  REQUIRE(sweep["points"].size() == 11);
  CHECK(sweep["bytes_per_element"] == 1);
  std::map<std::string, double> marks;
  for (const json& m : sweep["marks"]) marks[m["label"].get<std::string>()] = m["ridge_point"].get<double>();
  CHECK(marks.at("Pixel 6 CPU") == Approx(31.2));
  CHECK(marks.at("S23 CPU") == Approx(39.7));
  // The table's fitted ridge point counts FP32 bytes: four times as many MACs per byte at 1 byte each.
  const double fitted = j["tables"][0]["ridge_point"].get<double>();
  CHECK(marks.at("xeon-vm-2vcpu 1t (fitted, FP32)") == Approx(4 * fitted));
  // Every model in a range is on the front at the range's ends.
  for (const auto& [model, ranges] : sweep["ranges"].items())
    for (const json& range : ranges)
      for (const json& point : sweep["points"])
        if (point["ridge_point"].get<double>() == range[0].get<double>()) {
          const auto& front = point["pareto"];
          CHECK(std::find(front.begin(), front.end(), model) != front.end());
        }
}

TEST_CASE("uibnas rank rejects bad input with one line and exit 2", "[reports][rank][cli]") {
  const std::string table = std::string(UIBNAS_SOURCE_DIR) + "/latency/tables/xeon-vm-2vcpu-t1.json";
  const std::string corrupt = std::string(UIBNAS_SOURCE_DIR) + "/README.md";
  for (const std::string& args :
       std::vector<std::string>{"rank", "rank --table " + table + " --models mobilenetv4_conv_small_035",
        "rank --table " + table + " --estimator fastest", "rank --table " + table + " --rp-sweep 500:0",
        "rank --table " + table + " --rp-sweep 0-500", "rank --table " + corrupt, std::string("rank --table /nonexistent.json")}) {
    INFO(args);
    const auto r = run_uibnas(args);
    CHECK(r.status == 2);
    CHECK(r.err.rfind("error: ", 0) == 0);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  }
}
