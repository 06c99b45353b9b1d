// Counts given on the command line or in a file that drive memory and time: each is refused with one
// `error:` line and exit status 2 before any work is done.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "run_binary.hpp"
#include "tests/support/test_data.hpp"

using nlohmann::json;

namespace {

void check_one_error_line(const BinaryResult& r, const std::string& expected) {
  CHECK(r.status == 2);
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  CHECK_THAT(r.err, Catch::StartsWith("error: ") && Catch::Contains(expected));
}

std::string write_temp(const std::string& name, const json& j) {
  const std::string path = uibnas::testing::unique_temp_path(name);
  std::ofstream(path) << j.dump();
  return path;
}

}  // namespace

TEST_CASE("show refuses an accepted architecture whose MAC count passes int64 instead of printing it negative",
          "[cli][limits]") {
  // er k15 e16 c16384 at 4096 px: blocks.0.1 onwards cost 4.05e18 MACs each (blocks.0.0 reads the 32
  // stem channels), so the sum passes INT64_MAX (9.22e18) at blocks.0.3.
  const std::string file = write_temp("overflow.json", {{"name", "overflow"}, {"input_size", 4096},
                                                        {"stages", {{"er_r4_k15_s1_e16_c16384"}}}});
  check_one_error_line(run_uibnas("show " + file), "MAC count overflows int64 at block blocks.0.3");
  std::filesystem::remove(file);
}

TEST_CASE("a thread count of 0, negative, or above 4 x the hardware threads is refused unless forced", "[cli][limits]") {
  const unsigned hw = std::max(1u, std::thread::hardware_concurrency());
  const std::string over = std::to_string(4 * hw + 1);
  check_one_error_line(run_uibnas("run conv_small --threads 1000000000 --repeat 1 --warmup 0"),
                       "--threads 1000000000 is more than 4 x the " + std::to_string(hw) +
                           " hardware threads here; pass --force-threads to use it anyway");
  check_one_error_line(run_uibnas("run conv_small --threads -3"), "--threads must be at least 1, got -3");
  check_one_error_line(run_uibnas("hwinfo --threads " + over), "--threads " + over + " is more than 4 x the");
  check_one_error_line(run_uibnas("profile --hardware box --models conv_small --threads " + over),
                       "--threads " + over + " is more than 4 x the");
  check_one_error_line(run_uibnas("search --space conv-s --objectives macs --out x --threads " + over),
                       "--threads " + over + " is more than 4 x the");
  check_one_error_line(run_uibnas("search --space conv-s --objectives macs --out x --threads 0"),
                       "--threads must be at least 1, got 0");
  check_one_error_line(run_uibnas("hwinfo --force-threads --threads 1025"),
                       "--threads must be at most 1024 even with --force-threads, got 1025");
}

TEST_CASE("profile --space refuses a space past --max-signatures before measuring anything", "[cli][limits]") {
  std::ifstream in(UIBNAS_SOURCE_DIR "/searchspace/spaces/conv-s.json");
  json space = json::parse(in);
  json widths = json::array();
  for (int w = 1; w <= 64; ++w) widths.push_back(8 * w);
  for (int s : {2, 3}) space["stages"][s]["widths"] = widths;  // more than a million signatures
  const std::string file = write_temp("big_space.json", space);
  const std::string out = uibnas::testing::unique_temp_path("big_space_table.json");
  check_one_error_line(run_uibnas("profile --hardware box --no-progress --space " + file + " --out " + out),
                       file + ": the space yields more than 20000 part signatures (--max-signatures 20000)");
  check_one_error_line(run_uibnas("profile --hardware box --space " + file + " --max-signatures 0 --out " + out),
                       "--max-signatures must be in [1, 1000000], got 0");
  CHECK_FALSE(std::filesystem::exists(out));
  std::filesystem::remove(file);
}

TEST_CASE("an option list of thousands of items is refused before any item is resolved", "[cli][limits]") {
  std::string list;
  for (int i = 0; i < 5000; ++i) list += "conv_small,";
  const std::string out = uibnas::testing::unique_temp_path("list_table.json");
  check_one_error_line(run_uibnas("profile --hardware box --no-progress --models " + list + " --out " + out),
                       "--models lists more than 1000 items");
  check_one_error_line(run_uibnas("proxies --models " + list), "--models lists more than 1000 items");
  CHECK_FALSE(std::filesystem::exists(out));
}

TEST_CASE("run refuses a network whose activations cannot be allocated, before allocating", "[cli][limits]") {
  // er e16 c16384 twice at 4096 px: the second block's expanded activation alone is 262144 x 2048 x 2048
  // floats = 4398 GB, its 3x3 conv 262144 x 16384 x 9 weights another 155 GB.
  const std::string file = write_temp("huge_run.json", {{"name", "huge"}, {"input_size", 4096},
                                                        {"stages", {{"er_r2_k3_s1_e16_c16384"}}}});
  const BinaryResult r = run_uibnas("run " + file + " --threads 1 --repeat 1 --warmup 0");
  check_one_error_line(r, file + " at 4096 px needs at least 45");
  CHECK_THAT(r.err, Catch::Contains(" GB (weights and its largest activation), more than the "));
  std::filesystem::remove(file);
}

TEST_CASE("counts that drive time or memory have upper bounds", "[cli][limits]") {
  const struct {
    std::string args, error;
  } cases[] = {
      {"run conv_small --repeat 1000000000", "--repeat must be at most 100000, got 1000000000"},
      {"run conv_small --warmup 100001", "--warmup must be at most 100000, got 100001"},
      {"profile --hardware box --models conv_small --rounds 100000", "--rounds must be at most 1000, got 100000"},
      {"profile --hardware box --models conv_small --settle 5000", "--settle must be at most 1000, got 5000"},
      {"profile --hardware box --models conv_small --repeat 2000000", "--repeat must be at most 100000, got 2000000"},
      {"search --space conv-s --objectives macs --out x --budget 2000000000", "--budget must be at most 10000000, got 2000000000"},
      {"search --space conv-s --objectives macs --out x --population 1000000", "--population must be at most 100000, got 1000000"},
      {"proxies --models conv_small --batch 100000", "--batch must be at most 256, got 100000"},
      {"proxies --models conv_small --resolution 8000", "--resolution must be at most 1024, got 8000"},
  };
  for (const auto& c : cases) {
    INFO(c.args);
    check_one_error_line(run_uibnas(c.args), c.error);
  }
}
