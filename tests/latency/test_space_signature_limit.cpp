// `profile --space` on a valid space that yields many millions of part signatures: the enumeration
// stops at the limit instead of listing them all, and the space reader bounds every choice list.
#include <catch2/catch.hpp>

#include <chrono>
#include <fstream>

#include <nlohmann/json.hpp>

#include "../cli/run_binary.hpp"
#include "common/error.hpp"
#include "latency/space_signatures.hpp"
#include "searchspace/space_spec.hpp"
#include "tests/support/test_data.hpp"

using namespace uibnas;
using nlohmann::json;

namespace {

json conv_s() {
  std::ifstream in(UIBNAS_SOURCE_DIR "/searchspace/spaces/conv-s.json");
  REQUIRE(in.good());
  return json::parse(in);
}

// conv-s with 64 resolutions, 64 widths and 60 expansions in both UIB stages: the first UIB slot alone
// has 64 resolutions x 64 input widths x 64 output widths x 6 kernel pairs x 60 widths ~ 9e7 signatures.
json huge_space() {
  json j = conv_s();
  j["resolutions"] = json::array();
  for (int r = 0; r < 64; ++r) j["resolutions"].push_back(32 + 8 * r);
  for (int s : {2, 3}) {
    json widths = json::array(), expansions = json::array();
    for (int w = 1; w <= 64; ++w) widths.push_back(8 * w);
    for (int e = 0; e < 60; ++e) expansions.push_back(1.0 + 0.25 * e);
    j["stages"][s]["widths"] = widths;
    for (auto& b : j["stages"][s]["blocks"]) b["expansion"] = expansions;
  }
  return j;
}

}  // namespace

TEST_CASE("a space with ~1e8 part signatures is refused at the limit, without enumerating them", "[space_signatures][limits]") {
  const searchspace::SearchSpace space(searchspace::read_space_spec(huge_space(), "huge.json"));
  const auto t0 = std::chrono::steady_clock::now();
  CHECK_THROWS_WITH(latency::space_signatures(space, 1, 1000), "the space yields more than 1000 part signatures");
  // Enumerating them all took hours; stopping at 1000 takes milliseconds.
  CHECK(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() < 10.0);
  // A limit the space fits in returns every signature.
  const searchspace::SearchSpace small(searchspace::read_space_spec(conv_s(), "conv-s.json"));
  const std::size_t all = latency::space_signatures(small, 1).size();
  CHECK(latency::space_signatures(small, 1, all).size() == all);
  CHECK_THROWS(latency::space_signatures(small, 1, all - 1));
}

TEST_CASE("expansions that round to the same width add no signature", "[space_signatures]") {
  json j = conv_s();
  const searchspace::SearchSpace plain(searchspace::read_space_spec(j, "conv-s.json"));
  // 4.001 x any width of conv-s rounds (make_divisible) to the width of 4.
  for (int s : {2, 3})
    for (auto& b : j["stages"][s]["blocks"]) b["expansion"] = {2, 3, 4, 6, 4.001, 4.002};
  const searchspace::SearchSpace doubled(searchspace::read_space_spec(j, "conv-s.json"));
  CHECK(latency::space_signatures(doubled, 1).size() == latency::space_signatures(plain, 1).size());
}

TEST_CASE("a search space refuses a choice list longer than 64", "[space_reader][limits]") {
  json j = conv_s();
  json expansions = json::array();
  for (int e = 0; e < 65; ++e) expansions.push_back(1.0 + 0.125 * e);
  j["stages"][2]["blocks"][0]["expansion"] = expansions;
  CHECK_THROWS_WITH(searchspace::read_space_spec(j, "big.json"),
                    "big.json: /stages/2/blocks/0/expansion: 65 choices, more than the 64 allowed");
  j = conv_s();
  json blocks = json::array();
  for (int b = 0; b < 65; ++b) blocks.push_back(j["stages"][0]["blocks"][1]);
  j["stages"][0]["blocks"] = blocks;
  CHECK_THROWS_WITH(searchspace::read_space_spec(j, "big.json"),
                    Catch::Contains("big.json: /stages/0/blocks: 65 block entries, more than the 64 allowed"));
}

TEST_CASE("space info counts a space's part signatures, and stops at profile's default limit", "[space_signatures][cli]") {
  const searchspace::SearchSpace small(searchspace::read_space_spec(conv_s(), "conv-s.json"));
  const auto counted = run_uibnas("space info " UIBNAS_SOURCE_DIR "/searchspace/spaces/conv-s.json");
  REQUIRE(counted.status == 0);
  CHECK(counted.out.find("parts        " + std::to_string(latency::space_signatures(small, 1).size()) +
                         " distinct signatures") != std::string::npos);
  const std::string file = uibnas::testing::unique_temp_path("huge.json");
  std::ofstream(file) << huge_space().dump();
  const auto t0 = std::chrono::steady_clock::now();
  const auto huge = run_uibnas("space info " + file);
  CHECK(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() < 10.0);
  REQUIRE(huge.status == 0);
  CHECK(huge.out.find("parts        more than 20000 distinct signatures") != std::string::npos);
}
