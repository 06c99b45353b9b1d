// `uibnas proxies` as a user runs it: the table's rows and correlations, JSON, and one-line errors.
#include <catch2/catch.hpp>

#include <cmath>

#include <nlohmann/json.hpp>

#include "tests/cli/run_binary.hpp"

using nlohmann::json;

TEST_CASE("uibnas proxies --json scores the named models and ranks them against top-1", "[proxy][cli]") {
  const auto r = run_uibnas("proxies --models conv_small,conv_medium,conv_large --batch 4 --resolution 32 --json");
  REQUIRE(r.status == 0);
  const json j = json::parse(r.out);
  CHECK(j["settings"]["batch"] == 4);
  CHECK(j["settings"]["resolution"] == 32);
  REQUIRE(j["models"].size() == 3);
  CHECK(j["models"][0]["model"] == "mobilenetv4_conv_small");
  CHECK(j["models"][0]["params"] == 3774024);  // timm's count
  for (const auto& m : j["models"])
    for (const char* key : {"top1", "params", "macs", "naswot", "zen", "meco"}) CHECK(m[key].is_number());
  // Params and MACs grow with top-1 across conv small < medium < large: both correlations are 1.
  CHECK(j["correlations"]["params"]["spearman"].get<double>() == Approx(1.0));
  CHECK(j["correlations"]["MACs"]["kendall"].get<double>() == Approx(1.0));
  for (const char* proxy : {"naswot", "zen", "meco"}) {
    const double rho = j["correlations"][proxy]["spearman"].get<double>();
    CHECK(std::abs(rho) <= 1.0);
  }
}

TEST_CASE("uibnas proxies prints a table with one proxy column per proxy asked for", "[proxy][cli]") {
  const auto r = run_uibnas("proxies --models conv_small,conv_medium --proxies naswot --batch 2 --resolution 32");
  REQUIRE(r.status == 0);
  CHECK(r.out.find("naswot") != std::string::npos);
  CHECK(r.out.find("meco") == std::string::npos);
  CHECK(r.out.find("mobilenetv4_conv_medium") != std::string::npos);
  CHECK(r.out.find("spearman") != std::string::npos);
}

TEST_CASE("uibnas proxies: unknown proxies, models and bad settings are one error line, exit 2", "[proxy][cli]") {
  for (const char* args : {"proxies --proxies synflow", "proxies --models no_such_model",
                           "proxies --models conv_small --batch 1", "proxies --models conv_small --repeats 0"}) {
    INFO(args);
    const auto r = run_uibnas(args);
    CHECK(r.status == 2);
    CHECK(r.out.empty());
    CHECK(r.err.rfind("error: ", 0) == 0);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  }
  CHECK(run_uibnas("proxies --proxies synflow").err.find("synflow") != std::string::npos);
}

TEST_CASE("uibnas proxies is listed and has help", "[proxy][cli]") {
  CHECK(run_uibnas("--help").out.find("proxies") != std::string::npos);
  const auto r = run_uibnas("proxies --help");
  CHECK(r.status == 0);
  CHECK(r.out.find("usage: uibnas proxies") != std::string::npos);
  CHECK(r.out.find("--data") != std::string::npos);
}
