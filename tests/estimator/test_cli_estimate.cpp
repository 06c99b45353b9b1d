// `uibnas estimate` and `uibnas validate` as a user runs them.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>

#include <nlohmann/json.hpp>

#include "../cli/run_binary.hpp"
#include "estimator_test_support.hpp"
#include "latency/latency_table.hpp"
#include "searchspace/encoding.hpp"
#include "searchspace/locate.hpp"
#include "tests/support/test_data.hpp"

using namespace uibnas;
namespace fs = std::filesystem;

namespace {

// conv_small's parts at 1 thread, entry i at 0.1 ms * (i + 1); returns the expected sum.
double write_hand_table(const std::string& path, bool drop_one) {
  const arch_defs::Architecture a = arch_defs::resolve_architecture("conv_small");
  latency::LatencyTable t;
  t.hardware_name = "hand";
  t.threads = 1;
  t.hardware.peaks = {{1, 50.0, 10.0}};
  t.protocol = {{"warmup", 1}, {"repeats", 3}};
  double sum = 0;
  std::map<std::string, double> ms;
  for (const auto& p : latency::network_parts(arch_defs::build_network(a), a.input_size, 1)) {
    const std::string key = p.signature.key();
    if (!ms.count(key)) {
      ms[key] = 0.1 * double(ms.size() + 1);
      t.entries[key] = {p.signature, {ms[key], ms[key], ms[key], ms[key], 3}};
    }
    sum += ms[key];
  }
  if (drop_one) t.entries.erase(t.entries.begin());
  latency::save_table(t, path);
  return sum;
}

std::string temp(const std::string& name) { return uibnas::testing::unique_temp_path("est_" + name); }

}  // namespace

TEST_CASE("estimate prints the lookup-table sum and the roofline of a hand-made table", "[cli]") {
  const std::string table = temp("hand.json");
  const double expected = write_hand_table(table, false);
  const BinaryResult r = run_uibnas("estimate conv_small --table " + table + " --json");
  REQUIRE(r.status == 0);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["lut_ms"].get<double>() == Approx(expected).epsilon(1e-9));
  CHECK(j["parts"].size() == 19);
  // Eq. 1 at 50 GMAC/s and 10 GB/s (RP 5) is at least the MACs alone at 50 GMAC/s.
  CHECK(j["roofline"]["ridge_point"].get<double>() == Approx(5.0));
  CHECK(j["roofline_ms"].get<double>() >= j["macs"].get<double>() / 50e6);

  const BinaryResult rp0 = run_uibnas("estimate conv_small --table " + table + " --rp 0 --estimator roofline --json");
  REQUIRE(rp0.status == 0);
  const auto j0 = nlohmann::json::parse(rp0.out);
  CHECK(j0["roofline_ms"].get<double>() == Approx(j0["macs"].get<double>() / 50e6).epsilon(1e-12));
  CHECK(!j0.contains("lut_ms"));

  const BinaryResult text = run_uibnas("estimate conv_small --table " + table);
  REQUIRE(text.status == 0);
  CHECK(text.out.find("lookup table") != std::string::npos);
  CHECK(text.out.find("blocks.2.0") != std::string::npos);
  fs::remove(table);
}

TEST_CASE("a candidate encoding estimates as the network it decodes to", "[cli]") {
  const std::string table = temp("hand_encoding.json");
  const double expected = write_hand_table(table, false);
  // conv_small is a candidate of the conv-s space: its encoding names the same parts.
  const std::string space_file = std::string(UIBNAS_SOURCE_DIR) + "/searchspace/spaces/conv-s.json";
  const searchspace::SearchSpace sp = searchspace::load_search_space(space_file);
  const searchspace::Location at = searchspace::locate(sp, arch_defs::resolve_architecture("conv_small"));
  REQUIRE(at.inside);
  const BinaryResult r =
      run_uibnas("estimate " + searchspace::encode(sp, at.choices) + " --space " + space_file + " --table " + table + " --json");
  REQUIRE(r.status == 0);
  CHECK(nlohmann::json::parse(r.out)["lut_ms"].get<double>() == Approx(expected).epsilon(1e-9));
  fs::remove(table);
}

TEST_CASE("estimate with a missing entry fails with one error line naming it", "[cli]") {
  const std::string table = temp("hand_missing.json");
  write_hand_table(table, true);
  const BinaryResult r = run_uibnas("estimate conv_small --table " + table);
  CHECK(r.status == 2);
  CHECK(r.err.rfind("error: ", 0) == 0);
  CHECK(r.err.find("no entry for 1 of the 19 parts") != std::string::npos);
  const BinaryResult lenient = run_uibnas("estimate conv_small --table " + table + " --allow-missing");
  CHECK(lenient.status == 0);
  CHECK(lenient.out.find("not in the table") != std::string::npos);
  fs::remove(table);
}

TEST_CASE("estimate and validate usage errors exit 2", "[cli]") {
  CHECK(run_uibnas("estimate conv_small").status == 2);                                  // no --table
  CHECK(run_uibnas("estimate conv_small --table /nonexistent.json").status == 2);
  CHECK(run_uibnas("validate --table /nonexistent.json").status == 2);                    // nothing to validate
  CHECK(run_uibnas("validate --table t.json --space s.json").status == 2);                // --space without --samples
  const std::string table = temp("hand_usage.json");
  write_hand_table(table, false);
  CHECK(run_uibnas("estimate conv_small --table " + table + " --estimator magic").status == 2);
  CHECK(run_uibnas("estimate --table " + table + " --sweep").status == 2);
  fs::remove(table);
}

TEST_CASE("validate times what the table lacks, measures, and writes its CSV and summary", "[cli][slow]") {
  const fs::path dir = fs::temp_directory_path() / ("uibnas_validate_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string table = (dir / "t.json").string();
  REQUIRE(run_uibnas("profile --hardware tiny --models conv_small_035 --repeat 2 --warmup 1 --no-progress --out " +
                     table).status == 0);
  const BinaryResult r = run_uibnas("validate --table " + table + " --models conv_small_035,conv_small_050 --repeat 2 "
                                    "--rounds 1 --settle 1 --warmup 1 --no-progress --out " + (dir / "v").string());
  REQUIRE(r.status == 0);
  CHECK(r.out.find("2 architectures") != std::string::npos);
  CHECK(r.out.find("fitted on 1 end-to-end runs of --table") != std::string::npos);  // conv_small_035's profile run
  std::ifstream csv(dir / "v" / "validation.csv");
  std::vector<std::string> lines;
  for (std::string line; std::getline(csv, line);) lines.push_back(line);
  REQUIRE(lines.size() == 3);
  CHECK(lines[0].rfind("name,group,resolution,parts,macs", 0) == 0);
  CHECK(lines[1].rfind("mobilenetv4_conv_small_035,published,224,19,", 0) == 0);
  const auto summary = nlohmann::json::parse(std::ifstream(dir / "v" / "summary.json"));
  CHECK(summary["architectures"] == 2);
  CHECK(summary["parts_timed"].get<int>() > 0);  // conv_small_050's parts were not in the table
  bool lut = false;
  for (const auto& a : summary["agreement"]) lut |= a["estimator"] == "lut" && a["group"] == "all";
  CHECK(lut);
  // One round settles nothing (two rounds must agree), so --settle 1 measures every network once more.
  CHECK(summary["steadiness"]["most_rounds"] == 2);
  const auto measured = nlohmann::json::parse(std::ifstream(dir / "v" / "measured.json"));
  REQUIRE(measured["networks"].size() == 2);
  for (const auto& n : measured["networks"]) {
    CHECK(n["rounds"].size() == 2);
    CHECK(n["slot_parts_min_ms"].size() == 2);  // each round's slot: its parts summed over their uses
    CHECK(n["slot_parts_median_ms"].size() == 2);
    CHECK(n["slot_parts_min_ms"][0].get<double>() <= n["slot_parts_median_ms"][0].get<double>());
  }
  CHECK(summary["steadiness"]["best_round_slot"]["networks"] == 2);
  // Without calibration networks the overhead is --table's as profiled: its one run against the entries
  // profiled with it ("scale" form: measured / Σ entries − 1), not against the entries timed here.
  const latency::LatencyTable profiled = latency::load_table(table);
  REQUIRE(profiled.end_to_end.size() == 1);
  double profiled_parts_ms = 0;
  for (const auto& key : profiled.end_to_end[0].parts) profiled_parts_ms += profiled.find(key)->latency.median_ms;
  const auto& model = summary["lut_overhead"]["model"];
  CHECK(model["form"] == "scale");
  CHECK(model["proportional"].get<double>() ==
        Approx(profiled.end_to_end[0].latency.median_ms / profiled_parts_ms - 1).epsilon(1e-9));
  CHECK(measured["fma_probe_gmacs"].size() == 4);  // one probe per network slot
  // The grown table now covers both networks; the input table is untouched.
  CHECK(latency::load_table((dir / "v" / "table.json").string()).entries.size() >
        latency::load_table(table).entries.size());

  // With calibration networks, the fits see only them, not the table's earlier end-to-end runs.
  const BinaryResult c = run_uibnas("validate --table " + table + " --models conv_small_035 --space " +
                                    std::string(UIBNAS_SOURCE_DIR) + "/searchspace/spaces/conv-s.json --samples 1 "
                                    "--calibration 1 --repeat 2 --rounds 1 --settle 0 --warmup 1 --no-progress --out " +
                                    (dir / "c").string());
  REQUIRE(c.status == 0);
  CHECK(c.out.find("fitted on 1 calibration networks") != std::string::npos);
  const auto with_calibration = nlohmann::json::parse(std::ifstream(dir / "c" / "summary.json"));
  CHECK(with_calibration["calibration_networks"] == 1);
  CHECK(with_calibration["lut_overhead"]["networks"] == 1);
  CHECK(latency::load_table((dir / "c" / "table.json").string()).end_to_end.size() == 2);  // both kept in the table
  fs::remove_all(dir);
}
