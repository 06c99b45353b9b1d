// `uibnas search` as a user runs it: outputs, byte-identical results at any thread count, a search
// killed after a checkpoint and resumed ending with the uninterrupted front, and one clear error line
// with exit 2 for bad input.
#include <catch2/catch.hpp>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <thread>
#include <sys/wait.h>
#include <unistd.h>

#include "../cli/run_binary.hpp"
#include "common/json_file.hpp"
#include "search_test_support.hpp"
#include "tests/support/test_data.hpp"

namespace fs = std::filesystem;
using namespace uibnas;

namespace {

using uibnas::testing::slurp;

struct TinyFiles {
  std::string space = search_test::tiny_space_file();
  std::string table = search_test::tiny_table_file(searchspace::load_search_space(space));
};

const TinyFiles& tiny() {
  static const TinyFiles files;
  return files;
}

std::string conv_s() { return std::string(UIBNAS_SOURCE_DIR) + "/searchspace/spaces/conv-s.json"; }

}  // namespace

TEST_CASE("search writes history, front and summary, identical at any thread count", "[search][cli]") {
  const std::string a = uibnas::testing::unique_temp_path("search_t1"), b = uibnas::testing::unique_temp_path("search_t3");
  fs::remove_all(a), fs::remove_all(b);
  const std::string args = "search --space " + tiny().space + " --table " + tiny().table +
                           " --objectives latency,params --strategy nsga2 --budget 120 --population 20 --seed 3 "
                           "--max-params 1e9 --no-progress --out ";
  const auto r1 = run_uibnas(args + a + " --threads 1");
  REQUIRE(r1.status == 0);
  CHECK(r1.err.empty());
  CHECK(r1.out.find("Pareto front:") != std::string::npos);
  REQUIRE(run_uibnas(args + b + " --threads 3").status == 0);
  for (const char* f : {"history.csv", "front.csv", "front.json"}) {
    INFO(f);
    CHECK(slurp(fs::path(a) / f) == slurp(fs::path(b) / f));
  }
  const std::string history = slurp(fs::path(a) / "history.csv");
  CHECK(history.rfind("generation,encoding,latency,params,violation,feasible\n", 0) == 0);
  CHECK(std::count(history.begin(), history.end(), '\n') == 121);
  const auto summary = common::read_json_file((fs::path(a) / "search.json").string(), "summary");
  CHECK(summary["hypervolume"]["per_generation"].size() == 6);
  CHECK(summary["hypervolume"]["reference_point"] == nlohmann::json({1.2, 1.2}));
  CHECK(summary["table"]["hash_fnv1a64"].get<std::string>().size() == 16);
  CHECK(summary["options"]["seed"] == 3);
  fs::remove_all(a), fs::remove_all(b);
}

TEST_CASE("a search killed after a checkpoint resumes to the uninterrupted front", "[search][cli][resume]") {
  const std::string full = uibnas::testing::unique_temp_path("search_full"),
                    killed = uibnas::testing::unique_temp_path("search_killed");
  fs::remove_all(full), fs::remove_all(killed);
  const std::string common_args = "search --space " + conv_s() + " --latency roofline --rp 40 --objectives latency,params,macs:max "
                                  "--strategy nsga2 --budget 6000 --population 40 --checkpoint-seconds 0 --no-progress ";
  const std::string args = common_args + "--seed 5 --out ";
  REQUIRE(run_uibnas(args + full).status == 0);

  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    const std::string cmd = std::string(UIBNAS_BINARY) + " " + args + killed + " >/dev/null 2>&1";
    execl("/bin/sh", "sh", "-c", ("exec " + cmd).c_str(), (char*)nullptr);
    _exit(127);
  }
  const fs::path checkpoint = fs::path(killed) / "checkpoint.json";
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!fs::exists(checkpoint) && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  const auto partial = common::read_json_file(checkpoint.string(), "checkpoint");  // atomic: always whole
  INFO("killed after " << partial["generations"] << " of 150 generations");
  CHECK(partial["generations"].get<int>() < 150);
  CHECK_FALSE(fs::exists(fs::path(killed) / "front.csv"));

  REQUIRE(run_uibnas(args + killed).status == 2);  // refuses to overwrite without --resume
  const auto resumed = run_uibnas(args + killed + " --resume");
  REQUIRE(resumed.status == 0);
  CHECK(slurp(fs::path(killed) / "front.csv") == slurp(fs::path(full) / "front.csv"));
  CHECK(slurp(fs::path(killed) / "history.csv") == slurp(fs::path(full) / "history.csv"));
  const auto other = run_uibnas(common_args + "--seed 6 --resume --out " + killed);
  CHECK(other.status == 2);
  CHECK(other.err.find("cannot resume: the checkpoint is of a search with other options (seed 5 there)") != std::string::npos);
  fs::remove_all(full), fs::remove_all(killed);
}

TEST_CASE("search input errors give one error line and exit 2", "[search][cli]") {
  const std::string out = uibnas::testing::unique_temp_path("search_err");
  const std::string base = "search --space " + tiny().space + " --table " + tiny().table + " --no-progress ";
  const struct {
    std::string args, message;
  } cases[] = {
      {base + "--objectives latency,accuracy --out " + out, "unknown objective 'accuracy' (known: latency, params, macs, predictor:FILE.csv, published, naswot, zen, meco"},
      {base + "--objectives latency --budget 0 --out " + out, "--budget must be at least 1"},
      {base + "--objectives latency --out /proc/uibnas_no/out", "cannot create or write the output folder"},
      {"search --space " + conv_s() + " --table " + tiny().table + " --objectives latency --out " + out,
       "parts space 'conv-s' can produce"},
      {base + "--objectives latency,params --strategy evolution --out " + out, "evolution optimises one objective"},
      {base + "--objectives latency --strategy hill --out " + out, "--strategy must be random, evolution or nsga2"},
      {base + "--objectives params,latency --reward abs --out " + out, "--target-latency"},
      {"search --space " + conv_s() + " --objectives published --latency macs --out " + out, "is not a built-in variant"},
  };
  for (const auto& c : cases) {
    INFO(c.args);
    const auto r = run_uibnas(c.args);
    CHECK(r.status == 2);
    CHECK(r.err.rfind("error: ", 0) == 0);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK(r.err.find(c.message) != std::string::npos);
  }
  // The table's thread count and hardware do not matter; --allow-missing accepts a table lacking parts.
  CHECK(run_uibnas("search --space " + conv_s() + " --table " + tiny().table +
                   " --objectives latency --allow-missing --budget 20 --population 10 --no-progress --out " + out)
            .status == 0);
  fs::remove_all(out);
}
