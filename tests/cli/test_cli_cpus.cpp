// --cpus LIST: the list parser on hand-made lists, the rule against --threads, and a child run that
// really is pinned (its own sched_getaffinity, recorded by hwinfo).
#include <catch2/catch.hpp>

#include <thread>

#include <nlohmann/json.hpp>

#include "cli/cpu_list_option.hpp"
#include "common/error.hpp"
#include "run_binary.hpp"

using uibnas::cli::format_cpu_list;
using uibnas::cli::parse_cpu_list;

namespace {

std::string parse_error(const std::string& text, int cpu_count) {
  try {
    parse_cpu_list(text, cpu_count);
  } catch (const uibnas::common::InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("CPU lists of --cpus: ranges, single CPUs, order and repeats", "[cli][cpus]") {
  CHECK(parse_cpu_list("4-7", 8) == std::vector<int>{4, 5, 6, 7});
  CHECK(parse_cpu_list("0,2,4-5", 8) == std::vector<int>{0, 2, 4, 5});
  CHECK(parse_cpu_list("7,0-1,1", 8) == std::vector<int>{0, 1, 7});
  CHECK(parse_cpu_list("3-3", 4) == std::vector<int>{3});
  CHECK(parse_cpu_list("0", 1) == std::vector<int>{0});
  CHECK(format_cpu_list({0, 2, 4, 5}) == "0,2,4-5");
  CHECK(format_cpu_list({4, 5, 6, 7}) == "4-7");
  CHECK(format_cpu_list({1}) == "1");
}

TEST_CASE("CPU lists of --cpus that are not CPUs of the machine are refused by name", "[cli][cpus]") {
  CHECK(parse_error("9", 2) == "--cpus: '9' is not a CPU of this machine (0-1)");
  CHECK(parse_error("0-8", 8) == "--cpus: '8' is not a CPU of this machine (0-7)");
  CHECK(parse_error("1", 1) == "--cpus: '1' is not a CPU of this machine (0)");
  CHECK(parse_error("5-3", 8) == "--cpus: '5-3' runs backwards (write 3-5)");
  CHECK(parse_error("", 8) == "--cpus: empty list (give e.g. 4-7 or 0,2,4-5)");
  for (const char* bad : {"0,", "a", "-1", "1-", "1 2", "0x1", "1-2-3"}) {
    INFO(bad);
    CHECK_THAT(parse_error(bad, 8), Catch::Matches("--cpus: '.*' is not a CPU number or range \\(e\\.g\\. 4-7 or 0,2,4-5\\)"));
  }
}

TEST_CASE("hwinfo --cpus 0 runs pinned to CPU 0 and says so", "[cli][cpus]") {
  const unsigned cpus = std::thread::hardware_concurrency();
  const auto r = run_uibnas("hwinfo --cpus 0 --seconds 0.01 --json");
  REQUIRE(r.status == 0);
  const nlohmann::json hw = nlohmann::json::parse(r.out);
  CHECK(hw.at("peaks").size() == 1);  // the default --threads (all CPUs) fits the one CPU given
  if (cpus >= 2) CHECK(hw.at("allowed_cpus") == nlohmann::json::array({0}));  // the child's own affinity
  const auto text = run_uibnas("hwinfo --cpus 0 --seconds 0.01");
  REQUIRE(text.status == 0);
  if (cpus >= 2) CHECK(text.out.find("\npinned     CPUs 0\n") != std::string::npos);
  const auto unpinned = run_uibnas("hwinfo --threads 1 --seconds 0.01 --json");
  REQUIRE(unpinned.status == 0);
  CHECK_FALSE(nlohmann::json::parse(unpinned.out).contains("allowed_cpus"));
}

TEST_CASE("errors of --cpus exit 2 with one line", "[cli][cpus]") {
  const std::string machine = std::thread::hardware_concurrency() == 1
                                  ? "0" : "0-" + std::to_string(std::thread::hardware_concurrency() - 1);
  const auto out_of_range = run_uibnas("hwinfo --cpus 4096 --seconds 0.01");
  CHECK(out_of_range.status == 2);
  CHECK(out_of_range.err == "error: --cpus: '4096' is not a CPU of this machine (" + machine + ")\n");
  const auto too_many_threads = run_uibnas("run conv_small --cpus 0 --threads 2 --repeat 1 --warmup 0");
  CHECK(too_many_threads.status == 2);
  CHECK(too_many_threads.err == "error: --threads 2 is more than the 1 CPU of --cpus 0 (threads would share CPUs); "
                                "pass --force-threads to use it anyway\n");
  const auto profile = run_uibnas("profile --hardware box --models conv_small --cpus x");
  CHECK(profile.status == 2);
  CHECK(profile.err == "error: --cpus: 'x' is not a CPU number or range (e.g. 4-7 or 0,2,4-5)\n");
  const auto cooldown = run_uibnas("profile --hardware box --models conv_small --cooldown-seconds -1");
  CHECK(cooldown.status == 2);
  CHECK(cooldown.err == "error: --cooldown-seconds must be in [0, 3600], got -1\n");
}

TEST_CASE("run --json records the CPUs of --cpus", "[cli][cpus]") {
  const auto pinned = run_uibnas("run conv_small --cpus 0 --threads 1 --repeat 1 --warmup 0 --resolution 96 --json");
  REQUIRE(pinned.status == 0);
  CHECK(nlohmann::json::parse(pinned.out).at("cpus") == nlohmann::json::array({0}));
  const auto free = run_uibnas("run conv_small --threads 1 --repeat 1 --warmup 0 --resolution 96 --json");
  REQUIRE(free.status == 0);
  CHECK_FALSE(nlohmann::json::parse(free.out).contains("cpus"));
}
