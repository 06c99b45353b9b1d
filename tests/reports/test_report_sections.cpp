// The report's sections built from the fixtures: each figure draws one point per CSV row, and the
// numbers agree with what other parts of uibnas compute for the same inputs.
#include <catch2/catch.hpp>

#include <fstream>
#include <numeric>
#include <regex>

#include <nlohmann/json.hpp>

#include "../cli/run_binary.hpp"
#include "reports/report.hpp"
#include "tests/support/test_data.hpp"

using namespace uibnas::reports;
using uibnas::testing::test_data;

namespace {

const std::string kTable1 = std::string(UIBNAS_SOURCE_DIR) + "/latency/tables/xeon-vm-2vcpu-t1.json";

const Figure* find_figure(const std::vector<Section>& sections, const std::string& id) {
  for (const auto& s : sections)
    for (const auto& f : s.figures)
      if (f.id == id) return &f;
  return nullptr;
}

int data_points(const Figure& f) {
  std::smatch m;
  REQUIRE(std::regex_search(f.svg, m, std::regex("data-points=\"([0-9]+)\"")));
  return std::stoi(m[1]);
}

double number(const std::string& cell) { return std::stod(cell); }

}  // namespace

TEST_CASE("the rank figures draw every ranked model and every Pareto interval", "[reports]") {
  const std::vector<Section> sections = report_sections(gather_inputs({test_data("reports/rank.json")}));
  const nlohmann::json rank = nlohmann::json::parse(std::ifstream(test_data("reports/rank.json")));
  const Figure* t1 = find_figure(sections, "tradeoff-xeon-vm-2vcpu-t1");
  REQUIRE(t1 != nullptr);
  CHECK(t1->data.rows.size() == rank["tables"][0]["models"].size());
  CHECK(data_points(*t1) == int(t1->data.rows.size()));
  int front = 0;
  for (const auto& row : t1->data.rows) front += row[size_t(t1->data.column("pareto"))] == "1";
  CHECK(front == 8);  // of 11: conv_medium (by hybrid_medium), MNv1 and MNv2 (by MNv3-L) are dominated
  const Figure* sweep = find_figure(sections, "ridge-point-sweep");
  REQUIRE(sweep != nullptr);
  size_t intervals = 0;
  for (const auto& [model, list] : rank["rp_sweep"]["ranges"].items()) intervals += list.size();
  CHECK(sweep->data.rows.size() == intervals);
  CHECK(data_points(*sweep) == int(intervals));
  for (const char* mark : {"Pixel 6 CPU 31.2", "S23 CPU 39.7", "xeon-vm-2vcpu (fitted) 27.3"})
    CHECK(sweep->svg.find(mark) != std::string::npos);
  CHECK(find_figure(sections, "latency-breakdown-xeon-vm-2vcpu-t1") == nullptr);  // no table given
}

TEST_CASE("a model's block kinds add up to its lookup-table estimate", "[reports]") {
  const std::vector<Section> sections = report_sections(gather_inputs({kTable1}));
  const Figure* f = find_figure(sections, "latency-breakdown-xeon-vm-2vcpu-t1");
  REQUIRE(f != nullptr);
  using Kinds = std::set<std::string>;
  const std::vector<std::pair<std::string, Kinds>> cases = {
      {"mobilenetv4_conv_small", {"stem", "cn", "uir", "head", "overhead"}},  // no er or mqa
      {"mobilenetv3_large_100", {"stem", "cn", "ds", "ir", "head", "overhead"}},
      {"efficientnet_b0", {"stem", "ds", "ir", "head", "overhead"}}};
  for (const auto& [model, expected_kinds] : cases) {
    INFO(model);
    const BinaryResult estimate = run_uibnas("estimate " + model + " --table " + kTable1 + " --estimator lut --json");
    REQUIRE(estimate.status == 0);
    const double lut_ms = nlohmann::json::parse(estimate.out)["lut_ms"].get<double>();
    double sum = 0, share = 0;
    Kinds kinds;
    for (const auto& row : f->data.rows)
      if (row[0] == model) {
        sum += number(row[3]);
        share += number(row[4]);
        kinds.insert(row[2]);
      }
    CHECK(sum == Approx(lut_ms).epsilon(1e-4));
    CHECK(share == Approx(100).epsilon(1e-3));
    CHECK(kinds == expected_kinds);
  }
  CHECK(data_points(*f) == int(f->data.rows.size()));
}

TEST_CASE("the validation scatter has a point per architecture and counts the ±10% band as the summary does", "[reports]") {
  const std::string folder = test_data("reports/validation-xeon-vm-2vcpu-t1");
  const std::vector<Section> sections = report_sections(gather_inputs({folder}));
  const Figure* f = find_figure(sections, "validation-scatter-xeon-vm-2vcpu-t1");
  REQUIRE(f != nullptr);
  CHECK(f->data.rows.size() == 8);
  CHECK(data_points(*f) == 8);
  int within = 0;
  for (const auto& row : f->data.rows) within += row[size_t(f->data.column("within_10"))] == "1";
  const nlohmann::json summary = nlohmann::json::parse(std::ifstream(folder + "/summary.json"));
  for (const auto& a : summary["agreement"])
    if (a["estimator"] == "lut" && a["group"] == "all")
      CHECK(within == int(std::lround(a["within_10"].get<double>() * a["count"].get<double>())));
}
