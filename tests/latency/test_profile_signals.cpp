// Ctrl-C (SIGINT) and SIGTERM during `uibnas profile`: the first saves within a timed run or two and
// exits 130 with one line; a second stops at once; the table on disk stays whole and --resume completes it.
#include <catch2/catch.hpp>

#include <chrono>
#include <csignal>
#include <filesystem>

#include "arch_defs/catalogue.hpp"
#include "latency/latency_table.hpp"
#include "latency/profiler.hpp"
#include "../cli/run_binary.hpp"
#include "tests/support/child_process.hpp"
#include "tests/latency/table_entries.hpp"
#include "tests/support/test_data.hpp"

using namespace uibnas;
namespace fs = std::filesystem;
using uibnas::testing::entries_in;

namespace {

std::vector<latency::BlockSignature> signatures_of(const std::vector<std::string>& models) {
  std::vector<latency::ProfileTarget> targets;
  for (const auto& m : models) {
    const arch_defs::Architecture a = arch_defs::resolve_architecture(m);
    targets.push_back({a, a.input_size});
  }
  return latency::distinct_signatures(targets, 1);
}

// hybrid_medium's slot (its network and parts, side by side) takes seconds: a stop must not wait for it.
const std::string kArgs = "profile --hardware testbox --models conv_small,hybrid_medium --repeat 5 --warmup 0 "
                          "--rounds 1 --settle 0 --checkpoint-seconds 0 --no-progress --out ";

}  // namespace

TEST_CASE("the first Ctrl-C saves and exits 130 within 2 s, --resume completes the table", "[profile][signal]") {
  const std::string out = uibnas::testing::unique_temp_path("sigint.json");
  fs::remove(out);
  double stop_s = 0;
  std::string err;
  {
    uibnas::testing::UibnasProcess profile(kArgs + out, out + ".err");
    REQUIRE(profile.started());
    REQUIRE(uibnas::testing::wait_until([&] { return entries_in(out) > 0; }, 60));  // inside the slots
    const auto stop = profile.interrupt();
    stop_s = stop.seconds;
    REQUIRE(stop.status);
    CHECK(*stop.status == 130);
    err = profile.stderr_text();
  }
  CHECK(stop_s < 2.0);
  const latency::LatencyTable saved = latency::load_table(out);
  CHECK(err == "interrupted: " + std::to_string(saved.entries.size()) + " entries saved to " + out +
                   "; continue with --resume\n");

  const auto resumed = run_uibnas(kArgs + out + " --resume");
  REQUIRE(resumed.status == 0);
  const latency::LatencyTable full = latency::load_table(out);
  for (const auto& [key, e] : saved.entries) {
    INFO(key);
    REQUIRE(full.find(key));
    CHECK(full.find(key)->latency.median_ms == e.latency.median_ms);  // kept, not measured again
  }
  const auto expected = signatures_of({"conv_small", "hybrid_medium"});
  CHECK(full.entries.size() == expected.size());
  for (const auto& s : expected) CHECK(full.find(s.key()));
  CHECK(full.end_to_end.size() == 2);
  fs::remove(out);
  fs::remove(out + ".lock");
}

TEST_CASE("a second signal stops profile at once and leaves the last checkpoint whole", "[profile][signal]") {
  const std::string out = uibnas::testing::unique_temp_path("sigint_twice.json");
  fs::remove(out);
  uibnas::testing::UibnasProcess profile(kArgs + out, out + ".err");
  REQUIRE(profile.started());
  REQUIRE(uibnas::testing::wait_until([&] { return entries_in(out) > 0; }, 60));
  // Two different signals: a second SIGINT sent at once could merge with the first while pending.
  const auto t0 = std::chrono::steady_clock::now();
  profile.signal(SIGINT);
  profile.signal(SIGTERM);
  const auto status = profile.wait_for(10);
  const double stop_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  REQUIRE(status);
  CHECK(*status == 130);
  CHECK(stop_s < 1.0);
  CHECK(profile.stderr_text() == "\ninterrupted again: stopped at once; the last checkpoint is intact\n");
  CHECK(entries_in(out) > 0);  // a whole table: load_table parses it
  fs::remove(out);
  fs::remove(out + ".lock");
}
