// `uibnas search` stopped mid-run: killed (kill -9) at random points and resumed, stopped by Ctrl-C,
// or refused because another process writes its folder. A resumed search ends as the uninterrupted one.
#include <catch2/catch.hpp>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include <unistd.h>

#include "common/file_lock.hpp"
#include "common/json_file.hpp"
#include "../cli/run_binary.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/test_data.hpp"

using namespace uibnas;
namespace fs = std::filesystem;

namespace {

using uibnas::testing::slurp;

std::string search_args(const std::string& dir) {
  return "search --space " + std::string(UIBNAS_SOURCE_DIR) + "/searchspace/spaces/conv-s.json --latency roofline "
         "--rp 40 --objectives latency,params,macs:max --strategy nsga2 --budget 6000 --population 40 --seed 5 "
         "--checkpoint-seconds 0 --no-progress --out " + dir;
}

int generations_in(const std::string& dir) {
  const fs::path checkpoint = fs::path(dir) / "checkpoint.json";
  return fs::exists(checkpoint) ? common::read_json_file(checkpoint.string(), "checkpoint")["generations"].get<int>() : 0;
}

// The uninterrupted search's history, computed once.
const std::string& uninterrupted_history() {
  static const std::string history = [] {
    const std::string dir = uibnas::testing::unique_temp_path("search_uninterrupted");
    fs::remove_all(dir);
    REQUIRE(run_uibnas(search_args(dir)).status == 0);
    const std::string h = slurp(fs::path(dir) / "history.csv");
    fs::remove_all(dir);
    return h;
  }();
  return history;
}

}  // namespace

TEST_CASE("search killed with -9 at random points resumes to the uninterrupted history", "[search][kill]") {
  const std::string& expected = uninterrupted_history();
  const std::string dir = uibnas::testing::unique_temp_path("search_kill_points");
  fs::remove_all(dir);
  std::mt19937 rng(18);
  std::uniform_int_distribution<int> delay_ms(100, 1500);
  int generations = 0;
  for (int kill = 0; kill < 3; ++kill) {
    const int ms = delay_ms(rng);
    INFO("kill " << kill << " after " << ms << " ms");
    {
      uibnas::testing::UibnasProcess search(search_args(dir) + " --resume", dir + ".err");
      REQUIRE(search.started());
      std::this_thread::sleep_for(std::chrono::milliseconds(ms));
      search.signal(SIGKILL);
      REQUIRE(search.wait_for(10));
    }
    const int now = generations_in(dir);  // atomic writes: the checkpoint parses
    CHECK(now >= generations);             // a finished generation is never lost
    generations = now;
  }
  REQUIRE(run_uibnas(search_args(dir) + " --resume").status == 0);
  CHECK(slurp(fs::path(dir) / "history.csv") == expected);  // nothing lost, nothing twice
  fs::remove_all(dir);
}

TEST_CASE("Ctrl-C during search saves a checkpoint and exits 130, --resume ends as uninterrupted", "[search][signal]") {
  const std::string& expected = uninterrupted_history();
  const std::string dir = uibnas::testing::unique_temp_path("search_sigint");
  fs::remove_all(dir);
  {
    uibnas::testing::UibnasProcess search(search_args(dir), dir + ".err");
    REQUIRE(search.started());
    REQUIRE(uibnas::testing::wait_until([&] { return generations_in(dir) > 0; }, 60));
    const auto stop = search.interrupt();
    const double stop_s = stop.seconds;
    REQUIRE(stop.status);
    CHECK(*stop.status == 130);
    CHECK(stop_s < 2.0);
    const auto checkpoint = common::read_json_file(dir + "/checkpoint.json", "checkpoint");
    CHECK(search.stderr_text() == "interrupted: " + std::to_string(checkpoint["history"].size()) +
                                      " candidates saved to " + dir + "/checkpoint.json; continue with --resume\n");
  }
  REQUIRE(run_uibnas(search_args(dir) + " --resume").status == 0);
  CHECK(slurp(fs::path(dir) / "history.csv") == expected);
  fs::remove_all(dir);
}

TEST_CASE("search refuses a folder another process is writing", "[search][lock]") {
  const std::string dir = uibnas::testing::unique_temp_path("search_locked");
  fs::remove_all(dir);
  const common::FileLock held = common::lock_output_folder(dir);  // as a running search holds it
  const auto r = run_uibnas(search_args(dir));
  CHECK(r.status == 2);
  CHECK(r.err == "error: " + dir + " is being written by another uibnas process (pid " + std::to_string(::getpid()) +
                     ")\n");
  CHECK_FALSE(fs::exists(fs::path(dir) / "checkpoint.json"));
  fs::remove_all(dir);
}

namespace {

std::string rediscover_args(const std::string& dir, long long budget) {
  return "search --rediscover conv_small --space " + std::string(UIBNAS_SOURCE_DIR) + "/searchspace/spaces/conv-s.json "
         "--table " + std::string(UIBNAS_SOURCE_DIR) + "/latency/tables/xeon-vm-2vcpu-t1.json --budget " +
         std::to_string(budget) + " --out " + dir;
}

}  // namespace

TEST_CASE("search --rediscover refuses a locked folder and stops on Ctrl-C without a report", "[search][signal][lock]") {
  const std::string dir = uibnas::testing::unique_temp_path("rediscover_stopped");
  fs::remove_all(dir);
  {
    const common::FileLock held = common::lock_output_folder(dir);
    const auto r = run_uibnas(rediscover_args(dir, 300));
    CHECK(r.status == 2);
    CHECK(r.err.find(dir + " is being written by another uibnas process") != std::string::npos);
  }
  uibnas::testing::UibnasProcess search(rediscover_args(dir, 2000000), dir + ".err");
  REQUIRE(search.started());
  REQUIRE(uibnas::testing::wait_until([&] { return search.stderr_text().find("rediscover: direct search") != std::string::npos; }, 60));
  const auto stop = search.interrupt();
  const double stop_s = stop.seconds;
  REQUIRE(stop.status);
  CHECK(*stop.status == 130);
  CHECK(stop_s < 2.0);
  CHECK(search.stderr_text().find("interrupted: stopped before rediscover.json was written") != std::string::npos);
  CHECK_FALSE(fs::exists(fs::path(dir) / "rediscover.json"));
  fs::remove_all(dir);
}
