// `uibnas models` and `uibnas show` as a user runs them: exit codes, one-line errors, JSON schema.
#include <catch2/catch.hpp>

#include <fstream>

#include <nlohmann/json.hpp>

#include "run_binary.hpp"

using nlohmann::json;

namespace {
json timm_structure() {
  std::ifstream in(UIBNAS_TEST_DATA_DIR "/reference/timm_structure.json");
  REQUIRE(in.good());
  return json::parse(in);
}
size_t count_lines(const std::string& s) { return std::count(s.begin(), s.end(), '\n'); }
}  // namespace

TEST_CASE("uibnas show --format json gives timm's per-block numbers", "[cli]") {
  const auto r = run_uibnas("show mobilenetv4_hybrid_medium --format json");
  REQUIRE(r.status == 0);
  const json j = json::parse(r.out);
  const json ref = timm_structure()["models"]["mobilenetv4_hybrid_medium"];
  CHECK(j["model"] == "mobilenetv4_hybrid_medium");
  CHECK(j["resolution"] == 256);
  CHECK(j["params"] == ref["params"]);
  CHECK(j["macs"] == ref["macs"]);
  std::map<std::string, json> blocks;
  for (const auto& b : j["blocks"]) {
    for (const char* key : {"name", "kind", "in", "out", "params", "macs", "weight_bytes", "activation_bytes"})
      REQUIRE(b.contains(key));
    blocks[b["name"]] = b;
  }
  CHECK(j["blocks"][0]["name"] == "conv_stem");
  CHECK(blocks.count("conv_head"));
  CHECK(blocks.count("classifier"));
  for (const auto& rb : ref["blocks"]) {
    INFO(rb["name"]);
    REQUIRE(blocks.count(rb["name"]));
    CHECK(blocks[rb["name"]]["params"] == rb["params"]);
    CHECK(blocks[rb["name"]]["macs"] == rb["macs"]);
  }
  // Weight bytes are FP32 parameters; a 1x1 conv's activation bytes are its input and output tensors.
  CHECK(blocks["classifier"]["weight_bytes"] == 4 * 1281000);
  CHECK(blocks["classifier"]["activation_bytes"] == 4 * (1280 + 1000));
}

TEST_CASE("uibnas show at another resolution and in csv and timm form", "[cli]") {
  const auto r = run_uibnas("show conv_small --resolution 240 --format json");
  REQUIRE(r.status == 0);
  const json j = json::parse(r.out);
  CHECK(j["resolution"] == 240);
  // 240 px: stem 120, stages 60/30/15/8 (15 -> 8 at the last stride-2 conv).
  for (const auto& b : j["blocks"])
    if (b["name"] == "blocks.3.0") CHECK(b["out"] == json::array({128, 8, 8}));

  const auto csv = run_uibnas("show conv_small --format csv");
  REQUIRE(csv.status == 0);
  CHECK(csv.out.rfind("index,name,kind,", 0) == 0);
  CHECK(count_lines(csv.out) == 1 + 1 + 17 + 3);  // header, stem, 17 blocks, pool, conv_head, classifier

  const auto timm = run_uibnas("show conv_medium --format timm");
  REQUIRE(timm.status == 0);
  CHECK(json::parse(timm.out)["stages"][0][0] == "er_r1_k3_s2_e4_c48");

  const auto table = run_uibnas("show mobilenetv4_conv_medium");
  REQUIRE(table.status == 0);
  CHECK(table.out.find("blocks.3.10") != std::string::npos);
  CHECK(table.out.find("9715512") != std::string::npos);
}

TEST_CASE("uibnas models lists the 12 variants and the 5 baselines with params, MACs and top-1", "[cli]") {
  const auto r = run_uibnas("models --json");
  REQUIRE(r.status == 0);
  const json j = json::parse(r.out);
  REQUIRE(j.size() == 17);
  const json ref = timm_structure()["models"];
  for (const auto& m : j) {
    INFO(m["model"]);
    CHECK(m["params"] == ref[m["model"].get<std::string>()]["params"]);
    CHECK(m["macs"] == ref[m["model"].get<std::string>()]["macs"]);
  }
  const auto table = run_uibnas("models");
  REQUIRE(table.status == 0);
  CHECK(table.out.find("mobilenetv4_conv_small") != std::string::npos);
  CHECK(table.out.find("73.76") != std::string::npos);  // conv_small timm top-1 at 224
  const auto row = [&](const std::string& model) { return table.out.substr(table.out.find(model + " "), 100); };
  CHECK(row("mobilenetv3_large_100").find("75.78 mobilenetv3") != std::string::npos);  // ra_in1k at 224
  CHECK(row("efficientnet_b0").find("77.70 efficientnet") != std::string::npos);
}

TEST_CASE("uibnas show lists a baseline's blocks and head with timm's costs", "[cli]") {
  const json ref = timm_structure()["models"]["efficientnet_b0"];
  const auto table = run_uibnas("show efficientnet_b0");
  REQUIRE(table.status == 0);
  CHECK(table.out.find(std::to_string(ref["params"].get<long long>())) != std::string::npos);
  CHECK(table.out.find(std::to_string(ref["macs"].get<long long>())) != std::string::npos);
  // EfficientNet's head convolves at 7x7 before pooling.
  CHECK(table.out.find("conv_head") < table.out.find("global_pool"));
  const auto small = run_uibnas("show mobilenetv3_small_100");
  REQUIRE(small.status == 0);
  CHECK(small.out.find("global_pool") < small.out.find("conv_head"));
}

TEST_CASE("usage and input errors print one line on stderr and exit 2", "[cli][errors]") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "usage: uibnas"},
      {"frobnicate", "error: unknown command 'frobnicate'"},
      {"show", "error: uibnas show: the option '--model' is required"},
      {"show conv_tiny", "error: unknown model 'conv_tiny'"},
      {"show conv_small --format yaml", "error: --format must be table, json, csv or timm"},
      {"show conv_small --resolution abc", "error: uibnas show: the argument ('abc') for option '--resolution' is invalid"},
      {"show conv_small --bogus", "error: uibnas show: unrecognised option '--bogus'"},
      {"show conv_small --resolution 0", "error: resolution must be in [1, 8192], got 0"},
      {"show /nonexistent/arch.json", "error: /nonexistent/arch.json: no such file"},
      {"models extra", "error: uibnas models: too many positional options"},
  };
  for (const auto& [args, expected] : cases) {
    INFO("uibnas " << args);
    const auto r = run_uibnas(args);
    CHECK(r.status == 2);
    CHECK(r.err.rfind(expected, 0) == 0);
    if (!args.empty()) CHECK(count_lines(r.err) == 1);
  }
}

TEST_CASE("--help works for the binary and every subcommand", "[cli]") {
  const auto top = run_uibnas("--help");
  CHECK(top.status == 0);
  CHECK(top.out.find("show") != std::string::npos);
  for (const char* cmd : {"models", "show", "run", "hwinfo", "profile"}) {
    INFO(cmd);
    const auto r = run_uibnas(std::string(cmd) + " --help");
    CHECK(r.status == 0);
    CHECK(r.out.find("usage: uibnas " + std::string(cmd)) != std::string::npos);
  }
}
