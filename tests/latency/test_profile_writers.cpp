// One table, several profile processes: killed (kill -9) at random points and resumed, or two
// --resume runs at once. Afterwards nothing finished is lost and nothing is there twice.
#include <catch2/catch.hpp>

#include <csignal>
#include <filesystem>
#include <random>
#include <set>
#include <thread>

#include "arch_defs/catalogue.hpp"
#include "latency/latency_table.hpp"
#include "latency/profiler.hpp"
#include "../cli/run_binary.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/test_data.hpp"

using namespace uibnas;
namespace fs = std::filesystem;

namespace {

std::optional<latency::LatencyTable> table_in(const std::string& path) {
  if (!fs::exists(path)) return std::nullopt;
  return latency::load_table(path);  // atomic writes: a table on disk is always whole
}

std::set<std::string> signature_keys(const std::vector<std::string>& models) {
  std::vector<latency::ProfileTarget> targets;
  for (const auto& m : models) {
    const arch_defs::Architecture a = arch_defs::resolve_architecture(m);
    targets.push_back({a, a.input_size});
  }
  std::set<std::string> keys;
  for (const auto& s : latency::distinct_signatures(targets, 1)) keys.insert(s.key());
  return keys;
}

std::set<std::string> keys_of(const latency::LatencyTable& t) {
  std::set<std::string> keys;
  for (const auto& [key, e] : t.entries) keys.insert(key);
  return keys;
}

std::multiset<std::string> end_to_end_of(const latency::LatencyTable& t) {
  std::multiset<std::string> runs;
  for (const auto& e : t.end_to_end) runs.insert(e.model + "@" + std::to_string(e.resolution));
  return runs;
}

// Every entry of `before` is in `after` with the same measurement.
void check_kept(const latency::LatencyTable& before, const latency::LatencyTable& after) {
  for (const auto& [key, e] : before.entries) {
    INFO(key);
    REQUIRE(after.find(key));
    CHECK(after.find(key)->latency.median_ms == e.latency.median_ms);
  }
  for (const auto& e : before.end_to_end) {
    const latency::EndToEnd* kept = after.find_end_to_end(e.model, e.resolution);
    REQUIRE(kept);
    CHECK(kept->latency.median_ms == e.latency.median_ms);
  }
}

}  // namespace

TEST_CASE("profile killed with -9 at random points resumes without losing or doubling anything", "[profile][kill]") {
  const std::string out = uibnas::testing::unique_temp_path("kill_points.json");
  fs::remove(out);
  const std::string args = "profile --hardware testbox --models conv_small_035,conv_small_050 --repeat 3 --warmup 0 "
                           "--rounds 1 --settle 0 --checkpoint-seconds 0 --no-progress --resume --out " + out;
  std::mt19937 rng(18);
  std::uniform_int_distribution<int> delay_ms(200, 2500);
  std::optional<latency::LatencyTable> before;
  for (int kill = 0; kill < 3; ++kill) {
    const int ms = delay_ms(rng);
    INFO("kill " << kill << " after " << ms << " ms");
    {
      uibnas::testing::UibnasProcess profile(args, out + ".err");
      REQUIRE(profile.started());
      std::this_thread::sleep_for(std::chrono::milliseconds(ms));
      profile.signal(SIGKILL);
      REQUIRE(profile.wait_for(10));
    }
    const auto after = table_in(out);
    if (before) {
      REQUIRE(after);
      check_kept(*before, *after);
    }
    if (after) before = after;
  }
  REQUIRE(run_uibnas(args).status == 0);
  const latency::LatencyTable full = latency::load_table(out);
  if (before) check_kept(*before, full);
  CHECK(keys_of(full) == signature_keys({"conv_small_035", "conv_small_050"}));
  CHECK(end_to_end_of(full) == std::multiset<std::string>{"mobilenetv4_conv_small_035@224", "mobilenetv4_conv_small_050@224"});
  fs::remove(out);
  fs::remove(out + ".lock");
}

TEST_CASE("two profile --resume runs on one table both keep their entries", "[profile][lock]") {
  const std::string out = uibnas::testing::unique_temp_path("two_writers.json");
  fs::remove(out);
  const std::string args = "profile --hardware testbox --repeat 2 --warmup 0 --rounds 1 --settle 0 "
                           "--checkpoint-seconds 0 --no-progress --resume --out " + out + " --models ";
  {
    uibnas::testing::UibnasProcess a(args + "conv_small_035", out + ".a.err"), b(args + "conv_small_050", out + ".b.err");
    REQUIRE((a.started() && b.started()));
    const auto status_a = a.wait_for(90), status_b = b.wait_for(90);
    INFO(a.stderr_text() << b.stderr_text());
    REQUIRE((status_a && status_b));
    CHECK(*status_a == 0);
    CHECK(*status_b == 0);
  }
  const latency::LatencyTable both = latency::load_table(out);
  std::set<std::string> expected = signature_keys({"conv_small_035"});
  expected.merge(signature_keys({"conv_small_050"}));
  CHECK(keys_of(both) == expected);
  CHECK(end_to_end_of(both) == std::multiset<std::string>{"mobilenetv4_conv_small_035@224", "mobilenetv4_conv_small_050@224"});
  fs::remove(out);
  fs::remove(out + ".lock");
}
