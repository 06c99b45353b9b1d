// `uibnas validate` stopped mid-run: killed (kill -9) at random points and continued with --reuse,
// stopped by Ctrl-C, or refused because another process writes its folder.
#include <catch2/catch.hpp>

#include <csignal>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <thread>

#include <unistd.h>

#include "common/file_lock.hpp"
#include "common/json_file.hpp"
#include "latency/latency_table.hpp"
#include "../cli/run_binary.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/test_data.hpp"

using namespace uibnas;
namespace fs = std::filesystem;

namespace {

// A table of conv_small_035, profiled once for these tests.
const std::string& small_table() {
  static const std::string path = [] {
    const std::string p = uibnas::testing::unique_temp_path("validate_interrupts_table.json");
    fs::remove(p);
    const auto r = run_uibnas("profile --hardware tiny --models conv_small_035 --repeat 2 --warmup 0 --rounds 1 "
                              "--settle 0 --no-progress --out " + p);
    REQUIRE(r.status == 0);
    return p;
  }();
  return path;
}

std::string validate_args(const std::string& dir) {
  return "validate --table " + small_table() + " --models conv_small_035,conv_small_050,conv_small --repeat 2 "
         "--rounds 2 --settle 0 --warmup 0 --no-progress --out " + dir;
}

// measured.json's networks: name -> rounds (each a median); a name twice fails the test.
std::map<std::string, std::vector<double>> measured_networks(const std::string& dir) {
  std::map<std::string, std::vector<double>> out;
  const fs::path path = fs::path(dir) / "measured.json";
  if (!fs::exists(path)) return out;
  const nlohmann::json measured = common::read_json_file(path.string(), "measured");
  for (const auto& n : measured["networks"]) {
    std::vector<double> medians;
    for (const auto& r : n["rounds"]) medians.push_back(r["median_ms"].get<double>());
    INFO(n["name"]);
    CHECK(out.emplace(n["name"].get<std::string>(), medians).second);
  }
  return out;
}

}  // namespace

TEST_CASE("validate killed with -9 at random points continues with --reuse, nothing lost or doubled",
          "[validate][kill]") {
  const std::string dir = uibnas::testing::unique_temp_path("validate_kill");
  fs::remove_all(dir);
  std::mt19937 rng(18);
  std::uniform_int_distribution<int> delay_ms(300, 6000);
  std::map<std::string, std::vector<double>> before;
  for (int kill = 0; kill < 3; ++kill) {
    const int ms = delay_ms(rng);
    INFO("kill " << kill << " after " << ms << " ms");
    {
      uibnas::testing::UibnasProcess validate(validate_args(dir) + " --reuse", dir + ".err");
      REQUIRE(validate.started());
      std::this_thread::sleep_for(std::chrono::milliseconds(ms));
      validate.signal(SIGKILL);
      REQUIRE(validate.wait_for(10));
    }
    const auto after = measured_networks(dir);
    for (const auto& [name, rounds] : before) {
      INFO(name);
      REQUIRE(after.count(name));
      CHECK(after.at(name) == rounds);  // reused, not measured again
    }
    before = after;
  }
  const auto finished = run_uibnas(validate_args(dir) + " --reuse");
  REQUIRE(finished.status == 0);
  const auto all = measured_networks(dir);
  for (const auto& [name, rounds] : before) CHECK(all.at(name) == rounds);
  CHECK(all.size() == 3);
  for (const auto& [name, rounds] : all) {
    INFO(name);
    CHECK(rounds.size() == 2);  // as an uninterrupted run with --rounds 2 --settle 0: no half-measured network reused
  }
  CHECK(finished.out.find("3 architectures") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("Ctrl-C during validate saves the finished networks and exits 130", "[validate][signal]") {
  const std::string dir = uibnas::testing::unique_temp_path("validate_sigint");
  fs::remove_all(dir);
  // Long enough (hybrid_medium's parts, 3 rounds) to be still measuring when the signal comes.
  const std::string args = "validate --table " + small_table() + " --models conv_small_035,conv_small,hybrid_medium "
                           "--repeat 5 --rounds 3 --settle 0 --warmup 0 --no-progress --out " + dir;
  uibnas::testing::UibnasProcess validate(args, dir + ".err");
  REQUIRE(validate.started());
  REQUIRE(uibnas::testing::wait_until([&] { return fs::exists(fs::path(dir) / "table.json"); }, 60));
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // into the timed slots
  const auto stop = validate.interrupt();
  const double stop_s = stop.seconds;
  REQUIRE(stop.status);
  CHECK(*stop.status == 130);
  CHECK(stop_s < 2.0);
  const std::string measured = (fs::path(dir) / "measured.json").string();
  CHECK(validate.stderr_text() == "interrupted: " + std::to_string(measured_networks(dir).size()) +
                                      " networks saved to " + measured + "; continue with --reuse\n");
  CHECK_NOTHROW(latency::load_table((fs::path(dir) / "table.json").string()));
  fs::remove_all(dir);
}

TEST_CASE("validate refuses a folder another process is writing", "[validate][lock]") {
  const std::string dir = uibnas::testing::unique_temp_path("validate_locked");
  fs::remove_all(dir);
  const common::FileLock held = common::lock_output_folder(dir);  // as a running validate holds it
  const auto r = run_uibnas(validate_args(dir));
  CHECK(r.status == 2);
  CHECK(r.err == "error: " + dir + " is being written by another uibnas process (pid " + std::to_string(::getpid()) +
                     ")\n");
  CHECK_FALSE(fs::exists(fs::path(dir) / "table.json"));
  fs::remove_all(dir);
}
