// `uibnas space info|sample|locate` as a user runs them: output, exit codes, one line per error.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "../cli/run_binary.hpp"
#include "arch_defs/architecture.hpp"
#include "searchspace/encoding.hpp"
#include "searchspace/locate.hpp"
#include "space_test_support.hpp"

using namespace uibnas;

namespace {
std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}
}  // namespace

TEST_CASE("uibnas space info prints the stages and the exact cardinality", "[cli][space]") {
  const auto r = run_uibnas("space info " + space_test::shipped_path("conv-m"));
  REQUIRE(r.status == 0);
  CHECK(r.out.find("conv-m  (") == 0);
  CHECK(r.out.find("cardinality  94548709804397851376985466964140163816874835968 (10^46.98)") != std::string::npos);
  CHECK(r.out.find("first: uir start_dw {0,3,5} middle_dw {3,5} expansion {2,3,4,6}") != std::string::npos);
  CHECK(r.out.find("stage 0      18 (10^1.26) candidates") != std::string::npos);
}

TEST_CASE("uibnas space sample is reproducible and prints loadable architectures", "[cli][space]") {
  const std::string file = space_test::shipped_path("hybrid-m");
  const auto a = run_uibnas("space sample " + file + " -n 4 --seed 9");
  const auto b = run_uibnas("space sample " + file + " -n 4 --seed 9");
  const auto c = run_uibnas("space sample " + file + " -n 4 --seed 10");
  REQUIRE(a.status == 0);
  CHECK(a.out == b.out);
  CHECK(a.out != c.out);
  const auto rows = lines_of(a.out);
  REQUIRE(rows.size() == 4);
  for (const auto& row : rows) {
    // "hybrid-m:<digits> <resolution> [[block strings]...]"
    CHECK(row.rfind("hybrid-m:", 0) == 0);
    const auto stages = nlohmann::json::parse(row.substr(row.find('[')));
    CHECK(stages.size() == 5);
    CHECK(stages.back() == nlohmann::json::array({"cn_r1_k1_s1_c960"}));
  }

  const auto j = run_uibnas("space sample " + file + " -n 3 --seed 9 --format json --uniform candidates");
  REQUIRE(j.status == 0);
  const auto& sp = space_test::shipped("hybrid-m");
  for (const auto& line : lines_of(j.out)) {
    const arch_defs::Architecture arch = arch_defs::architecture_from_json(nlohmann::json::parse(line), "sample");
    const searchspace::Location loc = searchspace::locate(sp, arch);
    CHECK(loc.inside);
    CHECK(searchspace::encode(sp, loc.choices) == arch.name);
  }
}

TEST_CASE("uibnas space locate gives the encoding or the reason", "[cli][space]") {
  const auto in = run_uibnas("space locate mobilenetv4_conv_medium --space " + space_test::shipped_path("conv-m"));
  REQUIRE(in.status == 0);
  const auto rows = lines_of(in.out);
  REQUIRE(rows.size() == 3);
  CHECK(rows[0] == "mobilenetv4_conv_medium is in conv-m");
  const auto& sp = space_test::shipped("conv-m");
  const searchspace::Choices c = searchspace::decode(sp, rows[1].substr(rows[1].rfind(' ') + 1));
  CHECK(rows[2] == "choices   " + searchspace::describe(sp, c));
  CHECK(rows[2].find("resolution=256 stem.width=32 stage0.width=48") != std::string::npos);

  const auto out = run_uibnas("space locate conv_small --space " + space_test::shipped_path("conv-m"));
  CHECK(out.status == 1);
  CHECK(out.out == "mobilenetv4_conv_small is not in conv-m: stage 0: 2 blocks, the space allows 1 to 1\n");
}

TEST_CASE("uibnas space reports every error of a malformed file and exits 2", "[cli][space]") {
  std::ifstream in(space_test::shipped_path("conv-s"));
  nlohmann::json j = nlohmann::json::parse(in);
  j["stages"][2]["blocks"][0]["expansion"] = {0};
  j["version"] = 3;
  const auto path = std::filesystem::temp_directory_path() / ("uibnas_bad_space_" + std::to_string(::getpid()) + ".json");
  std::ofstream(path) << j.dump(1);
  const auto r = run_uibnas("space info " + path.string());
  std::filesystem::remove(path);
  CHECK(r.status == 2);
  CHECK(r.out.empty());
  CHECK(lines_of(r.err) == std::vector<std::string>{
                               "error: " + path.string() + ": /version: version 3 is not supported (this uibnas reads version 1)",
                               "error: " + path.string() + ": /stages/2/blocks/0/expansion: 0 is not a positive number"});

  const auto action = run_uibnas("space shuffle x.json");
  CHECK(action.status == 2);
  CHECK(action.err == "error: unknown space action 'shuffle' (expected info, sample or locate)\n");
  const auto format = run_uibnas("space sample " + space_test::shipped_path("conv-s") + " --format yaml");
  CHECK(format.status == 2);
  CHECK(format.err == "error: --format must be timm or json, got 'yaml'\n");
  const auto missing = run_uibnas("space locate conv_small");
  CHECK(missing.status == 2);
  CHECK(missing.err.find("error: uibnas space: ") == 0);
}
