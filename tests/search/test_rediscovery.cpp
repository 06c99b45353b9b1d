// --rediscover: the percentile, domination and closest-member arithmetic on hand-made evaluations,
// the seeding of the paper's second search, and one quick run of the command on conv_small.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "../cli/run_binary.hpp"
#include "arch_defs/catalogue.hpp"
#include "arch_defs/network.hpp"
#include "arch_defs/operators.hpp"
#include "common/json_file.hpp"
#include "search/rediscovery.hpp"
#include "search_test_support.hpp"
#include "searchspace/decode.hpp"

namespace fs = std::filesystem;
using namespace uibnas;
using namespace uibnas::search;

namespace {

// An evaluation of latency (minimised) and MACs (maximised).
Evaluation point(double latency, double macs, searchspace::Choices choices = {}) {
  Evaluation e;
  e.choices = std::move(choices);
  e.metrics = {latency, macs};
  e.minimised = {latency, -macs};
  return e;
}

std::string space_file(const std::string& id) {
  return std::string(UIBNAS_SOURCE_DIR) + "/searchspace/spaces/" + id + ".json";
}

}  // namespace

TEST_CASE("percentile rank counts the values the variant beats, ties half", "[search][rediscover]") {
  const std::vector<double> values = {1, 2, 3, 4};
  CHECK(percentile_rank(values, 2.5, Direction::Minimise) == 50);
  CHECK(percentile_rank(values, 2, Direction::Minimise) == 62.5);
  CHECK(percentile_rank(values, 2, Direction::Maximise) == 37.5);
  CHECK(percentile_rank(values, 0, Direction::Minimise) == 100);
  CHECK(percentile_rank(values, 0, Direction::Maximise) == 0);
  CHECK(std::isnan(percentile_rank({}, 1, Direction::Minimise)));
  CHECK(std::isnan(percentile_rank(values, std::nan(""), Direction::Minimise)));
}

TEST_CASE("the latency band holds distinct feasible candidates within the bound", "[search][rediscover]") {
  History h = {point(0.97, 1, {0}), point(0.99, 1, {1}), point(1.0, 1, {2}), point(1.019, 1, {3}),
               point(1.03, 1, {4}), point(0.99, 1, {1}), point(1.0, 1, {5})};
  h[6].violation = 0.5;  // infeasible
  CHECK(latency_band(h, 0, 1.0, 0.02) == std::vector<int>{1, 2, 3});
  CHECK(latency_band(h, 0, 1.0, 0.05) == std::vector<int>{0, 1, 2, 3, 4});
}

TEST_CASE("the strongest domination is the member with the largest relative gain", "[search][rediscover]") {
  const History h = {point(10, 114), point(9, 105), point(8, 90), point(11, 200)};
  const std::vector<Direction> d = {Direction::Minimise, Direction::Maximise};
  // 0: same latency, +14% MACs (gain 14); 1: −10% latency, +5% MACs (gain 15); 2 and 3 do not dominate.
  const auto best = strongest_domination(h, {0, 1, 2, 3}, {10, 100}, d);
  REQUIRE(best);
  CHECK(best->member == 1);
  CHECK(best->relative_pct[0] == Approx(-10));
  CHECK(best->relative_pct[1] == Approx(5));
  CHECK(best->gain_pct == Approx(15));
  const auto only = strongest_domination(h, {0, 2, 3}, {10, 100}, d);
  REQUIRE(only);
  CHECK(only->member == 0);
  CHECK(only->relative_pct[0] == 0);
  CHECK(only->relative_pct[1] == Approx(14));
  CHECK_FALSE(strongest_domination(h, {2, 3}, {10, 100}, d));
  CHECK_FALSE(strongest_domination(h, {0, 1}, {10, std::nan("")}, d));
  CHECK_FALSE(strongest_domination(h, {0}, {10, 114}, d));  // equal is not dominating
}

TEST_CASE("the closest front member is the nearest in Hamming distance", "[search][rediscover]") {
  const History h = {point(1, 1, {0, 1, 2, 3}), point(1, 1, {0, 0, 0, 3}), point(1, 1, {1, 0, 2, 0})};
  CHECK(differing_decisions({0, 1, 2, 3}, {0, 0, 0, 3}) == std::vector<int>{1, 2});
  const auto c = closest_member(h, {0, 1, 2}, {0, 0, 2, 3});
  REQUIRE(c);
  CHECK(c->member == 0);  // distance 1, against 1 (member 1: decision 2) — the first on a tie
  CHECK(c->decisions == std::vector<int>{1});
  const auto d = closest_member(h, {2, 1}, {0, 0, 2, 3});
  REQUIRE(d);
  CHECK(d->member == 1);
  CHECK(d->decisions == std::vector<int>{2});
  CHECK_FALSE(closest_member(h, {}, {0, 0, 2, 3}));
}

TEST_CASE("differing blocks list both networks' block strings where they differ", "[search][rediscover]") {
  const searchspace::SearchSpace space(
      searchspace::read_space_spec(nlohmann::json::parse(search_test::kTinySpace), "tiny"));
  // Decisions of the tiny space: resolution, stem width, stage widths, the UIB stage's depth and start DWs.
  searchspace::Choices shallow(space.decisions().size(), 0), deep = shallow;
  deep[size_t(space.stages()[1].depth)] = 1;  // two UIB blocks
  const auto diffs = differing_blocks(searchspace::to_architecture(space, shallow),
                                      searchspace::to_architecture(space, deep));
  REQUIRE(diffs.size() == 1);
  CHECK(diffs[0].stage == 1);
  CHECK(diffs[0].block == 1);
  CHECK(diffs[0].first.empty());
  CHECK(diffs[0].second == "uir_r1_a0_k3_s1_e2_c32");
}

TEST_CASE("the second search keeps the first's best widths and depths", "[search][rediscover]") {
  const searchspace::SearchSpace first = searchspace::load_search_space(space_file("conv-m-stage1"));
  searchspace::Choices best(first.decisions().size(), 0);
  best[size_t(first.stem_decision())] = 3;  // stem widths 16, 24, 32, 40, 48
  best[size_t(first.stages()[2].width)] = 8;  // 96 + 8·8
  best[size_t(first.stages()[3].depth)] = 5;  // depths 6..14
  const searchspace::SpaceSpec seeded =
      seeded_second_stage(searchspace::load_space_spec(space_file("conv-m-stage2")), first, first.canonical(best));
  CHECK(seeded.id == "conv-m-stage2-seeded");
  CHECK(seeded.stem_widths == std::vector<int>{40});
  const std::vector<int> widths = {24, 48, 160, 160}, depths = {1, 1, 4, 11};
  for (size_t s = 0; s < 4; ++s) {
    INFO("stage " << s);
    CHECK(seeded.stages[s].widths == std::vector<int>{widths[s]});
    CHECK(seeded.stages[s].min_depth == depths[s]);
    CHECK(seeded.stages[s].max_depth == depths[s]);
  }
  CHECK(seeded.stages[2].blocks.size() == 2);  // the depthwise choices are the second space's
  const searchspace::SearchSpace space(seeded);
  CHECK(space.decisions().size() > 0);
}

TEST_CASE("search --rediscover conv_small writes rediscover.json with the report", "[search][rediscover][cli]") {
  const std::string out = uibnas::testing::unique_temp_path("rediscover");
  fs::remove_all(out);
  const auto r = run_uibnas("search --rediscover conv_small --space " + space_file("conv-s") + " --table " +
                            std::string(UIBNAS_SOURCE_DIR) + "/latency/tables/xeon-vm-2vcpu-t1.json " +
                            "--budget 300 --no-progress --out " + out);
  REQUIRE(r.status == 0);
  const nlohmann::json j = common::read_json_file((fs::path(out) / "rediscover.json").string(), "report");
  CHECK(j["model"] == "mobilenetv4_conv_small");
  CHECK(j["objectives"] == nlohmann::json({"latency", "macs:max"}));
  const nlohmann::json& direct = j["direct"];
  CHECK(direct["space"] == "conv-s");
  CHECK(direct["variant"]["in_space"] == true);
  const arch_defs::Architecture conv_small = arch_defs::resolve_architecture("conv_small");
  const auto pm = arch_defs::network_params_macs(arch_defs::build_network(conv_small), conv_small.input_size);
  CHECK(direct["variant"]["metrics"]["macs:max"] == double(pm.macs));
  CHECK(direct["variant"]["metrics"]["latency"].get<double>() == Approx(j["t0_ms"].get<double>()));
  CHECK(direct["evaluations"] == 300);
  for (const char* objective : {"latency", "macs:max"}) {
    const nlohmann::json& p = direct["band"]["percentile"][objective];
    if (p.is_number()) CHECK((p.get<double>() >= 0 && p.get<double>() <= 100));
  }
  CHECK(direct["dominated"].is_boolean());
  CHECK(direct["closest_member"]["hamming"].get<int>() ==
        int(direct["closest_member"]["differing_decisions"].size()));
  CHECK(direct["best"]["encoding"].get<std::string>().rfind("conv-s:", 0) == 0);
  CHECK(j["two_stage"]["stage1"]["space"] == "conv-m-stage1");
  CHECK(j["two_stage"]["stage1"]["variant"]["in_space"] == false);
  CHECK(j["two_stage"]["stage2"]["space"] == "conv-m-stage2-seeded");
  CHECK(j["two_stage"]["stage2"]["seeded_from"] == j["two_stage"]["stage1"]["best"]["encoding"]);
  CHECK(fs::exists(fs::path(out) / "rediscover.txt"));
  CHECK(r.out.find("Rediscovering mobilenetv4_conv_small") == 0);
  // The direct search's own outputs: every evaluated candidate and the summary with its hypervolume.
  std::ifstream history(fs::path(out) / "history.csv");
  const long rows = std::count(std::istreambuf_iterator<char>(history), std::istreambuf_iterator<char>(), '\n') - 1;
  CHECK(rows == direct["evaluations"].get<long>());
  const nlohmann::json summary = common::read_json_file((fs::path(out) / "search.json").string(), "summary");
  CHECK(summary["evaluations"] == direct["evaluations"]);
  CHECK(summary["options"]["rediscover"] == "mobilenetv4_conv_small");
  CHECK(summary["hypervolume"]["per_generation"].size() == summary["generations"].get<size_t>());
  CHECK(fs::exists(fs::path(out) / "front.csv"));
  // --resume shows the finished report of the same request instead of searching again; another seed searches.
  const auto written = fs::last_write_time(fs::path(out) / "rediscover.json");
  const std::string args = "search --rediscover conv_small --space " + space_file("conv-s") + " --table " +
                           std::string(UIBNAS_SOURCE_DIR) + "/latency/tables/xeon-vm-2vcpu-t1.json --no-progress --out " + out;
  const auto again = run_uibnas(args + " --budget 300 --resume");
  REQUIRE(again.status == 0);
  CHECK(again.out.find(r.out) == 0);
  CHECK(again.out.find("(finished earlier with the same settings") != std::string::npos);
  CHECK(fs::last_write_time(fs::path(out) / "rediscover.json") == written);
  const auto other_seed = run_uibnas(args + " --budget 300 --seed 9 --resume");
  REQUIRE(other_seed.status == 0);
  CHECK(other_seed.out.find("finished earlier") == std::string::npos);
  CHECK(common::read_json_file((fs::path(out) / "rediscover.json").string(), "report")["settings"]["seed"] == 9);
  fs::remove_all(out);
}

TEST_CASE("search --rediscover scores a proxy on the --proxy-data it is given", "[search][rediscover][cli]") {
  // An empty image folder cannot make a minibatch: the proxy must read it, not fall back to Gaussian data.
  const std::string empty = uibnas::testing::unique_temp_path("no_images");
  std::filesystem::create_directories(empty);
  const std::string out = uibnas::testing::unique_temp_path("rediscover_proxy_data");
  const auto r = run_uibnas("search --rediscover conv_small --space " + std::string(UIBNAS_SOURCE_DIR) +
                            "/searchspace/spaces/conv-s.json --table " + std::string(UIBNAS_SOURCE_DIR) +
                            "/latency/tables/xeon-vm-2vcpu-t1.json --objectives latency,naswot --budget 20 "
                            "--population 10 --no-progress --proxy-data " + empty + " --out " + out);
  CHECK(r.status == 2);
  CHECK(r.err.find("holds 0 PPM/PGM images") != std::string::npos);
  std::filesystem::remove_all(empty);
  std::filesystem::remove_all(out);
}
